/// Errors of the FROST protocols. Keep apart: invalid input from the caller, a participant that
/// misbehaved (named, with what it did), and a broken invariant.
public enum FROSTError: Error, Equatable, Sendable {
    /// Parameters the caller chose are unusable (threshold bounds, identifier sets, message sizes).
    case invalidParameters(String)
    /// A message could not be decoded (wrong length, bad encoding, trailing bytes).
    case malformed(from: ParticipantID?, String)
    /// One or more participants misbehaved; each named with the reason.
    case misbehaving([Culprit])
    /// An element or scalar failed validation.
    case curve(CurveError)
    /// A nonce or commitment was offered for reuse.
    case nonceReuse
    /// The aggregated signature did not verify, yet every share did (a broken invariant, not a party).
    case invalidSignature

    public struct Culprit: Equatable, Sendable {
        public let party: ParticipantID
        public let reason: String
        public init(party: ParticipantID, reason: String) { self.party = party; self.reason = reason }
    }

    /// The parties to blame; empty when no party is at fault.
    public var culprits: [ParticipantID] {
        switch self {
        case .misbehaving(let list): return list.map(\.party)
        case .malformed(let from?, _): return [from]
        case .malformed(nil, _), .invalidParameters, .curve, .nonceReuse, .invalidSignature: return []
        }
    }

    public var code: String {
        switch self {
        case .invalidParameters: return "FROST_INVALID_PARAMETERS"
        case .malformed: return "FROST_MALFORMED_MESSAGE"
        case .misbehaving: return "FROST_PARTY_MISBEHAVED"
        case .curve(let e): return e.code
        case .nonceReuse: return "FROST_NONCE_REUSE"
        case .invalidSignature: return "FROST_INVALID_SIGNATURE"
        }
    }
}
