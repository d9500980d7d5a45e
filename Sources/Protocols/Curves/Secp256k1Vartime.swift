/// Variable-time secp256k1 arithmetic for PUBLIC values only (nonce commitments, binding factors,
/// challenges, verifying keys, sums of public points): Jacobian coordinates over GF(p) (`Secp256k1Field.swift`)
/// and a multi-scalar multiplication Σ s_i·P_i (Straus with width-5 NAFs). libsecp256k1's public API has no
/// multi-scalar product, and each `ec_pubkey_tweak_mul` / `ec_pubkey_combine` call also parses and
/// normalises its operands. Never call this with a secret scalar: secret products stay on libsecp256k1's
/// constant-time code (`Secp256k1Point.baseMultiply`, `multiplied(by:)`). Tested against libsecp256k1 in
/// Secp256k1ArithmeticTests.
enum Secp256k1Vartime {
    /// A point in Jacobian coordinates: (X/Z², Y/Z³); Z = 0 is the point at infinity.
    struct Point: Sendable {
        var x, y, z: FE

        static var identity: Point { Point(x: .one, y: .one, z: .zero) }

        init(x: FE, y: FE, z: FE) { self.x = x; self.y = y; self.z = z }

        /// An affine point (the caller guarantees it is on the curve).
        init(affineX x: FE, y: FE) { self.init(x: x, y: y, z: .one) }

        var isIdentity: Bool { z.isZero }

        /// The affine coordinates, fully reduced (one inversion); nil for the point at infinity.
        func affine() -> (x: FE, y: FE)? {
            if isIdentity { return nil }
            let zi = z.inverted()
            let zi2 = zi.squared()
            return ((x * zi2).reduced(), (y * zi2 * zi).reduced())
        }

        static prefix func - (p: Point) -> Point { Point(x: p.x, y: -p.y, z: p.z) }

        /// 2P (dbl-2009-l, a = 0): 2M + 5S.
        func doubled() -> Point {
            if isIdentity || y.isZero { return .identity }
            let a = x.squared(), b = y.squared(), c = b.squared()
            let xb = x + b
            var d = xb.squared() - a - c
            d = d + d
            let e = a + a + a
            let f = e.squared()
            let x3 = f - (d + d)
            var c8 = c + c; c8 = c8 + c8; c8 = c8 + c8
            let y3 = e * (d - x3) - c8
            let yz = y * z
            return Point(x: x3, y: y3, z: yz + yz)
        }

        /// P + Q (add-1998-cmo-2): 12M + 4S; falls back to doubling when P = Q.
        static func + (p: Point, q: Point) -> Point {
            if p.isIdentity { return q }
            if q.isIdentity { return p }
            let z1z1 = p.z.squared(), z2z2 = q.z.squared()
            let u1 = p.x * z2z2, u2 = q.x * z1z1
            let s1 = p.y * q.z * z2z2, s2 = q.y * p.z * z1z1
            let h = u2 - u1, r = s2 - s1
            if h.isZero { return r.isZero ? p.doubled() : .identity }
            let hh = h.squared(), hhh = h * hh
            let v = u1 * hh
            let x3 = r.squared() - hhh - (v + v)
            let y3 = r * (v - x3) - s1 * hhh
            return Point(x: x3, y: y3, z: p.z * q.z * h)
        }

        static func - (p: Point, q: Point) -> Point { p + (-q) }

        /// P + (x, y) for an affine (x, y) (madd, Z2 = 1): 8M + 3S; falls back to doubling when P = Q.
        func adding(x x2: FE, y y2: FE) -> Point {
            if isIdentity { return Point(affineX: x2, y: y2) }
            let z1z1 = z.squared()
            let u2 = x2 * z1z1, s2 = y2 * z * z1z1
            let h = u2 - x, r = s2 - y
            if h.isZero { return r.isZero ? doubled() : .identity }
            let hh = h.squared(), hhh = h * hh
            let v = x * hh
            let x3 = r.squared() - hhh - (v + v)
            let y3 = r * (v - x3) - y * hhh
            return Point(x: x3, y: y3, z: z * h)
        }

        /// P + Q, by the mixed formula when Q is affine (Z = 1, as decoded points are).
        func adding(_ q: Point) -> Point {
            let z = q.z
            if z.l0 == 1 && z.l1 | z.l2 | z.l3 == 0 { return adding(x: q.x, y: q.y) }
            return self + q
        }

        /// Equality of the group elements: X1·Z2² = X2·Z1² and Y1·Z2³ = Y2·Z1³.
        static func == (p: Point, q: Point) -> Bool {
            if p.isIdentity || q.isIdentity { return p.isIdentity && q.isIdentity }
            let z1z1 = p.z.squared(), z2z2 = q.z.squared()
            guard p.x * z2z2 == q.x * z1z1 else { return false }
            return p.y * q.z * z2z2 == q.y * p.z * z1z1
        }
    }

