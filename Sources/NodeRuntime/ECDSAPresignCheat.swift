import ClientKit
import Protocols

/// TESTS ONLY (`ecdsa.testCheatPresignDelta`, `ecdsa.testCheatPresignChi`): a node that announces δ_i + 1 (or
/// S_i + G) in presign round 3. It also shifts the same value of one peer it receives, so that its own check fails
/// and it takes part in identification with its true values, as a cheater that wants to look honest would; the
/// honest signers must name it. With `ecdsa.testCheatPresignFirstPeerOnly` it lies only to the first other signer
/// and leaves what it receives alone (a split lie: its own and the other signers' checks pass).
struct ECDSAPresignCheat: Sendable {
    enum Lie: Sendable {
        /// δ_i + 1: the δ check fails.
        case delta
        /// S_i + G: the δ check holds, the χ check (Σ S_j = δ·X) fails.
        case chi
    }
    let lie: Lie
    let firstPeerOnly: Bool

    /// The cheat a node's settings ask for, if any.
    init?(_ settings: ECDSANodeSettings?) {
        if settings?.testCheatPresignDelta == true { lie = .delta } else if settings?.testCheatPresignChi == true { lie = .chi } else { return nil }
        firstPeerOnly = settings?.testCheatPresignFirstPeerOnly == true
    }

    func shift(_ m: PresignRound3Message) -> PresignRound3Message {
        switch lie {
        case .delta:
            PresignRound3Message(from: m.from, to: m.to, delta: (m.delta + .one).mod(CGGMPProfile.curveOrder), Delta: m.Delta,
                                 S: m.S, psiDoublePrime: m.psiDoublePrime)
        case .chi:
            PresignRound3Message(from: m.from, to: m.to, delta: m.delta, Delta: m.Delta, S: m.S + .generator,
                                 psiDoublePrime: m.psiDoublePrime)
        }
    }

    /// Our outgoing round-3 messages, shifted (only the first with `firstPeerOnly`).
    func outgoing(_ out: [(CGGMPPartyId, [UInt8]?)], profile: CGGMPProfile) -> [(CGGMPPartyId, [UInt8]?)] {
        out.enumerated().map { n, pair in
            let (to, bytes) = pair
            guard !firstPeerOnly || n == 0, let b = bytes, let m = try? PresignRound3Message(encoded: b, profile: profile) else {
                return (to, bytes)
            }
            return (to, try? shift(m).encoded(profile: profile))
        }
    }

    /// The round-3 messages we received, the first one shifted (none with `firstPeerOnly`).
    func incoming(_ msgs: [PresignRound3Message]) -> [PresignRound3Message] {
        guard !firstPeerOnly, let first = msgs.first else { return msgs }
        return [shift(first)] + msgs.dropFirst()
    }
}
