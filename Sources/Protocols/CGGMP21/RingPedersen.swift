/// Ring-Pedersen parameters (N̂, s, t) (eprint 2021/060, Definition 2.3 / Section 4):
/// t = τ² mod N̂ for a random τ ∈ Z*_N̂, s = t^λ mod N̂ for a secret λ ∈ Z_φ(N̂).
/// A commitment to x with randomness y is s^x · t^y mod N̂.

/// The public parameters. `init(n:s:t:profile:)` validates a received triple (checklist 6);
/// Π^prm must be verified too before they are used.
public struct RingPedersenParameters: Sendable, Equatable {
    public let n: BigNum
    public let s: BigNum
    public let t: BigNum
    /// Present only on our OWN parameters (from `RingPedersenSecret`): lets the verifier of proofs
    /// made against them exponentiate mod N̂ by CRT (about 3x faster). Not part of equality.
    let accelerator: CRTModulus?
    /// Optional precomputed power tables (`withProverTables`, `withVerifierTables`). Not part of equality.
    let tables: RingPedersenTables?

    public init(n: BigNum, s: BigNum, t: BigNum, profile: CGGMPProfile) throws(CGGMPError) {
        try profile.checkModulus(n)
        try Self.checkElement(s, n, "s")
        try Self.checkElement(t, n, "t")
        self.n = n; self.s = s; self.t = t; self.accelerator = nil; self.tables = nil
    }

    init(unchecked n: BigNum, s: BigNum, t: BigNum, accelerator: CRTModulus? = nil, tables: RingPedersenTables? = nil) {
        self.n = n; self.s = s; self.t = t; self.accelerator = accelerator; self.tables = tables
    }

    public static func == (a: RingPedersenParameters, b: RingPedersenParameters) -> Bool {
        a.n == b.n && a.s == b.s && a.t == b.t
    }

    /// base^e mod N̂ for a PUBLIC exponent and a base in Z*_N̂ (verifier side). With our own
    /// parameters this runs by CRT; the halves use powm_sec because p̂, q̂ are secret.
    func verifierPow(_ base: BigNum, _ e: BigNum) -> BigNum? {
        guard let crt = accelerator else { return base.pow(e, modulus: n) }
        return crt.powPublic(base, e, orderP: crt.p - .one, orderQ: crt.q - .one)
    }

    /// x ∈ Z*_N̂ and x ∉ {1, N̂-1}.
    static func checkElement(_ x: BigNum, _ n: BigNum, _ name: String) throws(CGGMPError) {
        guard x.isUnit(modulo: n) else { throw .invalidRingPedersen("\(name) is not a unit") }
        guard x != .one, x != n - .one else { throw .invalidRingPedersen("\(name) is ±1") }
    }

    /// s^x t^y mod N̂ for SECRET x, y (any sign): the constant-time prover tables when present, else `mpz_powm_sec`
    /// (which path runs depends on the exponents' limb counts only).
    public func commit(_ x: BigNum, _ y: BigNum) -> BigNum {
        if let c = commitWithTables(x, y) { return c }
        // s, t are units (checked on construction), so the inverses for negative exponents exist.
        let sx = s.powSecret(x, modulus: n) ?? .zero
        let ty = t.powSecret(y, modulus: n) ?? .zero
        return sx.mulMod(ty, n)
    }

    /// s^x t^y mod N̂ for PUBLIC x, y (verifier side): with our own parameters by CRT (tables when present),
    /// else `mpz_powm`.
    public func commitPublic(_ x: BigNum, _ y: BigNum) -> BigNum {
        if let c = commitPublicWithTables(x, y) { return c }
        let sx = verifierPow(s, x) ?? .zero
        let ty = verifierPow(t, y) ?? .zero
        return sx.mulMod(ty, n)
    }

    /// Whether c ∈ Z*_N̂ (commitments received in proofs).
    func isValidCommitment(_ c: BigNum) -> Bool { c.isUnit(modulo: n) }
}

/// The secret side: λ with s = t^λ, and the primes of N̂ (for Π^prm and Π^mod).
public struct RingPedersenSecret: Sendable {
    public let parameters: RingPedersenParameters
    let lambda: BigNum
    let p: BigNum
    let q: BigNum
    let phi: BigNum

    /// Generates (s, t, λ) over N̂ = pq from the injected RandomSource. p, q: distinct safe primes.
    /// Fig. 7 (aux-info), step 1: t = τ² mod N̂, λ ← Z_φ(N̂), s = t^λ mod N̂.
    public static func generate<R: RandomSource>(p: BigNum, q: BigNum, profile: CGGMPProfile,
                                                 using rng: inout R) throws(CGGMPError) -> RingPedersenSecret {
        let n = p * q
        try profile.checkModulus(n)
        let phi = (p - .one) * (q - .one)
        while true {
            let tau = BigNum.randomUnit(modulo: n, using: &rng)
            let t = tau.mulMod(tau, n)
            let lambda = BigNum.random(below: phi, using: &rng)
            guard let s = t.powSecret(lambda, modulus: n) else { continue }
            guard (try? RingPedersenParameters(n: n, s: s, t: t, profile: profile)) != nil,
                  let crt = CRTModulus(p: p, q: q) else { continue }
            let params = RingPedersenParameters(unchecked: n, s: s, t: t, accelerator: crt)
            return RingPedersenSecret(parameters: params, lambda: lambda, p: p, q: q, phi: phi)
        }
    }
}

extension RingPedersenSecret {
    /// Ring-Pedersen parameters over the modulus of our Paillier key, as in the aux-info phase
    /// (one N per party for both uses).
    public static func generate<R: RandomSource>(over key: PaillierSecretKey, profile: CGGMPProfile,
                                                 using rng: inout R) throws(CGGMPError) -> RingPedersenSecret {
        try generate(p: key.p, q: key.q, profile: profile, using: &rng)
    }

    var crtModulus: CRTModulus? { CRTModulus(p: p, q: q) }
}
