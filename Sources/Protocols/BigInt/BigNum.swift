internal import CGMP

/// An arbitrary-precision signed integer over GMP's `mpz_t`, with immutable value semantics:
/// every operation returns a new `BigNum`, so instances can be shared across tasks.
///
/// Memory: the limbs are always overwritten (`mpz_limbs_modify` + volatile memset, see
/// `cgmp_wipe` in Sources/CGMP/shim.h) before `mpz_clear` in `deinit`. We wipe every value rather
/// than only those flagged secret: tracking secrecy through arithmetic is error-prone, and the
/// cost (one memset per release) is negligible next to the arithmetic. Limitation: GMP's internal
/// scratch space and reallocations are not wiped (that would need `mp_set_memory_functions`, a
/// process-global setting).
///
/// Timing. Constant time (for a fixed operand size) only where it matters:
/// - `powSecret` (`mpz_powm_sec`): every secret exponent — Paillier decryption, the CRT halves
///   with p and q, fourth roots and N-th roots in Π^mod, ring-Pedersen λ, commitment openings,
///   masks and responses, homomorphic scalar multiplication by a share.
///
/// NOT constant time, and why that is acceptable:
/// - `add`, `sub`, `mul`, `mod`, `divExact`, shifts: GMP's mpn loops depend on operand *sizes*
///   (limb counts) only, not on values; the sizes of our secrets are public (bit bounds of the
///   profile). A leading-zero limb can change the size: a leak of a few top bits at most with
///   negligible probability for uniformly sampled masks.
/// - `pow` (`mpz_powm`): sliding windows leak the exponent. Used only with public exponents
///   (N in ρ^N, challenges e, verifier-side exponents which are all public proof values).
/// - `inverse` (`mpz_invert`), `gcd`, `jacobi`: Euclid-style, data dependent. Used on public
///   values (verifier checks, public moduli) and, at key generation only, on p and q (CRT
///   coefficients), where the number of such operations is one per key.
/// - `isProbablePrime`, safe-prime search: variable time by nature; run once at key generation.
/// - comparisons, `==`, `bitLength`, `bytes`: used for range checks of public (received) values.
///   Signs of secret signed masks are branched on when exponentiating with a negative exponent
///   (one bit of a uniformly random mask, documented at the call sites).
/// - random sampling by rejection: the number of rejections depends on discarded draws only.
public final class BigNum: @unchecked Sendable {
    // Owned and never mutated after init returns (hence @unchecked Sendable). Only valid while
    // this object is alive: pass BigNums as parameters (kept alive for the call) rather than
    // reading `.z` of temporaries or of locals past their last use.
    let z: UnsafeMutablePointer<__mpz_struct>

    init() {
        z = .allocate(capacity: 1)
        cgmp_init(z)
    }

    deinit {
        cgmp_wipe(z)
        cgmp_clear(z)
        z.deallocate()
    }

    /// Builds a new BigNum by running `body` on a fresh mpz.
    @inline(__always)
    static func make(_ body: (UnsafeMutablePointer<__mpz_struct>) -> Void) -> BigNum {
        let r = BigNum()
        body(r.z)
        return r
    }

    // MARK: Construction

    public convenience init(_ value: Int) {
        self.init()
        cgmp_set_si(z, value)
    }

    /// Non-negative integer from big-endian bytes (leading zeros allowed).
    public convenience init<C: Collection>(bytes: C) where C.Element == UInt8 {
        self.init()
        let a = Array(bytes)
        a.withUnsafeBufferPointer { buf in
            if let base = buf.baseAddress, buf.count > 0 { cgmp_import_be(z, base, buf.count) }
        }
    }

    /// Parses hexadecimal (optional 0x prefix, optional leading '-'); nil on malformed text.
    public convenience init?(hex: String) {
        var s = Substring(hex)
        var negative = false
        if s.hasPrefix("-") { negative = true; s = s.dropFirst() }
        if s.hasPrefix("0x") || s.hasPrefix("0X") { s = s.dropFirst(2) }
        guard !s.isEmpty, s.allSatisfy({ $0.isHexDigit }) else { return nil }
        self.init()
        let ok = String(s).withCString { cgmp_set_str(z, $0, 16) }
        guard ok == 0 else { return nil }
        if negative { cgmp_neg(z, z) }
    }

    public static let zero = BigNum(0)
    public static let one = BigNum(1)
    public static let two = BigNum(2)

    // MARK: Export

    /// Big-endian magnitude, minimal length (empty for zero).
    public var magnitudeBytes: [UInt8] {
        let n = cgmp_byte_length(z)
        var out = [UInt8](repeating: 0, count: n)
        out.withUnsafeMutableBufferPointer { buf in
            if let base = buf.baseAddress, n > 0 { _ = cgmp_export_be(base, z) }
        }
        return out
    }

