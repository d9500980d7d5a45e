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

/// One MtA pair P_i received from P_j in round 2 (kept for identification): D_{i,j} under N_i, F_{i,j} under
/// N_j, α = dec_i(D_{i,j}).
struct PresignReceivedMtA: Sendable {
    let D: BigNum
    let F: BigNum
    let alpha: BigNum
}

/// Both pairs P_i received from P_j: for γ_j (δ) and for x_j (χ).
struct PresignReceivedPairs: Sendable {
    let gamma: PresignReceivedMtA
    let x: PresignReceivedMtA
}

/// One sender's round-2 message after verification (computed concurrently, folded in message order).
enum PresignRound3Verdict: Sendable {
    case decrypted(alpha: BigNum, alphaHat: BigNum)
    case blame(CGGMPBlame)
    case localFailure(CGGMPError)
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
        let k = self.k, rho = self.rho, x = self.x
        try ctx.checkSenders(messages.map { ($0.from, $0.to) })
        let q = CGGMPProfile.curveOrder
        let sk = ctx.aux.paillier, own = sk.publicKey
        guard let Ki = round1.K[ctx.me] else { throw .invalidInput("missing own K") }
        var culprits = [CGGMPPartyId: CGGMPBlame]()
        var Gammas = [ctx.me: Gamma]
        var received = [CGGMPPartyId: PresignReceivedPairs]()
        var sumAlphaHat = BigNum.zero
        var sumAlpha = BigNum.zero
        // Echo of round 1 (checklist 12), before anything else: a mismatch means someone equivocated.
        let mismatched = messages.filter { $0.echo != round1.echo }.map(\.from).sorted()
        guard mismatched.isEmpty else { throw .echoMismatch(mismatched) }
        // Fig. 7, Round 3, steps 1-2, per sender concurrently: verify ψ_{i,j}, ψ̂_{i,j} (Π^aff-g) and ψ'_{i,j}
        // (Π^log*), then α_{i,j} = dec_i(D_{i,j}), α̂_{i,j} = dec_i(D̂_{i,j}).
        let senders = try messages.map { m throws(CGGMPProtocolError) -> (VerifiedPeerAuxInfo, BigNum, Secp256k1Point) in
            guard let Gj = round1.G[m.from], let Xj = ctx.X[m.from] else { throw .invalidInput("missing round 1 value") }
            return (try ctx.peer(m.from), Gj, Xj)
        }
        let ownAux = ctx.aux.ringPedersen
        let verdicts = CGGMPConcurrent.map(messages.count) { (n: Int) -> PresignRound3Verdict in
            let m = messages[n], (peer, Gj, Xj) = senders[n]
            // Checklist 15: no identity points.
            guard !m.Gamma.isIdentity else { return .blame(.malformed("Γ is the identity")) }
            let pc = ctx.proofContext(prover: m.from, round: 2)
            do throws(CGGMPError) {
                let st = PiAffG<Secp256k1Group>.Statement(pk0: own, pk1: peer.paillier, C: Ki, D: m.D, Y: m.F, X: m.Gamma, g: .generator)
                try m.psi.verify(st, ownAux: ownAux, profile: ctx.profile, context: pc)
                let stHat = PiAffG<Secp256k1Group>.Statement(pk0: own, pk1: peer.paillier, C: Ki, D: m.Dhat, Y: m.Fhat, X: Xj, g: .generator)
                try m.psiHat.verify(stHat, ownAux: ownAux, profile: ctx.profile, context: pc)
                try m.psiPrime.verify(pk: peer.paillier, C: Gj, X: m.Gamma, g: .generator, ownAux: ownAux,
                                      profile: ctx.profile, context: pc)
            } catch {
                return .blame(blame(error, round: 2))
            }
            do throws(CGGMPError) { return .decrypted(alpha: try sk.decryptSigned(m.D), alphaHat: try sk.decryptSigned(m.Dhat)) }
            catch { return .localFailure(error) }
        }
        for (m, verdict) in zip(messages, verdicts) {
            switch verdict {
            case .blame(let b): culprits[m.from] = b
            case .localFailure(let e): throw .local(e)
            case .decrypted(let alpha, let alphaHat):
                received[m.from] = PresignReceivedPairs(gamma: PresignReceivedMtA(D: m.D, F: m.F, alpha: alpha),
                                                        x: PresignReceivedMtA(D: m.Dhat, F: m.Fhat, alpha: alphaHat))
                sumAlpha = sumAlpha + alpha
                sumAlphaHat = sumAlphaHat + alphaHat
                Gammas[m.from] = m.Gamma
            }
        }
        guard culprits.isEmpty else { throw .culprits(culprits) }
        // Fig. 7, Round 3, step 2: Γ = Σ_j Γ_j, Δ_i = k_i·Γ,
        // δ_i = γ_i k_i + Σ_{j≠i} (α_{i,j} − β_{i,j}), χ_i = x_i k_i + Σ_{j≠i} (α̂_{i,j} − β̂_{i,j}) mod q.
        var GammaSum = Secp256k1Point.identity
        for j in ctx.signers { GammaSum = GammaSum + (Gammas[j] ?? .identity) }
        let Delta = Secp256k1Group.multiply(GammaSum, by: k)
        var sumBeta = BigNum.zero, sumBetaHat = BigNum.zero
        for (_, s) in sent { sumBeta = sumBeta + s.gamma.beta; sumBetaHat = sumBetaHat + s.x.beta }
        let delta = (gamma * k + sumAlpha - sumBeta).mod(q)
        let chi = (x * k + sumAlphaHat - sumBetaHat).mod(q)
        let S = Secp256k1Group.multiply(GammaSum, by: chi)
        // ψ''_{j,i} = Π^log*_j((ℓ, N_i, K_i, Δ_i, Γ); (k_i, ρ_i)).
        // One proof per recipient, concurrently (each with its own stream forked from `rng`).
        let pc = ctx.proofContext(prover: ctx.me, round: 3)
        let verifiers = try ctx.others.map { j throws(CGGMPProtocolError) in try ctx.peer(j).ringPedersen }
        let gammaSum = GammaSum
        let proofs = try local { () throws(CGGMPError) in
            try CGGMPConcurrent.map(verifiers.count, using: &rng) { (n: Int, r: inout ForkedRandom) throws(CGGMPError) in
                try PiLogStar<Secp256k1Group>.prove(pk: own, C: Ki, X: Delta, g: gammaSum, x: k, rho: rho,
                                                    verifierAux: verifiers[n], profile: ctx.profile, context: pc, using: &r)
            }
        }
        let out = zip(ctx.others, proofs).map {
            PresignRound3Message(from: ctx.me, to: $0, delta: delta, Delta: Delta, S: S, psiDoublePrime: $1)
        }
        let state = PresignRound3State(ctx: ctx, x: x, k: k, chi: chi, gamma: gamma, rho: rho, nu: nu, delta: delta,
                                       Delta: Delta, S: S, Gamma: GammaSum, Gammas: Gammas, round1: round1, sent: sent,
                                       received: received)
        return CGGMPStep(state: state, messages: out)
    }
}

/// Our secret state after round 3.
public struct PresignRound3State: ~Copyable, Sendable {
    let ctx: PresignContext
    /// x_i: our additive key share (the witness of the χ identification).
    let x: BigNum
    let k: BigNum, chi: BigNum
    let gamma: BigNum, rho: BigNum, nu: BigNum
    let delta: BigNum
    let Delta: Secp256k1Point, S: Secp256k1Point, Gamma: Secp256k1Point
    /// Γ_j of every signer (for the Π^aff-g statements of identification).
    let Gammas: [CGGMPPartyId: Secp256k1Point]
    let round1: PresignRound1Public
    let sent: [CGGMPPartyId: PresignSentPairs]
    let received: [CGGMPPartyId: PresignReceivedPairs]
}
