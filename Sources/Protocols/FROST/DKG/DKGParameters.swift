/// Who takes part in a key generation and with what threshold. Validated once, up front, before any
/// arithmetic (RFC 9591 Appendix C: 2 ≤ MIN_PARTICIPANTS ≤ MAX_PARTICIPANTS; identifiers non-zero and
/// distinct, SECURITY-CHECKLIST 13; u16 identifiers, so at most 65535 participants).
///
/// Why t ≥ 2: RFC 9591 Appendix C raises "invalid parameters" for MIN_PARTICIPANTS < 2, and so does the
/// reference implementation; a 1-of-n "sharing" hands every participant the whole key, which is not a
/// threshold scheme and would defeat the custody model.
public struct KeyGenParameters: Sendable, Equatable {
    /// All participants, strictly ascending.
    public let participants: [ParticipantID]
    /// t = MIN_PARTICIPANTS: the number of signers needed, and the length of every commitment vector.
    public let threshold: Int
    /// Bound into every proof-of-knowledge challenge and the commitment digest, so that a round-1
    /// package cannot be replayed into another DKG run (SECURITY-CHECKLIST 11). Empty gives exactly the
    /// RFC 9591 / reference challenge (interoperability and the conformance vectors); the cluster passes
    /// the coordinator's random per-run session id.
    public let sessionID: [UInt8]

    public init(participants: [ParticipantID], threshold: Int, sessionID: [UInt8] = []) throws(FROSTError) {
        guard participants.count >= 2 else { throw .invalidParameters("at least 2 participants are needed") }
        guard participants.count <= Int(UInt16.max) else { throw .invalidParameters("more than 65535 participants") }
        guard threshold >= 2 else { throw .invalidParameters("threshold \(threshold) below 2") }
        guard threshold <= participants.count else {
            throw .invalidParameters("threshold \(threshold) above the \(participants.count) participants")
        }
        let sorted = participants.sorted()
        for k in 1..<sorted.count where sorted[k] == sorted[k - 1] {
            throw .invalidParameters("duplicate identifier \(sorted[k].value)")
        }
        guard sessionID.count <= 1024 else { throw .invalidParameters("session id longer than 1024 bytes") }
        self.participants = sorted
        self.threshold = threshold
        self.sessionID = sessionID
    }

    /// Participants 1...n.
    public init(count n: Int, threshold: Int, sessionID: [UInt8] = []) throws(FROSTError) {
        guard n >= 1, n <= Int(UInt16.max) else { throw .invalidParameters("participant count \(n) out of range") }
        var ids: [ParticipantID] = []
        ids.reserveCapacity(n)
        for v in 1...n { ids.append(try ParticipantID(UInt16(v))) }
        try self.init(participants: ids, threshold: threshold, sessionID: sessionID)
    }

    public var count: Int { participants.count }
}
