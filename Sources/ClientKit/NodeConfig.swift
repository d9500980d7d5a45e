import Foundation

/// One node's configuration file (JSON). Environment variables override: NATS_URL, DB_PATH,
/// MPC_THRESHOLD, MAX_CONCURRENT_KEYGEN, EVENT_INITIATOR_PUBKEY, CONSUL_ADDRESS.
public struct NodeConfig: Codable, Sendable, Equatable {
    public var nodeId: String
    public var natsURL: String
    public var dbPath: String
    public var passphraseFile: String
    public var identityFile: String
    public var manifestPath: String
    public var threshold: Int?
    public var maxConcurrentKeygen: Int
    public var maxConcurrentSigning: Int
    public var sessionTimeoutSeconds: Int
    /// "interactive" or "moderate" (Argon2id cost when the store is created).
    public var kdf: String
    public var consulAddress: String?
    /// Extra authorized client Ed25519 keys (hex), e.g. from EVENT_INITIATOR_PUBKEY.
    public var eventInitiatorPubkeys: [String]?
    /// Threshold ECDSA (CGGMP21) settings; see `ECDSANodeSettings`.
    public var ecdsa: ECDSANodeSettings?

    public init(nodeId: String, natsURL: String, dbPath: String, passphraseFile: String, identityFile: String,
                manifestPath: String, threshold: Int? = nil, maxConcurrentKeygen: Int = 2, maxConcurrentSigning: Int = 16,
                sessionTimeoutSeconds: Int = 30, kdf: String = "interactive", consulAddress: String? = nil,
                eventInitiatorPubkeys: [String]? = nil) {
        self.nodeId = nodeId; self.natsURL = natsURL; self.dbPath = dbPath; self.passphraseFile = passphraseFile
        self.identityFile = identityFile; self.manifestPath = manifestPath; self.threshold = threshold
        self.maxConcurrentKeygen = maxConcurrentKeygen; self.maxConcurrentSigning = maxConcurrentSigning
        self.sessionTimeoutSeconds = sessionTimeoutSeconds; self.kdf = kdf; self.consulAddress = consulAddress
        self.eventInitiatorPubkeys = eventInitiatorPubkeys
    }

    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ClusterError) -> NodeConfig {
        var c: NodeConfig = try JSONFile.read(path)
        try c.applyEnvironment(environment)
        try c.validate()
        return c
    }

    public mutating func applyEnvironment(_ env: [String: String]) throws(ClusterError) {
        if let v = env["NATS_URL"] { natsURL = v }
        if let v = env["DB_PATH"] { dbPath = v }
        if let v = env["MPC_THRESHOLD"] {
            guard let t = Int(v) else { throw ClusterError("config_invalid", "MPC_THRESHOLD: not an integer") }
            threshold = t
        }
        if let v = env["MAX_CONCURRENT_KEYGEN"] {
            guard let n = Int(v) else { throw ClusterError("config_invalid", "MAX_CONCURRENT_KEYGEN: not an integer") }
            maxConcurrentKeygen = n
        }
        if let v = env["EVENT_INITIATOR_PUBKEY"] {
            eventInitiatorPubkeys = v.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        if let v = env["CONSUL_ADDRESS"] { consulAddress = v }
    }

    public func validate() throws(ClusterError) {
        func bad(_ field: String, _ why: String) -> ClusterError { ClusterError("config_invalid", "\(field): \(why)") }
        guard !nodeId.isEmpty else { throw bad("nodeId", "empty") }
        guard natsURL.hasPrefix("nats://") || natsURL.hasPrefix("tls://") else { throw bad("natsURL", "must start with nats:// or tls://") }
        guard !dbPath.isEmpty else { throw bad("dbPath", "empty") }
        guard !passphraseFile.isEmpty else { throw bad("passphraseFile", "empty") }
        guard !identityFile.isEmpty else { throw bad("identityFile", "empty") }
        guard !manifestPath.isEmpty else { throw bad("manifestPath", "empty") }
        if let t = threshold, t < 1 { throw bad("threshold", "must be at least 1") }
        guard (1...64).contains(maxConcurrentKeygen) else { throw bad("maxConcurrentKeygen", "must be in 1...64") }
        guard (1...1024).contains(maxConcurrentSigning) else { throw bad("maxConcurrentSigning", "must be in 1...1024") }
        guard (1...3600).contains(sessionTimeoutSeconds) else { throw bad("sessionTimeoutSeconds", "must be in 1...3600") }
        guard kdf == "interactive" || kdf == "moderate" else { throw bad("kdf", "interactive or moderate") }
        for k in eventInitiatorPubkeys ?? [] where k.count != 64 || k.contains(where: { !$0.isHexDigit }) {
            throw bad("eventInitiatorPubkeys", "not a 32-byte hex key")
        }
        try ecdsa?.validate()
    }
}

/// The coordinator's configuration file (JSON); NATS_URL and EVENT_INITIATOR_PUBKEY override.
public struct CoordinatorConfig: Codable, Sendable, Equatable {
    public var natsURL: String
    public var identityFile: String
    public var manifestPath: String
    public var dataDir: String
    public var sessionTimeoutSeconds: Int
    /// Attempts with different signer sets before a sign request fails.
    public var maxSignAttempts: Int
    public var eventInitiatorPubkeys: [String]?
    /// Signing sessions the coordinator runs at once; more requests wait for a slot. Default 16, the nodes'
    /// default `maxConcurrentSigning`, so a node is never asked for more sessions than it admits.
    public var maxConcurrentSigning: Int?
    /// Threshold ECDSA: presignatures the coordinator keeps ready per wallet (for one signer set); default 4, 0 = none.
    public var presignPoolTarget: Int?

    public init(natsURL: String, identityFile: String, manifestPath: String, dataDir: String,
                sessionTimeoutSeconds: Int = 20, maxSignAttempts: Int = 3, eventInitiatorPubkeys: [String]? = nil) {
        self.natsURL = natsURL; self.identityFile = identityFile; self.manifestPath = manifestPath; self.dataDir = dataDir
        self.sessionTimeoutSeconds = sessionTimeoutSeconds; self.maxSignAttempts = maxSignAttempts
        self.eventInitiatorPubkeys = eventInitiatorPubkeys
    }

    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ClusterError) -> CoordinatorConfig {
        var c: CoordinatorConfig = try JSONFile.read(path)
        if let v = environment["NATS_URL"] { c.natsURL = v }
        if let v = environment["EVENT_INITIATOR_PUBKEY"] {
            c.eventInitiatorPubkeys = v.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        guard c.natsURL.hasPrefix("nats://") || c.natsURL.hasPrefix("tls://") else {
            throw ClusterError("config_invalid", "natsURL: must start with nats:// or tls://")
        }
        guard (1...3600).contains(c.sessionTimeoutSeconds) else { throw ClusterError("config_invalid", "sessionTimeoutSeconds: must be in 1...3600") }
        guard (1...16).contains(c.maxSignAttempts) else { throw ClusterError("config_invalid", "maxSignAttempts: must be in 1...16") }
        if let m = c.maxConcurrentSigning, !(1...1024).contains(m) { throw ClusterError("config_invalid", "maxConcurrentSigning: must be in 1...1024") }
        if let p = c.presignPoolTarget, !(0...64).contains(p) { throw ClusterError("config_invalid", "presignPoolTarget: must be in 0...64") }
        return c
    }
}
