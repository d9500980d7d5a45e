/// CGGMP21 presigning, round 2 (eprint 2021/060, Fig. 7, Round 2).

/// Round 2 message from P_i to P_j: Γ_i, the two MtA pairs (D_{j,i}, F_{j,i}), (D̂_{j,i}, F̂_{j,i})
/// with Π^aff-g ψ_{j,i}, ψ̂_{j,i}, Π^log* ψ'_{j,i} for Γ_i, and the echo of round 1 (checklist 12).
public struct PresignRound2Message: Sendable {
    public let from: CGGMPPartyId
    public let to: CGGMPPartyId
    public let Gamma: Secp256k1Point
    public let D: BigNum, F: BigNum, Dhat: BigNum, Fhat: BigNum
    public let psi: PiAffG<Secp256k1Group>
    public let psiHat: PiAffG<Secp256k1Group>
    public let psiPrime: PiLogStar<Secp256k1Group>
    /// H(K_j, G_j for all signers j) as received in round 1.
    public let echo: [UInt8]
    public init(from: CGGMPPartyId, to: CGGMPPartyId, Gamma: Secp256k1Point, D: BigNum, F: BigNum, Dhat: BigNum,
                Fhat: BigNum, psi: PiAffG<Secp256k1Group>, psiHat: PiAffG<Secp256k1Group>,
                psiPrime: PiLogStar<Secp256k1Group>, echo: [UInt8]) {
        self.from = from; self.to = to; self.Gamma = Gamma; self.D = D; self.F = F; self.Dhat = Dhat; self.Fhat = Fhat
        self.psi = psi; self.psiHat = psiHat; self.psiPrime = psiPrime; self.echo = echo
    }
}

/// One MtA pair P_i sent to P_j in round 2 and its openings (kept for identification): D_{j,i} under N_j
/// with nonce s, F_{j,i} = enc_i(β; r).
struct PresignSentMtA: Sendable {
    let D: BigNum, F: BigNum, beta: BigNum, s: BigNum, r: BigNum
}

/// Both pairs P_i sent to P_j: for γ_i (δ, identified after a failed δ check) and for x_i (χ, identified after
/// a failed χ check).
struct PresignSentPairs: Sendable {
    let gamma: PresignSentMtA
    let x: PresignSentMtA
}

/// Round-1 public values of every signer.
struct PresignRound1Public: Sendable {
    let K: [CGGMPPartyId: BigNum]
    let G: [CGGMPPartyId: BigNum]
    let echo: [UInt8]
}

