/// Precomputed constant-time power tables of ring-Pedersen parameters (N̂, s, t): what does not change between
/// presignatures with a peer. A pure value built from the parameters alone, kept by the caller (node or bench)
/// on the `RingPedersenParameters` it passes in (`withProverTables`, `withVerifierTables`); proofs made or
/// checked with parameters that carry no tables compute the same values with `mpz_powm_sec`.
///
/// - Prover side (a PEER's parameters): s and t mod N̂ for commitments s^x t^y with SECRET signed exponents
///   (Π^enc, Π^log*, Π^aff-g masks and witnesses): `ConstantTimeFixedBase`, constant time in the exponents.
/// - Verifier side (OUR parameters): s and t mod p̂ and mod q̂, for s^{z1} t^{z3} by CRT; the exponents are
///   public but reduced mod p̂−1, q̂−1 (secret), so the tables are constant time too.
public final class RingPedersenTables: Sendable {
    let proverS: ConstantTimeFixedBase?, proverT: ConstantTimeFixedBase?
    let verifier: (sp: ConstantTimeFixedBase, tp: ConstantTimeFixedBase, sq: ConstantTimeFixedBase, tq: ConstantTimeFixedBase)?

    init(proverS: ConstantTimeFixedBase?, proverT: ConstantTimeFixedBase?,
         verifier: (sp: ConstantTimeFixedBase, tp: ConstantTimeFixedBase, sq: ConstantTimeFixedBase, tq: ConstantTimeFixedBase)?) {
        self.proverS = proverS; self.proverT = proverT; self.verifier = verifier
    }

    /// Exponent sizes the prover tables cover: |x| ≤ 2^{ℓ'+ε} for s (β, y, α, witnesses), |y| ≤ 2^{ℓ+ε}·N̂ for t
    /// (γ, δ, μ, m), rounded up to whole limbs plus the sign offset bit. Larger exponents (identification's
    /// Π^dec) fall back to `mpz_powm_sec`.
    static func proverBits(profile: CGGMPProfile) -> (s: Int, t: Int) {
        func limbs(_ bits: Int) -> Int { 64 * ((bits + 63) / 64) + 1 }
        return (limbs(profile.ellPrime + profile.epsilon + 1), limbs(profile.ell + profile.epsilon + 1 + profile.modulusBits))
    }
}

extension RingPedersenParameters {
    /// A copy whose commitments with secret exponents (`commit`) use constant-time fixed-base tables of s, t mod
    /// N̂: for a peer's parameters, kept for every presignature with that peer. About 4.9 MB at 2048 bits.
    public func withProverTables(profile: CGGMPProfile) -> RingPedersenParameters {
        let bits = RingPedersenTables.proverBits(profile: profile)
        guard let ts = ConstantTimeFixedBase(base: s, modulus: n, maxBits: bits.s, signedExponents: true),
              let tt = ConstantTimeFixedBase(base: t, modulus: n, maxBits: bits.t, signedExponents: true) else { return self }
        return with(RingPedersenTables(proverS: ts, proverT: tt, verifier: tables?.verifier))
    }

    /// A copy whose public-exponent commitments (`commitPublic`, the verifier's s^{z1} t^{z3}) run by CRT over
    /// constant-time tables mod p̂, q̂. Only for OUR parameters (needs the primes); otherwise returns self.
    public func withVerifierTables() -> RingPedersenParameters {
        guard let crt = accelerator else { return self }
        func table(_ b: BigNum, _ m: BigNum) -> ConstantTimeFixedBase? {
            ConstantTimeFixedBase(base: b.mod(m), modulus: m, maxBits: m.bitLength, signedExponents: false)
        }
        guard let sp = table(s, crt.p), let tp = table(t, crt.p), let sq = table(s, crt.q), let tq = table(t, crt.q) else { return self }
        return with(RingPedersenTables(proverS: tables?.proverS, proverT: tables?.proverT, verifier: (sp, tp, sq, tq)))
    }

    private func with(_ tables: RingPedersenTables) -> RingPedersenParameters {
        RingPedersenParameters(unchecked: n, s: s, t: t, accelerator: accelerator, tables: tables)
    }

    /// s^x t^y mod N̂ through the prover tables; nil without them or when an exponent does not fit.
    func commitWithTables(_ x: BigNum, _ y: BigNum) -> BigNum? {
        guard let ts = tables?.proverS, let tt = tables?.proverT else { return nil }
        return ConstantTimeFixedBase.pow2(ts, x, tt, y)
    }

    /// s^x t^y mod N̂ for public x, y by CRT through the verifier tables; nil without them.
    func commitPublicWithTables(_ x: BigNum, _ y: BigNum) -> BigNum? {
        guard let v = tables?.verifier, let crt = accelerator else { return nil }
        let pm1 = crt.p - .one, qm1 = crt.q - .one
        guard let rp = ConstantTimeFixedBase.pow2(v.sp, x.mod(pm1), v.tp, y.mod(pm1)),
              let rq = ConstantTimeFixedBase.pow2(v.sq, x.mod(qm1), v.tq, y.mod(qm1)) else { return nil }
        return crt.crt(rp, rq)
    }
}
