import Messaging

extension DiscoveryError {
    /// Maps a transport failure of the NATS layer onto the discovery error codes:
    /// connection-level trouble is `unreachable`, server refusals are `rejected` (with the
    /// JetStream error code, or an HTTP-like status for auth/permission/conflict), bad input is
    /// `invalidConfiguration`.
    init(_ error: MessagingError) {
        switch error {
        case .timeout, .connectionClosed, .noResponders:
            self = .unreachable(error.description)
        case let .nats(_, status, _):
            switch status {
            case "NATS_NOT_PERMITTED": self = .rejected(status: 403, body: error.description)
            case "NATS_INVALID_ARG", "NATS_INVALID_SUBJECT": self = .invalidConfiguration(error.description)
            default: self = .unreachable(error.description)
            }
        case let .jetStream(_, _, jsErrorCode, _):
            self = .rejected(status: jsErrorCode, body: error.description)
        case .invalidArgument:
            self = .invalidConfiguration(error.description)
        case .revisionMismatch:
            self = .rejected(status: 409, body: error.description)
        case .authenticationFailed:
            self = .rejected(status: 401, body: error.description)
        }
    }
}