    /// Big-endian magnitude left-padded to exactly `width` bytes; nil if it does not fit.
    public func bytes(width: Int) -> [UInt8]? {
        let mag = magnitudeBytes
        guard mag.count <= width else { return nil }
        return [UInt8](repeating: 0, count: width - mag.count) + mag
    }

    /// Lower-case hex of a public value (leading '-' for negatives). Never call on secrets in logs.
    public var hexString: String {
        (sign < 0 ? "-" : "") + (isZero ? "0" : Hex.encode(magnitudeBytes))
    }

    // MARK: Properties

    public var bitLength: Int { Int(cgmp_bit_length(z)) }
    public var sign: Int { Int(cgmp_sgn(z)) }
    public var isZero: Bool { sign == 0 }
    public var isNegative: Bool { sign < 0 }
    public var isOdd: Bool { cgmp_tstbit(z, 0) == 1 }
    public func testBit(_ i: Int) -> Bool { cgmp_tstbit(z, UInt(i)) == 1 }

    // MARK: Arithmetic (new values)

    public func adding(_ b: BigNum) -> BigNum { .make { cgmp_add($0, z, b.z) } }
    public func subtracting(_ b: BigNum) -> BigNum { .make { cgmp_sub($0, z, b.z) } }
    public func multiplied(by b: BigNum) -> BigNum { .make { cgmp_mul($0, z, b.z) } }
    public func negated() -> BigNum { .make { cgmp_neg($0, z) } }
    public func magnitude() -> BigNum { .make { cgmp_abs($0, z) } }
    public func shiftedLeft(_ bits: Int) -> BigNum { .make { cgmp_mul_2exp($0, z, UInt(bits)) } }
    public func shiftedRight(_ bits: Int) -> BigNum { .make { cgmp_fdiv_q_2exp($0, z, UInt(bits)) } }

    /// self mod m in [0, m). Precondition: m > 0.
    public func mod(_ m: BigNum) -> BigNum {
        precondition(m.sign > 0, "modulus must be positive")
        return .make { cgmp_mod($0, z, m.z) }
    }

    /// Floor division. Precondition: d != 0.
    public func floorDivided(by d: BigNum) -> BigNum {
        precondition(!d.isZero, "division by zero")
        return .make { cgmp_fdiv_q($0, z, d.z) }
    }

    /// self / d when d divides self exactly (faster than division). Precondition: d != 0.
    public func divExact(_ d: BigNum) -> BigNum {
        precondition(!d.isZero, "division by zero")
        return .make { cgmp_divexact($0, z, d.z) }
    }

    /// self mod d for a small d.
    public func mod(small d: UInt) -> UInt { UInt(cgmp_fdiv_ui(z, d)) }

    /// (self * b) mod m.
    public func mulMod(_ b: BigNum, _ m: BigNum) -> BigNum { multiplied(by: b).mod(m) }

    /// self^e mod m for a PUBLIC exponent (variable time). Negative e uses the inverse; nil if it
    /// does not exist.
    public func pow(_ e: BigNum, modulus m: BigNum) -> BigNum? {
        precondition(m.sign > 0, "modulus must be positive")
        if e.isNegative {
            guard let inv = inverse(modulus: m) else { return nil }
            return Self.powm(inv, e.magnitude(), m, secret: false)
        }
        return Self.powm(self, e, m, secret: false)
    }

    /// self^e mod m for a SECRET exponent with `mpz_powm_sec` (constant time in e for its size).
    /// m must be odd. A negative e exponentiates the inverse (the sign is one branched bit);
    /// e == 0 gives 1. Returns nil if e < 0 and self has no inverse mod m.
    public func powSecret(_ e: BigNum, modulus m: BigNum) -> BigNum? {
        precondition(m.sign > 0 && m.isOdd, "powm_sec needs an odd positive modulus")
        if e.isZero { return BigNum.one.mod(m) }
        if e.isNegative {
            guard let inv = inverse(modulus: m) else { return nil }
            return Self.powm(inv, e.magnitude(), m, secret: true)
        }
        let base = (isNegative || cgmp_cmp(z, m.z) >= 0) ? mod(m) : self
        return Self.powm(base, e, m, secret: true)
    }

    /// The operands are parameters, so they stay alive for the whole call (their `z` pointers are
    /// only valid while the owning BigNum is alive: never read `.z` of a temporary).
    private static func powm(_ b: BigNum, _ e: BigNum, _ m: BigNum, secret: Bool) -> BigNum {
        let r = BigNum()
        if secret { cgmp_powm_sec(r.z, b.z, e.z, m.z) } else { cgmp_powm(r.z, b.z, e.z, m.z) }
        return r
    }

    /// Inverse mod m in [0, m), or nil when gcd(self, m) != 1. Variable time.
    public func inverse(modulus m: BigNum) -> BigNum? {
        let r = BigNum()
        guard cgmp_invert(r.z, z, m.z) != 0 else { return nil }
        return r
    }

