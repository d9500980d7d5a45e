/// Π^mul — Paillier multiplication. eprint 2021/060, Appendix C (Fig. 29 in v5 of the paper).
///
/// Statement (N, X, Y, C): X = (1+N)^x ρ_x^N and C = Y^x ρ^N mod N², i.e. C encrypts x times the
/// plaintext of Y. Witness (x, ρ, ρ_x). Not relative to any ring-Pedersen parameters, so one proof
/// convinces every verifier (bound by the transcript to session, prover and round).
/// Used in presign identification: H_i = G_i^{k_i}·ρ^{N_i} = enc_i(k_i·γ_i) w.r.t. K_i, G_i.
public struct PiMul: Sendable, Equatable {
    public let A: BigNum, B: BigNum
    public let z: BigNum, u: BigNum, v: BigNum

    public init(A: BigNum, B: BigNum, z: BigNum, u: BigNum, v: BigNum) {
        self.A = A; self.B = B; self.z = z; self.u = u; self.v = v
    }

    public struct Statement: Sendable {
        public let pk: PaillierPublicKey
        public let X: BigNum, Y: BigNum, C: BigNum
        public init(pk: PaillierPublicKey, X: BigNum, Y: BigNum, C: BigNum) {
            self.pk = pk; self.X = X; self.Y = Y; self.C = C
        }
    }

    static func challenge(_ st: Statement, _ A: BigNum, _ B: BigNum, context: CGGMPProofContext) -> BigNum {
        var tr = context.transcript(.mul)
        tr.append("q", CGGMPProfile.curveOrder)
        tr.append("N", st.pk.n)
        tr.append("X", st.X); tr.append("Y", st.Y); tr.append("C", st.C)
        tr.append("A", A); tr.append("B", B)
        // Fig. 29, step 2 (Fiat-Shamir): e ← ±q.
        return tr.challengeSigned("e", magnitude: CGGMPProfile.curveOrder)
    }

    /// x ∈ [0, q) (a nonce share k_i); ρ the nonce of C's multiplication, ρ_x the nonce of X.
    public static func prove<R: RandomSource>(_ st: Statement, x: BigNum, rho: BigNum, rhoX: BigNum,
                                              context: CGGMPProofContext, using rng: inout R) throws(CGGMPError) -> PiMul {
        let n = st.pk.n, n2 = st.pk.nSquared
        guard x.sign >= 0, x < CGGMPProfile.curveOrder else { throw .proverFailed(proof: .mul, "x out of range") }
        guard st.pk.isValidNonce(rho), st.pk.isValidNonce(rhoX) else { throw .invalidNonce }
        try st.pk.checkCiphertext(st.Y)
        // Fig. 29, step 1: α ← Z*_N, r, s ← Z*_N; A = Y^α r^N, B = (1+N)^α s^N mod N².
        let alpha = BigNum.randomUnit(modulo: n, using: &rng)
        let r = BigNum.randomUnit(modulo: n, using: &rng)
        let s = BigNum.randomUnit(modulo: n, using: &rng)
        guard let yAlpha = st.Y.powSecret(alpha, modulus: n2) else { throw .invalidCiphertext }
        let A = yAlpha.mulMod(try st.pk.encrypt(.zero, nonce: r), n2)
        let B = try st.pk.encrypt(alpha, nonce: s)
        let e = challenge(st, A, B, context: context)
        // Fig. 29, step 3: z = α + e·x, u = r·ρ^e, v = s·ρ_x^e mod N.
        guard let rhoE = rho.pow(e, modulus: n), let rhoXE = rhoX.pow(e, modulus: n) else { throw .invalidNonce }
        return PiMul(A: A, B: B, z: alpha + e * x, u: r.mulMod(rhoE, n), v: s.mulMod(rhoXE, n))
    }

    public func verify(_ st: Statement, profile: CGGMPProfile, context: CGGMPProofContext) throws(CGGMPError) {
        func reject(_ r: CGGMPProofRejection) -> CGGMPError { .proofRejected(proof: .mul, reason: r) }
        let pk = st.pk, n = pk.n, n2 = pk.nSquared
        guard n.bitLength == profile.modulusBits else { throw reject(.invalidStatement("modulus size")) }
        // Checklist 9: every ciphertext in Z*_{N²}.
        guard pk.isValidCiphertext(st.X), pk.isValidCiphertext(st.Y), pk.isValidCiphertext(st.C) else {
            throw reject(.invalidStatement("ciphertext not in Z*_{N²}"))
        }
        // Ranges first (checklist 7): A, B ∈ Z*_{N²}; u, v ∈ Z*_N; z = α + e·x with α ∈ [0, N), |e·x| < q².
        guard pk.isValidCiphertext(A) else { throw reject(.outOfRange("A")) }
        guard pk.isValidCiphertext(B) else { throw reject(.outOfRange("B")) }
        guard pk.isValidNonce(u) else { throw reject(.outOfRange("u")) }
        guard pk.isValidNonce(v) else { throw reject(.outOfRange("v")) }
        let q2 = CGGMPProfile.curveOrder * CGGMPProfile.curveOrder
        guard z >= q2.negated(), z < n + q2 else { throw reject(.outOfRange("z")) }
        let e = Self.challenge(st, A, B, context: context)
        // Y^z u^N = A·C^e mod N².
        guard let yz = pk.unitPow(st.Y, z), let uN = pk.unitPow(u, n), let ce = pk.unitPow(st.C, e),
              yz.mulMod(uN, n2) == A.mulMod(ce, n2) else {
            throw reject(.equationFailed("Y^z u^N != A C^e"))
        }
        // (1+N)^z v^N = B·X^e mod N².
        guard let vN = pk.unitPow(v, n), let xe = pk.unitPow(st.X, e),
              pk.gToThe(z).mulMod(vN, n2) == B.mulMod(xe, n2) else {
            throw reject(.equationFailed("(1+N)^z v^N != B X^e"))
        }
    }
}
