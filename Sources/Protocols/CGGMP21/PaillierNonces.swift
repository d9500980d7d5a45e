/// Fresh Paillier nonces under our OWN key, drawn through generators of Z*_p and Z*_q.
///
/// The protocol needs ρ uniform in Z*_N together with ρ^N mod N². With p, q safe primes, Z*_p is cyclic of order
/// p−1 with a known generator g_p (a quadratic non-residue), so ρ_p = g_p^a for a uniform a ∈ [0, p−1) is uniform
/// in Z*_p, and ρ = CRT(ρ_p, ρ_q) is uniform in Z*_N: the distribution of `BigNum.randomUnit`. (a is drawn as a
/// (|p|+128)-bit number reduced mod p−1, within 2^-128 of uniform: rejection sampling against the secret p−1 would
/// let the number of draws tell how close p is to a power of two.) And because
/// x^p mod p² depends only on x mod p, ρ^N ≡ (g_p^N)^a (mod p²): with the constant h_p = g_p^N mod p², the N-th
/// power is one more fixed-base exponentiation. So with tables (`withTables`, constant time in a, b: secret
/// exponents) a nonce costs four fixed-base exponentiations with 1024-bit exponents instead of the CRT N-th power's
/// four `mpz_powm_sec`; without tables ρ_p = g_p^a uses `mpz_powm_sec` and ρ^N the CRT N-th power (same values).
///
/// Not constant time, and why that is fine: the generator search (Jacobi symbols of 2, 3, … mod p) and the
/// safe-prime check of (p−1)/2 run once per key on the secret primes, like the key's CRT inverses.
struct PaillierNonceGenerator: Sendable {
    let gp: BigNum, gq: BigNum          // generators of Z*_p, Z*_q
    let pm1: BigNum, qm1: BigNum        // group orders p−1, q−1
    let crtN: CRTModulus                // over p, q
    let tables: Tables?

    struct Tables: Sendable {
        let gp: ConstantTimeFixedBase, gq: ConstantTimeFixedBase    // mod p, mod q
        let hp: ConstantTimeFixedBase, hq: ConstantTimeFixedBase    // h_p = g_p^N mod p², h_q mod q²
        let crt2: CRTModulus                                        // over p², q²
    }

    /// nil unless p and q are safe primes (then a quadratic non-residue generates the whole group).
    init?(p: BigNum, q: BigNum, crtN: CRTModulus) {
        guard let gp = Self.generator(p), let gq = Self.generator(q) else { return nil }
        self.gp = gp; self.gq = gq; self.pm1 = p - .one; self.qm1 = q - .one; self.crtN = crtN; self.tables = nil
    }

    private init(_ g: PaillierNonceGenerator, tables: Tables) {
        gp = g.gp; gq = g.gq; pm1 = g.pm1; qm1 = g.qm1; crtN = g.crtN; self.tables = tables
    }

    /// For a safe prime p = 2p'+1 (p > 7), the smallest g ≥ 2 with (g | p) = −1 has order 2p' = p−1.
    static func generator(_ p: BigNum) -> BigNum? {
        guard p.bitLength > 3, p.isOdd, p.shiftedRight(1).isProbablePrime else { return nil }
        var g = 2
        while BigNum(g).jacobi(p) != -1 { g += 1; if g > 1000 { return nil } }
        return BigNum(g)
    }

    /// Adds the constant-time tables (g_p, g_q, h_p, h_q; ≈ 3 MB at 2048 bits). nil if a table cannot be built.
    func withTables(crt2: CRTModulus, n: BigNum) -> PaillierNonceGenerator? {
        let p = crtN.p, q = crtN.q
        guard let hp = gp.powSecret(n, modulus: crt2.p), let hq = gq.powSecret(n, modulus: crt2.q),
              let tgp = ConstantTimeFixedBase(base: gp, modulus: p, maxBits: p.bitLength, signedExponents: false),
              let tgq = ConstantTimeFixedBase(base: gq, modulus: q, maxBits: q.bitLength, signedExponents: false),
              let thp = ConstantTimeFixedBase(base: hp, modulus: crt2.p, maxBits: p.bitLength, signedExponents: false),
              let thq = ConstantTimeFixedBase(base: hq, modulus: crt2.q, maxBits: q.bitLength, signedExponents: false)
        else { return nil }
        return PaillierNonceGenerator(self, tables: Tables(gp: tgp, gq: tgq, hp: thp, hq: thq, crt2: crt2))
    }

    /// Within 2^-128 of uniform in [0, bound) with a fixed number of random bytes (bound secret: no rejection).
    static func exponent<R: RandomSource>(below bound: BigNum, using rng: inout R) -> BigNum {
        BigNum.random(below: .powerOfTwo(bound.bitLength + 128), using: &rng).mod(bound)
    }

    /// ρ uniform in Z*_N and ρ^N mod N² (`nthPower` computes the latter when there are no tables).
    func draw<R: RandomSource>(using rng: inout R, nthPower: (BigNum) -> BigNum?) -> (rho: BigNum, power: BigNum) {
        let a = Self.exponent(below: pm1, using: &rng), b = Self.exponent(below: qm1, using: &rng)
        if let t = tables, let rp = t.gp.pow(a), let rq = t.gq.pow(b), let hp = t.hp.pow(a), let hq = t.hq.pow(b) {
            return (crtN.crt(rp, rq), t.crt2.crt(hp, hq))
        }
        let rp = gp.powSecret(a, modulus: crtN.p) ?? .one, rq = gq.powSecret(b, modulus: crtN.q) ?? .one
        let rho = crtN.crt(rp, rq)
        return (rho, nthPower(rho) ?? .one) // ρ is a unit: the N-th power exists
    }
}
