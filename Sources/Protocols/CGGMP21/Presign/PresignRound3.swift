/// CGGMP21 presigning, round 3 (eprint 2021/060, Fig. 7, Round 3).

/// Round 3 message from P_i to P_j: δ_i, Δ_i = k_i·Γ, S_i = χ_i·Γ (used to check signature shares,
/// Fig. 8) and ψ''_{j,i} = Π^log* for (K_i, Δ_i) in base Γ.
public struct PresignRound3Message: Sendable {
    public let from: CGGMPPartyId
    public let to: CGGMPPartyId
    public let delta: BigNum
    public let Delta: Secp256k1Point
    public let S: Secp256k1Point
    public let psiDoublePrime: PiLogStar<Secp256k1Group>
    public init(from: CGGMPPartyId, to: CGGMPPartyId, delta: BigNum, Delta: Secp256k1Point, S: Secp256k1Point,
                psiDoublePrime: PiLogStar<Secp256k1Group>) {
        self.from = from; self.to = to; self.delta = delta; self.Delta = Delta; self.S = S
        self.psiDoublePrime = psiDoublePrime
    }
}

/// What P_i received from P_j in round 2 (kept for identification).
struct PresignReceivedMtA: Sendable {
    let D: BigNum
    let F: BigNum
    let alpha: BigNum
}

func blame(_ e: CGGMPError, round: Int) -> CGGMPBlame {
    if case .proofRejected(let kind, let reason) = e { return .badProof(kind, round: round, reason) }
    return .malformed("\(e)")
}

