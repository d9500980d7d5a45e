/// Π^mul* — multiplication, Paillier vs group. eprint 2021/060, Appendix C (Fig. 31 in v5 of the paper).
///
/// Statement (N0, C, D, X): D = C^x ρ^{N0} mod N0² and X = x·g, with x ∈ ±2^ℓ; proven against the verifier's
/// ring-Pedersen parameters (N̂, s, t). In the signing-phase identification the prover shows
/// Ĥ_i = K_i^{x_i}·ρ^{N_i} = enc_i(k_i·x_i) against its public key share X_i, so that the χ_i its decryption proof
/// speaks about is tied to the key. Building block for the χ identification (not yet wired into the presign run).
public struct PiMulStar<G: CGGMPGroup>: Sendable, Equatable {
    public let A: BigNum
    public let Bx: G.Point
    public let E: BigNum, S: BigNum
    public let z1: BigNum, z2: BigNum, w: BigNum

    public init(A: BigNum, Bx: G.Point, E: BigNum, S: BigNum, z1: BigNum, z2: BigNum, w: BigNum) {
        self.A = A; self.Bx = Bx; self.E = E; self.S = S; self.z1 = z1; self.z2 = z2; self.w = w
    }

    public struct Statement: Sendable {
        public let pk: PaillierPublicKey   // N0 (C and D are under it)
        public let C: BigNum, D: BigNum
        public let X: G.Point
        public let g: G.Point
        public init(pk: PaillierPublicKey, C: BigNum, D: BigNum, X: G.Point, g: G.Point) {
            self.pk = pk; self.C = C; self.D = D; self.X = X; self.g = g
        }
    }

    static func challenge(_ st: Statement, aux: RingPedersenParameters, _ A: BigNum, _ Bx: G.Point, _ E: BigNum, _ S: BigNum,
                          context: CGGMPProofContext) -> BigNum {
        var tr = context.transcript(.mulStar)
        tr.append("q", G.order)
        tr.append("N0", st.pk.n); tr.append("C", st.C); tr.append("D", st.D)
        tr.append("X", G.encode(st.X)); tr.append("g", G.encode(st.g))
        tr.append("Nhat", aux.n); tr.append("s", aux.s); tr.append("t", aux.t)
        tr.append("A", A); tr.append("Bx", G.encode(Bx)); tr.append("E", E); tr.append("S", S)
        // Step 2 (Fiat-Shamir): e ← ±q.
        return tr.challengeSigned("e", magnitude: G.order)
    }

    /// Witness: x and ρ, the nonce of D = C^x ρ^{N0}.
    public static func prove<R: RandomSource>(_ st: Statement, x: BigNum, rho: BigNum, verifierAux aux: RingPedersenParameters,
                                              profile: CGGMPProfile, context: CGGMPProofContext,
                                              using rng: inout R) throws(CGGMPError) -> PiMulStar {
        guard x.isInSymmetricRange(.powerOfTwo(profile.ell)) else { throw .proverFailed(proof: .mulStar, "x out of range") }
        guard st.pk.isValidNonce(rho) else { throw .invalidNonce }
        try st.pk.checkCiphertext(st.C)
        let n0 = st.pk.n, n0sq = st.pk.nSquared, nHat = aux.n
        let twoLE = BigNum.powerOfTwo(profile.ell + profile.epsilon)
        // Step 1: α ← ±2^{ℓ+ε}, μ ← ±2^ℓ·N̂, r ← Z*_N0, γ ← ±2^{ℓ+ε}·N̂;
        // A = C^α r^{N0} mod N0², Bx = α·g, E = s^α t^γ, S = s^x t^μ mod N̂.
        let alpha = BigNum.randomSigned(magnitude: twoLE, using: &rng)
        let mu = BigNum.randomSigned(magnitude: BigNum.powerOfTwo(profile.ell) * nHat, using: &rng)
        let r = BigNum.randomUnit(modulo: n0, using: &rng)
        let gamma = BigNum.randomSigned(magnitude: twoLE * nHat, using: &rng)
        // C^α with the secret α: powm_sec.
        guard let cAlpha = st.C.powSecret(alpha, modulus: n0sq) else { throw .invalidCiphertext }
        let A = cAlpha.mulMod(try st.pk.encrypt(.zero, nonce: r), n0sq)
        let Bx = G.multiply(st.g, by: alpha)
        let E = aux.commit(alpha, gamma)
        let S = aux.commit(x, mu)
        let e = challenge(st, aux: aux, A, Bx, E, S, context: context)
        // Step 3: z1 = α + e·x, z2 = γ + e·μ, w = r·ρ^e mod N0.
        guard let rhoE = rho.pow(e, modulus: n0) else { throw .invalidNonce }
        return PiMulStar(A: A, Bx: Bx, E: E, S: S, z1: alpha + e * x, z2: gamma + e * mu, w: r.mulMod(rhoE, n0))
    }

    public func verify(_ st: Statement, ownAux aux: RingPedersenParameters, profile: CGGMPProfile,
                       context: CGGMPProofContext) throws(CGGMPError) {
        func reject(_ r: CGGMPProofRejection) -> CGGMPError { .proofRejected(proof: .mulStar, reason: r) }
        let pk = st.pk, n0 = pk.n, n0sq = pk.nSquared, nHat = aux.n
        guard n0.bitLength == profile.modulusBits else { throw reject(.invalidStatement("modulus size")) }
        // Checklist 9: ciphertexts in Z*_{N0²}.
        guard pk.isValidCiphertext(st.C), pk.isValidCiphertext(st.D) else {
            throw reject(.invalidStatement("ciphertext not in Z*_{N0²}"))
        }
        // Ranges first (checklist 7).
        guard pk.isValidCiphertext(A) else { throw reject(.outOfRange("A")) }
        guard aux.isValidCommitment(E) else { throw reject(.outOfRange("E")) }
        guard aux.isValidCommitment(S) else { throw reject(.outOfRange("S")) }
        let twoLE = BigNum.powerOfTwo(profile.ell + profile.epsilon)
        guard z1.isInSymmetricRange(twoLE) else { throw reject(.outOfRange("z1")) }
        // z2 = γ + eμ: honest |z2| ≤ 2^{ℓ+ε}·N̂ + q·2^ℓ·N̂ < 2^{ℓ+ε+1}·N̂.
        guard z2.isInSymmetricRange(twoLE.shiftedLeft(1) * nHat) else { throw reject(.outOfRange("z2")) }
        guard pk.isValidNonce(w) else { throw reject(.outOfRange("w")) }
        let e = Self.challenge(st, aux: aux, A, Bx, E, S, context: context)
        // C^{z1} w^{N0} = A·D^e mod N0².
        guard let cz1 = pk.unitPow(st.C, z1), let wN = pk.nthPower(w), let de = pk.unitPow(st.D, e),
              cz1.mulMod(wN, n0sq) == A.mulMod(de, n0sq) else {
            throw reject(.equationFailed("C^z1 w^N0 != A D^e"))
        }
        // z1·g = Bx + e·X.
        guard G.multiply(st.g, by: z1) == G.add(Bx, G.multiply(st.X, by: e)) else {
            throw reject(.equationFailed("z1·g != Bx + e·X"))
        }
        // s^{z1} t^{z2} = E·S^e mod N̂.
        guard let se = aux.verifierPow(S, e), aux.commitPublic(z1, z2) == E.mulMod(se, nHat) else {
            throw reject(.equationFailed("s^z1 t^z2 != E S^e"))
        }
    }
}
