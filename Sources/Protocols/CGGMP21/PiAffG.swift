/// Π^aff-g — Paillier affine operation with group commitment in range.
/// eprint 2021/060, Section 6.2, Fig. 15.
///
/// Statement: D = C^x (1+N0)^y ρ^{N0} mod N0², Y = (1+N1)^y ρ_y^{N1} mod N1², X = x·g, with
/// x ∈ ±2^ℓ and y ∈ ±2^{ℓ'}; N0 is the verifier's Paillier key (C encrypted under it), N1 the
/// prover's; proven against the verifier's ring-Pedersen parameters (N̂, s, t).
public struct PiAffG<G: CGGMPGroup>: Sendable, Equatable {
    public let A: BigNum
    public let Bx: G.Point
    public let By: BigNum, E: BigNum, S: BigNum, F: BigNum, T: BigNum
    public let z1: BigNum, z2: BigNum, z3: BigNum, z4: BigNum, w: BigNum, wy: BigNum

    public init(A: BigNum, Bx: G.Point, By: BigNum, E: BigNum, S: BigNum, F: BigNum, T: BigNum,
                z1: BigNum, z2: BigNum, z3: BigNum, z4: BigNum, w: BigNum, wy: BigNum) {
        self.A = A; self.Bx = Bx; self.By = By; self.E = E; self.S = S; self.F = F; self.T = T
        self.z1 = z1; self.z2 = z2; self.z3 = z3; self.z4 = z4; self.w = w; self.wy = wy
    }

    /// The public statement.
    public struct Statement: Sendable {
        public let pk0: PaillierPublicKey   // N0 (verifier)
        public let pk1: PaillierPublicKey   // N1 (prover)
        public let C: BigNum, D: BigNum, Y: BigNum
        public let X: G.Point
        public let g: G.Point
        public init(pk0: PaillierPublicKey, pk1: PaillierPublicKey, C: BigNum, D: BigNum, Y: BigNum, X: G.Point, g: G.Point) {
            self.pk0 = pk0; self.pk1 = pk1; self.C = C; self.D = D; self.Y = Y; self.X = X; self.g = g
        }
    }

    static func challenge(_ st: Statement, aux: RingPedersenParameters, _ A: BigNum, _ Bx: G.Point, _ By: BigNum,
                          _ E: BigNum, _ S: BigNum, _ F: BigNum, _ T: BigNum, context: CGGMPProofContext) -> BigNum {
        var tr = context.transcript(.affG)
        tr.append("q", G.order)
        tr.append("N0", st.pk0.n); tr.append("N1", st.pk1.n)
        tr.append("C", st.C); tr.append("D", st.D); tr.append("Y", st.Y)
        tr.append("X", G.encode(st.X)); tr.append("g", G.encode(st.g))
        tr.append("Nhat", aux.n); tr.append("s", aux.s); tr.append("t", aux.t)
        tr.append("A", A); tr.append("Bx", G.encode(Bx)); tr.append("By", By)
        tr.append("E", E); tr.append("S", S); tr.append("F", F); tr.append("T", T)
        // Fig. 15, step 2 (Fiat-Shamir): e ← ±q.
        return tr.challengeSigned("e", magnitude: G.order)
    }

    /// Witness: x, y, ρ (nonce of D under N0), ρ_y (nonce of Y under N1).
    public static func prove<R: RandomSource>(_ st: Statement, x: BigNum, y: BigNum, rho: BigNum, rhoY: BigNum,
                                              verifierAux aux: RingPedersenParameters, profile: CGGMPProfile,
                                              context: CGGMPProofContext, using rng: inout R) throws(CGGMPError) -> PiAffG {
        let twoL = BigNum.powerOfTwo(profile.ell)
        let twoLE = BigNum.powerOfTwo(profile.ell + profile.epsilon)
        let twoLPE = BigNum.powerOfTwo(profile.ellPrime + profile.epsilon)
        guard x.isInSymmetricRange(twoL) else { throw .proverFailed(proof: .affG, "x out of range") }
        guard y.isInSymmetricRange(.powerOfTwo(profile.ellPrime)) else { throw .proverFailed(proof: .affG, "y out of range") }
        guard st.pk0.isValidNonce(rho), st.pk1.isValidNonce(rhoY) else { throw .invalidNonce }
        try st.pk0.checkCiphertext(st.C)
        let n0 = st.pk0.n, n1 = st.pk1.n, nHat = aux.n
        // Fig. 15, step 1.
        let alpha = BigNum.randomSigned(magnitude: twoLE, using: &rng)
        let beta = BigNum.randomSigned(magnitude: twoLPE, using: &rng)
        let r = BigNum.randomUnit(modulo: n0, using: &rng)
        let ry = st.pk1.randomNonce(using: &rng) // our own key in presigning: through the nonce generator
        let gamma = BigNum.randomSigned(magnitude: twoLE * nHat, using: &rng)
        let m = BigNum.randomSigned(magnitude: twoL * nHat, using: &rng)
        let delta = BigNum.randomSigned(magnitude: twoLE * nHat, using: &rng)
        let mu = BigNum.randomSigned(magnitude: twoL * nHat, using: &rng)
        // A = C^α (1+N0)^β r^{N0} mod N0² (C^α with the secret α: powm_sec).
        guard let cAlpha = st.C.powSecret(alpha, modulus: st.pk0.nSquared) else { throw .invalidCiphertext }
        let A = cAlpha.mulMod(try st.pk0.encrypt(beta, nonce: r), st.pk0.nSquared)
        let Bx = G.multiply(st.g, by: alpha)
        let By = st.pk1.encrypt(beta, nonce: ry)
        let E = aux.commit(alpha, gamma)
        let S = aux.commit(x, m)
        let F = aux.commit(beta, delta)
        let T = aux.commit(y, mu)
        let e = challenge(st, aux: aux, A, Bx, By, E, S, F, T, context: context)
        // Fig. 15, step 3.
        guard let rhoE = rho.pow(e, modulus: n0), let rhoYE = rhoY.pow(e, modulus: n1) else { throw .invalidNonce }
        return PiAffG(A: A, Bx: Bx, By: By, E: E, S: S, F: F, T: T,
                      z1: alpha + e * x, z2: beta + e * y, z3: gamma + e * m, z4: delta + e * mu,
                      w: r.mulMod(rhoE, n0), wy: ry.rho.mulMod(rhoYE, n1))
    }

