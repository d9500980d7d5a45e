import ClientKit
import Protocols

/// TESTS ONLY (`ecdsa.testCheatPresignDelta`): a node that announces δ_i + 1 in presign round 3. It also adds 1
/// to the δ_j of one peer it receives, so that its own δ check fails and it takes part in identification with
/// its true values, as a cheater that wants to look honest would; the honest signers must name it.
enum ECDSAPresignCheat {
    static func shiftDelta(_ m: PresignRound3Message) -> PresignRound3Message {
        PresignRound3Message(from: m.from, to: m.to, delta: (m.delta + .one).mod(CGGMPProfile.curveOrder), Delta: m.Delta,
                             S: m.S, psiDoublePrime: m.psiDoublePrime)
    }

    /// Our outgoing round-3 messages with δ_i + 1.
    static func outgoing(_ out: [(CGGMPPartyId, [UInt8]?)], profile: CGGMPProfile) -> [(CGGMPPartyId, [UInt8]?)] {
        out.map { to, bytes in
            guard let b = bytes, let m = try? PresignRound3Message(encoded: b, profile: profile) else { return (to, bytes) }
            return (to, try? shiftDelta(m).encoded(profile: profile))
        }
    }

    /// The round-3 messages we received, the first one with δ_j + 1.
    static func incoming(_ msgs: [PresignRound3Message]) -> [PresignRound3Message] {
        guard let first = msgs.first else { return msgs }
        return [shiftDelta(first)] + msgs.dropFirst()
    }
}
