import Discovery
import Foundation

/// One node's configuration file: YAML (`config.yaml`, what `mpc cluster init` writes) or JSON (`.json`).
/// Environment variables override the file (see `applyEnvironment`); validation errors name the field.
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
    /// Discovery backend: "nats" (JetStream KV, the default) or "consul" (the default when consulAddress is set).
    public var discovery: String?
    public var consulAddress: String?
    public var consulToken: String?
    /// The node's registration lives this long without a heartbeat (heartbeats every third of it). Default 6.
    public var discoveryTTLSeconds: Int?
    /// On SIGTERM, running sessions get this long to finish before they are aborted. Default 5.
    public var shutdownGraceSeconds: Int?
    /// Extra authorized client Ed25519 keys (hex), e.g. from EVENT_INITIATOR_PUBKEY.
    public var eventInitiatorPubkeys: [String]?
    /// Threshold ECDSA (CGGMP21) settings; see `ECDSANodeSettings`.
    public var ecdsa: ECDSANodeSettings?

    public init(nodeId: String, natsURL: String, dbPath: String, passphraseFile: String, identityFile: String,
                manifestPath: String, threshold: Int? = nil, maxConcurrentKeygen: Int = 2, maxConcurrentSigning: Int = 64,
                sessionTimeoutSeconds: Int = 30, kdf: String = "interactive", consulAddress: String? = nil,
                eventInitiatorPubkeys: [String]? = nil) {
        self.nodeId = nodeId; self.natsURL = natsURL; self.dbPath = dbPath; self.passphraseFile = passphraseFile
        self.identityFile = identityFile; self.manifestPath = manifestPath; self.threshold = threshold
        self.maxConcurrentKeygen = maxConcurrentKeygen; self.maxConcurrentSigning = maxConcurrentSigning
        self.sessionTimeoutSeconds = sessionTimeoutSeconds; self.kdf = kdf; self.consulAddress = consulAddress
        self.eventInitiatorPubkeys = eventInitiatorPubkeys
    }

    static let fieldNames = ConfigFile.keys(of: NodeConfig(nodeId: "", natsURL: "", dbPath: "", passphraseFile: "", identityFile: "", manifestPath: ""))

    public var ttl: Duration { .seconds(discoveryTTLSeconds ?? 6) }
    public var shutdownGrace: Duration { .seconds(shutdownGraceSeconds ?? 5) }

    /// Reads, applies the environment, validates.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ClusterError) -> NodeConfig {
        var c = try read(path)
        try c.applyEnvironment(environment)
        try c.validate(environment: environment)
        return c
    }

    /// The file alone (no environment, no validation).
    public static func read(_ path: String) throws(ClusterError) -> NodeConfig { try ConfigFile.read(path, knownKeys: fieldNames) }

    /// NODE_ID, NATS_URL, DB_PATH, MPC_THRESHOLD, MAX_CONCURRENT_KEYGEN, MAX_CONCURRENT_SIGNING,
    /// EVENT_INITIATOR_PUBKEY (comma-separated hex), CONSUL_ADDRESS, CONSUL_HTTP_TOKEN, DISCOVERY_BACKEND.
    /// Empty values count as unset.
    public mutating func applyEnvironment(_ environment: [String: String]) throws(ClusterError) {
        let env = EnvironmentOverrides(environment)
        if let v = env.string("NODE_ID") { nodeId = v }
        if let v = env.string("DB_PATH") { dbPath = v }
        if let v = try env.int("MPC_THRESHOLD") { threshold = v }
        if let v = try env.int("MAX_CONCURRENT_KEYGEN") { maxConcurrentKeygen = v }
        if let v = try env.int("MAX_CONCURRENT_SIGNING") { maxConcurrentSigning = v }
        env.applyShared(natsURL: &natsURL, eventInitiatorPubkeys: &eventInitiatorPubkeys, discovery: &discovery,
                        consulAddress: &consulAddress, consulToken: &consulToken)
    }

    public func validate(environment: [String: String] = [:]) throws(ClusterError) {
        func bad(_ field: String, _ why: String) -> ClusterError { ClusterError("config_invalid", "\(field): \(why)") }
        guard !nodeId.isEmpty else { throw bad("nodeId", "empty") }
        try ConfigChecks.natsURL(natsURL)
        guard !dbPath.isEmpty else { throw bad("dbPath", "empty") }
        guard !passphraseFile.isEmpty else { throw bad("passphraseFile", "empty") }
        guard !identityFile.isEmpty else { throw bad("identityFile", "empty") }
        guard !manifestPath.isEmpty else { throw bad("manifestPath", "empty") }
        if let t = threshold, t < 1 { throw bad("threshold", "must be at least 1") }
        guard (1...64).contains(maxConcurrentKeygen) else { throw bad("maxConcurrentKeygen", "must be in 1...64") }
        guard (1...1024).contains(maxConcurrentSigning) else { throw bad("maxConcurrentSigning", "must be in 1...1024") }
        guard (1...3600).contains(sessionTimeoutSeconds) else { throw bad("sessionTimeoutSeconds", "must be in 1...3600") }
        guard kdf == "interactive" || kdf == "moderate" else { throw bad("kdf", "interactive or moderate") }
        if let s = discoveryTTLSeconds, !(2...30).contains(s) { throw bad("discoveryTTLSeconds", "must be in 2...30") }
        if let s = shutdownGraceSeconds, !(0...300).contains(s) { throw bad("shutdownGraceSeconds", "must be in 0...300") }
        try ConfigChecks.initiatorKeys(eventInitiatorPubkeys)
        _ = try discoveryConfiguration(environment: environment)
        try ecdsa?.validate()
    }

    /// The discovery backend this node registers with.
    public func discoveryConfiguration(environment: [String: String] = [:]) throws(ClusterError) -> DiscoveryConfiguration {
        try ConfigChecks.discovery(backend: discovery, natsURL: natsURL, consulAddress: consulAddress, consulToken: consulToken,
                                   environment: environment)
    }
}

