/// CGGMP21 presigning, identification after a failed δ check (eprint 2021/060, Fig. 7, Output, the
/// error step; proofs Π^mul, Π^aff-g, Π^dec of Appendix C). Nothing secret is opened: P_i publishes
/// H_i = enc_i(k_i·γ_i) with Π^mul w.r.t. (K_i, G_i), the γ-MtA pairs (D_{j,i}, F_{j,i}) it sent with
/// Π^aff-g re-proven to every other verifier, the D_{i,j} it received, and proves with Π^dec (against
/// each verifier's ring-Pedersen parameters) that its round-3 δ_i is the decryption mod q of
/// U_i = H_i·Π_j D_{i,j}·F_{j,i}^{-1} (our MtA sign convention: δ_i = k_iγ_i + Σ_j (α_{i,j} − β_{i,j})).

/// The identification message from P_i (`from`) to the verifier P_ℓ (`to`).
public struct PresignIdentifyMessage: Sendable, Equatable {
    /// A γ-MtA pair P_i sent in round 2: D_{j,i} under N_j, F_{j,i} under N_i.
    public struct MtA: Sendable, Equatable {
        public let D: BigNum, F: BigNum
        public init(D: BigNum, F: BigNum) { self.D = D; self.F = F }
    }
    public let from: CGGMPPartyId
    public let to: CGGMPPartyId
    /// H_i = G_i^{k_i}·ρ^{N_i} = enc_i(k_i·γ_i).
    public let H: BigNum
    public let piMul: PiMul
    /// j → (D_{j,i}, F_{j,i}) for every other signer j.
    public let sent: [CGGMPPartyId: MtA]
    /// j → D_{i,j} as P_i received it in round 2.
    public let received: [CGGMPPartyId: BigNum]
    /// j → Π^aff-g for (K_j, D_{j,i}, F_{j,i}, Γ_i) against P_ℓ's parameters, every j ∉ {i, ℓ}.
    public let affG: [CGGMPPartyId: PiAffG<Secp256k1Group>]
    /// Π^dec for (N_i, U_i, δ_i) against P_ℓ's parameters.
    public let piDec: PiDec

    public init(from: CGGMPPartyId, to: CGGMPPartyId, H: BigNum, piMul: PiMul, sent: [CGGMPPartyId: MtA],
                received: [CGGMPPartyId: BigNum], affG: [CGGMPPartyId: PiAffG<Secp256k1Group>], piDec: PiDec) {
        self.from = from; self.to = to; self.H = H; self.piMul = piMul; self.sent = sent; self.received = received
        self.affG = affG; self.piDec = piDec
    }

    /// U_i = H_i·Π_j D_{i,j}·F_{j,i}^{-1} mod N_i² from this message's values; nil if a value is not a unit.
    public func aggregate(pk: PaillierPublicKey) -> BigNum? {
        var u = H
        for (j, d) in received {
            guard let f = sent[j]?.F, let fInv = f.inverse(modulus: pk.nSquared) else { return nil }
            u = u.mulMod(d, pk.nSquared).mulMod(fInv, pk.nSquared)
        }
        return u
    }
}

/// What one verifier concludes from the identification messages.
public struct PresignIdentificationResult: Sendable, Equatable {
    /// Every party whose identification failed, with why.
    public let culprits: [CGGMPPartyId: CGGMPBlame]
    /// Pairs (a, b), a < b, neither of them us, that disagree about the D_{a,b} / D_{b,a} that went
    /// between them in round 2: one of the two lies, and a third party cannot tell which (a and b
    /// themselves name the liar, as it contradicts their own view).
    public let disputes: [[CGGMPPartyId]]
}

/// P_i's secret state for proving identification (after its own δ check failed). Non-copyable;
/// the secrets are wiped on release (BigNum).
public struct PresignIdentifyState: ~Copyable, Sendable {
    let ctx: PresignContext
    let k: BigNum, gamma: BigNum, rho: BigNum
    let round1: PresignRound1Public
    let Gammas: [CGGMPPartyId: Secp256k1Point]
    let deltas: [CGGMPPartyId: BigNum]
    let sent: [CGGMPPartyId: PresignSentMtA]
    let received: [CGGMPPartyId: PresignReceivedMtA]

    public var id: CGGMPPartyId { ctx.me }

