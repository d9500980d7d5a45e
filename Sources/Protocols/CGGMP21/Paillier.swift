/// Paillier encryption with g = 1 + N over a safe-prime (Paillier-Blum) modulus N = pq.
/// enc(m; ρ) = (1+N)^m · ρ^N mod N², decryption by CRT with `mpz_powm_sec`.

/// A Paillier public key. Construct with `init(n:profile:)`, which checks the exact bit length
/// (checklist 6); Π^mod and Π^fac must still be verified before first use (checklist 1).
public struct PaillierPublicKey: Sendable, Equatable {
    public let n: BigNum
    public let nSquared: BigNum
    /// Present only on our OWN public key (from `PaillierSecretKey`): CRT over p², q² for
    /// exponentiations mod N² (encryption, and verifying proofs about ciphertexts under our key,
    /// e.g. Π^aff-g). Not part of equality.
    let accelerator: Accelerator?

    struct Accelerator: Sendable {
        let crt: CRTModulus      // over p², q²
        let orderP: BigNum       // φ(p²) = p(p-1)
        let orderQ: BigNum       // φ(q²) = q(q-1)
        let p: BigNum, q: BigNum
        let qModPm1: BigNum      // q mod (p-1)
        let pModQm1: BigNum      // p mod (q-1)
        /// Fresh nonces through generators of Z*_p, Z*_q (nil unless p, q are safe primes).
        var nonces: PaillierNonceGenerator?
    }

    public init(n: BigNum, profile: CGGMPProfile) throws(CGGMPError) {
        try profile.checkModulus(n)
        self.n = n
        self.nSquared = n * n
        self.accelerator = nil
    }

    /// Without the profile check: for key material we generated ourselves and for tests.
    init(uncheckedN n: BigNum, accelerator: Accelerator? = nil) {
        self.n = n
        self.nSquared = n * n
        self.accelerator = accelerator
    }

    public static func == (a: PaillierPublicKey, b: PaillierPublicKey) -> Bool { a.n == b.n }

    /// base^e mod N² for a PUBLIC exponent and a base in Z*_{N²}; by CRT (powm_sec halves, the
    /// primes being secret) when this is our own key.
    func unitPow(_ base: BigNum, _ e: BigNum) -> BigNum? {
        guard let acc = accelerator else { return base.pow(e, modulus: nSquared) }
        return acc.crt.powPublic(base, e, orderP: acc.orderP, orderQ: acc.orderQ)
    }

    /// base^N mod N² for a base in Z*_N (Paillier nonces, and z^N in the verifiers' equations).
    /// With our own key, by CRT, each half as ((b mod p)^{q mod (p-1)} mod p)^p mod p²: (u + kp)^p ≡ u^p
    /// (mod p²), so b^{pq} mod p² depends only on b^q mod p, whose exponent Fermat reduces mod p-1. That is
    /// a 1024-bit exponent mod p and a 1024-bit one mod p² instead of a 2048-bit one mod p² (2048-bit
    /// profile), the same value exactly. powm_sec throughout (p, q are secret).
    func nthPower(_ base: BigNum) -> BigNum? {
        guard let acc = accelerator else { return base.pow(n, modulus: nSquared) }
        guard let up = base.mod(acc.p).powSecret(acc.qModPm1, modulus: acc.p),
              let uq = base.mod(acc.q).powSecret(acc.pModQm1, modulus: acc.q),
              let hp = up.powSecret(acc.p, modulus: acc.crt.p),
              let hq = uq.powSecret(acc.q, modulus: acc.crt.q) else { return nil }
        return acc.crt.crt(hp, hq)
    }

    // MARK: Validity (checklist 9)

    /// C ∈ Z*_{N²}: 0 < C < N² and gcd(C, N) = 1.
    public func isValidCiphertext(_ c: BigNum) -> Bool {
        c.sign > 0 && c < nSquared && c.gcd(n) == .one
    }

    /// ρ ∈ Z*_N.
    public func isValidNonce(_ rho: BigNum) -> Bool { rho.isUnit(modulo: n) }

    public func checkCiphertext(_ c: BigNum) throws(CGGMPError) {
        guard isValidCiphertext(c) else { throw .invalidCiphertext }
    }

    // MARK: Encryption

    /// (1+N)^m mod N² = 1 + (m mod N)·N: no exponentiation needed.
    func gToThe(_ m: BigNum) -> BigNum {
        m.mod(n).multiplied(by: n).adding(.one).mod(nSquared)
    }

