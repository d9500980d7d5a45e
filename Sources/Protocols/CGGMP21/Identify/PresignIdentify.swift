/// CGGMP21 presigning, identification after a failed check (eprint 2021/060, Fig. 7, Output, the error step, and
/// the same proofs as Fig. 8's error step; Π^mul, Π^mul*, Π^aff-g, Π^dec of Appendix C). It runs when the δ check
/// (δ·G = Σ Δ_j) or the χ check (Σ S_j = δ·X) fails, and every party proves both of its round-3 values, so that a
/// cheater cannot pick which one a verifier sees proven (round 3 has no echo: a cheater may show one party a wrong
/// δ and another a wrong S). Nothing secret is opened.
///
/// δ part (proof context round 4): P_i publishes H_i = enc_i(k_i·γ_i) with Π^mul w.r.t. (K_i, G_i), the γ-MtA pairs
/// (D_{j,i}, F_{j,i}) it sent with Π^aff-g (X = Γ_i) re-proven to every other verifier, the D_{i,j} it received, and
/// proves with Π^dec that its announced δ_i is the decryption mod q of U_i = H_i·Π_j D_{i,j}·F_{j,i}^{-1} (our MtA
/// sign convention: δ_i = k_iγ_i + Σ_j (α_{i,j} − β_{i,j})).
///
/// χ part (proof context round 5): Ĥ_i = enc_i(k_i·x_i) with Π^mul* w.r.t. (K_i, X_i), the x-MtA pairs
/// (D̂_{j,i}, F̂_{j,i}) with Π^aff-g (X = X_i), the D̂_{i,j} received, and σ*_i = m*·k_i + χ_i mod q for a public
/// m* derived from the session (the one-round signature share of Fig. 8 with r = 1 on the message m*). Verifiers
/// check σ*_i·Γ = m*·Δ_i + S_i in the group, and Π^dec that σ*_i is the decryption mod q of
/// K_i^{m*}·Û_i, Û_i = Ĥ_i·Π_j D̂_{i,j}·F̂_{j,i}^{-1}. Δ_i = k_i·Γ is proven in round 3 (Π^log*), so S_i = χ_i·Γ for
/// the χ_i of the MtA values, and Σ S_j = k·x·Γ = δ·X when δ is right: a failed χ check names someone.
/// σ*_i is one linear combination of k_i and χ_i of a presignature that is discarded, as a signature share is.

/// The identification message from P_i (`from`) to the verifier P_ℓ (`to`).
public struct PresignIdentifyMessage: Sendable, Equatable {
    /// An MtA pair P_i sent in round 2: D_{j,i} under N_j, F_{j,i} under N_i.
    public struct MtA: Sendable, Equatable {
        public let D: BigNum, F: BigNum
        public init(D: BigNum, F: BigNum) { self.D = D; self.F = F }
    }

    /// What P_i shows about one round-3 value: δ_i (γ-MtA) or χ_i (x-MtA).
    public struct Part: Sendable, Equatable {
        /// H_i = enc_i(k_i·γ_i) (δ) or Ĥ_i = enc_i(k_i·x_i) (χ).
        public let H: BigNum
        /// j → the pair P_i sent j, for every other signer j.
        public let sent: [CGGMPPartyId: MtA]
        /// j → D_{i,j} (or D̂_{i,j}) as P_i received it in round 2.
        public let received: [CGGMPPartyId: BigNum]
        /// j → Π^aff-g for (K_j, D_{j,i}, F_{j,i}, Γ_i or X_i) against P_ℓ's parameters, every j ∉ {i, ℓ}.
        public let affG: [CGGMPPartyId: PiAffG<Secp256k1Group>]
        /// Π^dec against P_ℓ's parameters: δ_i from U_i, or σ*_i from K_i^{m*}·Û_i.
        public let piDec: PiDec

        public init(H: BigNum, sent: [CGGMPPartyId: MtA], received: [CGGMPPartyId: BigNum],
                    affG: [CGGMPPartyId: PiAffG<Secp256k1Group>], piDec: PiDec) {
            self.H = H; self.sent = sent; self.received = received; self.affG = affG; self.piDec = piDec
        }

        /// H·Π_j D_{i,j}·F_{j,i}^{-1} mod N_i² from this part's values; nil if a value is not a unit.
        public func aggregate(pk: PaillierPublicKey) -> BigNum? {
            Self.aggregate(H: H, sent: sent, received: received, pk: pk)
        }