    public func gcd(_ b: BigNum) -> BigNum { .make { cgmp_gcd($0, z, b.z) } }

    /// Jacobi symbol (self | n) for odd positive n.
    public func jacobi(_ n: BigNum) -> Int {
        precondition(n.sign > 0 && n.isOdd, "Jacobi needs an odd positive modulus")
        return Int(cgmp_jacobi(z, n.z))
    }

    /// Baillie-PSW through GMP (no randomness drawn). For public values, and as a first filter in
    /// prime generation, where it is followed by Miller-Rabin with injected random bases.
    public var isProbablePrime: Bool { cgmp_probab_prime_p(z, 1) > 0 }

    /// Miller-Rabin with `rounds` bases drawn from `rng`, after Baillie-PSW.
    public func isProbablePrime<R: RandomSource>(rounds: Int, using rng: inout R) -> Bool {
        if sign <= 0 { return false }
        if cgmp_cmp_si(z, 4) < 0 { return cgmp_cmp_si(z, 1) > 0 }
        guard isOdd, isProbablePrime else { return false }
        let nMinus1 = subtracting(.one)
        var s = 0
        while !nMinus1.testBit(s) { s += 1 }
        let d = nMinus1.shiftedRight(s)
        let three = BigNum(3)
        let span = subtracting(three) // bases in [2, n-2]
        for _ in 0..<rounds {
            let a = BigNum.random(below: span, using: &rng).adding(.two)
            guard var x = a.pow(d, modulus: self) else { return false }
            if x == .one || x == nMinus1 { continue }
            var witness = true
            for _ in 1..<max(s, 1) {
                x = x.mulMod(x, self)
                if x == nMinus1 { witness = false; break }
            }
            if witness { return false }
        }
        return true
    }

    // MARK: Comparison (variable time; for public values)

    public func compare(_ b: BigNum) -> Int { Int(cgmp_cmp(z, b.z)) }
    public func compareMagnitude(_ b: BigNum) -> Int { Int(cgmp_cmpabs(z, b.z)) }
}

extension BigNum: Equatable, Comparable, CustomStringConvertible {
    public static func == (a: BigNum, b: BigNum) -> Bool { cgmp_cmp(a.z, b.z) == 0 }
    public static func < (a: BigNum, b: BigNum) -> Bool { cgmp_cmp(a.z, b.z) < 0 }
    /// Never prints the value (it may be secret); use `hexString` for public values.
    public var description: String { "BigNum(\(bitLength) bits)" }

    public static func + (a: BigNum, b: BigNum) -> BigNum { a.adding(b) }
    public static func - (a: BigNum, b: BigNum) -> BigNum { a.subtracting(b) }
    public static func * (a: BigNum, b: BigNum) -> BigNum { a.multiplied(by: b) }
}

// MARK: Randomness (from an injected RandomSource only; never GMP's generator)

extension BigNum {
    /// Uniform in [0, bound) by rejection sampling over bitLength(bound) random bits.
    public static func random<R: RandomSource>(below bound: BigNum, using rng: inout R) -> BigNum {
        precondition(bound.sign > 0, "bound must be positive")
        let bits = bound.bitLength
        let nBytes = (bits + 7) / 8
        let topMask: UInt8 = bits % 8 == 0 ? 0xff : UInt8((1 << (bits % 8)) - 1)
        while true {
            var buf = rng.bytes(nBytes)
            buf[0] &= topMask
            let c = BigNum(bytes: buf)
            zeroize(&buf)
            if c < bound { return c }
        }
    }

    /// Uniform in Z*_N: [1, N) with gcd(x, N) = 1, by rejection sampling.
    public static func randomUnit<R: RandomSource>(modulo n: BigNum, using rng: inout R) -> BigNum {
        while true {
            let c = random(below: n, using: &rng)
            if !c.isZero && c.gcd(n) == .one { return c }
        }
    }

    /// Uniform in the symmetric interval ±bound = [-bound, bound].
    public static func randomSigned<R: RandomSource>(magnitude bound: BigNum, using rng: inout R) -> BigNum {
        random(below: bound.shiftedLeft(1).adding(.one), using: &rng).subtracting(bound)
    }

    /// 2^k.
    public static func powerOfTwo(_ k: Int) -> BigNum { BigNum.one.shiftedLeft(k) }

    /// Whether -bound <= self <= bound.
    public func isInSymmetricRange(_ bound: BigNum) -> Bool { compareMagnitude(bound) <= 0 }

    /// Whether self is in Z*_n: 0 < self < n and gcd(self, n) = 1.
    public func isUnit(modulo n: BigNum) -> Bool {
        sign > 0 && self < n && gcd(n) == .one
    }
}