extension PresignRound2State {
    /// Verifies round 2 (echo, ψ, ψ̂, ψ') and runs round 3. Consumes the state.
    public consuming func receive<R: RandomSource>(_ messages: [PresignRound2Message], using rng: inout R)
        throws(CGGMPProtocolError) -> CGGMPStep<PresignRound3State, PresignRound3Message> {
        let ctx = self.ctx
        try ctx.checkSenders(messages.map { ($0.from, $0.to) })
        let q = CGGMPProfile.curveOrder
        let sk = ctx.aux.paillier, own = sk.publicKey
        guard let Ki = round1.K[ctx.me] else { throw .invalidInput("missing own K") }
        var culprits = [CGGMPPartyId: CGGMPBlame]()
        var Gammas = [ctx.me: Gamma]
        var received = [CGGMPPartyId: PresignReceivedMtA]()
        var sumAlphaHat = BigNum.zero
        var sumAlpha = BigNum.zero
        // Echo of round 1 (checklist 12), before anything else: a mismatch means someone equivocated.
        let mismatched = messages.filter { $0.echo != round1.echo }.map(\.from).sorted()
        guard mismatched.isEmpty else { throw .echoMismatch(mismatched) }
        for m in messages {
            let peer = try ctx.peer(m.from)
            guard let Gj = round1.G[m.from], let Xj = ctx.X[m.from] else { throw .invalidInput("missing round 1 value") }
            // Checklist 15: no identity points.
            guard !m.Gamma.isIdentity else { culprits[m.from] = .malformed("Γ is the identity"); continue }
            let pc = ctx.proofContext(prover: m.from, round: 2)
            // Fig. 7, Round 3, step 1: verify ψ_{i,j}, ψ̂_{i,j} (Π^aff-g) and ψ'_{i,j} (Π^log*).
            do {
                let st = PiAffG<Secp256k1Group>.Statement(pk0: own, pk1: peer.paillier, C: Ki, D: m.D, Y: m.F, X: m.Gamma, g: .generator)
                try m.psi.verify(st, ownAux: ctx.aux.ringPedersen, profile: ctx.profile, context: pc)
                let stHat = PiAffG<Secp256k1Group>.Statement(pk0: own, pk1: peer.paillier, C: Ki, D: m.Dhat, Y: m.Fhat, X: Xj, g: .generator)
                try m.psiHat.verify(stHat, ownAux: ctx.aux.ringPedersen, profile: ctx.profile, context: pc)
                try m.psiPrime.verify(pk: peer.paillier, C: Gj, X: m.Gamma, g: .generator, ownAux: ctx.aux.ringPedersen,
                                      profile: ctx.profile, context: pc)
            } catch {
                culprits[m.from] = blame(error, round: 2)
                continue
            }
            // Fig. 7, Round 3, step 2: α_{i,j} = dec_i(D_{i,j}), α̂_{i,j} = dec_i(D̂_{i,j}).
            let alpha = try local { () throws(CGGMPError) in try sk.decryptSigned(m.D) }
            let alphaHat = try local { () throws(CGGMPError) in try sk.decryptSigned(m.Dhat) }
            received[m.from] = PresignReceivedMtA(D: m.D, F: m.F, alpha: alpha)
            sumAlpha = sumAlpha + alpha
            sumAlphaHat = sumAlphaHat + alphaHat
            Gammas[m.from] = m.Gamma
        }
        guard culprits.isEmpty else { throw .culprits(culprits) }
        // Fig. 7, Round 3, step 2: Γ = Σ_j Γ_j, Δ_i = k_i·Γ,
        // δ_i = γ_i k_i + Σ_{j≠i} (α_{i,j} − β_{i,j}), χ_i = x_i k_i + Σ_{j≠i} (α̂_{i,j} − β̂_{i,j}) mod q.
        var GammaSum = Secp256k1Point.identity
        for j in ctx.signers { GammaSum = GammaSum + (Gammas[j] ?? .identity) }
        let Delta = Secp256k1Group.multiply(GammaSum, by: k)
        var sumBeta = BigNum.zero, sumBetaHat = BigNum.zero
        for (_, s) in sent { sumBeta = sumBeta + s.beta; sumBetaHat = sumBetaHat + s.betaHat }
        let delta = (gamma * k + sumAlpha - sumBeta).mod(q)
        let chi = (x * k + sumAlphaHat - sumBetaHat).mod(q)
        let S = Secp256k1Group.multiply(GammaSum, by: chi)
        // ψ''_{j,i} = Π^log*_j((ℓ, N_i, K_i, Δ_i, Γ); (k_i, ρ_i)).
        var out = [PresignRound3Message]()
        let pc = ctx.proofContext(prover: ctx.me, round: 3)
        for j in ctx.others {
            let peer = try ctx.peer(j)
            let psi = try local { () throws(CGGMPError) in
                try PiLogStar<Secp256k1Group>.prove(pk: own, C: Ki, X: Delta, g: GammaSum, x: k, rho: rho,
                                                    verifierAux: peer.ringPedersen, profile: ctx.profile,
                                                    context: pc, using: &rng)
            }
            out.append(PresignRound3Message(from: ctx.me, to: j, delta: delta, Delta: Delta, S: S, psiDoublePrime: psi))
        }
        let state = PresignRound3State(ctx: ctx, k: k, chi: chi, gamma: gamma, rho: rho, nu: nu, delta: delta,
                                       Delta: Delta, S: S, Gamma: GammaSum, Gammas: Gammas, round1: round1, sent: sent,
                                       received: received)
        return CGGMPStep(state: state, messages: out)
    }
}

/// Our secret state after round 3.
public struct PresignRound3State: ~Copyable, Sendable {
    let ctx: PresignContext
    let k: BigNum, chi: BigNum
    let gamma: BigNum, rho: BigNum, nu: BigNum
    let delta: BigNum
    let Delta: Secp256k1Point, S: Secp256k1Point, Gamma: Secp256k1Point
    /// Γ_j of every signer (for the Π^aff-g statements of identification).
    let Gammas: [CGGMPPartyId: Secp256k1Point]
    let round1: PresignRound1Public
    let sent: [CGGMPPartyId: PresignSentMtA]
    let received: [CGGMPPartyId: PresignReceivedMtA]
}