    /// Builds the identification messages (one per other signer) and the public verifier state.
    public consuming func prove<R: RandomSource>(using rng: inout R) throws(CGGMPProtocolError)
        -> CGGMPStep<PresignIdentification, PresignIdentifyMessage> {
        let ctx = self.ctx, me = ctx.me
        let sk = ctx.aux.paillier, own = sk.publicKey
        let q = CGGMPProfile.curveOrder
        guard let Ki = round1.K[me], let Gi = round1.G[me], let Gamma = Gammas[me], let delta = deltas[me] else {
            throw .invalidInput("missing own round values")
        }
        let pc = ctx.proofContext(prover: me, round: 4)
        // H_i = G_i^{k_i}·ρ_H^{N_i} = enc_i(k_i·γ_i); Π^mul w.r.t. (K_i = enc_i(k_i; ρ_i), G_i).
        let rhoH = BigNum.randomUnit(modulo: own.n, using: &rng)
        let (H, piMul) = try local { () throws(CGGMPError) -> (BigNum, PiMul) in
            let H = try own.multiply(Gi, by: k).mulMod(try own.encrypt(.zero, nonce: rhoH), own.nSquared)
            let st = PiMul.Statement(pk: own, X: Ki, Y: Gi, C: H)
            return (H, try PiMul.prove(st, x: k, rho: rhoH, rhoX: rho, context: pc, using: &rng))
        }
        var sentPublic = [CGGMPPartyId: PresignIdentifyMessage.MtA]()
        var receivedD = [CGGMPPartyId: BigNum]()
        // y = k_iγ_i + Σ_j (α_{i,j} − β_{i,j}) over the integers: the plaintext of U_i.
        var y = k * gamma
        for j in ctx.others {
            guard let s = sent[j], let r = received[j] else { throw .invalidInput("missing MtA values for \(j)") }
            sentPublic[j] = .init(D: s.D, F: s.F)
            receivedD[j] = r.D
            y = y + r.alpha - s.beta
        }
        guard y.mod(q) == delta else { throw .invalidInput("own δ_i does not match the MtA values") }
        let probe = PresignIdentifyMessage(from: me, to: me, H: H, piMul: piMul, sent: sentPublic, received: receivedD,
                                           affG: [:], piDec: PiDec(S: .zero, T: .zero, A: .zero, gamma: .zero, z1: .zero, z2: .zero, w: .zero))
        guard let U = probe.aggregate(pk: own), let rhoU = sk.recoverNonce(U) else { throw .invalidInput("U_i") }
        var out = [PresignIdentifyMessage]()
        for l in ctx.others {
            let verifier = try ctx.peer(l).ringPedersen
            var affG = [CGGMPPartyId: PiAffG<Secp256k1Group>]()
            for j in ctx.others where j != l {
                guard let s = sent[j], let Kj = round1.K[j] else { throw .invalidInput("missing K_\(j)") }
                let pkj = try ctx.peer(j).paillier
                // Π^aff-g_ℓ((N_j, N_i, K_j, D_{j,i}, F_{j,i}, Γ_i); (γ_i, β_{i,j}, s_{i,j}, r_{i,j})).
                affG[j] = try local { () throws(CGGMPError) in
                    let st = PiAffG<Secp256k1Group>.Statement(pk0: pkj, pk1: own, C: Kj, D: s.D, Y: s.F, X: Gamma, g: .generator)
                    return try PiAffG.prove(st, x: gamma, y: s.beta, rho: s.s, rhoY: s.r, verifierAux: verifier,
                                            profile: ctx.profile, context: pc, using: &rng)
                }
            }
            // Π^dec_ℓ((N_i, U_i, δ_i); (y, ρ_U)).
            let piDec = try local { () throws(CGGMPError) in
                try PiDec.prove(.init(pk: own, C: U, x: delta), y: y, rho: rhoU, verifierAux: verifier,
                                profile: ctx.profile, context: pc, using: &rng)
            }
            out.append(PresignIdentifyMessage(from: me, to: l, H: H, piMul: piMul, sent: sentPublic, received: receivedD,
                                              affG: affG, piDec: piDec))
        }
        var ownSent = [CGGMPPartyId: PresignIdentifyMessage.MtA](), ownReceived = [CGGMPPartyId: PresignIdentifyMessage.MtA]()
        for (j, s) in sent { ownSent[j] = .init(D: s.D, F: s.F) }
        for (j, r) in received { ownReceived[j] = .init(D: r.D, F: r.F) }
        let verifierState = PresignIdentification(ctx: ctx, round1: round1, Gammas: Gammas, deltas: deltas,
                                                  sent: ownSent, received: ownReceived)
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
