/// CGGMP21 presigning, round 1 (eprint 2021/060, Fig. 7 "ECDSA Pre-Signing", Round 1).

/// Round 1 message from P_i to P_j: K_i, G_i (the same to everyone) and ψ^0_{j,i} = Π^enc for K_i
/// against P_j's ring-Pedersen parameters.
public struct PresignRound1Message: Sendable {
    public let from: CGGMPPartyId
    public let to: CGGMPPartyId
    public let K: BigNum
    public let G: BigNum
    public let psi0: PiEnc
    public init(from: CGGMPPartyId, to: CGGMPPartyId, K: BigNum, G: BigNum, psi0: PiEnc) {
        self.from = from; self.to = to; self.K = K; self.G = G; self.psi0 = psi0
    }
}

/// Entry point of presigning.
public enum CGGMPPresign {
    /// Starts presigning for `signers` (sorted or not; must contain our id, at least `threshold`
    /// parties). Converts our Shamir share to an additive one with the Lagrange coefficient of the
    /// signer set.
    public static func start<R: RandomSource>(keyShare: CGGMPKeyShare, aux: CGGMPAuxInfo, signers: [CGGMPPartyId],
                                              sessionId: [UInt8], profile: CGGMPProfile,
                                              using rng: inout R) throws(CGGMPProtocolError)
        -> CGGMPStep<PresignRound1State, PresignRound1Message> {
        let me = keyShare.id
        let sorted = signers.sorted()
        guard Set(sorted).count == sorted.count, sorted.count >= keyShare.threshold, sorted.count >= 2,
              sorted.contains(me), aux.id == me, !sessionId.isEmpty else {
            throw .invalidInput("signer set must be distinct, contain us and have at least threshold (≥ 2) parties")
        }
        let q = CGGMPProfile.curveOrder
        var X = [CGGMPPartyId: Secp256k1Point]()
        var xi = BigNum.zero
        for j in sorted {
            guard let lambda = CGGMPLagrange.coefficient(for: j, among: sorted), let Xj = keyShare.publicShares[j] else {
                throw .invalidInput("party \(j) has no public share")
            }
            if j != me { guard aux.peers[j] != nil else { throw .invalidInput("no aux info for party \(j)") } }
            X[j] = Xj.multipliedPublic(by: Secp256k1Group.scalar(lambda))
            if j == me { xi = keyShare.secretShare.mulMod(lambda, q) }
        }
        let ctx = PresignContext(me: me, signers: sorted, others: sorted.filter { $0 != me }, sessionId: sessionId,
                                 profile: profile, aux: aux, X: X, publicKey: keyShare.publicKey)
        // Fig. 7, Round 1, step 1: k_i, γ_i ← F_q; ρ_i, ν_i ← Z*_{N_i}; K_i = enc_i(k_i; ρ_i), G_i = enc_i(γ_i; ν_i).
        let k = BigNum.random(below: q, using: &rng)
        let gamma = BigNum.random(below: q, using: &rng)
        let (K, rho) = aux.paillier.encrypt(k, using: &rng)
        let (G, nu) = aux.paillier.encrypt(gamma, using: &rng)
        // Fig. 7, Round 1, step 2: ψ^0_{j,i} = Π^enc_j((ℓ, N_i, K_i); (k_i, ρ_i)) for every j ≠ i, one per
        // recipient, concurrently (each with its own stream forked from `rng`).
        let peers = try ctx.others.map { j throws(CGGMPProtocolError) in try ctx.peer(j).ringPedersen }
        let own = aux.paillier.publicKey, pc = ctx.proofContext(prover: me, round: 1)
        let proofs = try local { () throws(CGGMPError) in
            try CGGMPConcurrent.map(peers.count, using: &rng) { (n: Int, r: inout ForkedRandom) throws(CGGMPError) in
                try PiEnc.prove(pk: own, K: K, k: k, rho: rho, verifierAux: peers[n], profile: profile, context: pc, using: &r)
            }
        }
        let messages = zip(ctx.others, proofs).map { PresignRound1Message(from: me, to: $0, K: K, G: G, psi0: $1) }
        let state = PresignRound1State(ctx: ctx, x: xi, k: k, gamma: gamma, rho: rho, nu: nu, K: K, G: G)
        return CGGMPStep(state: state, messages: messages)
    }
}

/// Our secret state after round 1 (consumed by `receive`).
public struct PresignRound1State: ~Copyable, Sendable {
    let ctx: PresignContext
    let x: BigNum          // additive share λ_i·x_i
    let k: BigNum, gamma: BigNum, rho: BigNum, nu: BigNum
    let K: BigNum, G: BigNum

    public var id: CGGMPPartyId { ctx.me }
}
