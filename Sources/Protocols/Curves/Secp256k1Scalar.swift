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
        let (x, y) = (a.limbs, b.limbs)
        // Column by column: word k of the product is Σ_{i+j=k} x_i·y_j plus the carry (no branch).
        var acc = Accumulator()
        acc.add(x[0], y[0]); let w0 = acc.shift()
        acc.add(x[0], y[1]); acc.add(x[1], y[0]); let w1 = acc.shift()
        acc.add(x[0], y[2]); acc.add(x[1], y[1]); acc.add(x[2], y[0]); let w2 = acc.shift()
        acc.add(x[0], y[3]); acc.add(x[1], y[2]); acc.add(x[2], y[1]); acc.add(x[3], y[0]); let w3 = acc.shift()
        acc.add(x[1], y[3]); acc.add(x[2], y[2]); acc.add(x[3], y[1]); let w4 = acc.shift()
        acc.add(x[2], y[3]); acc.add(x[3], y[2]); let w5 = acc.shift()
        acc.add(x[3], y[3]); let w6 = acc.shift()
        let w7 = acc.shift()
        return Self(limbs: reduceWide(WideLimbs(w0, w1, w2, w3, w4, w5, w6, w7)))
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

    /// Reduces an 8-limb (512-bit) value modulo n by folding 2^256 ≡ c (c = c0 + c1·2^64 + 2^128) three
    /// times, as libsecp256k1's `scalar_reduce_512`: 512 → 385 → 258 → 256 bits plus a carry, then one
    /// conditional subtraction of n (the value is then below 2n). Same instructions whatever the value.
    static func reduceWide(_ l: WideLimbs) -> Limbs {
        let (c0, c1) = (c.0, c.1)
        var acc = Accumulator()
        // m = L + H·c, H = l4..l7 (at most 385 bits: m0..m6).
        acc.add(l[0]); acc.add(l[4], c0); let m0 = acc.shift()
        acc.add(l[1]); acc.add(l[5], c0); acc.add(l[4], c1); let m1 = acc.shift()
        acc.add(l[2]); acc.add(l[6], c0); acc.add(l[5], c1); acc.add(l[4]); let m2 = acc.shift()
        acc.add(l[3]); acc.add(l[7], c0); acc.add(l[6], c1); acc.add(l[5]); let m3 = acc.shift()
        acc.add(l[7], c1); acc.add(l[6]); let m4 = acc.shift()
        acc.add(l[7]); let m5 = acc.shift()
        let m6 = acc.shift()
        // p = m0..m3 + (m4, m5, m6)·c (at most 258 bits: p0..p4).
        acc.add(m0); acc.add(m4, c0); let p0 = acc.shift()
        acc.add(m1); acc.add(m5, c0); acc.add(m4, c1); let p1 = acc.shift()
        acc.add(m2); acc.add(m6, c0); acc.add(m5, c1); acc.add(m4); let p2 = acc.shift()
        acc.add(m3); acc.add(m6, c1); acc.add(m5); let p3 = acc.shift()
        acc.add(m6); let p4 = acc.shift()
        // r = p0..p3 + p4·c, with a carry k out of 2^256.
        acc.add(p0); acc.add(p4, c0); let r0 = acc.shift()
        acc.add(p1); acc.add(p4, c1); let r1 = acc.shift()
        acc.add(p2); acc.add(p4); let r2 = acc.shift()
        acc.add(p3); let r3 = acc.shift()
        let k = acc.shift()
        // k·2^256 + r < 2n: subtract n when k = 1 or r ≥ n.
        let r = Limbs(r0, r1, r2, r3)
        let (diff, borrow) = subtract(r, n)
        return select(k | (1 &- borrow), diff, r)
    }

    /// A column accumulator of up to 192 bits for the fixed-width products above: `add` never branches
    /// (the overflow of the low 128 bits becomes the top word), `shift` returns the low word and moves down.
    struct Accumulator {
        var low: UInt128 = 0
        var high: UInt64 = 0

        @inline(__always) mutating func add(_ a: UInt64, _ b: UInt64) { add(UInt128(a) &* UInt128(b)) }
        @inline(__always) mutating func add(_ a: UInt64) { add(UInt128(a)) }
        @inline(__always) mutating func add(_ x: UInt128) {
            let (s, o) = low.addingReportingOverflow(x)
            low = s
            high &+= o ? 1 : 0
        }
        @inline(__always) mutating func shift() -> UInt64 {
            let w = UInt64(truncatingIfNeeded: low)
            low = (low >> 64) | (UInt128(high) << 64)
            high = 0
            return w
        }
    }
}
