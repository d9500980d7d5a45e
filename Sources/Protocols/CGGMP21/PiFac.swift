/// Π^fac — no small factor proof. eprint 2021/060, Appendix C (Section C.5, Fig. 28 in the
/// revised versions; Fig. 26 in earlier numbering).
///
/// Statement: N0 = pq with p, q ∈ ±2^ℓ·√N0, so neither factor is smaller than √N0 / 2^{ℓ+ε}
/// (BitForge, checklist 1). Made against the VERIFIER's ring-Pedersen parameters (N̂, s, t):
/// one proof per verifier (checklist 2). √N0 is taken as 2^{primeBits} on both sides
/// (an upper bound, since N0 < 2^{2·primeBits}).
///
/// The prover sends σ in clear and the verifier computes R = s^{N0} t^σ (as in the figure's
/// non-interactive form).
public struct PiFac: Sendable, Equatable {
    public let P: BigNum, Q: BigNum, A: BigNum, B: BigNum, T: BigNum
    public let sigma: BigNum
    public let z1: BigNum, z2: BigNum, w1: BigNum, w2: BigNum, v: BigNum

    public init(P: BigNum, Q: BigNum, A: BigNum, B: BigNum, T: BigNum, sigma: BigNum,
                z1: BigNum, z2: BigNum, w1: BigNum, w2: BigNum, v: BigNum) {
        self.P = P; self.Q = Q; self.A = A; self.B = B; self.T = T; self.sigma = sigma
        self.z1 = z1; self.z2 = z2; self.w1 = w1; self.w2 = w2; self.v = v
    }

    /// Bounds of the profile (ℓ, ε, √N0 ≈ 2^{primeBits}).
    struct Bounds {
        let sqrtN0: BigNum      // 2^{primeBits}
        let ellEps: BigNum      // 2^{ℓ+ε}
        let ell: BigNum         // 2^ℓ
        init(_ profile: CGGMPProfile) {
            sqrtN0 = .powerOfTwo(profile.primeBits)
            ellEps = .powerOfTwo(profile.ell + profile.epsilon)
            ell = .powerOfTwo(profile.ell)
        }
    }

    static func challenge(n0: BigNum, aux: RingPedersenParameters, P: BigNum, Q: BigNum, A: BigNum, B: BigNum,
                          T: BigNum, sigma: BigNum, context: CGGMPProofContext) -> BigNum {
        var tr = context.transcript(.fac)
        tr.append("N0", n0)
        tr.append("Nhat", aux.n); tr.append("s", aux.s); tr.append("t", aux.t)
        tr.append("P", P); tr.append("Q", Q); tr.append("A", A); tr.append("B", B); tr.append("T", T)
        tr.append("sigma", sigma)
        // Fig. 28, step 2 (Fiat-Shamir): e ← ±q.
        return tr.challengeSigned("e", magnitude: CGGMPProfile.curveOrder)
    }

    public static func prove<R: RandomSource>(secretKey sk: PaillierSecretKey, verifierAux aux: RingPedersenParameters,
                                              profile: CGGMPProfile, context: CGGMPProofContext,
                                              using rng: inout R) throws(CGGMPError) -> PiFac {
        let bd = Bounds(profile)
        let n0 = sk.publicKey.n, nHat = aux.n
        let p = sk.p, q = sk.q
        // Fig. 28, step 1: sample the masks.
        let alpha = BigNum.randomSigned(magnitude: bd.ellEps * bd.sqrtN0, using: &rng)
        let beta = BigNum.randomSigned(magnitude: bd.ellEps * bd.sqrtN0, using: &rng)
        let mu = BigNum.randomSigned(magnitude: bd.ell * nHat, using: &rng)
        let nu = BigNum.randomSigned(magnitude: bd.ell * nHat, using: &rng)
        let sigma = BigNum.randomSigned(magnitude: bd.ell * n0 * nHat, using: &rng)
        let r = BigNum.randomSigned(magnitude: bd.ellEps * n0 * nHat, using: &rng)
        let x = BigNum.randomSigned(magnitude: bd.ellEps * nHat, using: &rng)
        let y = BigNum.randomSigned(magnitude: bd.ellEps * nHat, using: &rng)
        // P = s^p t^μ, Q = s^q t^ν, A = s^α t^x, B = s^β t^y, T = Q^α t^r mod N̂ (secret exponents).
        let P = aux.commit(p, mu)
        let Q = aux.commit(q, nu)
        let A = aux.commit(alpha, x)
        let B = aux.commit(beta, y)
        guard let qAlpha = Q.powSecret(alpha, modulus: nHat), let tR = aux.t.powSecret(r, modulus: nHat) else {
            throw .proverFailed(proof: .fac, "Q not a unit")
        }
        let T = qAlpha.mulMod(tR, nHat)
        let e = challenge(n0: n0, aux: aux, P: P, Q: Q, A: A, B: B, T: T, sigma: sigma, context: context)
        // Fig. 28, step 3: σ̂ = σ - νp; z1 = α + ep, z2 = β + eq, w1 = x + eμ, w2 = y + eν, v = r + eσ̂.
        let sigmaHat = sigma - nu * p
        return PiFac(P: P, Q: Q, A: A, B: B, T: T, sigma: sigma,
                     z1: alpha + e * p, z2: beta + e * q, w1: x + e * mu, w2: y + e * nu, v: r + e * sigmaHat)
    }

