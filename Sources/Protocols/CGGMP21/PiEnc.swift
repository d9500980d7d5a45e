/// Π^enc — range proof for Paillier encryption. eprint 2021/060, Section 6.1, Fig. 14.
///
/// Statement: K = (1+N0)^k ρ^{N0} mod N0² with k ∈ ±2^ℓ, proven against the verifier's
/// ring-Pedersen parameters (N̂, s, t). The verifier learns k ∈ ±2^{ℓ+ε}.
public struct PiEnc: Sendable, Equatable {
    public let S: BigNum, A: BigNum, C: BigNum
    public let z1: BigNum, z2: BigNum, z3: BigNum

    public init(S: BigNum, A: BigNum, C: BigNum, z1: BigNum, z2: BigNum, z3: BigNum) {
        self.S = S; self.A = A; self.C = C; self.z1 = z1; self.z2 = z2; self.z3 = z3
    }

    static func challenge(pk: PaillierPublicKey, K: BigNum, aux: RingPedersenParameters,
                          S: BigNum, A: BigNum, C: BigNum, context: CGGMPProofContext) -> BigNum {
        var tr = context.transcript(.enc)
        tr.append("N0", pk.n); tr.append("K", K)
        tr.append("Nhat", aux.n); tr.append("s", aux.s); tr.append("t", aux.t)
        tr.append("S", S); tr.append("A", A); tr.append("C", C)
        // Fig. 14, step 2 (Fiat-Shamir): e ← ±q.
        return tr.challengeSigned("e", magnitude: CGGMPProfile.curveOrder)
    }

    /// Proves that K encrypts k ∈ ±2^ℓ with nonce ρ under `pk`, for the verifier with `aux`.
    public static func prove<R: RandomSource>(pk: PaillierPublicKey, K: BigNum, k: BigNum, rho: BigNum,
                                              verifierAux aux: RingPedersenParameters, profile: CGGMPProfile,
                                              context: CGGMPProofContext, using rng: inout R) throws(CGGMPError) -> PiEnc {
        let twoL = BigNum.powerOfTwo(profile.ell), twoLE = BigNum.powerOfTwo(profile.ell + profile.epsilon)
        guard k.isInSymmetricRange(twoL) else { throw .proverFailed(proof: .enc, "k out of range") }
        guard pk.isValidNonce(rho) else { throw .invalidNonce }
        let n0 = pk.n, nHat = aux.n
        // Fig. 14, step 1.
        let alpha = BigNum.randomSigned(magnitude: twoLE, using: &rng)
        let mu = BigNum.randomSigned(magnitude: twoL * nHat, using: &rng)
        let r = BigNum.randomUnit(modulo: n0, using: &rng)
        let gamma = BigNum.randomSigned(magnitude: twoLE * nHat, using: &rng)
        let S = aux.commit(k, mu)
        let A = try pk.encrypt(alpha, nonce: r)
        let C = aux.commit(alpha, gamma)
        let e = challenge(pk: pk, K: K, aux: aux, S: S, A: A, C: C, context: context)
        // Fig. 14, step 3: z1 = α + ek, z2 = r·ρ^e mod N0, z3 = γ + eμ (e is public).
        guard let rhoE = rho.pow(e, modulus: n0) else { throw .invalidNonce }
        return PiEnc(S: S, A: A, C: C, z1: alpha + e * k, z2: r.mulMod(rhoE, n0), z3: gamma + e * mu)
    }

    /// Verifies with the verifier's own ring-Pedersen parameters. `pk` has been size-checked at
    /// construction (`PaillierPublicKey.init(n:profile:)`).
    public func verify(pk: PaillierPublicKey, K: BigNum, ownAux aux: RingPedersenParameters,
                       profile: CGGMPProfile, context: CGGMPProofContext) throws(CGGMPError) {
        func reject(_ r: CGGMPProofRejection) -> CGGMPError { .proofRejected(proof: .enc, reason: r) }
        let n0 = pk.n, nHat = aux.n
        guard n0.bitLength == profile.modulusBits else { throw reject(.invalidStatement("N0 size")) }
        guard pk.isValidCiphertext(K) else { throw reject(.invalidStatement("K not in Z*_{N0²}")) }
        // Ranges first (checklist 7, 9).
        guard aux.isValidCommitment(S) else { throw reject(.outOfRange("S")) }
        guard aux.isValidCommitment(C) else { throw reject(.outOfRange("C")) }
        guard pk.isValidCiphertext(A) else { throw reject(.outOfRange("A")) }
        let twoLE = BigNum.powerOfTwo(profile.ell + profile.epsilon)
        guard z1.isInSymmetricRange(twoLE) else { throw reject(.outOfRange("z1")) }
        guard pk.isValidNonce(z2) else { throw reject(.outOfRange("z2")) }
        // z3 = γ + eμ: honest |z3| ≤ 2^{ℓ+ε}·N̂ + q·2^ℓ·N̂ < 2^{ℓ+ε+1}·N̂.
        guard z3.isInSymmetricRange(twoLE.shiftedLeft(1) * nHat) else { throw reject(.outOfRange("z3")) }

        let e = Self.challenge(pk: pk, K: K, aux: aux, S: S, A: A, C: C, context: context)
        // (1+N0)^{z1} · z2^{N0} = A · K^e mod N0²
        guard let z2N = pk.unitPow(z2, n0), let ke = pk.unitPow(K, e),
              pk.gToThe(z1).mulMod(z2N, pk.nSquared) == A.mulMod(ke, pk.nSquared) else {
            throw reject(.equationFailed("(1+N0)^z1 z2^N0 != A K^e"))
        }
        // s^{z1} t^{z3} = C · S^e mod N̂
        guard let se = aux.verifierPow(S, e), aux.commitPublic(z1, z3) == C.mulMod(se, nHat) else {
            throw reject(.equationFailed("s^z1 t^z3 != C S^e"))
        }
    }
}