        static func aggregate(H: BigNum, sent: [CGGMPPartyId: MtA], received: [CGGMPPartyId: BigNum],
                              pk: PaillierPublicKey) -> BigNum? {
            var u = H
            for (j, d) in received {
                guard let f = sent[j]?.F, let fInv = f.inverse(modulus: pk.nSquared) else { return nil }
                u = u.mulMod(d, pk.nSquared).mulMod(fInv, pk.nSquared)
            }
            return u
        }
    }

    public let from: CGGMPPartyId
    public let to: CGGMPPartyId
    public let delta: Part
    /// Π^mul: H_i = enc_i(k_i·γ_i) w.r.t. K_i, G_i (one proof, the same to every verifier).
    public let piMul: PiMul
    public let chi: Part
    /// Π^mul*: Ĥ_i = K_i^{x_i}·ρ^{N_i} with X_i = x_i·G, against P_ℓ's parameters.
    public let piMulStar: PiMulStar<Secp256k1Group>
    /// σ*_i = m*·k_i + χ_i mod q.
    public let sigmaStar: BigNum

    public init(from: CGGMPPartyId, to: CGGMPPartyId, delta: Part, piMul: PiMul, chi: Part,
                piMulStar: PiMulStar<Secp256k1Group>, sigmaStar: BigNum) {
        self.from = from; self.to = to; self.delta = delta; self.piMul = piMul; self.chi = chi
        self.piMulStar = piMulStar; self.sigmaStar = sigmaStar
    }
}

/// What one verifier concludes from the identification messages.
public struct PresignIdentificationResult: Sendable, Equatable {
    /// Every party whose identification failed, with why.
    public let culprits: [CGGMPPartyId: CGGMPBlame]
    /// Pairs (a, b), a < b, neither of them us, that disagree about a D that went between them in round 2 (γ- or
    /// x-MtA): one of the two lies, and a third party cannot tell which (a and b themselves name the liar, as it
    /// contradicts their own view).
    public let disputes: [[CGGMPPartyId]]
}

/// Round-3 public values every party keeps for identification (as announced to us).
struct PresignRound3Public: Sendable {
    let round1: PresignRound1Public
    let Gammas: [CGGMPPartyId: Secp256k1Point]
    /// Γ = Σ Γ_j.
    let Gamma: Secp256k1Point
    let deltas: [CGGMPPartyId: BigNum]
    let Deltas: [CGGMPPartyId: Secp256k1Point]
    let Ss: [CGGMPPartyId: Secp256k1Point]
}

extension PresignContext {
    /// Proof context of identification: round 4 for the δ part, 5 for the χ part (no proof of one part
    /// verifies in the other).
    static let deltaIdentifyRound: UInt32 = 4
    static let chiIdentifyRound: UInt32 = 5

    /// m* of the χ part: SHA-256 of a fixed label and the session id, mod q. Public, fixed by the session.
    var chiIdentifyMessage: BigNum {
        BigNum(bytes: cggmpFramedHash("CGGMP21/presign/chi-identification", [sessionId])).mod(CGGMPProfile.curveOrder)
    }
}

/// P_i's side of one kind of round-2 MtA (γ_i for δ, x_i for χ): the pairs it sent, the D it received, and the masks
/// Σ_j (α_{i,j} − β_{i,j}) over the integers (part of the plaintext its Π^dec speaks about).
struct PresignMtASide {
    let sent: [CGGMPPartyId: PresignIdentifyMessage.MtA]
    let received: [CGGMPPartyId: BigNum]
    let masks: BigNum

    init(_ others: [CGGMPPartyId], sent: [CGGMPPartyId: PresignSentPairs], received: [CGGMPPartyId: PresignReceivedPairs],
         _ pickSent: KeyPath<PresignSentPairs, PresignSentMtA>,
         _ pickReceived: KeyPath<PresignReceivedPairs, PresignReceivedMtA>) throws(CGGMPProtocolError) {
        var out = [CGGMPPartyId: PresignIdentifyMessage.MtA](), got = [CGGMPPartyId: BigNum](), masks = BigNum.zero
        for j in others {
            guard let s = sent[j]?[keyPath: pickSent], let r = received[j]?[keyPath: pickReceived] else {
                throw .invalidInput("missing MtA values for \(j)")
            }
            out[j] = .init(s); got[j] = r.D
            masks = masks + r.alpha - s.beta
        }
        self.sent = out; self.received = got; self.masks = masks
    }
}

