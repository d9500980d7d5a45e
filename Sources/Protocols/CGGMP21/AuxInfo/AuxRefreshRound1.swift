/// CGGMP21 auxiliary info and key refresh, round 1 (eprint 2021/060, Fig. 6 "Auxiliary Info. &
/// Key Refresh"), in the threshold form: each party deals a Feldman sharing of ZERO (f_i(0) = 0,
/// degree t−1), so the public key is kept and every share changes; and publishes a fresh Paillier
/// modulus N_i with ring-Pedersen (s_i, t_i) proven by Π^mod, Π^prm and Π^fac.
/// The Paillier primes are an input (safe-prime generation is slow and done beforehand).

/// Round 1 broadcast: the commitment V_i.
public struct AuxRefreshRound1Message: Sendable {
    public let from: CGGMPPartyId
    public let V: [UInt8]
    public init(from: CGGMPPartyId, V: [UInt8]) { self.from = from; self.V = V }
}

struct AuxRefreshContext: Sendable {
    let me: CGGMPPartyId
    let parties: [CGGMPPartyId]
    let others: [CGGMPPartyId]
    let sessionId: [UInt8]
    let profile: CGGMPProfile
    let keyShare: CGGMPKeyShare

    func checkSenders(_ pairs: [(from: CGGMPPartyId, to: CGGMPPartyId)]) throws(CGGMPProtocolError) {
        guard pairs.count == others.count else { throw .wrongMessageCount(expected: others.count, got: pairs.count) }
        var seen = Set<CGGMPPartyId>()
        for p in pairs {
            guard p.from != me else { throw .messageFromSelf }
            guard others.contains(p.from) else { throw .unknownSender(p.from) }
            guard seen.insert(p.from).inserted else { throw .duplicateSender(p.from) }
            guard p.to == me else { throw .misaddressed(from: p.from) }
        }
    }

    /// V_i = H(sid, i, A_{i,1..t−1}, N_i, s_i, t_i, rid_i, u_i).
    func commitment(_ i: CGGMPPartyId, A: [Secp256k1Point], N: BigNum, s: BigNum, t: BigNum, rid: [UInt8], u: [UInt8]) -> [UInt8] {
        cggmpFramedHash("CGGMP21/aux-refresh/V", [sessionId, cggmpIdBytes(i)] + A.map(Secp256k1Group.encode)
                        + [N.magnitudeBytes, s.magnitudeBytes, t.magnitudeBytes, rid, u])
    }
}

public enum CGGMPAuxRefresh {
    /// Starts aux-info + refresh among ALL parties of the key. `paillier` / `ringPedersen` are our
    /// new keys (ring-Pedersen over the same N, as in Fig. 6).
    public static func start<R: RandomSource>(keyShare: CGGMPKeyShare, paillier: PaillierSecretKey,
                                              ringPedersen: RingPedersenSecret, sessionId: [UInt8],
                                              profile: CGGMPProfile, using rng: inout R) throws(CGGMPProtocolError)
        -> CGGMPStep<AuxRefreshRound1State, AuxRefreshRound1Message> {
        let parties = keyShare.publicShares.keys.sorted()
        guard ringPedersen.parameters.n == paillier.publicKey.n, paillier.publicKey.n.bitLength == profile.modulusBits,
              parties.count >= 2, !sessionId.isEmpty else {
            throw .invalidInput("aux refresh: ring-Pedersen over our Paillier N of the profile size, ≥ 2 parties")
        }
        let me = keyShare.id
        let ctx = AuxRefreshContext(me: me, parties: parties, others: parties.filter { $0 != me }, sessionId: sessionId,
                                    profile: profile, keyShare: keyShare)
        let q = CGGMPProfile.curveOrder
        // Fig. 6, Round 1, step 1: f_i(z) = Σ_{l=1}^{t−1} a_l z^l (a sharing of 0), A_l = a_l·G.
        let a = (1..<max(keyShare.threshold, 1)).map { _ in BigNum.random(below: q, using: &rng) }
        let A = a.map { Secp256k1Group.multiplyGenerator($0) }
        // rid_i, u_i ← {0,1}^κ.
        let rid = rng.bytes(32), u = rng.bytes(32)
        let rp = ringPedersen.parameters
        let V = ctx.commitment(me, A: A, N: rp.n, s: rp.s, t: rp.t, rid: rid, u: u)
        let state = AuxRefreshRound1State(ctx: ctx, a: a, A: A, rid: rid, u: u, paillier: paillier, ringPedersen: ringPedersen, V: V)
        return CGGMPStep(state: state, messages: [AuxRefreshRound1Message(from: me, V: V)])
    }
}

public struct AuxRefreshRound1State: ~Copyable, Sendable {
    let ctx: AuxRefreshContext
    let a: [BigNum]
    let A: [Secp256k1Point]
    let rid: [UInt8], u: [UInt8]
    let paillier: PaillierSecretKey
    let ringPedersen: RingPedersenSecret
    let V: [UInt8]
}
