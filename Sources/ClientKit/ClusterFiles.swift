import Foundation
import Messaging
import Protocols

/// The layout of a cluster directory, written by `mpc cluster init`:
///   manifest.json                      public: nodes, coordinator, clients, threshold, NATS URL
///   client/identity.json (0600)        the client's identity
///   coordinator/identity.json, coordinator/config.yaml, coordinator/passphrase (0600), coordinator/data/ (db/: LMDB)
///   node-<i>/identity.json, node-<i>/config.yaml, node-<i>/passphrase (0600), node-<i>/db/
/// (A directory made before configurations were YAML keeps its config.json files; they are still read.)
public struct ClusterLayout: Sendable {
    public let dir: String
    public init(dir: String) { self.dir = (dir as NSString).standardizingPath }

    public var manifest: String { path(ClusterManifest.fileName) }
    public var clientIdentity: String { path("client/identity.json") }
    public var coordinatorDir: String { path("coordinator") }
    public var coordinatorConfig: String { configFile(in: "coordinator") }
    public func nodeDir(_ id: String) -> String { path(id) }
    public func nodeConfig(_ id: String) -> String { configFile(in: id) }
    /// `<sub>/config.yaml`, or an older directory's `<sub>/config.json` when only that exists.
    func configFile(in sub: String) -> String {
        let yaml = path("\(sub)/config.yaml"), json = path("\(sub)/config.json")
        let fm = FileManager.default
        return !fm.fileExists(atPath: yaml) && fm.fileExists(atPath: json) ? json : yaml
    }
    public func path(_ p: String) -> String { (dir as NSString).appendingPathComponent(p) }

    public static func nodeId(_ i: Int) -> String { "node-\(i)" }

    /// Generates every identity, the manifest and the per-node configuration. Refuses a directory that
    /// already holds a manifest (keys are never overwritten).
    public func initialize(nodes n: Int, threshold t: Int, natsURL: String) throws(ClusterError) -> ClusterManifest {
        guard n >= 1, n <= 255 else { throw ClusterError("invalid_argument", "nodes: \(n) not in 1...255") }
        guard t >= 1, t <= n else { throw ClusterError("invalid_argument", "threshold: \(t) not in 1...\(n)") }
        let fm = FileManager.default
        guard !fm.fileExists(atPath: manifest) else { throw ClusterError("cluster_exists", "\(manifest) already exists") }
        var rng = SystemRandom()
        func mkdir(_ p: String) throws(ClusterError) {
            do { try fm.createDirectory(atPath: p, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
            catch { throw ClusterError("io_error", "cannot create \(p)") }
        }
        func identity(_ id: String, _ file: String) throws(ClusterError) -> Identity {
            do {
                let i = try Identity.generate(id: id, using: &rng)
                try i.save(to: file)
                return i
            } catch { throw ClusterError("io_error", "identity \(id): \(error.code)") }
        }
        try mkdir(dir)
        try mkdir(path("client"))
        try mkdir(coordinatorDir)
        try mkdir(path("coordinator/data"))
        let client = try identity("client", clientIdentity)
        let coordinator = try identity("coordinator", path("coordinator/identity.json"))
        var nodes: [PublicIdentity] = []
        for i in 1...n {
            let id = ClusterLayout.nodeId(i)
            try mkdir(nodeDir(id))
            nodes.append(try identity(id, path("\(id)/identity.json")).publicIdentity)
            try writePassphrase(path("\(id)/passphrase"), using: &rng)
            let config = NodeConfig(nodeId: id, natsURL: natsURL, dbPath: path("\(id)/db"), passphraseFile: path("\(id)/passphrase"),
                                    identityFile: path("\(id)/identity.json"), manifestPath: manifest, threshold: t)
            try ConfigFile.write(config, to: nodeConfig(id))
        }
        let m = ClusterManifest(threshold: t, nodes: nodes, coordinator: coordinator.publicIdentity,
                                clients: [client.publicIdentity], natsURL: natsURL)
        try m.validate()
        try writePassphrase(path("coordinator/passphrase"), using: &rng)
        try ConfigFile.write(CoordinatorConfig(natsURL: natsURL, identityFile: path("coordinator/identity.json"), manifestPath: manifest,
                                               dataDir: path("coordinator/data"), passphraseFile: path("coordinator/passphrase")),
                             to: coordinatorConfig)
        try JSONFile.write(m, to: manifest)
        return m
    }

    /// Points every file at a new NATS URL (used by `cluster up` after it picked a port).
    public func setNatsURL(_ url: String) throws(ClusterError) {
        var m = try ClusterManifest.load(path: manifest)
        m.natsURL = url
        try JSONFile.write(m, to: manifest)
        var c = try CoordinatorConfig.read(coordinatorConfig)
        c.natsURL = url
        try ConfigFile.write(c, to: coordinatorConfig)
        for node in m.nodes {
            var nc = try NodeConfig.read(nodeConfig(node.id))
            nc.natsURL = url
            try ConfigFile.write(nc, to: nodeConfig(node.id))
        }
    }

    /// A random store passphrase (32 bytes, hex), 0600; every copy of the secret is zeroized.
    private func writePassphrase(_ file: String, using rng: inout SystemRandom) throws(ClusterError) {
        var secret = rng.bytes(32)
        var text = Array(Hex.encode(secret).utf8)
        zeroize(&secret)
        let ok = FileManager.default.createFile(atPath: file, contents: Data(text), attributes: [.posixPermissions: 0o600])
        zeroize(&text)
        guard ok else { throw ClusterError("io_error", "cannot write \(file)") }
    }
}

/// Authorized request signers: the manifest's clients plus EVENT_INITIATOR_PUBKEY keys (named `initiator-<n>`).
public enum AuthorizedClients {
    public static func directory(_ m: ClusterManifest, extra: [String]?) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for c in m.clients { out[c.id] = c.signingKey }
        for (i, k) in (extra ?? []).enumerated() { if let b = Hex.decode(k), b.count == 32 { out["initiator-\(i + 1)"] = b } }
        return out
    }
}

/// A key directory from a dictionary.
public struct DictionaryKeyDirectory: SenderKeyDirectory {
    let keys: [String: [UInt8]]
    public init(_ keys: [String: [UInt8]]) { self.keys = keys }
    public func signingKey(for sender: String) async -> [UInt8]? { keys[sender] }
}

/// For checking an embedded, already replay-checked request: never refuses.
public struct NoReplayGuard: ReplayGuard {
    public init() {}
    public func recordFirstUse(sender: String, nonce: [UInt8], expiresAt: UInt64) async -> Bool { true }
}
