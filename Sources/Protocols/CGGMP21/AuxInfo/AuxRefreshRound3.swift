/// CGGMP21 aux info and key refresh, round 3 (eprint 2021/060, Fig. 6, Round 3): check the
/// decommitments, rid = ⊕ rid_j, prove Π^mod, Π^prm (same for every verifier) and Π^fac (per
/// verifier), and send each P_j its share of zero encrypted under N_j.

public struct AuxRefreshRound3Message: Sendable {
    public let from: CGGMPPartyId
    public let to: CGGMPPartyId
    public let psiMod: PiMod
    public let psiPrm: PiPrm
    public let psiFac: PiFac
    /// C_i^j = enc_j(f_i(j)).
    public let C: BigNum
    public init(from: CGGMPPartyId, to: CGGMPPartyId, psiMod: PiMod, psiPrm: PiPrm, psiFac: PiFac, C: BigNum) {
        self.from = from; self.to = to; self.psiMod = psiMod; self.psiPrm = psiPrm; self.psiFac = psiFac; self.C = C
    }
}

/// A peer's decommitted public data.
struct AuxRefreshPeerData: Sendable {
    let A: [Secp256k1Point]
    let N: BigNum, s: BigNum, t: BigNum
}

extension AuxRefreshContext {
    func proofContext(prover: CGGMPPartyId, rid: [UInt8]) -> CGGMPProofContext {
        CGGMPProofContext(sessionId: Array("CGGMP21/aux-refresh".utf8) + sessionId + rid, proverId: cggmpIdBytes(prover), round: 3)
    }

    /// F(k) = Σ_{l=1}^{t−1} A_l·k^l (Feldman evaluation in the exponent).
    static func evaluate(_ A: [Secp256k1Point], at k: CGGMPPartyId) -> Secp256k1Point {
        let q = CGGMPProfile.curveOrder
        var acc = Secp256k1Point.identity
        var power = BigNum(Int(k))
        for Al in A {
            acc = acc + Secp256k1Group.multiplyPublic(Al, by: power)
            power = power.mulMod(BigNum(Int(k)), q)
        }
        return acc
    }
}

extension AuxRefreshRound2State {
    public consuming func receive<R: RandomSource>(_ messages: [AuxRefreshRound2Message], using rng: inout R)
        throws(CGGMPProtocolError) -> CGGMPStep<AuxRefreshRound3State, AuxRefreshRound3Message> {
        let ctx = self.ctx
        try ctx.checkSenders(messages.map { ($0.from, ctx.me) })
        // Echo first (checklist 12).
        let mismatched = messages.filter { $0.echo != echo }.map(\.from).sorted()
        guard mismatched.isEmpty else { throw .echoMismatch(mismatched) }
        // Fig. 6, Round 3, step 1: decommitments, sizes, and the ring-Pedersen triple.
        var culprits = [CGGMPPartyId: CGGMPBlame]()
        var peers = [CGGMPPartyId: AuxRefreshPeerData]()
        var rid = self.rid
        var Ns = [paillier.publicKey.n]
        for m in messages {
            guard m.A.count == a.count, !m.A.contains(where: \.isIdentity), m.rid.count == 32, m.u.count == 32 else { culprits[m.from] = .malformed("sizes"); continue }
            guard ctx.commitment(m.from, A: m.A, N: m.N, s: m.s, t: m.t, rid: m.rid, u: m.u) == Vs[m.from] else {
                culprits[m.from] = .badOpening("decommitment does not match V"); continue
            }
            guard (try? RingPedersenParameters(n: m.N, s: m.s, t: m.t, profile: ctx.profile)) != nil else {
                culprits[m.from] = .malformed("N, s, t"); continue
            }
            guard !Ns.contains(m.N) else { culprits[m.from] = .malformed("reused modulus"); continue }
            Ns.append(m.N)
            peers[m.from] = AuxRefreshPeerData(A: m.A, N: m.N, s: m.s, t: m.t)
            for b in 0..<32 { rid[b] ^= m.rid[b] }
        }
        guard culprits.isEmpty else { throw .culprits(culprits) }
        // Fig. 6, Round 3, step 2: ψ_i = Π^mod, ψ̂_i = Π^prm (bound to rid), and for each j
        // ψ_{j,i} = Π^fac against (N̂_j, s_j, t_j), C_i^j = enc_j(f_i(j)).
        let pc = ctx.proofContext(prover: ctx.me, rid: rid)
        let q = CGGMPProfile.curveOrder
        let psiMod = try local { () throws(CGGMPError) in try PiMod.prove(secretKey: paillier, profile: ctx.profile, context: pc, using: &rng) }
        let psiPrm = try local { () throws(CGGMPError) in try PiPrm.prove(secret: ringPedersen, profile: ctx.profile, context: pc, using: &rng) }
        // Per recipient, concurrently (each with its own stream forked from `rng`).
        let recipients = try ctx.others.map { j throws(CGGMPProtocolError) -> (CGGMPPartyId, AuxRefreshPeerData, BigNum) in
            guard let pj = peers[j] else { throw .invalidInput("missing peer data") }
            var fj = BigNum.zero
            var power = BigNum(Int(j))
            for al in a { fj = (fj + al * power).mod(q); power = power.mulMod(BigNum(Int(j)), q) }
            return (j, pj, fj)
        }
        let ownKey = self.paillier
        let out = try local { () throws(CGGMPError) in
            try CGGMPConcurrent.map(recipients.count, using: &rng) { (n: Int, rng: inout ForkedRandom) throws(CGGMPError) -> AuxRefreshRound3Message in
                let (j, pj, fj) = recipients[n]
                let rpj = try RingPedersenParameters(n: pj.N, s: pj.s, t: pj.t, profile: ctx.profile)
                let pkj = try PaillierPublicKey(n: pj.N, profile: ctx.profile)
                let psiFac = try PiFac.prove(secretKey: ownKey, verifierAux: rpj, profile: ctx.profile, context: pc, using: &rng)
                let (C, _) = pkj.encrypt(fj, using: &rng)
                return AuxRefreshRound3Message(from: ctx.me, to: j, psiMod: psiMod, psiPrm: psiPrm, psiFac: psiFac, C: C)
            }
        }
        var fi = BigNum.zero
        var power = BigNum(Int(ctx.me))
        for al in a { fi = (fi + al * power).mod(q); power = power.mulMod(BigNum(Int(ctx.me)), q) }
        let state = AuxRefreshRound3State(ctx: ctx, ownA: A, ownShareOfZero: fi, rid: rid, paillier: paillier,
                                          ringPedersen: ringPedersen, peers: peers)
        return CGGMPStep(state: state, messages: out)
    }
}

public struct AuxRefreshRound3State: ~Copyable, Sendable {
    let ctx: AuxRefreshContext
    let ownA: [Secp256k1Point]
    let ownShareOfZero: BigNum
    let rid: [UInt8]
    let paillier: PaillierSecretKey
    let ringPedersen: RingPedersenSecret
    let peers: [CGGMPPartyId: AuxRefreshPeerData]
}
