import ClientKit
import Protocols

/// TESTS ONLY (`ecdsa.testCheatPresignDelta`, `ecdsa.testCheatPresignChi`): a node that announces δ_i + 1 (or
/// S_i + G) in presign round 3. It also shifts the same value of one peer it receives, so that its own check fails
/// and it takes part in identification with its true values, as a cheater that wants to look honest would; the
/// honest signers must name it.
enum ECDSAPresignCheat: Sendable {
    /// δ_i + 1: the δ check fails.
    case delta
    /// S_i + G: the δ check holds, the χ check (Σ S_j = δ·X) fails.
    case chi

    /// The cheat a node's settings ask for, if any.
    init?(_ settings: ECDSANodeSettings?) {
        if settings?.testCheatPresignDelta == true { self = .delta } else if settings?.testCheatPresignChi == true { self = .chi } else { return nil }
    }

    func shift(_ m: PresignRound3Message) -> PresignRound3Message {
        switch self {
        case .delta:
            PresignRound3Message(from: m.from, to: m.to, delta: (m.delta + .one).mod(CGGMPProfile.curveOrder), Delta: m.Delta,
                                 S: m.S, psiDoublePrime: m.psiDoublePrime)
        case .chi:
            PresignRound3Message(from: m.from, to: m.to, delta: m.delta, Delta: m.Delta, S: m.S + .generator,
                                 psiDoublePrime: m.psiDoublePrime)
        }
    }

    /// Our outgoing round-3 messages, shifted.
    func outgoing(_ out: [(CGGMPPartyId, [UInt8]?)], profile: CGGMPProfile) -> [(CGGMPPartyId, [UInt8]?)] {
        out.map { to, bytes in
            guard let b = bytes, let m = try? PresignRound3Message(encoded: b, profile: profile) else { return (to, bytes) }
            return (to, try? shift(m).encoded(profile: profile))
        }
    }

    /// The round-3 messages we received, the first one shifted.
    func incoming(_ msgs: [PresignRound3Message]) -> [PresignRound3Message] {
        guard let first = msgs.first else { return msgs }
        return [shift(first)] + msgs.dropFirst()
    }
}
