/// Π^mod — Paillier-Blum modulus proof. eprint 2021/060, Section 6 / Appendix C, Fig. 16.
///
/// Statement: N is a Paillier-Blum modulus (N = pq, p ≡ q ≡ 3 mod 4, gcd(N, φ(N)) = 1).
/// Non-interactive with m repetitions (m = profile.m: 80 or 128), each with its own challenge
/// y_i derived from the transcript with index i (checklist 4).
public struct PiMod: Sendable, Equatable {
    /// w ∈ Z_N with Jacobi(w | N) = -1.
    public let w: BigNum
    /// x_i = ((-1)^{a_i} w^{b_i} y_i)^{1/4} mod N.
    public let x: [BigNum]
    public let a: [Bool]
    public let b: [Bool]
    /// z_i = y_i^{N^{-1} mod φ(N)} mod N.
    public let z: [BigNum]

    public init(w: BigNum, x: [BigNum], a: [Bool], b: [Bool], z: [BigNum]) {
        self.w = w; self.x = x; self.a = a; self.b = b; self.z = z
    }

    /// The challenges y_1..y_m ∈ Z*_N, bound to the context, N and w.
    static func challenges(n: BigNum, w: BigNum, m: Int, context: CGGMPProofContext) -> [BigNum] {
        var tr = context.transcript(.mod)
        tr.append("N", n)
        tr.append("w", w)
        tr.append("m", BigNum(m))
        // Fig. 16, step 2 (Fiat-Shamir): one challenge per repetition, each with its index.
        return (0..<m).map { tr.challengeUnit("y", modulus: n, index: UInt64($0)) }
    }

    public static func prove<R: RandomSource>(secretKey sk: PaillierSecretKey, profile: CGGMPProfile,
                                              context: CGGMPProofContext, using rng: inout R) throws(CGGMPError) -> PiMod {
        let n = sk.publicKey.n
        let p = sk.p, q = sk.q
        let crt = sk.crtModulus
        let pm1 = p - .one, qm1 = q - .one
        // Fig. 16, step 1: w with Jacobi symbol -1 (w is public; jacobi of public values).
        var candidate = BigNum.randomUnit(modulo: n, using: &rng)
        while candidate.jacobi(n) != -1 { candidate = BigNum.randomUnit(modulo: n, using: &rng) }
        let w = candidate

        // Legendre symbols by Euler's criterion with powm_sec (p, q are secret).
        let halfP = pm1.shiftedRight(1)
        @Sendable func isQR(_ v: BigNum, _ prime: BigNum, _ half: BigNum) -> Bool {
            v.mod(prime).powSecret(half, modulus: prime) == .one
        }
        let wQRp = isQR(w, p, halfP) // w is a residue mod exactly one of p, q
        // Fourth-root exponents ((p+1)/4)^2 mod (p-1) and N^{-1} mod (p-1), per prime.
        let e4p = p.adding(.one).shiftedRight(2), e4q = q.adding(.one).shiftedRight(2)
        let rootP = e4p.mulMod(e4p, pm1), rootQ = e4q.mulMod(e4q, qm1)
        guard let nInvP = n.inverse(modulus: pm1), let nInvQ = n.inverse(modulus: qm1) else {
            throw .proverFailed(proof: .mod, "gcd(N, φ(N)) != 1")
        }
        let minusOne = n - .one
        let ys = challenges(n: n, w: w, m: profile.m, context: context)
        // The m repetitions are independent: computed concurrently (no randomness drawn here).
        let reps = CGGMPConcurrent.map(ys.count) { (i: Int) -> (x: BigNum, a: Bool, b: Bool, z: BigNum)? in
            let y = ys[i]
            // Fig. 16, step 3: the unique a, b with (-1)^a w^b y a quadratic residue mod N.
            // Legendre mod p by Euler's criterion (powm_sec); mod q from the Jacobi symbol (y|N) = (y|p)(y|q),
            // which is public (y and N are) and so may be computed in variable time.
            let yQRp = isQR(y, p, halfP)
            let yQRq = y.jacobi(n) == 1 ? yQRp : !yQRp
            // -1 is a non-residue mod p and mod q; w is a residue mod exactly one of them.
            let b = (yQRp == yQRq) ? false : true
            let vp = b ? (yQRp == wQRp) : yQRp   // residuosity of w^b y mod p
            let a = !vp
            var yPrime = y
            if b { yPrime = yPrime.mulMod(w, n) }
            if a { yPrime = yPrime.mulMod(minusOne, n) }
            guard let x = crt.pow(yPrime, ep: rootP, eq: rootQ),
                  let zi = crt.pow(y, ep: nInvP, eq: nInvQ) else { return nil }
            return (x, a, b, zi)
        }
        var xs: [BigNum] = [], as_: [Bool] = [], bs: [Bool] = [], zs: [BigNum] = []
        for r in reps {
            guard let r else { throw .proverFailed(proof: .mod, "root computation failed") }
            xs.append(r.x); as_.append(r.a); bs.append(r.b); zs.append(r.z)
        }
        return PiMod(w: w, x: xs, a: as_, b: bs, z: zs)
    }

    /// Verifies the proof for N (checklist 3): sizes and ranges first, then the equations.
    public func verify(n: BigNum, profile: CGGMPProfile, context: CGGMPProofContext) throws(CGGMPError) {
        func reject(_ r: CGGMPProofRejection) -> CGGMPError { .proofRejected(proof: .mod, reason: r) }
        // Statement: exact size, N odd and composite.
        guard n.bitLength == profile.modulusBits else { throw reject(.invalidStatement("N has \(n.bitLength) bits")) }
        guard n.isOdd else { throw reject(.invalidStatement("N even")) }
        guard !n.isProbablePrime else { throw reject(.invalidStatement("N prime")) }
        let m = profile.m
        guard x.count == m, a.count == m, b.count == m, z.count == m else {
            throw reject(.malformed("expected \(m) repetitions"))
        }
        // Ranges: w ∈ Z*_N with Jacobi -1; x_i, z_i ∈ [1, N).
        guard w.sign > 0, w < n else { throw reject(.outOfRange("w")) }
        guard w.gcd(n) == .one else { throw reject(.outOfRange("gcd(w, N) != 1")) }
        guard w.jacobi(n) == -1 else { throw reject(.invalidStatement("Jacobi(w|N) != -1")) }
        for i in 0..<m {
            guard x[i].sign > 0, x[i] < n else { throw reject(.outOfRange("x[\(i)]")) }
            guard z[i].sign > 0, z[i] < n else { throw reject(.outOfRange("z[\(i)]")) }
        }
        let ys = Self.challenges(n: n, w: w, m: m, context: context)
        let four = BigNum(4), minusOne = n - .one
        let (w, x, a, b, z) = (self.w, self.x, self.a, self.b, self.z)
        // The repetitions are independent: checked concurrently; the lowest failing index is reported.
        let failures = CGGMPConcurrent.map(m) { (i: Int) -> String? in
            // Fig. 16, verification: z_i^N = y_i mod N.
            guard z[i].pow(n, modulus: n) == ys[i] else { return "z[\(i)]^N != y[\(i)]" }
            // x_i^4 = (-1)^{a_i} w^{b_i} y_i mod N.
            var rhs = ys[i]
            if b[i] { rhs = rhs.mulMod(w, n) }
            if a[i] { rhs = rhs.mulMod(minusOne, n) }
            guard x[i].pow(four, modulus: n) == rhs else { return "x[\(i)]^4" }
            return nil
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw reject(.equationFailed(failure)) }
    }
}
