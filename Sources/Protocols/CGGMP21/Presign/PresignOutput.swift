/// CGGMP21 presigning, output step (eprint 2021/060, Fig. 7 "Output"). When the δ check or the χ check fails
/// the parties run identification (Π^mul, Π^mul*, Π^aff-g, Π^dec; see Identify/).

/// The public part of a presignature (the same at every signer): R, Γ, and per signer Δ_j = k_j·Γ,
/// S_j = χ_j·Γ to check signature shares (σ_j·Γ = m·Δ_j + r·S_j).
public struct CGGMPPresignaturePublic: Sendable {
    public let signers: [CGGMPPartyId]
    public let R: Secp256k1Point
    public let Gamma: Secp256k1Point
    public let Delta: [CGGMPPartyId: Secp256k1Point]
    public let S: [CGGMPPartyId: Secp256k1Point]
    public let publicKey: Secp256k1Point
}

/// A presignature (R, k_i, χ_i). Non-copyable: `sign` consumes it, so it signs at most once
/// (checklist 17). Secrets are wiped on release (BigNum).
public struct CGGMPPresignature: ~Copyable, Sendable {
    public let id: CGGMPPartyId
    public let publicData: CGGMPPresignaturePublic
    let k: BigNum
    let chi: BigNum
}

/// Which output check of presigning failed.
public enum CGGMPPresignCheck: String, Sendable {
    /// δ·G ≠ Σ Δ_j.
    case delta = "δ"
    /// Σ S_j ≠ δ·X (δ itself correct).
    case chi = "χ"
}

/// The outcome of round 3: a presignature, or (a check failed) identification.
public enum CGGMPPresignOutcome: ~Copyable, Sendable {
    case presignature(CGGMPPresignature)
    /// Prove with `PresignIdentifyState.prove`, send the messages, verify the peers' with
    /// `PresignIdentification.identify` (Identify/).
    case identify(PresignIdentifyState, failed: CGGMPPresignCheck)
}

extension PresignRound3State {
    /// Output step of Fig. 7. Consumes the state.
    public consuming func receive(_ messages: [PresignRound3Message]) throws(CGGMPProtocolError) -> CGGMPPresignOutcome {
        let ctx = self.ctx
        try ctx.checkSenders(messages.map { ($0.from, $0.to) })
        let q = CGGMPProfile.curveOrder
        var culprits = [CGGMPPartyId: CGGMPBlame]()
        var deltas = [ctx.me: delta]
        var Deltas = [ctx.me: Delta], Ss = [ctx.me: S]
        // Fig. 7, Output, step 1: verify ψ''_{i,j}, one sender per core (`CGGMPConcurrent`).
        var checks = [(message: PresignRound3Message, peer: VerifiedPeerAuxInfo, K: BigNum)?]()
        for m in messages {
            let peer = try ctx.peer(m.from)
            guard m.delta.sign >= 0, m.delta < q else { culprits[m.from] = .malformed("δ not in [0, q)"); checks.append(nil); continue }
            guard let Kj = round1.K[m.from] else { throw .invalidInput("missing K") }
            // Checklist 15: no identity points.
            guard !m.Delta.isIdentity, !m.S.isIdentity else {
                culprits[m.from] = .malformed("Δ or S is the identity"); checks.append(nil); continue
            }
            checks.append((m, peer, Kj))
        }
        let (ownAux, profile, gammaSum) = (ctx.aux.ringPedersen, ctx.profile, Gamma)
        let contexts = checks.map { c in c.map { ctx.proofContext(prover: $0.message.from, round: 3) } }
        let pending = checks
        let verdicts = CGGMPConcurrent.map(checks.count) { (n: Int) -> CGGMPError? in
            guard let c = pending[n], let pc = contexts[n] else { return nil }
            do throws(CGGMPError) {
                try c.message.psiDoublePrime.verify(pk: c.peer.paillier, C: c.K, X: c.message.Delta, g: gammaSum,
                                                    ownAux: ownAux, profile: profile, context: pc)
                return nil
            } catch { return error }
        }
        for (c, verdict) in zip(checks, verdicts) {
            guard let c else { continue }
            let m = c.message
            if let error = verdict { culprits[m.from] = blame(error, round: 3); continue }
            deltas[m.from] = m.delta; Deltas[m.from] = m.Delta; Ss[m.from] = m.S
        }
        guard culprits.isEmpty else { throw .culprits(culprits) }
        // Fig. 7, Output, step 2: δ = Σ δ_j; check δ·G = Σ Δ_j.
        var deltaSum = BigNum.zero
        var DeltaSum = Secp256k1Point.identity, SSum = Secp256k1Point.identity
        for j in ctx.signers {
            deltaSum = deltaSum + (deltas[j] ?? .zero)
            DeltaSum = DeltaSum + (Deltas[j] ?? .identity)
            SSum = SSum + (Ss[j] ?? .identity)
        }
        deltaSum = deltaSum.mod(q)
        // Σ S_j = χ·Γ = k·x·γ·G = δ·X binds the S_j used to check signature shares. When either check fails,
        // every party proves both of its round-3 values (Identify/).
        let deltaHolds = Secp256k1Group.multiplyGenerator(deltaSum) == DeltaSum && !deltaSum.isZero
        guard deltaHolds, Secp256k1Group.multiplyPublic(ctx.publicKey, by: deltaSum) == SSum else {
            let announced = PresignRound3Public(round1: round1, Gammas: Gammas, Gamma: Gamma, deltas: deltas,
                                                Deltas: Deltas, Ss: Ss)
            return .identify(PresignIdentifyState(ctx: ctx, k: k, rho: rho, gamma: gamma, x: x, chi: chi,
                                                  announced: announced, sent: sent, received: received),
                             failed: deltaHolds ? .chi : .delta)
        }
        // R = δ^{-1}·Γ.
        guard let deltaInv = deltaSum.inverse(modulus: q) else { throw .deltaCheckFailed }
        let R = Secp256k1Group.multiplyPublic(Gamma, by: deltaInv)
        let pub = CGGMPPresignaturePublic(signers: ctx.signers, R: R, Gamma: Gamma, Delta: Deltas, S: Ss,
                                          publicKey: ctx.publicKey)
        return .presignature(CGGMPPresignature(id: ctx.me, publicData: pub, k: k, chi: chi))
    }
}
