/// Π^dec — Paillier decryption modulo q. eprint 2021/060, Appendix C (Fig. 30 in v5 of the paper).
///
/// Statement (q, N0, C, x): C = (1+N0)^y ρ^{N0} mod N0² and x ≡ y mod q. Witness (y, ρ). Proven
/// against the verifier's ring-Pedersen parameters (N̂, s, t).
///
/// The paper samples the masks for a witness in ±2^ℓ. In presign identification the witness is the
/// plaintext of H_i·Π_j D_{i,j}·F_{j,i}^{-1}, i.e. k_iγ_i + Σ_j (α_{i,j} − β_{i,j}) with β ∈ ±2^{ℓ'}: up
/// to ±2^{ℓ'+10} for ≤ 255 signers. The masks are therefore scaled to that bound (`witnessBits`), with
/// the paper's slack ε, so that z1 = α + e·y hides y as in the figure.
public struct PiDec: Sendable, Equatable {
    public let S: BigNum, T: BigNum, A: BigNum, gamma: BigNum
    public let z1: BigNum, z2: BigNum, w: BigNum

    public init(S: BigNum, T: BigNum, A: BigNum, gamma: BigNum, z1: BigNum, z2: BigNum, w: BigNum) {
        self.S = S; self.T = T; self.A = A; self.gamma = gamma; self.z1 = z1; self.z2 = z2; self.w = w
    }

    /// |y| ≤ 2^witnessBits.
    public static func witnessBits(_ p: CGGMPProfile) -> Int { p.ellPrime + 10 }

    public struct Statement: Sendable {
        public let pk: PaillierPublicKey   // N0 (prover)
        public let C: BigNum
        public let x: BigNum               // in [0, q)
        public init(pk: PaillierPublicKey, C: BigNum, x: BigNum) { self.pk = pk; self.C = C; self.x = x }
    }

    static func challenge(_ st: Statement, aux: RingPedersenParameters, _ S: BigNum, _ T: BigNum, _ A: BigNum,
                          _ gamma: BigNum, context: CGGMPProofContext) -> BigNum {
        var tr = context.transcript(.dec)
        tr.append("q", CGGMPProfile.curveOrder)
        tr.append("N0", st.pk.n); tr.append("C", st.C); tr.append("x", st.x)
        tr.append("Nhat", aux.n); tr.append("s", aux.s); tr.append("t", aux.t)
        tr.append("S", S); tr.append("T", T); tr.append("A", A); tr.append("gamma", gamma)
        // Fig. 30, step 2 (Fiat-Shamir): e ← ±q.
        return tr.challengeSigned("e", magnitude: CGGMPProfile.curveOrder)
    }

    public static func prove<R: RandomSource>(_ st: Statement, y: BigNum, rho: BigNum, verifierAux aux: RingPedersenParameters,
                                              profile: CGGMPProfile, context: CGGMPProofContext,
                                              using rng: inout R) throws(CGGMPError) -> PiDec {
        let q = CGGMPProfile.curveOrder
        let bits = witnessBits(profile)
        guard y.isInSymmetricRange(.powerOfTwo(bits)) else { throw .proverFailed(proof: .dec, "y out of range") }
        guard y.mod(q) == st.x else { throw .proverFailed(proof: .dec, "x is not y mod q") }
        guard st.pk.isValidNonce(rho) else { throw .invalidNonce }
        let n0 = st.pk.n
        // Fig. 30, step 1: α ← ±2^{L+ε}, μ ← ±2^L·N̂, ν ← ±2^{L+ε}·N̂, r ← Z*_{N0} (L = witnessBits).
        let twoL = BigNum.powerOfTwo(bits), twoLE = BigNum.powerOfTwo(bits + profile.epsilon)
        let alpha = BigNum.randomSigned(magnitude: twoLE, using: &rng)
        let mu = BigNum.randomSigned(magnitude: twoL * aux.n, using: &rng)
        let nu = BigNum.randomSigned(magnitude: twoLE * aux.n, using: &rng)
        let r = BigNum.randomUnit(modulo: n0, using: &rng)
        // S = s^y t^μ, T = s^α t^ν mod N̂, A = (1+N0)^α r^{N0} mod N0², γ = α mod q.
        let S = aux.commit(y, mu), T = aux.commit(alpha, nu)
        let A = try st.pk.encrypt(alpha, nonce: r)
        let gamma = alpha.mod(q)
        let e = challenge(st, aux: aux, S, T, A, gamma, context: context)
        // Fig. 30, step 3: z1 = α + e·y, z2 = ν + e·μ, w = r·ρ^e mod N0.
        guard let rhoE = rho.pow(e, modulus: n0) else { throw .invalidNonce }
        return PiDec(S: S, T: T, A: A, gamma: gamma, z1: alpha + e * y, z2: nu + e * mu, w: r.mulMod(rhoE, n0))
    }

    public func verify(_ st: Statement, ownAux aux: RingPedersenParameters, profile: CGGMPProfile,
                       context: CGGMPProofContext) throws(CGGMPError) {
        func reject(_ r: CGGMPProofRejection) -> CGGMPError { .proofRejected(proof: .dec, reason: r) }
        let q = CGGMPProfile.curveOrder, pk = st.pk, n2 = pk.nSquared
        guard pk.n.bitLength == profile.modulusBits else { throw reject(.invalidStatement("modulus size")) }
        guard pk.isValidCiphertext(st.C) else { throw reject(.invalidStatement("ciphertext not in Z*_{N0²}")) }
        guard st.x.sign >= 0, st.x < q else { throw reject(.invalidStatement("x not in [0, q)")) }
        // Ranges first (checklist 7).
        guard aux.isValidCommitment(S) else { throw reject(.outOfRange("S")) }
        guard aux.isValidCommitment(T) else { throw reject(.outOfRange("T")) }
        guard pk.isValidCiphertext(A) else { throw reject(.outOfRange("A")) }
        guard gamma.sign >= 0, gamma < q else { throw reject(.outOfRange("γ")) }
        let bound = BigNum.powerOfTwo(Self.witnessBits(profile) + profile.epsilon + 1)
        guard z1.isInSymmetricRange(bound) else { throw reject(.outOfRange("z1")) }
        guard z2.isInSymmetricRange(bound * aux.n) else { throw reject(.outOfRange("z2")) }
        guard pk.isValidNonce(w) else { throw reject(.outOfRange("w")) }
        let e = Self.challenge(st, aux: aux, S, T, A, gamma, context: context)
        // (1+N0)^{z1} w^{N0} = A·C^e mod N0².
        guard let wN = pk.unitPow(w, pk.n), let ce = pk.unitPow(st.C, e),
              pk.gToThe(z1).mulMod(wN, n2) == A.mulMod(ce, n2) else {
            throw reject(.equationFailed("(1+N0)^z1 w^N0 != A C^e"))
        }
        // z1 ≡ γ + e·x mod q.
        guard z1.mod(q) == (gamma + e * st.x).mod(q) else { throw reject(.equationFailed("z1 != γ + e·x mod q")) }
        // s^{z1} t^{z2} = T·S^e mod N̂.
        guard let se = aux.verifierPow(S, e), aux.commitPublic(z1, z2) == T.mulMod(se, aux.n) else {
            throw reject(.equationFailed("s^z1 t^z2 != T S^e"))
        }
    }
}
