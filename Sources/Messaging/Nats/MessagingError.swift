internal import CNats

/// Transport failures of the NATS layer. Every case has a stable `code` for metrics and callers
/// that switch on strings (CLI JSON output); `detail` carries cnats' own status text.
public enum MessagingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A cnats call failed. `status` is cnats' `natsStatus` name (e.g. "NATS_IO_ERROR").
    case nats(operation: String, status: String, detail: String)
    /// A JetStream API call failed; `jsErrorCode` is the server's JetStream error code (0 if none).
    case jetStream(operation: String, status: String, jsErrorCode: Int, detail: String)
    /// The operation did not complete in time (request, flush, publish ack, fetch...).
    case timeout(operation: String)
    /// A request reached a subject nobody listens to (server status 503).
    case noResponders(subject: String)
    /// The connection is closed for good.
    case connectionClosed(operation: String)
    /// The caller passed something we refuse to send (empty subject, NUL in a string, oversized...).
    case invalidArgument(String)
    /// A key-value create/update expectation failed (key exists / was changed meanwhile).
    case revisionMismatch(key: String)
    /// The server refused our credentials.
    case authenticationFailed(detail: String)

    public var code: String {
        switch self {
        case .nats: return "nats_error"
        case .jetStream: return "jetstream_error"
        case .timeout: return "timeout"
        case .noResponders: return "no_responders"
        case .connectionClosed: return "connection_closed"
        case .invalidArgument: return "invalid_argument"
        case .authenticationFailed: return "auth_failed"
        case .revisionMismatch: return "revision_mismatch"
        }
    }

    public var description: String {
        switch self {
        case let .nats(op, status, detail): return "\(code): \(op) failed with \(status): \(detail)"
        case let .jetStream(op, status, js, detail): return "\(code): \(op) failed with \(status) (js \(js)): \(detail)"
        case let .timeout(op): return "\(code): \(op)"
        case let .noResponders(subject): return "\(code): \(subject)"
        case let .connectionClosed(op): return "\(code): \(op)"
        case let .invalidArgument(why): return "\(code): \(why)"
        case let .authenticationFailed(detail): return "\(code): \(detail)"
        case let .revisionMismatch(key): return "\(code): \(key)"
        }
    }
}

/// Mapping from cnats status codes. Must run on the thread that made the failing call, since
/// `nats_GetLastError` is thread-local.
enum NatsStatus {
    static func name(_ s: natsStatus) -> String {
        switch s {
        case NATS_OK: return "NATS_OK"
        case NATS_ERR: return "NATS_ERR"
        case NATS_PROTOCOL_ERROR: return "NATS_PROTOCOL_ERROR"
        case NATS_IO_ERROR: return "NATS_IO_ERROR"
        case NATS_CONNECTION_CLOSED: return "NATS_CONNECTION_CLOSED"
        case NATS_NO_SERVER: return "NATS_NO_SERVER"
        case NATS_STALE_CONNECTION: return "NATS_STALE_CONNECTION"
        case NATS_SECURE_CONNECTION_WANTED: return "NATS_SECURE_CONNECTION_WANTED"
        case NATS_SECURE_CONNECTION_REQUIRED: return "NATS_SECURE_CONNECTION_REQUIRED"
        case NATS_CONNECTION_DISCONNECTED: return "NATS_CONNECTION_DISCONNECTED"
        case NATS_CONNECTION_AUTH_FAILED: return "NATS_CONNECTION_AUTH_FAILED"
        case NATS_NOT_PERMITTED: return "NATS_NOT_PERMITTED"
        case NATS_NOT_FOUND: return "NATS_NOT_FOUND"
        case NATS_INVALID_SUBJECT: return "NATS_INVALID_SUBJECT"
        case NATS_INVALID_ARG: return "NATS_INVALID_ARG"
        case NATS_INVALID_SUBSCRIPTION: return "NATS_INVALID_SUBSCRIPTION"
        case NATS_INVALID_TIMEOUT: return "NATS_INVALID_TIMEOUT"
        case NATS_ILLEGAL_STATE: return "NATS_ILLEGAL_STATE"
        case NATS_SLOW_CONSUMER: return "NATS_SLOW_CONSUMER"
        case NATS_MAX_PAYLOAD: return "NATS_MAX_PAYLOAD"
        case NATS_INSUFFICIENT_BUFFER: return "NATS_INSUFFICIENT_BUFFER"
        case NATS_NO_MEMORY: return "NATS_NO_MEMORY"
        case NATS_TIMEOUT: return "NATS_TIMEOUT"
        case NATS_SSL_ERROR: return "NATS_SSL_ERROR"
        case NATS_NO_SERVER_SUPPORT: return "NATS_NO_SERVER_SUPPORT"
        case NATS_NOT_YET_CONNECTED: return "NATS_NOT_YET_CONNECTED"
        case NATS_DRAINING: return "NATS_DRAINING"
        case NATS_NO_RESPONDERS: return "NATS_NO_RESPONDERS"
        default: return "NATS_STATUS_\(s.rawValue)"
        }
    }

    /// cnats' text for the status plus the thread's last error detail, if any.
    static func detail(_ s: natsStatus) -> String {
        let base = natsStatus_GetText(s).map { String(cString: $0) } ?? "unknown"
        var last = NATS_OK
        if let text = nats_GetLastError(&last), last != NATS_OK {
            let t = String(cString: text)
            if !t.isEmpty && t != base { return "\(base): \(t)" }
        }
        return base
    }

    /// Throws the typed error for a failed status.
    static func check(_ s: natsStatus, _ operation: @autoclosure () -> String, subject: String? = nil) throws(MessagingError) {
        guard s != NATS_OK else { return }
        throw error(s, operation(), subject: subject)
    }

    static func error(_ s: natsStatus, _ operation: String, subject: String? = nil) -> MessagingError {
        switch s {
        case NATS_TIMEOUT: return .timeout(operation: operation)
        case NATS_NO_RESPONDERS: return .noResponders(subject: subject ?? operation)
        case NATS_CONNECTION_CLOSED: return .connectionClosed(operation: operation)
        case NATS_CONNECTION_AUTH_FAILED: return .authenticationFailed(detail: detail(s))
        default: return .nats(operation: operation, status: name(s), detail: detail(s))
        }
    }

    static func jsError(_ s: natsStatus, _ js: jsErrCode, _ operation: String) -> MessagingError {
        if s == NATS_TIMEOUT { return .timeout(operation: operation) }
        if s == NATS_CONNECTION_CLOSED { return .connectionClosed(operation: operation) }
        return .jetStream(operation: operation, status: name(s), jsErrorCode: Int(js.rawValue), detail: detail(s))
    }
}
