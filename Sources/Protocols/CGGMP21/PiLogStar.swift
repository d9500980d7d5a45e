/// Π^log* — knowledge of exponent vs Paillier encryption. eprint 2021/060, Appendix C.2, Fig. 25.
///
/// Statement: C = (1+N0)^x ρ^{N0} mod N0² and X = x·g for x ∈ ±2^ℓ (g a group element, not
/// necessarily the generator), against the verifier's ring-Pedersen parameters (N̂, s, t).
public struct PiLogStar<G: CGGMPGroup>: Sendable, Equatable {
    public let S: BigNum, A: BigNum, D: BigNum
    public let Y: G.Point
    public let z1: BigNum, z2: BigNum, z3: BigNum

    public init(S: BigNum, A: BigNum, Y: G.Point, D: BigNum, z1: BigNum, z2: BigNum, z3: BigNum) {
        self.S = S; self.A = A; self.Y = Y; self.D = D; self.z1 = z1; self.z2 = z2; self.z3 = z3
    }

    static func challenge(pk: PaillierPublicKey, C: BigNum, X: G.Point, g: G.Point, aux: RingPedersenParameters,
                          S: BigNum, A: BigNum, Y: G.Point, D: BigNum, context: CGGMPProofContext) -> BigNum {
        var tr = context.transcript(.logStar)
        tr.append("q", G.order)
        tr.append("N0", pk.n); tr.append("C", C)
        tr.append("X", G.encode(X)); tr.append("g", G.encode(g))
        tr.append("Nhat", aux.n); tr.append("s", aux.s); tr.append("t", aux.t)
        tr.append("S", S); tr.append("A", A); tr.append("Y", G.encode(Y)); tr.append("D", D)
        // Fig. 25, step 2 (Fiat-Shamir): e ← ±q.
        return tr.challengeSigned("e", magnitude: G.order)
    }

    public static func prove<R: RandomSource>(pk: PaillierPublicKey, C: BigNum, X: G.Point, g: G.Point,
                                              x: BigNum, rho: BigNum, verifierAux aux: RingPedersenParameters,
                                              profile: CGGMPProfile, context: CGGMPProofContext,
                                              using rng: inout R) throws(CGGMPError) -> PiLogStar {
        let twoL = BigNum.powerOfTwo(profile.ell), twoLE = BigNum.powerOfTwo(profile.ell + profile.epsilon)
        guard x.isInSymmetricRange(twoL) else { throw .proverFailed(proof: .logStar, "x out of range") }
        guard pk.isValidNonce(rho) else { throw .invalidNonce }
        let n0 = pk.n, nHat = aux.n
        // Fig. 25, step 1.
        let alpha = BigNum.randomSigned(magnitude: twoLE, using: &rng)
        let mu = BigNum.randomSigned(magnitude: twoL * nHat, using: &rng)
        let r = BigNum.randomUnit(modulo: n0, using: &rng)
        let gamma = BigNum.randomSigned(magnitude: twoLE * nHat, using: &rng)
        let S = aux.commit(x, mu)
        let A = try pk.encrypt(alpha, nonce: r)
        let Y = G.multiply(g, by: alpha)
        let D = aux.commit(alpha, gamma)
        let e = challenge(pk: pk, C: C, X: X, g: g, aux: aux, S: S, A: A, Y: Y, D: D, context: context)
        // Fig. 25, step 3: z1 = α + ex, z2 = r·ρ^e mod N0, z3 = γ + eμ.
        guard let rhoE = rho.pow(e, modulus: n0) else { throw .invalidNonce }
        return PiLogStar(S: S, A: A, Y: Y, D: D, z1: alpha + e * x, z2: r.mulMod(rhoE, n0), z3: gamma + e * mu)
    }

    public func verify(pk: PaillierPublicKey, C: BigNum, X: G.Point, g: G.Point, ownAux aux: RingPedersenParameters,
                       profile: CGGMPProfile, context: CGGMPProofContext) throws(CGGMPError) {
        func reject(_ r: CGGMPProofRejection) -> CGGMPError { .proofRejected(proof: .logStar, reason: r) }
        let n0 = pk.n, nHat = aux.n, n2 = pk.nSquared
        guard n0.bitLength == profile.modulusBits else { throw reject(.invalidStatement("N0 size")) }
        guard pk.isValidCiphertext(C) else { throw reject(.invalidStatement("C not in Z*_{N0²}")) }
        // Ranges first (checklist 7).
        guard aux.isValidCommitment(S) else { throw reject(.outOfRange("S")) }
        guard aux.isValidCommitment(D) else { throw reject(.outOfRange("D")) }
        guard pk.isValidCiphertext(A) else { throw reject(.outOfRange("A")) }
        let twoLE = BigNum.powerOfTwo(profile.ell + profile.epsilon)
        guard z1.isInSymmetricRange(twoLE) else { throw reject(.outOfRange("z1")) }
        guard pk.isValidNonce(z2) else { throw reject(.outOfRange("z2")) }
        guard z3.isInSymmetricRange(twoLE.shiftedLeft(1) * nHat) else { throw reject(.outOfRange("z3")) }

        let e = Self.challenge(pk: pk, C: C, X: X, g: g, aux: aux, S: S, A: A, Y: Y, D: D, context: context)
        // (1+N0)^{z1} z2^{N0} = A·C^e mod N0²
        guard let z2N = pk.unitPow(z2, n0), let ce = pk.unitPow(C, e),
              pk.gToThe(z1).mulMod(z2N, n2) == A.mulMod(ce, n2) else {
            throw reject(.equationFailed("(1+N0)^z1 z2^N0 != A C^e"))
        }
        // z1·g = Y + e·X
        guard G.multiply(g, by: z1) == G.add(Y, G.multiply(X, by: e)) else {
            throw reject(.equationFailed("z1·g != Y + e·X"))
        }
        // s^{z1} t^{z3} = D·S^e mod N̂
        guard let se = aux.verifierPow(S, e), aux.commitPublic(z1, z3) == D.mulMod(se, nHat) else {
            throw reject(.equationFailed("s^z1 t^z3 != D S^e"))
        }
    }
}
