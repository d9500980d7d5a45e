/// Inverses of small public integers modulo the group order, without a field inversion.
///
/// RFC 9591 §4.2 derive_interpolating_value divides by Π (x_j − x_i); identifiers are public 16-bit
/// integers, so each factor k = |x_j − x_i| < 2^16 can be inverted with integer arithmetic on public data:
/// with r = n mod k and m = −r⁻¹ mod k, the integer n·m + 1 is divisible by k and (n·m + 1)/k = k⁻¹ mod n
/// (it is below n because m < k). This replaces a ~256-squaring Fermat inversion per Lagrange coefficient
/// (the hot spot of round 2 on secp256k1). Variable time is fine: nothing here is secret.
struct SmallInverses<S: GroupScalar> {
    /// The group order n as big-endian 32-bit limbs.
    private let order: [UInt32]
    private let littleEndian: Bool

    init() {
        littleEndian = S.one.bytes.first == 1
        // n = (n − 1) + 1, from the canonical encoding of −1.
        var be = (S.zero - S.one).bytes
        if littleEndian { be.reverse() }
        var limbs = [UInt32](repeating: 0, count: be.count / 4)
        for i in 0..<limbs.count {
            limbs[i] = UInt32(be[4 * i]) << 24 | UInt32(be[4 * i + 1]) << 16 | UInt32(be[4 * i + 2]) << 8 | UInt32(be[4 * i + 3])
        }
        var carry: UInt64 = 1
        for i in stride(from: limbs.count - 1, through: 0, by: -1) where carry != 0 {
            let s = UInt64(limbs[i]) + carry
            limbs[i] = UInt32(truncatingIfNeeded: s)
            carry = s >> 32
        }
        order = limbs
    }

    /// k⁻¹ mod n for 1 ≤ k < 2^31.
    func inverse(_ k: UInt32) -> S {
        precondition(k >= 1 && k < 1 << 31, "small inverse out of range")
        if k == 1 { return .one }
        let kk = UInt64(k)
        // r = n mod k.
        var r: UInt64 = 0
        for limb in order { r = ((r << 32) | UInt64(limb)) % kk }
        // m = −r⁻¹ mod k (extended Euclid on small integers; gcd(r, k) = 1 as n is prime and k < n).
        let rInv = Self.inverseMod(Int64(r), Int64(k))
        let m = UInt64((Int64(k) - rInv) % Int64(k))
        // X = n·m + 1, one limb wider.
        var x = [UInt32](repeating: 0, count: order.count + 1)
        var carry: UInt64 = 1
        for i in stride(from: order.count - 1, through: 0, by: -1) {
            let p = UInt64(order[i]) * m + carry
            x[i + 1] = UInt32(truncatingIfNeeded: p)
            carry = p >> 32
        }
        x[0] = UInt32(truncatingIfNeeded: carry)
        // q = X / k (exact).
        var rem: UInt64 = 0
        var q = [UInt32](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let cur = (rem << 32) | UInt64(x[i])
            q[i] = UInt32(truncatingIfNeeded: cur / kk)
            rem = cur % kk
        }
        precondition(rem == 0 && q[0] == 0, "small inverse: inexact division")
        var bytes = [UInt8]()
        bytes.reserveCapacity(4 * order.count)
        for limb in q.dropFirst() {
            bytes += [UInt8(limb >> 24), UInt8(limb >> 16 & 0xff), UInt8(limb >> 8 & 0xff), UInt8(limb & 0xff)]
        }
        if littleEndian { bytes.reverse() }
        guard let s = try? S(canonical: bytes) else { preconditionFailure("small inverse not below the order") }
        return s
    }

    /// a⁻¹ mod m for coprime small integers, in [0, m).
    private static func inverseMod(_ a: Int64, _ m: Int64) -> Int64 {
        var (oldR, r) = (a % m, m)
        var (oldS, s) = (Int64(1), Int64(0))
        while r != 0 {
            let q = oldR / r
            (oldR, r) = (r, oldR - q * r)
            (oldS, s) = (s, oldS - q * s)
        }
        return ((oldS % m) + m) % m
    }
}
