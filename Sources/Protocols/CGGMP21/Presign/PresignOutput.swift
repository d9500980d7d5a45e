/// CGGMP21 presigning, output step and identification (eprint 2021/060, Fig. 7 "Output" and the
/// δ-failure identification of §4.3).

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

/// The identification message after a failed δ check: P_i opens its round-1 ciphertexts
/// (k_i, ρ_i, γ_i, ν_i), the MtA pairs it sent (β_{i,j}, s_{i,j}, r_{i,j}) and the decryptions of the
/// D_{i,j} it received (α_{i,j} with the Paillier nonce). Only values of the aborted session's γ-MtA
/// are revealed (never x_i, χ_i or the x-MtA): the paper proves these relations in zero knowledge
/// with Π^mul / Π^dec instead; this is the "open the aborted nonce" variant.
public struct PresignIdentifyMessage: Sendable {
    public struct Sent: Sendable { public let D: BigNum, F: BigNum, beta: BigNum, s: BigNum, r: BigNum }
    public struct Received: Sendable { public let D: BigNum, alpha: BigNum, nonce: BigNum }
    public let from: CGGMPPartyId
    public let k: BigNum, rho: BigNum, gamma: BigNum, nu: BigNum
    public let delta: BigNum
    public let sent: [CGGMPPartyId: Sent]
    public let received: [CGGMPPartyId: Received]
}

/// The outcome of round 3: a presignature, or (δ check failed) identification.
public enum CGGMPPresignOutcome: ~Copyable, Sendable {
    case presignature(CGGMPPresignature)
    case identify(PresignIdentification, PresignIdentifyMessage)
}

extension PaillierSecretKey {
    /// The nonce ρ of a ciphertext C = (1+N)^m ρ^N: C ≡ ρ^N mod N, so ρ = C^{N^{-1} mod φ(N)} mod N.
    func recoverNonce(_ c: BigNum) -> BigNum? {
        let n = publicKey.n
        guard let e = n.inverse(modulus: phi) else { return nil }
        return c.mod(n).powSecret(e, modulus: n)
    }
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
        // Fig. 7, Output, step 1: verify ψ''_{i,j}.
        for m in messages {
            let peer = try ctx.peer(m.from)
            guard m.delta.sign >= 0, m.delta < q else { culprits[m.from] = .malformed("δ not in [0, q)"); continue }
            guard let Kj = round1.K[m.from] else { throw .invalidInput("missing K") }
            // Checklist 15: no identity points.
            guard !m.Delta.isIdentity, !m.S.isIdentity else { culprits[m.from] = .malformed("Δ or S is the identity"); continue }
            do {
                try m.psiDoublePrime.verify(pk: peer.paillier, C: Kj, X: m.Delta, g: Gamma, ownAux: ctx.aux.ringPedersen,
                                            profile: ctx.profile, context: ctx.proofContext(prover: m.from, round: 3))
            } catch {
                culprits[m.from] = blame(error, round: 3)
                continue
            }
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
        guard Secp256k1Group.multiplyGenerator(deltaSum) == DeltaSum, !deltaSum.isZero else {
            return .identify(identification(deltas: deltas), identifyMessage())
        }
        // Σ S_j = χ·Γ = k·x·γ·G = δ·X (binds the S_j used to check signature shares).
        guard Secp256k1Group.multiplyPublic(ctx.publicKey, by: deltaSum) == SSum else { throw .inconsistentChi }
        // R = δ^{-1}·Γ.
        guard let deltaInv = deltaSum.inverse(modulus: q) else { throw .deltaCheckFailed }
        let R = Secp256k1Group.multiplyPublic(Gamma, by: deltaInv)
        let pub = CGGMPPresignaturePublic(signers: ctx.signers, R: R, Gamma: Gamma, Delta: Deltas, S: Ss,
                                          publicKey: ctx.publicKey)
        return .presignature(CGGMPPresignature(id: ctx.me, publicData: pub, k: k, chi: chi))
    }

    func identifyMessage() -> PresignIdentifyMessage {
        let sk = ctx.aux.paillier
        var s = [CGGMPPartyId: PresignIdentifyMessage.Sent]()
        for (j, v) in sent { s[j] = .init(D: v.D, F: v.F, beta: v.beta, s: v.s, r: v.r) }
        var r = [CGGMPPartyId: PresignIdentifyMessage.Received]()
        for (j, v) in received { r[j] = .init(D: v.D, alpha: v.alpha, nonce: sk.recoverNonce(v.D) ?? .zero) }
        return PresignIdentifyMessage(from: ctx.me, k: k, rho: rho, gamma: gamma, nu: nu, delta: delta, sent: s, received: r)
    }