    /// enc(m; ρ) = (1+N)^m ρ^N mod N². m may be negative (it is taken mod N). ρ must be in Z*_N.
    /// ρ^N: for a peer's key `mpz_powm` (the exponent N is public; the secret base does not steer
    /// the windows); for our own key by CRT over p², q² with `mpz_powm_sec`.
    public func encrypt(_ m: BigNum, nonce rho: BigNum) throws(CGGMPError) -> BigNum {
        guard isValidNonce(rho) else { throw .invalidNonce }
        guard let rn = nthPower(rho) else { throw .invalidNonce }
        return gToThe(m).mulMod(rn, nSquared)
    }

    /// Encrypts with a fresh nonce; returns the ciphertext and the nonce.
    public func encrypt<R: RandomSource>(_ m: BigNum, using rng: inout R) -> (ciphertext: BigNum, nonce: BigNum) {
        let nonce = randomNonce(using: &rng)
        return (encrypt(m, nonce: nonce), nonce.rho)
    }

    /// A fresh nonce ρ, uniform in Z*_N, with ρ^N mod N². Our own key (safe primes) draws it through generators
    /// of Z*_p, Z*_q (`PaillierNonceGenerator`: the same distribution, faster with tables); a peer's key draws
    /// ρ by rejection sampling and raises it to N with `mpz_powm` (public exponent).
    func randomNonce<R: RandomSource>(using rng: inout R) -> (rho: BigNum, power: BigNum) {
        if let g = accelerator?.nonces { return g.draw(using: &rng, nthPower: nthPower) }
        let rho = BigNum.randomUnit(modulo: n, using: &rng)
        return (rho, nthPower(rho) ?? .one) // ρ is a unit, pow with e > 0 never fails
    }

    /// enc(m; ρ) from a nonce of `randomNonce` (its N-th power already computed).
    func encrypt(_ m: BigNum, nonce: (rho: BigNum, power: BigNum)) -> BigNum {
        gToThe(m).mulMod(nonce.power, nSquared)
    }

    // MARK: Homomorphic operations

    /// enc(m1 + m2) from enc(m1), enc(m2).
    public func add(_ c1: BigNum, _ c2: BigNum) throws(CGGMPError) -> BigNum {
        try checkCiphertext(c1); try checkCiphertext(c2)
        return c1.mulMod(c2, nSquared)
    }

    /// enc(k · m) from enc(m): C^k mod N². k may be secret (a share): `mpz_powm_sec`. Negative k
    /// exponentiates C^-1.
    public func multiply(_ c: BigNum, by k: BigNum) throws(CGGMPError) -> BigNum {
        try checkCiphertext(c)
        guard let r = c.powSecret(k, modulus: nSquared) else { throw .invalidCiphertext }
        return r
    }

    /// Maps a residue in [0, N) to the signed representative in (-N/2, N/2].
    public func signed(_ m: BigNum) -> BigNum {
        m > n.shiftedRight(1) ? m.subtracting(n) : m
    }
}

/// A Paillier secret key: the safe primes p, q of N. Decryption by CRT with secret exponents
/// through `mpz_powm_sec`. Values are wiped on release (see `BigNum`).
public struct PaillierSecretKey: Sendable {
    public private(set) var publicKey: PaillierPublicKey
    let p: BigNum
    let q: BigNum
    /// φ(N) = (p-1)(q-1).
    let phi: BigNum
    let pSquared: BigNum
    let qSquared: BigNum
    /// h_p = L_p((1+N)^{p-1} mod p²)^{-1} mod p, and the same for q.
    let hp: BigNum
    let hq: BigNum
    /// p^{-1} mod q for CRT recombination.
    let pInvModQ: BigNum

    /// Builds the key from two distinct primes p, q with N = pq of the profile's exact size.
    /// Requires p ≡ q ≡ 3 mod 4 (Blum, as safe primes are).
    public init(p: BigNum, q: BigNum, profile: CGGMPProfile) throws(CGGMPError) {
        guard p != q, p.isOdd, q.isOdd, p.mod(small: 4) == 3, q.mod(small: 4) == 3 else {
            throw .invalidInput("p, q must be distinct Blum primes")
        }
        let n = p * q
        let pk = try PaillierPublicKey(n: n, profile: profile)
        try self.init(p: p, q: q, publicKey: pk)
    }