extension PresignRound1State {
    /// Verifies every ψ^0 and runs round 2. Consumes the state.
    public consuming func receive<R: RandomSource>(_ messages: [PresignRound1Message], using rng: inout R)
        throws(CGGMPProtocolError) -> CGGMPStep<PresignRound2State, PresignRound2Message> {
        let ctx = self.ctx
        let gamma = self.gamma, x = self.x, G = self.G, nu = self.nu
        try ctx.checkSenders(messages.map { ($0.from, $0.to) })
        let own = ctx.aux.paillier.publicKey
        // Fig. 7, Round 2, step 1: verify ψ^0_{i,j} for every j (the senders concurrently).
        var culprits = [CGGMPPartyId: CGGMPBlame]()
        var Ks = [ctx.me: K], Gs = [ctx.me: G]
        let senders = try messages.map { m throws(CGGMPProtocolError) in try ctx.peer(m.from).paillier }
        let ownAux = ctx.aux.ringPedersen
        let verdicts = CGGMPConcurrent.map(messages.count) { (n: Int) -> CGGMPBlame? in
            let m = messages[n]
            guard senders[n].isValidCiphertext(m.G) else { return .malformed("G not in Z*_{N²}") }
            do throws(CGGMPError) {
                try m.psi0.verify(pk: senders[n], K: m.K, ownAux: ownAux, profile: ctx.profile,
                                  context: ctx.proofContext(prover: m.from, round: 1))
            } catch { return blame(error, round: 1) }
            return nil
        }
        for (m, verdict) in zip(messages, verdicts) {
            if let verdict { culprits[m.from] = verdict } else { Ks[m.from] = m.K; Gs[m.from] = m.G }
        }
        guard culprits.isEmpty else { throw .culprits(culprits) }
        var parts = [[UInt8]]()
        for j in ctx.signers {
            guard let Kj = Ks[j], let Gj = Gs[j] else { throw .invalidInput("missing round 1 value") }
            parts.append([UInt8(j >> 8), UInt8(j & 0xff)]); parts.append(Kj.magnitudeBytes); parts.append(Gj.magnitudeBytes)
        }
        let echo = cggmpFramedHash("CGGMP21/presign/echo", [ctx.sessionId] + parts)
        let pub = PresignRound1Public(K: Ks, G: Gs, echo: echo)

        // Fig. 7, Round 2, step 2: Γ_i = γ_i·G.
        let Gamma = Secp256k1Group.multiplyGenerator(gamma)
        let twoLPrime = BigNum.powerOfTwo(ctx.profile.ellPrime)
        // Per recipient (concurrently, each with its own stream forked from `rng`).
        let recipients = try ctx.others.map { j throws(CGGMPProtocolError) -> (VerifiedPeerAuxInfo, BigNum) in
            guard let Kj = Ks[j] else { throw .invalidInput("missing K") }
            return (try ctx.peer(j), Kj)
        }
        let pc = ctx.proofContext(prover: ctx.me, round: 2)
        let results = try local { () throws(CGGMPError) in
            try CGGMPConcurrent.map(recipients.count, using: &rng) { (n: Int, rng: inout ForkedRandom) throws(CGGMPError) -> (PresignRound2Message, PresignSentPairs) in
                let (peer, Kj) = recipients[n], j = ctx.others[n]
                let pkj = peer.paillier
                // Fig. 7, Round 2, step 2: β_{i,j}, β̂_{i,j} ← J; D_{j,i} = (γ_i ⊙ K_j) ⊕ enc_j(β_{i,j}; s_{i,j}),
                // F_{j,i} = enc_i(β_{i,j}; r_{i,j}); D̂_{j,i}, F̂_{j,i} likewise with x_i.
                // (Sign convention: α_{j,i} = dec_j(D_{j,i}) = k_j·γ_i + β_{i,j}; P_i subtracts β_{i,j}.)
                let beta = BigNum.randomSigned(magnitude: twoLPrime, using: &rng)
                let betaHat = BigNum.randomSigned(magnitude: twoLPrime, using: &rng)
                let s = BigNum.randomUnit(modulo: pkj.n, using: &rng)
                let sHat = BigNum.randomUnit(modulo: pkj.n, using: &rng)
                let D = try pkj.multiply(Kj, by: gamma).mulMod(try pkj.encrypt(beta, nonce: s), pkj.nSquared)
                let Dhat = try pkj.multiply(Kj, by: x).mulMod(try pkj.encrypt(betaHat, nonce: sHat), pkj.nSquared)
                let (F, r) = ctx.aux.paillier.encrypt(beta, using: &rng)
                let (Fhat, rHat) = ctx.aux.paillier.encrypt(betaHat, using: &rng)
                // ψ_{j,i}, ψ̂_{j,i} = Π^aff-g; ψ'_{j,i} = Π^log* for (G_i, Γ_i).
                let st = PiAffG<Secp256k1Group>.Statement(pk0: pkj, pk1: own, C: Kj, D: D, Y: F, X: Gamma, g: .generator)
                let psi = try PiAffG.prove(st, x: gamma, y: beta, rho: s, rhoY: r, verifierAux: peer.ringPedersen,
                                           profile: ctx.profile, context: pc, using: &rng)
                let Xi = ctx.X[ctx.me] ?? .identity
                let stHat = PiAffG<Secp256k1Group>.Statement(pk0: pkj, pk1: own, C: Kj, D: Dhat, Y: Fhat, X: Xi, g: .generator)
                let psiHat = try PiAffG.prove(stHat, x: x, y: betaHat, rho: sHat, rhoY: rHat, verifierAux: peer.ringPedersen,
                                              profile: ctx.profile, context: pc, using: &rng)
                let psiPrime = try PiLogStar<Secp256k1Group>.prove(pk: own, C: G, X: Gamma, g: .generator, x: gamma, rho: nu,
                                                                   verifierAux: peer.ringPedersen, profile: ctx.profile,
                                                                   context: pc, using: &rng)
                return (PresignRound2Message(from: ctx.me, to: j, Gamma: Gamma, D: D, F: F, Dhat: Dhat, Fhat: Fhat,
                                             psi: psi, psiHat: psiHat, psiPrime: psiPrime, echo: echo),
                        PresignSentPairs(gamma: PresignSentMtA(D: D, F: F, beta: beta, s: s, r: r),
                                         x: PresignSentMtA(D: Dhat, F: Fhat, beta: betaHat, s: sHat, r: rHat)))
            }
        }
        let out = results.map(\.0)
        var sent = [CGGMPPartyId: PresignSentPairs]()
        for (j, r) in zip(ctx.others, results) { sent[j] = r.1 }
        let state = PresignRound2State(ctx: ctx, x: x, k: k, gamma: gamma, rho: rho, nu: nu, Gamma: Gamma,
                                       round1: pub, sent: sent)
        return CGGMPStep(state: state, messages: out)
    }
}

/// Our secret state after round 2.
public struct PresignRound2State: ~Copyable, Sendable {
    let ctx: PresignContext
    let x: BigNum, k: BigNum, gamma: BigNum, rho: BigNum, nu: BigNum
    let Gamma: Secp256k1Point
    let round1: PresignRound1Public
    let sent: [CGGMPPartyId: PresignSentPairs]
}