    func identification(deltas: [CGGMPPartyId: BigNum]) -> PresignIdentification {
        var mine = [CGGMPPartyId: BigNum]()
        for (j, v) in received { mine[j] = v.D }
        var sentD = [CGGMPPartyId: BigNum]()
        for (j, v) in sent { sentD[j] = v.D }
        return PresignIdentification(ctx: ctx, round1: round1, deltas: deltas, receivedD: mine, sentD: sentD)
    }
}

/// Identification after a failed δ check (public data only).
public struct PresignIdentification: Sendable {
    let ctx: PresignContext
    let round1: PresignRound1Public
    let deltas: [CGGMPPartyId: BigNum]
    /// D_{i,j} we received from j in round 2, and D_{j,i} we sent.
    let receivedD: [CGGMPPartyId: BigNum]
    let sentD: [CGGMPPartyId: BigNum]

    /// Checks every other signer's openings and names the culprits (never empty unless the
    /// failure cannot be attributed, which honest parties' consistent data rules out).
    public func identify(_ messages: [PresignIdentifyMessage]) throws(CGGMPProtocolError) -> [CGGMPPartyId: CGGMPBlame] {
        try ctx.checkSenders(messages.map { ($0.from, ctx.me) })
        let q = CGGMPProfile.curveOrder
        var byId = [CGGMPPartyId: PresignIdentifyMessage]()
        for m in messages { byId[m.from] = m }
        var culprits = [CGGMPPartyId: CGGMPBlame]()
        for m in messages {
            let i = m.from
            let pki = try ctx.peer(i).paillier
            guard let Ki = round1.K[i], let Gi = round1.G[i], let deltaI = deltas[i] else { throw .invalidInput("missing data") }
            // K_i = enc_i(k_i; ρ_i), G_i = enc_i(γ_i; ν_i), k_i, γ_i ∈ [0, q).
            guard m.k.sign >= 0, m.k < q, m.gamma.sign >= 0, m.gamma < q,
                  (try? pki.encrypt(m.k, nonce: m.rho)) == Ki, (try? pki.encrypt(m.gamma, nonce: m.nu)) == Gi else {
                culprits[i] = .badOpening("K_i or G_i"); continue
            }
            guard m.delta == deltaI else { culprits[i] = .badOpening("δ_i differs from round 3"); continue }
            var sum = m.gamma * m.k
            var bad: CGGMPBlame?
            for j in ctx.signers where j != i {
                guard let out = m.sent[j], let inc = m.received[j] else { bad = .badOpening("missing entry for \(j)"); break }
                let pkj: PaillierPublicKey
                if j == ctx.me { pkj = ctx.aux.paillier.publicKey } else { pkj = try ctx.peer(j).paillier }
                guard let Kj = round1.K[j] else { throw .invalidInput("missing K") }
                // What i sent to j: D_{j,i} = K_j^{γ_i}·enc_j(β_{i,j}; s), F_{j,i} = enc_i(β_{i,j}; r), β ∈ J.
                guard out.beta.isInSymmetricRange(.powerOfTwo(ctx.profile.ellPrime)),
                      let kg = try? pkj.multiply(Kj, by: m.gamma), let eb = try? pkj.encrypt(out.beta, nonce: out.s),
                      kg.mulMod(eb, pkj.nSquared) == out.D, (try? pki.encrypt(out.beta, nonce: out.r)) == out.F else {
                    bad = .badOpening("D_{\(j),\(i)} / F_{\(j),\(i)}"); break
                }
                // Our own view: what i sent us must be what it now claims.
                if j == ctx.me, receivedD[i] != out.D { bad = .badOpening("D sent to us differs"); break }
                // What i received from j: α_{i,j} opens D_{i,j} (as j claims to have sent it; as we received it if j is us).
                let claimed = j == ctx.me ? sentD[i] : byId[j]?.sent[i]?.D
                guard inc.D == claimed || claimed == nil,
                      (try? pki.encrypt(inc.alpha, nonce: inc.nonce)) == inc.D else {
                    bad = .badOpening("decryption of D_{\(i),\(j)}"); break
                }
                sum = sum + inc.alpha - out.beta
            }
            if let bad { culprits[i] = bad; continue }
            // δ_i = γ_i k_i + Σ_j (α_{i,j} − β_{i,j}) mod q.
            if sum.mod(q) != deltaI { culprits[i] = .wrongDelta }
        }
        return culprits
    }
}
