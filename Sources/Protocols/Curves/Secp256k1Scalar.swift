internal import CSodium

/// A scalar modulo the secp256k1 group order
/// n = FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFE BAAEDCE6 AF48A03B BFD25E8C D0364141 (SEC 2 §2.4.1),
/// serialized as 32 big-endian bytes.
///
/// Fixed-width 4×64-bit limbs (little-endian order). Every operation runs the same instruction sequence
/// whatever the values: carries become masks, never branches, and reduction folds a fixed number of times
/// using 2^256 ≡ c (mod n) with c = 2^256 − n (129 bits).
public struct Secp256k1Scalar: GroupScalar {
    public static let byteCount = 32

    typealias Limbs = SIMD4<UInt64>
    typealias WideLimbs = SIMD8<UInt64>

    static let n = Limbs(0xBFD2_5E8C_D036_4141, 0xBAAE_DCE6_AF48_A03B, 0xFFFF_FFFF_FFFF_FFFE, 0xFFFF_FFFF_FFFF_FFFF)
    /// c = 2^256 − n (129 bits: three limbs, the top one 1).
    static let c = (UInt64(0x402D_A173_2FC9_BEBF), UInt64(0x4551_2319_50B7_5FC4), UInt64(0x1))
    /// n − 2, the Fermat inversion exponent (public, so its bits may steer the square-and-multiply loop).
    static let nMinus2 = Limbs(0xBFD2_5E8C_D036_413F, 0xBAAE_DCE6_AF48_A03B, 0xFFFF_FFFF_FFFF_FFFE, 0xFFFF_FFFF_FFFF_FFFF)

    /// Little-endian limbs, always reduced below n. Fixed-size SIMD storage keeps every value on the stack.
    var limbs: Limbs

    init(limbs: Limbs) { self.limbs = limbs }

    public static var zero: Self { Self(limbs: Limbs(0, 0, 0, 0)) }
    public static var one: Self { Self(limbs: Limbs(1, 0, 0, 0)) }

    public init(_ value: UInt64) { limbs = Limbs(value, 0, 0, 0) }

    public init(canonical bytes: [UInt8]) throws(CurveError) {
        guard bytes.count == 32 else { throw .nonCanonicalScalar }
        let x = Self.limbsFromBigEndian(bytes)
        let (_, borrow) = Self.subtract(x, Self.n)
        guard borrow == 1 else { throw .nonCanonicalScalar }
        limbs = x
    }

    /// Reduces a big-endian integer of up to 64 bytes modulo n (RFC 9380 hash_to_field with L = 48 feeds 48).
    public init(reducingWide bytes: [UInt8]) {
        precondition(bytes.count <= 64, "wide scalar input longer than 64 bytes")
        let padded = [UInt8](repeating: 0, count: 64 - bytes.count) + bytes
        var wide = WideLimbs()
        for i in 0..<8 {
            for j in 0..<8 { wide[i] = wide[i] << 8 | UInt64(padded[64 - 8 * (i + 1) + j]) }
        }
        limbs = Self.reduceWide(wide)
    }

