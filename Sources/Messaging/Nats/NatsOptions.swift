internal import CNats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How to connect to NATS. Defaults suit a long-running node: reconnect forever.
public struct NatsOptions: Sendable, CustomStringConvertible {
    public enum Credentials: Sendable, CustomStringConvertible {
        case none
        case userPassword(user: String, password: String)
        case token(String)
        /// A `.creds` file (JWT + NKey seed), optionally with the seed in a separate file.
        case credsFile(path: String, seedFile: String? = nil)

        public var description: String {
            switch self {
            case .none: return "none"
            case let .userPassword(user, _): return "user(\(user), password: <redacted>)"
            case .token: return "token(<redacted>)"
            case let .credsFile(path, seed): return "creds(\(path)\(seed.map { ", seed: \($0)" } ?? ""))"
            }
        }
    }

    public struct TLS: Sendable {
        public var caFile: String?
        public var certificateFile: String?
        public var keyFile: String?
        public var expectedHostname: String?
        /// Disables server certificate verification. Only for tests; must be set explicitly.
        public var skipServerVerification: Bool

        public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil,
                    expectedHostname: String? = nil, skipServerVerification: Bool = false) {
            self.caFile = caFile; self.certificateFile = certificateFile; self.keyFile = keyFile
            self.expectedHostname = expectedHostname; self.skipServerVerification = skipServerVerification
        }
    }

    public var servers: [String]
    public var name: String?
    /// -1: reconnect forever.
    public var maxReconnect: Int
    public var reconnectWait: Duration
    /// Bytes of publishes buffered while reconnecting; beyond that, publish fails.
    public var reconnectBufferBytes: Int
    public var pingInterval: Duration
    public var maxPingsOut: Int
    public var connectTimeout: Duration
    /// Keep retrying the first connection in the background instead of failing `connect`.
    public var retryOnFailedConnect: Bool
    public var credentials: Credentials
    public var tls: TLS?
    /// cnats' own per-subscription pending limit (messages) before it reports a slow consumer.
    public var maxPendingMessages: Int
    /// Write each publish to the socket at once (cnats `SendAsap`) instead of waking cnats' flusher thread to
    /// batch it: our messages are small and on the signing path, where a thread switch per publish costs more
    /// than the batching saves.
    public var sendImmediately: Bool

    public init(servers: [String], name: String? = nil, maxReconnect: Int = -1,
                reconnectWait: Duration = .seconds(2), reconnectBufferBytes: Int = 8 * 1024 * 1024,
                pingInterval: Duration = .seconds(20), maxPingsOut: Int = 2,
                connectTimeout: Duration = .seconds(2), retryOnFailedConnect: Bool = false,
                credentials: Credentials = .none, tls: TLS? = nil, maxPendingMessages: Int = 65536, sendImmediately: Bool = true) {
        self.servers = servers; self.name = name; self.maxReconnect = maxReconnect
        self.reconnectWait = reconnectWait; self.reconnectBufferBytes = reconnectBufferBytes
        self.pingInterval = pingInterval; self.maxPingsOut = maxPingsOut; self.connectTimeout = connectTimeout
        self.retryOnFailedConnect = retryOnFailedConnect; self.credentials = credentials; self.tls = tls
        self.maxPendingMessages = maxPendingMessages; self.sendImmediately = sendImmediately
    }

    public var description: String {
        "NatsOptions(servers: \(servers), name: \(name ?? "-"), credentials: \(credentials), tls: \(tls != nil))"
    }
}

/// Owns a `natsOptions*` for the duration of a connect call (cnats clones it into the connection).
final class COptions {
    let handle: OpaquePointer

    init() throws(MessagingError) {
        var p: OpaquePointer?
        try NatsStatus.check(natsOptions_Create(&p), "natsOptions_Create")
        guard let p else { throw .nats(operation: "natsOptions_Create", status: "NATS_NO_MEMORY", detail: "null options") }
        handle = p
    }

    deinit { natsOptions_Destroy(handle) }