    init(p: BigNum, q: BigNum, publicKey: PaillierPublicKey) throws(CGGMPError) {
        let p2 = p * p, q2 = q * q
        guard let crt2 = CRTModulus(p: p2, q: q2) else { throw .invalidInput("p, q not coprime") }
        guard let crtN = CRTModulus(p: p, q: q) else { throw .invalidInput("p, q not coprime") }
        self.publicKey = PaillierPublicKey(uncheckedN: publicKey.n, accelerator:
            .init(crt: crt2, orderP: p2 - p, orderQ: q2 - q, p: p, q: q, qModPm1: q.mod(p - .one), pModQm1: p.mod(q - .one),
                  nonces: PaillierNonceGenerator(p: p, q: q, crtN: crtN)))
        self.p = p
        self.q = q
        self.phi = (p - .one) * (q - .one)
        self.pSquared = p * p
        self.qSquared = q * q
        guard let pInv = p.inverse(modulus: q) else { throw .invalidInput("p, q not coprime") }
        self.pInvModQ = pInv
        let n = publicKey.n
        // L_p((1+N)^{p-1} mod p²) = (p-1)·q mod p; its inverse exists since p ∤ (p-1)q.
        guard let hp = ((p - .one) * n).mod(pSquared).divExact(p).mod(p).inverse(modulus: p),
              let hq = ((q - .one) * n).mod(qSquared).divExact(q).mod(q).inverse(modulus: q)
        else { throw .invalidInput("degenerate Paillier key") }
        self.hp = hp
        self.hq = hq
    }

    /// Generates a key from the injected RandomSource (two fresh safe primes). Slow for real sizes.
    public static func generate<R: RandomSource>(profile: CGGMPProfile, using rng: inout R,
                                                 progress: (Int) -> Void = { _ in }) throws(CGGMPError) -> PaillierSecretKey {
        while true {
            let p = try SafePrime.generate(bits: profile.primeBits, using: &rng, progress: progress)
            let q = try SafePrime.generate(bits: profile.primeBits, using: &rng, progress: progress)
            if p == q { continue }
            return try PaillierSecretKey(p: p, q: q, profile: profile)
        }
    }

    /// Encryption under our OWN key (e.g. K_i, G_i in presigning): the same as
    /// `publicKey.encrypt`, which runs by CRT over p², q² for our own key.
    public func encrypt(_ m: BigNum, nonce rho: BigNum) throws(CGGMPError) -> BigNum {
        try publicKey.encrypt(m, nonce: rho)
    }

    /// Encrypts under our own key with a fresh nonce; returns the ciphertext and the nonce.
    public func encrypt<R: RandomSource>(_ m: BigNum, using rng: inout R) -> (ciphertext: BigNum, nonce: BigNum) {
        publicKey.encrypt(m, using: &rng)
    }

    /// The same key with constant-time tables for its fresh nonces (`PaillierNonceGenerator`; ≈ 3 MB at 2048
    /// bits): build once, keep it for every presignature. Unchanged when p, q are not safe primes.
    public func withNonceTables() -> PaillierSecretKey {
        guard var acc = publicKey.accelerator, let g = acc.nonces?.withTables(crt2: acc.crt, n: publicKey.n) else { return self }
        acc.nonces = g
        var copy = self
        copy.publicKey = PaillierPublicKey(uncheckedN: publicKey.n, accelerator: acc)
        return copy
    }

    /// Decrypts to m ∈ [0, N). Checks C ∈ Z*_{N²} first (checklist 9).
    /// m_p = L_p(C^{p-1} mod p²)·h_p mod p (powm_sec), likewise m_q, then CRT.
    public func decrypt(_ c: BigNum) throws(CGGMPError) -> BigNum {
        try publicKey.checkCiphertext(c)
        guard let cp = c.powSecret(p - .one, modulus: pSquared),
              let cq = c.powSecret(q - .one, modulus: qSquared) else { throw .invalidCiphertext }
        let mp = cp.subtracting(.one).divExact(p).mulMod(hp, p)
        let mq = cq.subtracting(.one).divExact(q).mulMod(hq, q)
        // m = mp + p·((mq - mp)·p^{-1} mod q)
        let t = mq.subtracting(mp).mulMod(pInvModQ, q)
        return mp.adding(p * t)
    }

    /// Decrypts to the signed representative in (-N/2, N/2].
    public func decryptSigned(_ c: BigNum) throws(CGGMPError) -> BigNum {
        publicKey.signed(try decrypt(c))
    }

    /// CRT arithmetic mod N for the proofs (Π^mod, Π^fac).
    var crtModulus: CRTModulus { CRTModulus(p: p, q: q, n: publicKey.n, pInvModQ: pInvModQ) }
}
