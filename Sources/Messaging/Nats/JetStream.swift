import Foundation
internal import CNats
#if canImport(Glibc)
import Glibc
#endif

/// A JetStream stream definition: what must not be lost.
public struct StreamConfig: Sendable, Equatable {
    public enum Storage: Sendable { case file, memory }
    public var name: String
    public var subjects: [String]
    public var storage: Storage
    /// Messages older than this are removed (nil: kept until other limits).
    public var maxAge: Duration?
    /// Window in which a repeated `Nats-Msg-Id` is recognised as a duplicate.
    public var duplicateWindow: Duration
    public var maxMessages: Int64?
    public var maxBytes: Int64?

    public init(name: String, subjects: [String], storage: Storage = .file, maxAge: Duration? = nil,
                duplicateWindow: Duration = .seconds(120), maxMessages: Int64? = nil, maxBytes: Int64? = nil) {
        self.name = name; self.subjects = subjects; self.storage = storage; self.maxAge = maxAge
        self.duplicateWindow = duplicateWindow; self.maxMessages = maxMessages; self.maxBytes = maxBytes
    }
}

/// The server's acknowledgement of a durable publish.
public struct PubAck: Sendable, Equatable {
    public var stream: String
    public var sequence: UInt64
    /// True when the server already had a message with this msgId inside the duplicate window:
    /// nothing new was stored.
    public var duplicate: Bool
}

extension PubAck {
    /// The server's answer to a JetStream publish: `{"stream":..,"seq":..,"duplicate":..}` or `{"error":{..}}`.
    static func parse(_ data: [UInt8], operation: String) throws(MessagingError) -> PubAck {
        struct Body: Decodable {
            struct Failure: Decodable { var code: Int?; var err_code: Int?; var description: String? }
            var stream: String?
            var seq: UInt64?
            var duplicate: Bool?
            var error: Failure?
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(data)) else {
            throw .jetStream(operation: operation, status: "NATS_ERR", jsErrorCode: 0, detail: "unreadable ack")
        }
        if let e = body.error {
            throw .jetStream(operation: operation, status: "NATS_ERR", jsErrorCode: e.err_code ?? 0,
                             detail: "\(e.code ?? 0): \(e.description ?? "")")
        }
        guard let stream = body.stream, let seq = body.seq else {
            throw .jetStream(operation: operation, status: "NATS_ERR", jsErrorCode: 0, detail: "ack without stream or sequence")
        }
        return PubAck(stream: stream, sequence: seq, duplicate: body.duplicate ?? false)
    }
}

/// A JetStream context over a connection. Owns the `jsCtx*`.
public final class JetStream: @unchecked Sendable {
    let handle: OpaquePointer
    public let connection: NatsConnection
    let apiTimeout: Duration

    public init(connection: NatsConnection, apiTimeout: Duration = .seconds(5)) throws(MessagingError) {
        var opts = jsOptions()
        _ = jsOptions_Init(&opts)
        opts.Wait = apiTimeout.milliseconds
        var js: OpaquePointer?
        try NatsStatus.check(natsConnection_JetStream(&js, connection.handle, &opts), "natsConnection_JetStream")
        guard let js else { throw .nats(operation: "natsConnection_JetStream", status: "NATS_ERR", detail: "null context") }
        handle = js; self.connection = connection; self.apiTimeout = apiTimeout
    }

    deinit { jsCtx_Destroy(handle) }