    /// Applies everything except the callbacks (and retry-on-failed-connect, which takes one).
    func apply(_ o: NatsOptions) throws(MessagingError) {
        guard !o.servers.isEmpty else { throw .invalidArgument("no NATS server URL") }
        let urls = try o.servers.map { (s) throws(MessagingError) in try CString.validated(s, what: "server URL") }
        var cStrings = urls.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        let s = cStrings.withUnsafeMutableBufferPointer { buf in
            buf.withMemoryRebound(to: UnsafePointer<CChar>?.self) { natsOptions_SetServers(handle, $0.baseAddress, Int32($0.count)) }
        }
        try NatsStatus.check(s, "natsOptions_SetServers")
        if let name = o.name {
            try NatsStatus.check(natsOptions_SetName(handle, try CString.validated(name, what: "connection name")), "natsOptions_SetName")
        }
        try NatsStatus.check(natsOptions_SetAllowReconnect(handle, true), "natsOptions_SetAllowReconnect")
        try NatsStatus.check(natsOptions_SetMaxReconnect(handle, Int32(clamping: o.maxReconnect)), "natsOptions_SetMaxReconnect")
        try NatsStatus.check(natsOptions_SetReconnectWait(handle, o.reconnectWait.milliseconds), "natsOptions_SetReconnectWait")
        try NatsStatus.check(natsOptions_SetReconnectBufSize(handle, Int32(clamping: o.reconnectBufferBytes)), "natsOptions_SetReconnectBufSize")
        try NatsStatus.check(natsOptions_SetPingInterval(handle, o.pingInterval.milliseconds), "natsOptions_SetPingInterval")
        try NatsStatus.check(natsOptions_SetMaxPingsOut(handle, Int32(clamping: o.maxPingsOut)), "natsOptions_SetMaxPingsOut")
        try NatsStatus.check(natsOptions_SetTimeout(handle, o.connectTimeout.milliseconds), "natsOptions_SetTimeout")
        try NatsStatus.check(natsOptions_SetMaxPendingMsgs(handle, Int32(clamping: o.maxPendingMessages)), "natsOptions_SetMaxPendingMsgs")
        try NatsStatus.check(natsOptions_SetSendAsap(handle, o.sendImmediately), "natsOptions_SetSendAsap")
        switch o.credentials {
        case .none: break
        case let .userPassword(user, password):
            try NatsStatus.check(natsOptions_SetUserInfo(handle, try CString.validated(user, what: "user"),
                                                         try CString.validated(password, what: "password", allowEmpty: true)),
                                 "natsOptions_SetUserInfo")
        case let .token(token):
            try NatsStatus.check(natsOptions_SetToken(handle, try CString.validated(token, what: "token")), "natsOptions_SetToken")
        case let .credsFile(path, seedFile):
            let p = try CString.validated(path, what: "creds file")
            let st: natsStatus
            if let seedFile { st = natsOptions_SetUserCredentialsFromFiles(handle, p, try CString.validated(seedFile, what: "seed file")) }
            else { st = natsOptions_SetUserCredentialsFromFiles(handle, p, nil) }
            try NatsStatus.check(st, "natsOptions_SetUserCredentialsFromFiles")
        }
        if let tls = o.tls {
            try NatsStatus.check(natsOptions_SetSecure(handle, true), "natsOptions_SetSecure")
            if let ca = tls.caFile {
                try NatsStatus.check(natsOptions_LoadCATrustedCertificates(handle, try CString.validated(ca, what: "CA file")),
                                     "natsOptions_LoadCATrustedCertificates")
            }
            switch (tls.certificateFile, tls.keyFile) {
            case let (cert?, key?):
                try NatsStatus.check(natsOptions_LoadCertificatesChain(handle, try CString.validated(cert, what: "cert file"),
                                                                       try CString.validated(key, what: "key file")),
                                     "natsOptions_LoadCertificatesChain")
            case (nil, nil): break
            default: throw .invalidArgument("TLS client certificate and key must be given together")
            }
            if let host = tls.expectedHostname {
                try NatsStatus.check(natsOptions_SetExpectedHostname(handle, try CString.validated(host, what: "hostname")),
                                     "natsOptions_SetExpectedHostname")
            }
            if tls.skipServerVerification {
                try NatsStatus.check(natsOptions_SkipServerVerification(handle, true), "natsOptions_SkipServerVerification")
            }
        }
    }
}