extension PresignIdentifyMessage.MtA {
    init(_ s: PresignSentMtA) { self.init(D: s.D, F: s.F) }
    init(_ r: PresignReceivedMtA) { self.init(D: r.D, F: r.F) }
}

/// P_i's secret state for proving identification (after its δ or χ check failed). Non-copyable; the secrets are
/// wiped on release (BigNum).
public struct PresignIdentifyState: ~Copyable, Sendable {
    let ctx: PresignContext
    let k: BigNum, rho: BigNum, gamma: BigNum, x: BigNum
    /// Our χ_i from round 3 (δ_i is in `announced`).
    let chi: BigNum
    let announced: PresignRound3Public
    let sent: [CGGMPPartyId: PresignSentPairs]
    let received: [CGGMPPartyId: PresignReceivedPairs]

    public var id: CGGMPPartyId { ctx.me }

    /// Builds the identification messages (one per other signer) and the public verifier state.
    public consuming func prove<R: RandomSource>(using rng: inout R) throws(CGGMPProtocolError)
        -> CGGMPStep<PresignIdentification, PresignIdentifyMessage> {
        let ctx = self.ctx, me = ctx.me, k = self.k, gamma = self.gamma, x = self.x, rho = self.rho, sent = self.sent
        let sk = ctx.aux.paillier, own = sk.publicKey, q = CGGMPProfile.curveOrder
        guard let Ki = announced.round1.K[me], let Gi = announced.round1.G[me], let Gammai = announced.Gammas[me],
              let delta = announced.deltas[me], let Xi = ctx.X[me] else { throw .invalidInput("missing own round values") }
        let pcDelta = ctx.proofContext(prover: me, round: PresignContext.deltaIdentifyRound)
        let pcChi = ctx.proofContext(prover: me, round: PresignContext.chiIdentifyRound)
        let mStar = ctx.chiIdentifyMessage
        // H_i = G_i^{k_i}·ρ_H^{N_i} = enc_i(k_i·γ_i) with Π^mul; Ĥ_i = K_i^{x_i}·ρ_Ĥ^{N_i} = enc_i(k_i·x_i).
        let rhoH = BigNum.randomUnit(modulo: own.n, using: &rng)
        let rhoHhat = BigNum.randomUnit(modulo: own.n, using: &rng)
        let (H, Hhat, piMul) = try local { () throws(CGGMPError) -> (BigNum, BigNum, PiMul) in
            let H = try own.multiply(Gi, by: k).mulMod(try own.encrypt(.zero, nonce: rhoH), own.nSquared)
            let Hhat = try own.multiply(Ki, by: x).mulMod(try own.encrypt(.zero, nonce: rhoHhat), own.nSquared)
            let piMul = try PiMul.prove(PiMul.Statement(pk: own, X: Ki, Y: Gi, C: H), x: k, rho: rhoH, rhoX: rho,
                                        context: pcDelta, using: &rng)
            return (H, Hhat, piMul)
        }
        // The plaintexts over the integers: y = k_iγ_i + Σ_j (α_{i,j} − β_{i,j}) of U_i, and
        // ŷ = m*·k_i + k_i x_i + Σ_j (α̂_{i,j} − β̂_{i,j}) of K_i^{m*}·Û_i. (Π^dec's prover checks y ≡ δ_i itself.)
        let gammaSide = try PresignMtASide(ctx.others, sent: sent, received: received, \.gamma, \.gamma)
        let xSide = try PresignMtASide(ctx.others, sent: sent, received: received, \.x, \.x)
        let y = k * gamma + gammaSide.masks, yHat = mStar * k + k * x + xSide.masks
        guard (yHat - mStar * k).mod(q) == chi else { throw .invalidInput("own χ_i does not match the x-MtA values") }
        let sigmaStar = yHat.mod(q)
        typealias Part = PresignIdentifyMessage.Part
        guard let U = Part.aggregate(H: H, sent: gammaSide.sent, received: gammaSide.received, pk: own),
              let UhatBase = Part.aggregate(H: Hhat, sent: xSide.sent, received: xSide.received, pk: own),
              let KiM = own.unitPow(Ki, mStar) else { throw .invalidInput("U_i") }
        let Uhat = KiM.mulMod(UhatBase, own.nSquared)
        guard let rhoU = sk.recoverNonce(U), let rhoUhat = sk.recoverNonce(Uhat) else { throw .invalidInput("U_i nonce") }
        // Per verifier ℓ (concurrently, each with its own stream forked from `rng`).
        let verifiers = try ctx.others.map { l throws(CGGMPProtocolError) in try ctx.peer(l).ringPedersen }
        let thirdParties = try ctx.others.map { j throws(CGGMPProtocolError) -> (PaillierPublicKey, BigNum) in
            guard let Kj = announced.round1.K[j] else { throw .invalidInput("missing K_\(j)") }
            return (try ctx.peer(j).paillier, Kj)
        }
        let profile = ctx.profile
        let proofs = try local { () throws(CGGMPError) in
            try CGGMPConcurrent.map(verifiers.count, using: &rng) { (n: Int, rng: inout ForkedRandom) throws(CGGMPError)
                -> (Part, Part, PiMulStar<Secp256k1Group>) in
                let l = ctx.others[n], verifier = verifiers[n]
                var affDelta = [CGGMPPartyId: PiAffG<Secp256k1Group>](), affChi = affDelta
                for (m, j) in ctx.others.enumerated() where j != l {
                    guard let s = sent[j] else { throw .invalidInput("missing MtA values for \(j)") }
                    let (pkj, Kj) = thirdParties[m]
                    // Π^aff-g_ℓ((N_j, N_i, K_j, D_{j,i}, F_{j,i}, Γ_i); (γ_i, β_{i,j}, s_{i,j}, r_{i,j})), and the same
                    // for the x-pair with X_i.
                    affDelta[j] = try PiAffG.prove(.init(pk0: pkj, pk1: own, C: Kj, D: s.gamma.D, Y: s.gamma.F, X: Gammai, g: .generator),
                                                   x: gamma, y: s.gamma.beta, rho: s.gamma.s, rhoY: s.gamma.r,
                                                   verifierAux: verifier, profile: profile, context: pcDelta, using: &rng)
                    affChi[j] = try PiAffG.prove(.init(pk0: pkj, pk1: own, C: Kj, D: s.x.D, Y: s.x.F, X: Xi, g: .generator),
                                                 x: x, y: s.x.beta, rho: s.x.s, rhoY: s.x.r,
                                                 verifierAux: verifier, profile: profile, context: pcChi, using: &rng)
                }
                // Π^dec_ℓ((N_i, U_i, δ_i); (y, ρ_U)) and Π^dec_ℓ((N_i, K_i^{m*}·Û_i, σ*_i); (ŷ, ρ_Û)).
                let decDelta = try PiDec.prove(.init(pk: own, C: U, x: delta), y: y, rho: rhoU, verifierAux: verifier,
                                               profile: profile, context: pcDelta, using: &rng)
                let decChi = try PiDec.prove(.init(pk: own, C: Uhat, x: sigmaStar), y: yHat, rho: rhoUhat, verifierAux: verifier,
                                             profile: profile, context: pcChi, using: &rng)
                // Π^mul*_ℓ((N_i, K_i, Ĥ_i, X_i); (x_i, ρ_Ĥ)).
                let mulStar = try PiMulStar<Secp256k1Group>.prove(.init(pk: own, C: Ki, D: Hhat, X: Xi, g: .generator), x: x,
                                                                  rho: rhoHhat, verifierAux: verifier, profile: profile,
                                                                  context: pcChi, using: &rng)
                return (Part(H: H, sent: gammaSide.sent, received: gammaSide.received, affG: affDelta, piDec: decDelta),
                        Part(H: Hhat, sent: xSide.sent, received: xSide.received, affG: affChi, piDec: decChi), mulStar)
            }
        }
        let out = zip(ctx.others, proofs).map { l, p in
            PresignIdentifyMessage(from: me, to: l, delta: p.0, piMul: piMul, chi: p.1, piMulStar: p.2, sigmaStar: sigmaStar)
        }
        let verifierState = PresignIdentification(ctx: ctx, announced: announced,
                                                  sent: sent.mapValues { .init(delta: .init($0.gamma), chi: .init($0.x)) },
                                                  received: received.mapValues { .init(delta: .init($0.gamma), chi: .init($0.x)) })
        return CGGMPStep(state: verifierState, messages: out)
    }
}

extension PaillierSecretKey {
    /// The nonce ρ of a ciphertext C = (1+N)^m ρ^N: C ≡ ρ^N mod N, so ρ = C^{N^{-1} mod φ(N)} mod N.
    func recoverNonce(_ c: BigNum) -> BigNum? {
        let n = publicKey.n
        guard let e = n.inverse(modulus: phi) else { return nil }
        return c.mod(n).powSecret(e, modulus: n)
    }
}
