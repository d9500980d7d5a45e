internal import CGMP

/// Constant-time exponentiation of ONE base to many SECRET exponents (fixed-base comb over GMP's
/// side-channel-silent `mpn_sec_*` functions; C in Sources/CGMP/fixed_base.h): the table holds
/// base^(d·2^(w·j)) mod m in Montgomery form for every w-bit digit position j and digit d, and base^e is one
/// Montgomery multiplication per digit of e, each entry read with `mpn_sec_tabselect` (whole row scanned).
/// No squarings: about 3× fewer modular multiplications than `mpz_powm_sec` for the same exponent.
///
/// Timing: the work depends on the exponent's LIMB COUNT only (a size, as everywhere in `BigNum`), never on
/// its value; with `signedExponents`, the sign costs no branch (e + 2^(64·L) in two's complement, times the
/// precomputed base^(-2^(64·L))). Building the table reads only base and modulus; with `signedExponents`
/// it inverts base powers with `mpz_invert` (variable time), so base and modulus must then be public
/// (a peer's ring-Pedersen s, t, N̂). Memory: ⌈maxBits/w⌉ · 2^w · |m| bytes (1.9 MB for 1857 bits mod a
/// 2048-bit m at w = 4), wiped on release.
public final class ConstantTimeFixedBase: @unchecked Sendable {
    // Owned and never mutated after init (hence @unchecked Sendable); exponentiations use their own scratch.
    private let table: UnsafeMutablePointer<cgmp_fb>
    public let modulus: BigNum
    /// Exponent bits covered (after the offset for signed exponents).
    public let maxBits: Int
    public let signedExponents: Bool
    public static let defaultWindow = 4

    /// Precondition-free: nil when modulus is even or ≤ 1, base ∉ [0, modulus), or (signed) base is not a unit.
    public init?(base: BigNum, modulus: BigNum, maxBits: Int, window: Int = ConstantTimeFixedBase.defaultWindow,
                 signedExponents: Bool) {
        guard maxBits > 0, (1...8).contains(window),
              let t = cgmp_fb_new(base.z, modulus.z, maxBits, UInt32(window), signedExponents ? 1 : 0) else { return nil }
        table = t
        self.modulus = modulus
        self.maxBits = maxBits
        self.signedExponents = signedExponents
        withExtendedLifetime(base) {}
    }

    deinit { cgmp_fb_free(table) }

    /// The largest |e| (in limbs of 64 bits) `pow` takes without falling back.
    public var maxExponentLimbs: Int { signedExponents ? (maxBits - 1) / 64 : maxBits / 64 }

    /// base^e mod m; e ≥ 0 unless `signedExponents`. nil when e does not fit the table (then use
    /// `BigNum.powSecret`; which path runs depends on e's limb count only).
    public func pow(_ e: BigNum) -> BigNum? { Self.pow2(self, e, nil, nil) }

    /// a^ea · b^eb mod m with one accumulator (both tables over the same modulus, same signedness).
    public static func pow2(_ a: ConstantTimeFixedBase, _ ea: BigNum, _ b: ConstantTimeFixedBase?, _ eb: BigNum?) -> BigNum? {
        if let b { guard b.signedExponents == a.signedExponents, b.modulus == a.modulus, eb != nil else { return nil } }
        let r = BigNum()
        let rc = withExtendedLifetime((a, ea, b, eb)) { () -> Int32 in
            cgmp_fb_pow2(r.z, a.table, ea.z, b?.table, eb?.z ?? ea.z, a.signedExponents ? 1 : 0)
        }
        return rc == 0 ? r : nil
    }
}