    /// Reduces 32 big-endian bytes modulo n (BIP-340 challenges and tweaks are defined this way).
    public init(reducing32 bytes: [UInt8]) {
        precondition(bytes.count == 32)
        self.init(reducingWide: bytes)
    }

    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        for i in 0..<4 {
            let limb = limbs[3 - i]
            for j in 0..<8 { out[8 * i + j] = UInt8(truncatingIfNeeded: limb >> UInt64(56 - 8 * j)) }
        }
        return out
    }

    public var isZero: Bool { (limbs[0] | limbs[1] | limbs[2] | limbs[3]) == 0 }

    /// True when the scalar, read as an integer, exceeds n/2 (the "high-S" half, for ECDSA normalisation).
    public var isHigh: Bool {
        let half = Limbs(0xDFE9_2F46_681B_20A0, 0x5D57_6E73_57A4_501D, 0xFFFF_FFFF_FFFF_FFFF, 0x7FFF_FFFF_FFFF_FFFF)
        let (_, borrow) = Self.subtract(half, limbs)
        return borrow == 1
    }

    public static func + (a: Self, b: Self) -> Self {
        var sum = Limbs()
        var carry: UInt64 = 0
        for i in 0..<4 {
            let (s1, c1) = a.limbs[i].addingReportingOverflow(b.limbs[i])
            let (s2, c2) = s1.addingReportingOverflow(carry)
            sum[i] = s2
            carry = (c1 ? 1 : 0) | (c2 ? 1 : 0)
        }
        // sum < 2n; subtract n when the addition overflowed 2^256 or sum ≥ n.
        let (diff, borrow) = subtract(sum, n)
        let useDiff = carry | (1 &- borrow)
        return Self(limbs: select(useDiff, diff, sum))
    }

    public static func - (a: Self, b: Self) -> Self {
        let (diff, borrow) = subtract(a.limbs, b.limbs)
        // On borrow add n back: diff + (n & mask).
        let mask = 0 &- borrow
        var out = Limbs()
        var carry: UInt64 = 0
        for i in 0..<4 {
            let (s1, c1) = diff[i].addingReportingOverflow(n[i] & mask)
            let (s2, c2) = s1.addingReportingOverflow(carry)
            out[i] = s2
            carry = (c1 ? 1 : 0) | (c2 ? 1 : 0)
        }
        return Self(limbs: out)
    }

    public static prefix func - (a: Self) -> Self { zero - a }

    public static func * (a: Self, b: Self) -> Self {
        var wide = WideLimbs()
        for i in 0..<4 {
            var carry: UInt64 = 0
            for j in 0..<4 {
                let (hi, lo) = a.limbs[i].multipliedFullWidth(by: b.limbs[j])
                let (s1, c1) = wide[i + j].addingReportingOverflow(lo)
                let (s2, c2) = s1.addingReportingOverflow(carry)
                wide[i + j] = s2
                carry = hi &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
            }
            wide[i + 4] = carry
        }
        return Self(limbs: reduceWide(wide))
    }

    /// a^(n−2) = a^(−1) by Fermat's little theorem; the exponent is public and the loop shape fixed.
    public func inverted() throws(CurveError) -> Self {
        if isZero { throw .zeroScalar }
        var result = Self.one
        for limbIndex in stride(from: 3, through: 0, by: -1) {
            for bit in stride(from: 63, through: 0, by: -1) {
                result = result * result
                if (Self.nMinus2[limbIndex] >> UInt64(bit)) & 1 == 1 { result = result * self }
            }
        }
        return result
    }

    public static func == (a: Self, b: Self) -> Bool {
        let d = a.limbs ^ b.limbs
        return (d[0] | d[1] | d[2] | d[3]) == 0
    }

    public var description: String { "<scalar>" }

    public mutating func wipe() {
        withUnsafeMutableBytes(of: &limbs) { sodium_memzero($0.baseAddress, $0.count) }
    }

    // MARK: - Fixed-width helpers

    static func limbsFromBigEndian(_ bytes: [UInt8]) -> Limbs {
        var x = Limbs()
        for i in 0..<4 {
            for j in 0..<8 { x[i] = x[i] << 8 | UInt64(bytes[32 - 8 * (i + 1) + j]) }
        }
        return x
    }

    /// a − b over four limbs, with the final borrow (1 when a < b).
    static func subtract(_ a: Limbs, _ b: Limbs) -> (Limbs, UInt64) {
        var out = Limbs()
        var borrow: UInt64 = 0
        for i in 0..<4 {
            let (d1, b1) = a[i].subtractingReportingOverflow(b[i])
            let (d2, b2) = d1.subtractingReportingOverflow(borrow)
            out[i] = d2
            borrow = (b1 ? 1 : 0) | (b2 ? 1 : 0)
        }
        return (out, borrow)
    }

    /// `flag` is 0 or 1: returns `ifOne` when 1, `ifZero` when 0, without branching.
    static func select(_ flag: UInt64, _ ifOne: Limbs, _ ifZero: Limbs) -> Limbs {
        let mask = Limbs(repeating: 0 &- flag)
        return (ifOne & mask) | (ifZero & ~mask)
    }

    /// Reduces an 8-limb (512-bit) value modulo n. Four folds x ← L + H·c take any 512-bit value below
    /// 2^256 (bounds: 2^386, 2^260, 2^256 + 2^133, then < 2^256), and one conditional subtraction ends it.
    static func reduceWide(_ input: WideLimbs) -> Limbs {
        var x = input
        for _ in 0..<4 { x = fold(x) }
        let low = x.lowHalf
        let (diff, borrow) = subtract(low, n)
        return select(1 &- borrow, diff, low)
    }

    /// L + H·c for x = H·2^256 + L, on eight limbs (the bounds above keep it inside 2^512).
    private static func fold(_ x: WideLimbs) -> WideLimbs {
        var r = WideLimbs(lowHalf: x.lowHalf, highHalf: Limbs())
        let cLimbs = (c.0, c.1, c.2)
        for i in 0..<4 {
            let h = x[4 + i]
            var carry: UInt64 = 0
            for j in 0..<3 {
                let cj = j == 0 ? cLimbs.0 : (j == 1 ? cLimbs.1 : cLimbs.2)
                let (hi, lo) = h.multipliedFullWidth(by: cj)
                let (s1, c1) = r[i + j].addingReportingOverflow(lo)
                let (s2, c2) = s1.addingReportingOverflow(carry)
                r[i + j] = s2
                carry = hi &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)
            }
            // Propagate the carry through the remaining limbs (fixed count).
            var k = i + 3
            while k < 8 {
                let (sum, o) = r[k].addingReportingOverflow(carry)
                r[k] = sum
                carry = o ? 1 : 0
                k += 1
            }
        }
        return r
    }
}