    /// Creates the stream, or updates it to `config` if it exists with other settings.
    public func ensureStream(_ config: StreamConfig) async throws(MessagingError) {
        let name = try CString.validated(config.name, what: "stream name")
        let subjects = try config.subjects.map { (s) throws(MessagingError) in try CString.validated(s, what: "stream subject") }
        let h = SendableHandle(handle)
        try await Blocking.run { () throws(MessagingError) in
            var cfg = jsStreamConfig()
            _ = jsStreamConfig_Init(&cfg)
            cfg.Storage = config.storage == .file ? js_FileStorage : js_MemoryStorage
            cfg.MaxAge = config.maxAge?.nanoseconds ?? 0
            cfg.Duplicates = config.duplicateWindow.nanoseconds
            if let m = config.maxMessages { cfg.MaxMsgs = m }
            if let b = config.maxBytes { cfg.MaxBytes = b }
            let (s, err): (natsStatus, jsErrCode) = name.withCString { cName in
                cfg.Name = cName
                var cSubjects: [UnsafeMutablePointer<CChar>?] = subjects.map { strdup($0) }
                defer { cSubjects.forEach { free($0) } }
                return cSubjects.withUnsafeMutableBufferPointer { buf in
                    buf.withMemoryRebound(to: UnsafePointer<CChar>?.self) { subs in
                        cfg.Subjects = UnsafeMutablePointer(mutating: subs.baseAddress)
                        cfg.SubjectsLen = Int32(subs.count)
                        var err = jsErrCode(0)
                        var info: UnsafeMutablePointer<jsStreamInfo>?
                        var s = js_AddStream(&info, h.pointer, &cfg, nil, &err)
                        if info != nil { jsStreamInfo_Destroy(info); info = nil }
                        if s != NATS_OK && err == JSStreamNameExistErr {
                            err = jsErrCode(0)
                            s = js_UpdateStream(&info, h.pointer, &cfg, nil, &err)
                            if info != nil { jsStreamInfo_Destroy(info) }
                        }
                        return (s, err)
                    }
                }
            }
            if s != NATS_OK { throw NatsStatus.jsError(s, err, "ensureStream \(config.name)") }
        }
        withExtendedLifetime(self) {}
    }

    /// Number of messages stored in `stream` now.
    public func messageCount(stream: String) async throws(MessagingError) -> UInt64 {
        let name = try CString.validated(stream, what: "stream name")
        let h = SendableHandle(handle)
        let n = try await Blocking.run { () throws(MessagingError) -> UInt64 in
            var info: UnsafeMutablePointer<jsStreamInfo>?
            var err = jsErrCode(0)
            let s = js_GetStreamInfo(&info, h.pointer, name, nil, &err)
            defer { if info != nil { jsStreamInfo_Destroy(info) } }
            guard s == NATS_OK, let info else { throw NatsStatus.jsError(s, err, "streamInfo \(stream)") }
            return info.pointee.State.Msgs
        }
        withExtendedLifetime(self) {}
        return n
    }

    public func deleteStream(_ stream: String) async throws(MessagingError) {
        let name = try CString.validated(stream, what: "stream name")
        let h = SendableHandle(handle)
        try await Blocking.run { () throws(MessagingError) in
            var err = jsErrCode(0)
            let s = js_DeleteStream(h.pointer, name, nil, &err)
            if s != NATS_OK { throw NatsStatus.jsError(s, err, "deleteStream \(stream)") }
        }
        withExtendedLifetime(self) {}
    }

    /// Publishes to a stream subject and waits for the server's PubAck. `msgId` (sent as
    /// `Nats-Msg-Id`) makes the publish idempotent inside the stream's duplicate window.
    public func publishDurable(subject: String, payload: [UInt8], msgId: String? = nil,
                               timeout: Duration? = nil) async throws(MessagingError) -> PubAck {
        let subj = try CString.validated(subject, what: "subject")
        let headers = try msgId.map { (m) throws(MessagingError) in ["Nats-Msg-Id": try CString.validated(m, what: "msgId")] }
        // A JetStream publish is a request to the stream's subject; the server answers the ack (or an error)
        // as JSON. Over the connection's request multiplexer it needs no thread of its own.
        let reply: NatsMessage
        do { reply = try await connection.request(subject: subj, payload: payload, headers: headers, timeout: timeout ?? apiTimeout) }
        catch {
            if case .noResponders = error {
                throw .jetStream(operation: "publishDurable \(subj)", status: "NATS_NO_RESPONDERS", jsErrorCode: 0, detail: "no stream listens on \(subj)")
            }
            throw error
        }
        return try PubAck.parse(reply.data, operation: "publishDurable \(subj)")
    }
}

func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) throws -> R) rethrows -> R {
    if let s { return try s.withCString { try body($0) } }
    return try body(nil)
}
