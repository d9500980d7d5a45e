import Foundation

/// Which discovery backend a process uses and how to reach it.
///
/// Backend choice: `discovery.backend` / `DISCOVERY_BACKEND` when given; otherwise `consul` when a Consul
/// address is configured (`consul.address` / `CONSUL_ADDRESS`); otherwise `nats` (JetStream KV over the
/// same NATS the node already talks to: a laptop needs nothing but nats-server).
/// Environment variables override configuration-file values; empty values count as unset.
public struct DiscoveryConfiguration: Sendable, Equatable {
    public enum Backend: String, Sendable, CaseIterable { case nats, consul }

    /// One setting: its configuration-file key and its environment variable.
    public struct Field: Sendable, Equatable {
        public let fileKey: String
        public let environmentVariable: String
        public var name: String { "\(fileKey) (\(environmentVariable))" }
    }

    public static let backendField = Field(fileKey: "discovery.backend", environmentVariable: "DISCOVERY_BACKEND")
    public static let natsURLField = Field(fileKey: "nats.url", environmentVariable: "NATS_URL")
    public static let consulAddressField = Field(fileKey: "consul.address", environmentVariable: "CONSUL_ADDRESS")
    public static let consulTokenField = Field(fileKey: "consul.token", environmentVariable: "CONSUL_HTTP_TOKEN")
    public static let bucketField = Field(fileKey: "discovery.bucket", environmentVariable: "DISCOVERY_BUCKET")
    public static let maxAgeField = Field(fileKey: "discovery.max_age_seconds", environmentVariable: "DISCOVERY_MAX_AGE_SECONDS")
    public static let defaultNatsURL = "nats://127.0.0.1:4222"

    public var backend: Backend
    /// One URL or a comma-separated list (cluster seeds).
    public var natsURL: String
    public var consulAddress: String?
    public var consulToken: String?
    public var bucket: String
    public var maxAge: Duration

    public init(backend: Backend = .nats, natsURL: String = defaultNatsURL, consulAddress: String? = nil,
                consulToken: String? = nil, bucket: String = NatsDiscovery.defaultBucket,
                maxAge: Duration = NatsDiscovery.defaultMaxAge) {
        self.backend = backend; self.natsURL = natsURL; self.consulAddress = consulAddress
        self.consulToken = consulToken; self.bucket = bucket; self.maxAge = maxAge
    }

    /// The NATS server URLs, trimmed.
    public var natsServers: [String] {
        natsURL.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Reads flat `file` values (dotted keys as in the node's configuration file) and the environment,
    /// and validates. Errors name the exact key or variable the bad value came from.
    public static func resolve(file: [String: String] = [:],
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws(DiscoveryError) -> DiscoveryConfiguration {
        func lookup(_ field: Field) -> (value: String, source: String)? {
            for (value, source) in [(environment[field.environmentVariable], field.environmentVariable),
                                    (file[field.fileKey], field.fileKey)] {
                if let v = value?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty { return (v, source) }
            }
            return nil
        }
        var config = DiscoveryConfiguration()
        if let (v, source) = lookup(natsURLField) {
            try validateNatsURL(v, name: source)
            config.natsURL = v
        }
        if let (v, source) = lookup(consulAddressField) {
            try validateConsulAddress(v, name: source)
            config.consulAddress = v
        }
        config.consulToken = lookup(consulTokenField)?.value
        if let (v, source) = lookup(bucketField) {
            try validateBucket(v, name: source)
            config.bucket = v
        }
        if let (v, source) = lookup(maxAgeField) {
            guard let s = Int(v), (1...3600).contains(s) else {
                throw .invalidConfiguration("\(source): '\(v)' is not a whole number of seconds in 1...3600")
            }
            config.maxAge = .seconds(s)
        }
        if let (v, source) = lookup(backendField) {
            guard let b = Backend(rawValue: v.lowercased()) else {
                throw .invalidConfiguration("\(source): '\(v)' is not one of \(Backend.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            config.backend = b
        } else {
            config.backend = config.consulAddress == nil ? .nats : .consul
        }
        try config.validate()
        return config
    }

    /// Checks every field the chosen backend uses; the error names the field.
    public func validate() throws(DiscoveryError) {
        switch backend {
        case .nats:
            try Self.validateNatsURL(natsURL, name: Self.natsURLField.name)
            try Self.validateBucket(bucket, name: Self.bucketField.name)
            guard maxAge >= .seconds(1), maxAge <= .seconds(3600) else {
                throw .invalidConfiguration("\(Self.maxAgeField.name): \(maxAge) is outside 1...3600 seconds")
            }
        case .consul:
            guard let consulAddress, !consulAddress.isEmpty else {
                throw .invalidConfiguration("\(Self.consulAddressField.name) is required when \(Self.backendField.fileKey) is consul")
            }
            try Self.validateConsulAddress(consulAddress, name: Self.consulAddressField.name)
        }
    }

    static func validateNatsURL(_ value: String, name: String) throws(DiscoveryError) {
        let urls = value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        for url in urls {
            let hostPort = url.split(separator: "://", maxSplits: 1).last.map(String.init) ?? ""
            let schemeOK = !url.contains("://") || ["nats", "tls", "ws", "wss"].contains(where: { url.lowercased().hasPrefix($0 + "://") })
            guard !url.isEmpty, schemeOK, !hostPort.isEmpty, !url.contains(where: { $0.isWhitespace }) else {
                throw .invalidConfiguration("\(name): '\(value)' is not a NATS URL (nats://host:port, tls://..., comma-separated)")
            }
        }
    }

    static func validateConsulAddress(_ value: String, name: String) throws(DiscoveryError) {
        do throws(DiscoveryError) { _ = try ConsulDiscovery(address: value) } catch {
            throw .invalidConfiguration("\(name): '\(value)' is not host:port or an http(s) URL")
        }
    }

    static func validateBucket(_ value: String, name: String) throws(DiscoveryError) {
        let ok = !value.isEmpty && value.utf8.count <= 64 && value.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
        guard ok else { throw .invalidConfiguration("\(name): '\(value)' is not a bucket name (A-Z a-z 0-9 - _, at most 64)") }
    }
}