    public func verify(_ st: Statement, ownAux aux: RingPedersenParameters, profile: CGGMPProfile,
                       context: CGGMPProofContext) throws(CGGMPError) {
        func reject(_ r: CGGMPProofRejection) -> CGGMPError { .proofRejected(proof: .affG, reason: r) }
        let nHat = aux.n, n0sq = st.pk0.nSquared, n1sq = st.pk1.nSquared
        guard st.pk0.n.bitLength == profile.modulusBits, st.pk1.n.bitLength == profile.modulusBits else {
            throw reject(.invalidStatement("modulus size"))
        }
        guard st.pk0.isValidCiphertext(st.C), st.pk0.isValidCiphertext(st.D), st.pk1.isValidCiphertext(st.Y) else {
            throw reject(.invalidStatement("ciphertext not a unit"))
        }
        // Ranges first (checklist 7).
        guard st.pk0.isValidCiphertext(A) else { throw reject(.outOfRange("A")) }
        guard st.pk1.isValidCiphertext(By) else { throw reject(.outOfRange("By")) }
        for (name, c) in [("E", E), ("S", S), ("F", F), ("T", T)] {
            guard aux.isValidCommitment(c) else { throw reject(.outOfRange(name)) }
        }
        let twoLE = BigNum.powerOfTwo(profile.ell + profile.epsilon)
        let twoLPE = BigNum.powerOfTwo(profile.ellPrime + profile.epsilon)
        guard z1.isInSymmetricRange(twoLE) else { throw reject(.outOfRange("z1")) }
        guard z2.isInSymmetricRange(twoLPE) else { throw reject(.outOfRange("z2")) }
        let zBound = twoLE.shiftedLeft(1) * nHat
        guard z3.isInSymmetricRange(zBound) else { throw reject(.outOfRange("z3")) }
        guard z4.isInSymmetricRange(zBound) else { throw reject(.outOfRange("z4")) }
        guard st.pk0.isValidNonce(w) else { throw reject(.outOfRange("w")) }
        guard st.pk1.isValidNonce(wy) else { throw reject(.outOfRange("wy")) }

        let e = Self.challenge(st, aux: aux, A, Bx, By, E, S, F, T, context: context)
        // C^{z1} (1+N0)^{z2} w^{N0} = A·D^e mod N0²
        guard let cz1 = st.pk0.unitPow(st.C, z1), let wN = st.pk0.nthPower(w),
              let de = st.pk0.unitPow(st.D, e),
              cz1.mulMod(st.pk0.gToThe(z2), n0sq).mulMod(wN, n0sq) == A.mulMod(de, n0sq) else {
            throw reject(.equationFailed("C^z1 (1+N0)^z2 w^N0 != A D^e"))
        }
        // z1·g = Bx + e·X
        guard G.multiply(st.g, by: z1) == G.add(Bx, G.multiply(st.X, by: e)) else {
            throw reject(.equationFailed("z1·g != Bx + e·X"))
        }
        // (1+N1)^{z2} wy^{N1} = By·Y^e mod N1²
        guard let wyN = st.pk1.nthPower(wy), let ye = st.pk1.unitPow(st.Y, e),
              st.pk1.gToThe(z2).mulMod(wyN, n1sq) == By.mulMod(ye, n1sq) else {
            throw reject(.equationFailed("(1+N1)^z2 wy^N1 != By Y^e"))
        }
        // s^{z1} t^{z3} = E·S^e, s^{z2} t^{z4} = F·T^e mod N̂
        guard let se = aux.verifierPow(S, e), aux.commitPublic(z1, z3) == E.mulMod(se, nHat) else {
            throw reject(.equationFailed("s^z1 t^z3 != E S^e"))
        }
        guard let te = aux.verifierPow(T, e), aux.commitPublic(z2, z4) == F.mulMod(te, nHat) else {
            throw reject(.equationFailed("s^z2 t^z4 != F T^e"))
        }
    }
}
