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
    /// Digits per scalar: a 256-bit scalar's NAF can carry into digit 256.
    static let digitCount = 257

    /// The width-w NAF of a scalar (`WNAF.digits`, `digitCount` digits at `out[offset...]`).
    static func naf(_ limbs: SIMD4<UInt64>, into out: inout [Int8], offset: Int) -> Int {
        WNAF.digits((limbs[0], limbs[1], limbs[2], limbs[3]), width: nafWidth, count: digitCount, into: &out, offset: offset)
    }

    /// Σ scalars[i]·points[i] (public scalars and points). Each term is split with the GLV endomorphism
    /// into k1·P + k2·φ(P) with half-size k1, k2, so the shared doubling chain is ~128 steps long.
    static func multiscalar(scalars: [Secp256k1Scalar], points: [Point]) -> Point {
        let n = 2 * min(points.count, scalars.count)
        let half = 1 << (nafWidth - 2)   // table entries: P, 3P, ..., (2·half − 1)P
        var digits = [Int8](repeating: 0, count: digitCount * n)
        var table = [Point](repeating: .identity, count: half * n)
        var top = -1
        for i in 0..<(n / 2) {
            let (k1, neg1, k2, neg2) = GLV.split(scalars[i])
            let (e1, e2) = (2 * i, 2 * i + 1)
            let high = max(signedNAF(k1, negative: neg1, into: &digits, offset: digitCount * e1),
                           signedNAF(k2, negative: neg2, into: &digits, offset: digitCount * e2))
            if high < 0 { continue }
            top = max(top, high)
            // Only the odd multiples these digits use (a small public scalar needs one or two).
            var largest = 1
            for pos in 0...high {
                largest = max(largest, abs(Int(digits[digitCount * e1 + pos])), abs(Int(digits[digitCount * e2 + pos])))
            }
            var odd = points[i]
            table[half * e1] = odd
            table[half * e2] = GLV.phi(odd)
            if largest > 1 {
                let p2 = odd.doubled()
                for j in 1...(largest >> 1) {
                    odd = odd + p2
                    table[half * e1 + j] = odd
                    table[half * e2 + j] = GLV.phi(odd)
                }
            }
        }
        if top < 0 { return .identity }
        // One inversion turns the whole table affine, so the main loop's additions are mixed (Z2 = 1).
        let (ax, ay) = affineBatch(table)
        var r = Point.identity
        ax.withUnsafeBufferPointer { tx in
            ay.withUnsafeBufferPointer { ty in
                digits.withUnsafeBufferPointer { dig in
                    for bit in stride(from: top, through: 0, by: -1) {
                        r = r.doubled()
                        for i in 0..<n {
                            let k = Int(dig[digitCount * i + bit])
                            if k > 0 {
                                r = r.adding(x: tx[half * i + k >> 1], y: ty[half * i + k >> 1])
                            } else if k < 0 {
                                r = r.adding(x: tx[half * i + (-k) >> 1], y: -ty[half * i + (-k) >> 1])
                            }
                        }
                    }
                }
            }
        }
        return r
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

    /// The NAF of ±|k| (digits negated when `negative`); returns the highest non-zero digit's index or −1.
    static func signedNAF(_ magnitude: SIMD4<UInt64>, negative: Bool, into out: inout [Int8], offset: Int) -> Int {
        let top = naf(magnitude, into: &out, offset: offset)
        if negative && top >= 0 {
            for pos in 0...top { out[offset + pos] = -out[offset + pos] }
        }
        return top
    }
}