/// The coordinator's configuration file (YAML or JSON, as for nodes). Environment: NATS_URL, MPC_THRESHOLD
/// (must equal the manifest's), EVENT_INITIATOR_PUBKEY, CONSUL_ADDRESS, CONSUL_HTTP_TOKEN, DISCOVERY_BACKEND.
public struct CoordinatorConfig: Codable, Sendable, Equatable {
    public var natsURL: String
    public var identityFile: String
    public var manifestPath: String
    public var dataDir: String
    /// The coordinator's own LMDB store (the client requests' replay cache); sealed under this passphrase.
    public var passphraseFile: String
    /// Default `<dataDir>/db`.
    public var dbPath: String?
    public var kdf: String?
    public var threshold: Int?
    public var sessionTimeoutSeconds: Int
    /// Attempts with different signer sets before a sign request fails.
    public var maxSignAttempts: Int
    public var eventInitiatorPubkeys: [String]?
    /// Signing sessions the coordinator runs at once; more requests wait for a slot. Default 16, the nodes'
    /// default `maxConcurrentSigning`, so a node is never asked for more sessions than it admits.
    public var maxConcurrentSigning: Int?
    public var discovery: String?
    public var consulAddress: String?
    public var consulToken: String?
    /// Threshold ECDSA: presignatures the coordinator keeps ready per wallet (for one signer set); default 4, 0 = none.
    public var presignPoolTarget: Int?

    public init(natsURL: String, identityFile: String, manifestPath: String, dataDir: String, passphraseFile: String,
                sessionTimeoutSeconds: Int = 20, maxSignAttempts: Int = 3, eventInitiatorPubkeys: [String]? = nil) {
        self.natsURL = natsURL; self.identityFile = identityFile; self.manifestPath = manifestPath; self.dataDir = dataDir
        self.passphraseFile = passphraseFile
        self.sessionTimeoutSeconds = sessionTimeoutSeconds; self.maxSignAttempts = maxSignAttempts
        self.eventInitiatorPubkeys = eventInitiatorPubkeys
    }

    static let fieldNames = ConfigFile.keys(of: CoordinatorConfig(natsURL: "", identityFile: "", manifestPath: "", dataDir: "", passphraseFile: ""))

    public var storePath: String { dbPath ?? (dataDir as NSString).appendingPathComponent("db") }

    public static func read(_ path: String) throws(ClusterError) -> CoordinatorConfig { try ConfigFile.read(path, knownKeys: fieldNames) }

    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ClusterError) -> CoordinatorConfig {
        var c = try read(path)
        try c.applyEnvironment(environment)
        try c.validate(environment: environment)
        return c
    }

    public mutating func applyEnvironment(_ environment: [String: String]) throws(ClusterError) {
        let env = EnvironmentOverrides(environment)
        if let v = try env.int("MPC_THRESHOLD") { threshold = v }
        env.applyShared(natsURL: &natsURL, eventInitiatorPubkeys: &eventInitiatorPubkeys, discovery: &discovery,
                        consulAddress: &consulAddress, consulToken: &consulToken)
    }

    public func validate(environment: [String: String] = [:]) throws(ClusterError) {
        func bad(_ field: String, _ why: String) -> ClusterError { ClusterError("config_invalid", "\(field): \(why)") }
        try ConfigChecks.natsURL(natsURL)
        guard !dataDir.isEmpty else { throw bad("dataDir", "empty") }
        guard !passphraseFile.isEmpty else { throw bad("passphraseFile", "empty") }
        if let k = kdf, k != "interactive", k != "moderate" { throw bad("kdf", "interactive or moderate") }
        if let t = threshold, t < 1 { throw bad("threshold", "must be at least 1") }
        guard (1...3600).contains(sessionTimeoutSeconds) else { throw bad("sessionTimeoutSeconds", "must be in 1...3600") }
        guard (1...16).contains(maxSignAttempts) else { throw bad("maxSignAttempts", "must be in 1...16") }
        if let m = maxConcurrentSigning, !(1...1024).contains(m) { throw bad("maxConcurrentSigning", "must be in 1...1024") }
        if let p = presignPoolTarget, !(0...64).contains(p) { throw bad("presignPoolTarget", "must be in 0...64") }
        try ConfigChecks.initiatorKeys(eventInitiatorPubkeys)
        _ = try discoveryConfiguration(environment: environment)
    }

    public func discoveryConfiguration(environment: [String: String] = [:]) throws(ClusterError) -> DiscoveryConfiguration {
        try ConfigChecks.discovery(backend: discovery, natsURL: natsURL, consulAddress: consulAddress, consulToken: consulToken,
                                   environment: environment)
    }
}
