/// The Paillier-encryption-in-range core shared by Π^enc (Fig. 14) and Π^log* (Fig. 25).
/// Both commit with S = s^x t^μ, A = (1+N0)^α r^{N0} mod N0², C = s^α t^γ mod N̂ (named D in
/// Fig. 25) and answer z1 = α + ex, z2 = r·ρ^e mod N0, z3 = γ + eμ; Π^log* adds Y = α·g.
struct EncRangeCore: Sendable, Equatable {
    let S: BigNum, A: BigNum, C: BigNum
    let z1: BigNum, z2: BigNum, z3: BigNum

    /// The prover's secret masks (step 1 of both figures).
    struct Masks {
        let alpha: BigNum, mu: BigNum, r: BigNum, gamma: BigNum
    }

    /// Step 1: α ← ±2^{ℓ+ε}, μ ← ±2^ℓ·N̂, r ← Z*_N0, γ ← ±2^{ℓ+ε}·N̂; then S, A, C.
    static func commit<R: RandomSource>(x: BigNum, pk: PaillierPublicKey, aux: RingPedersenParameters,
                                        profile: CGGMPProfile, using rng: inout R) throws(CGGMPError)
        -> (masks: Masks, S: BigNum, A: BigNum, C: BigNum) {
        let twoL = BigNum.powerOfTwo(profile.ell), twoLE = BigNum.powerOfTwo(profile.ell + profile.epsilon)
        let alpha = BigNum.randomSigned(magnitude: twoLE, using: &rng)
        let mu = BigNum.randomSigned(magnitude: twoL * aux.n, using: &rng)
        let r = pk.randomNonce(using: &rng)
        let m = Masks(alpha: alpha, mu: mu, r: r.rho, gamma: .randomSigned(magnitude: twoLE * aux.n, using: &rng))
        return (m, aux.commit(x, m.mu), pk.encrypt(m.alpha, nonce: r), aux.commit(m.alpha, m.gamma))
    }

    /// Step 3 (e is public, so ρ^e uses the variable-time exponentiation).
    init(masks m: Masks, S: BigNum, A: BigNum, C: BigNum, e: BigNum, x: BigNum, rho: BigNum,
         pk: PaillierPublicKey) throws(CGGMPError) {
        guard let rhoE = rho.pow(e, modulus: pk.n) else { throw .invalidNonce }
        self.init(S: S, A: A, C: C, z1: m.alpha + e * x, z2: m.r.mulMod(rhoE, pk.n), z3: m.gamma + e * m.mu)
    }

    init(S: BigNum, A: BigNum, C: BigNum, z1: BigNum, z2: BigNum, z3: BigNum) {
        self.S = S; self.A = A; self.C = C; self.z1 = z1; self.z2 = z2; self.z3 = z3
    }

    /// The statement's ciphertext and every value's range, before any equation (checklist 7, 9).
    func checkRanges(pk: PaillierPublicKey, K: BigNum, aux: RingPedersenParameters, profile: CGGMPProfile,
                     proof: CGGMPProofKind, commitmentName: String) throws(CGGMPError) {
        func reject(_ r: CGGMPProofRejection) -> CGGMPError { .proofRejected(proof: proof, reason: r) }
        guard pk.n.bitLength == profile.modulusBits else { throw reject(.invalidStatement("N0 size")) }
        guard pk.isValidCiphertext(K) else { throw reject(.invalidStatement("ciphertext not in Z*_{N0²}")) }
        guard aux.isValidCommitment(S) else { throw reject(.outOfRange("S")) }
        guard aux.isValidCommitment(C) else { throw reject(.outOfRange(commitmentName)) }
        guard pk.isValidCiphertext(A) else { throw reject(.outOfRange("A")) }
        let twoLE = BigNum.powerOfTwo(profile.ell + profile.epsilon)
        guard z1.isInSymmetricRange(twoLE) else { throw reject(.outOfRange("z1")) }
        guard pk.isValidNonce(z2) else { throw reject(.outOfRange("z2")) }
        // z3 = γ + eμ: honest |z3| ≤ 2^{ℓ+ε}·N̂ + q·2^ℓ·N̂ < 2^{ℓ+ε+1}·N̂.
        guard z3.isInSymmetricRange(twoLE.shiftedLeft(1) * aux.n) else { throw reject(.outOfRange("z3")) }
    }

    /// (1+N0)^{z1} z2^{N0} = A·K^e mod N0² and s^{z1} t^{z3} = C·S^e mod N̂.
    func checkEquations(pk: PaillierPublicKey, K: BigNum, aux: RingPedersenParameters, e: BigNum,
                        proof: CGGMPProofKind) throws(CGGMPError) {
        func reject(_ r: CGGMPProofRejection) -> CGGMPError { .proofRejected(proof: proof, reason: r) }
        let n2 = pk.nSquared
        guard let z2N = pk.nthPower(z2), let ke = pk.unitPow(K, e),
              pk.gToThe(z1).mulMod(z2N, n2) == A.mulMod(ke, n2) else {
            throw reject(.equationFailed("(1+N0)^z1 z2^N0 != A K^e"))
        }
        guard let se = aux.verifierPow(S, e), aux.commitPublic(z1, z3) == C.mulMod(se, aux.n) else {
            throw reject(.equationFailed("s^z1 t^z3 != C S^e"))
        }
    }

    // Wire: S, A, C, z1, z2, z3 (Π^log* inserts Y after A).
    func encodeHead(_ out: inout CGGMPWire.Writer, _ wd: CGGMPWire.Widths) throws(CGGMPError) {
        try out.unsigned(S, width: wd.mod, "S")
        try out.unsigned(A, width: wd.modSquared, "A")
    }

    func encodeTail(_ out: inout CGGMPWire.Writer, _ wd: CGGMPWire.Widths) throws(CGGMPError) {
        try out.unsigned(C, width: wd.mod, "C")
        try out.signed(z1, width: wd.ellEps, "z1")
        try out.unsigned(z2, width: wd.mod, "z2")
        try out.signed(z3, width: wd.commitmentMask, "z3")
    }

    static func decodeHead(_ r: inout CGGMPWire.Reader, _ wd: CGGMPWire.Widths) throws(CGGMPError) -> (S: BigNum, A: BigNum) {
        (try r.unsigned(width: wd.mod, "S"), try r.unsigned(width: wd.modSquared, "A"))
    }

    static func decodeTail(_ r: inout CGGMPWire.Reader, _ wd: CGGMPWire.Widths, S: BigNum, A: BigNum) throws(CGGMPError) -> EncRangeCore {
        let C = try r.unsigned(width: wd.mod, "C")
        let z1 = try r.signed(width: wd.ellEps, "z1"), z2 = try r.unsigned(width: wd.mod, "z2")
        let z3 = try r.signed(width: wd.commitmentMask, "z3")
        return EncRangeCore(S: S, A: A, C: C, z1: z1, z2: z2, z3: z3)
    }
}