    /// Verifies with the verifier's OWN ring-Pedersen parameters `aux` (checklist 2).
    public func verify(n0: BigNum, ownAux aux: RingPedersenParameters, profile: CGGMPProfile,
                       context: CGGMPProofContext) throws(CGGMPError) {
        func reject(_ r: CGGMPProofRejection) -> CGGMPError { .proofRejected(proof: .fac, reason: r) }
        let bd = Bounds(profile)
        let nHat = aux.n
        guard n0.bitLength == profile.modulusBits, n0.isOdd else { throw reject(.invalidStatement("N0 size")) }
        // Ranges before equations (checklist 7).
        for (name, c) in [("P", P), ("Q", Q), ("A", A), ("B", B), ("T", T)] {
            guard aux.isValidCommitment(c) else { throw reject(.outOfRange(name)) }
        }
        // Fig. 28: z1, z2 ∈ ±√N0·2^{ℓ+ε} — the check that bounds the factors.
        let zBound = bd.sqrtN0 * bd.ellEps
        guard z1.isInSymmetricRange(zBound) else { throw reject(.outOfRange("z1")) }
        guard z2.isInSymmetricRange(zBound) else { throw reject(.outOfRange("z2")) }
        // The remaining responses are bounded by what an honest prover can produce (also caps
        // the verifier's exponentiation cost): σ ∈ ±2^ℓ·N0·N̂, w_i ∈ ±2^{ℓ+ε+1}·N̂, v ∈ ±2^{ℓ+ε+1}·N0·N̂.
        guard sigma.isInSymmetricRange(bd.ell * n0 * nHat) else { throw reject(.outOfRange("sigma")) }
        let wBound = bd.ellEps.shiftedLeft(1) * nHat
        guard w1.isInSymmetricRange(wBound) else { throw reject(.outOfRange("w1")) }
        guard w2.isInSymmetricRange(wBound) else { throw reject(.outOfRange("w2")) }
        guard v.isInSymmetricRange(wBound * n0) else { throw reject(.outOfRange("v")) }

        let e = Self.challenge(n0: n0, aux: aux, P: P, Q: Q, A: A, B: B, T: T, sigma: sigma, context: context)
        let R = aux.commitPublic(n0, sigma)
        // s^{z1} t^{w1} = A·P^e mod N̂
        guard let pe = aux.verifierPow(P, e), aux.commitPublic(z1, w1) == A.mulMod(pe, nHat) else {
            throw reject(.equationFailed("s^z1 t^w1 != A P^e"))
        }
        // s^{z2} t^{w2} = B·Q^e mod N̂
        guard let qe = aux.verifierPow(Q, e), aux.commitPublic(z2, w2) == B.mulMod(qe, nHat) else {
            throw reject(.equationFailed("s^z2 t^w2 != B Q^e"))
        }
        // Q^{z1} t^v = T·R^e mod N̂
        guard let qz = aux.verifierPow(Q, z1), let tv = aux.verifierPow(aux.t, v),
              let re = aux.verifierPow(R, e), qz.mulMod(tv, nHat) == T.mulMod(re, nHat) else {
            throw reject(.equationFailed("Q^z1 t^v != T R^e"))
        }
    }
}