    /// NAF window width: digits are odd, |digit| < 2^(w−1), and any w consecutive digits hold at most one non-zero.
    static let nafWidth = 5
    /// Σ scalars[i]·points[i] (public scalars and points). Terms whose scalar is ±1 (FROST's hiding
    /// commitments) are plain additions; every other term is split with the GLV endomorphism into
    /// k1·P + k2·φ(P) with half-size k1, k2, so the shared doubling chain is ~128 steps long.
    static func multiscalar(scalars: [Secp256k1Scalar], points: [Point]) -> Point {
        let count = min(points.count, scalars.count)
        let minusOne = -Secp256k1Scalar.one
        var direct = Point.identity
        var splits = [(k1: SIMD4<UInt64>, neg1: Bool, k2: SIMD4<UInt64>, neg2: Bool)]()
        var bases = [Point]()
        splits.reserveCapacity(count); bases.reserveCapacity(count)
        for i in 0..<count {
            if scalars[i] == .one { direct = direct.adding(points[i]); continue }
            if scalars[i] == minusOne { direct = direct.adding(-points[i]); continue }
            splits.append(GLV.split(scalars[i])); bases.append(points[i])
        }
        if splits.isEmpty { return direct }
        // Digits per half: a b-bit magnitude has a NAF of at most b + 1 digits (the halves are ~128 bits).
        let stride = splits.map { max(bitLength($0.k1), bitLength($0.k2)) }.max()! + 1
        let m = splits.count
        let half = 1 << (nafWidth - 2)   // table entries: P, 3P, ..., (2·half − 1)P
        var digits = [Int8](repeating: 0, count: stride * 2 * m)
        var table = [Point](repeating: .identity, count: half * m)
        var top = -1
        for (i, sp) in splits.enumerated() {
            let (e1, e2) = (2 * i, 2 * i + 1)
            let high = max(signedNAF(sp.k1, negative: sp.neg1, count: stride, into: &digits, offset: stride * e1),
                           signedNAF(sp.k2, negative: sp.neg2, count: stride, into: &digits, offset: stride * e2))
            if high < 0 { continue }
            top = max(top, high)
            // Only the odd multiples these digits use (a small public scalar needs one or two).
            var largest = 1
            for pos in 0...high {
                largest = max(largest, abs(Int(digits[stride * e1 + pos])), abs(Int(digits[stride * e2 + pos])))
            }
            var odd = bases[i]
            table[half * i] = odd
            if largest > 1 {
                let p2 = odd.doubled()
                for j in 1...(largest >> 1) {
                    odd = odd + p2
                    table[half * i + j] = odd
                }
            }
        }
        if top < 0 { return direct }
        // One inversion turns the table affine, so the main loop's additions are mixed (Z2 = 1); the φ(P)
        // table is the same y with β·x.
        let (ax, ay) = affineBatch(table)
        let bx = ax.map { $0 * GLV.beta }
        var r = Point.identity
        ax.withUnsafeBufferPointer { tx in
            bx.withUnsafeBufferPointer { px in
                ay.withUnsafeBufferPointer { ty in
                    digits.withUnsafeBufferPointer { dig in
                        for bit in Swift.stride(from: top, through: 0, by: -1) {
                            r = r.doubled()
                            for i in 0..<m {
                                let k1 = Int(dig[stride * 2 * i + bit]), k2 = Int(dig[stride * (2 * i + 1) + bit])
                                if k1 > 0 {
                                    r = r.adding(x: tx[half * i + k1 >> 1], y: ty[half * i + k1 >> 1])
                                } else if k1 < 0 {
                                    r = r.adding(x: tx[half * i + (-k1) >> 1], y: -ty[half * i + (-k1) >> 1])
                                }
                                if k2 > 0 {
                                    r = r.adding(x: px[half * i + k2 >> 1], y: ty[half * i + k2 >> 1])
                                } else if k2 < 0 {
                                    r = r.adding(x: px[half * i + (-k2) >> 1], y: -ty[half * i + (-k2) >> 1])
                                }
                            }
                        }
                    }
                }
            }
        }
        return r.adding(direct)
    }

    /// The number of significant bits of a little-endian 4-word magnitude.
    static func bitLength(_ w: SIMD4<UInt64>) -> Int {
        for i in stride(from: 3, through: 0, by: -1) where w[i] != 0 { return 64 * i + 64 - w[i].leadingZeroBitCount }
        return 0
    }

    /// The affine coordinates of every point with one inversion (Montgomery's trick); entries at infinity
    /// (unused table slots) come back as (0, 0) and must not be used.
    static func affineBatch(_ points: [Point]) -> (x: [FE], y: [FE]) {
        var prefix = [FE](repeating: .one, count: points.count)
        var acc = FE.one
        for (i, p) in points.enumerated() where !p.isIdentity {
            prefix[i] = acc
            acc = acc * p.z
        }
        var inv = acc.inverted()
        var xs = [FE](repeating: .zero, count: points.count), ys = xs
        for i in stride(from: points.count - 1, through: 0, by: -1) where !points[i].isIdentity {
            let zi = inv * prefix[i]        // 1/Z_i
            inv = inv * points[i].z         // 1/(Z_0 ⋯ Z_{i−1}) over the used entries
            let zi2 = zi.squared()
            xs[i] = points[i].x * zi2
            ys[i] = points[i].y * zi2 * zi
        }
        return (xs, ys)
    }

    /// The NAF of ±|k| in `count` digits (negated when `negative`); returns the highest non-zero digit's
    /// index or −1.
    static func signedNAF(_ magnitude: SIMD4<UInt64>, negative: Bool, count: Int, into out: inout [Int8], offset: Int) -> Int {
        let top = WNAF.digits((magnitude[0], magnitude[1], magnitude[2], magnitude[3]), width: nafWidth, count: count,
                              into: &out, offset: offset)
        if negative && top >= 0 {
            for pos in 0...top { out[offset + pos] = -out[offset + pos] }
        }
        return top
    }
}
