/// Variable-time edwards25519 arithmetic for PUBLIC values only (nonce commitments, binding factors,
/// challenges, verifying keys): a multi-scalar multiplication Σ s_i·P_i (Straus, 4-bit windows) in extended
/// coordinates over GF(2^255 − 19) with 51-bit limbs. libsodium offers only a constant-time ladder that also
/// re-checks subgroup membership on every call (two ladders per product); the group commitment
/// R = Σ D_i + ρ_i·E_i and the final verification are sums of public products, so they use this instead.
/// Never call it with a secret scalar. Tested against libsodium in SigningEd25519VartimeTests.
enum Ed25519Vartime {
    // MARK: Field elements, 5 × 51-bit limbs, weakly reduced after every operation.

    struct FE {
        var l0, l1, l2, l3, l4: UInt64
        static var mask: UInt64 { 0x7_FFFF_FFFF_FFFF }
        static var zero: FE { FE(l0: 0, l1: 0, l2: 0, l3: 0, l4: 0) }
        static var one: FE { FE(l0: 1, l1: 0, l2: 0, l3: 0, l4: 0) }

        init(l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64, l4: UInt64) {
            self.l0 = l0; self.l1 = l1; self.l2 = l2; self.l3 = l3; self.l4 = l4
        }

        init(_ small: UInt64) { self.init(l0: small, l1: 0, l2: 0, l3: 0, l4: 0) }

        /// 32 little-endian bytes; bit 255 ignored.
        init(bytes b: [UInt8]) {
            func word(_ i: Int) -> UInt64 {
                var w: UInt64 = 0
                for k in 0..<8 { w |= UInt64(b[8 * i + k]) << (8 * UInt64(k)) }
                return w
            }
            let w0 = word(0), w1 = word(1), w2 = word(2), w3 = word(3)
            self.init(l0: w0 & FE.mask, l1: (w0 >> 51 | w1 << 13) & FE.mask, l2: (w1 >> 38 | w2 << 26) & FE.mask,
                      l3: (w2 >> 25 | w3 << 39) & FE.mask, l4: (w3 >> 12) & FE.mask)
        }

        @inline(__always) mutating func carry() {
            l1 &+= l0 >> 51; l0 &= FE.mask
            l2 &+= l1 >> 51; l1 &= FE.mask
            l3 &+= l2 >> 51; l2 &= FE.mask
            l4 &+= l3 >> 51; l3 &= FE.mask
            l0 &+= (l4 >> 51) &* 19; l4 &= FE.mask
        }

        /// The canonical 32-byte encoding.
        func bytes() -> [UInt8] {
            var t = self
            t.carry(); t.carry()
            var q = (t.l0 &+ 19) >> 51
            q = (t.l1 &+ q) >> 51; q = (t.l2 &+ q) >> 51; q = (t.l3 &+ q) >> 51; q = (t.l4 &+ q) >> 51
            t.l0 &+= 19 &* q
            t.l1 &+= t.l0 >> 51; t.l0 &= FE.mask
            t.l2 &+= t.l1 >> 51; t.l1 &= FE.mask
            t.l3 &+= t.l2 >> 51; t.l2 &= FE.mask
            t.l4 &+= t.l3 >> 51; t.l3 &= FE.mask
            t.l4 &= FE.mask
            let w0 = t.l0 | t.l1 << 51, w1 = t.l1 >> 13 | t.l2 << 38, w2 = t.l2 >> 26 | t.l3 << 25, w3 = t.l3 >> 39 | t.l4 << 12
            var out = [UInt8](repeating: 0, count: 32)
            for (i, w) in [w0, w1, w2, w3].enumerated() {
                for k in 0..<8 { out[8 * i + k] = UInt8(truncatingIfNeeded: w >> (8 * UInt64(k))) }
            }
            return out
        }

        static func + (a: FE, b: FE) -> FE {
            var r = FE(l0: a.l0 &+ b.l0, l1: a.l1 &+ b.l1, l2: a.l2 &+ b.l2, l3: a.l3 &+ b.l3, l4: a.l4 &+ b.l4)
            r.carry()
            return r
        }

        /// a − b as a + 4p − b (limbs of weakly reduced values stay below 4p's).
        static func - (a: FE, b: FE) -> FE {
            var r = FE(l0: a.l0 &+ 0x1F_FFFF_FFFF_FFB4 &- b.l0, l1: a.l1 &+ 0x1F_FFFF_FFFF_FFFC &- b.l1,
                       l2: a.l2 &+ 0x1F_FFFF_FFFF_FFFC &- b.l2, l3: a.l3 &+ 0x1F_FFFF_FFFF_FFFC &- b.l3,
                       l4: a.l4 &+ 0x1F_FFFF_FFFF_FFFC &- b.l4)
            r.carry()
            return r
        }

        static prefix func - (a: FE) -> FE { FE.zero - a }

        static func * (a: FE, b: FE) -> FE {
            let b1 = b.l1 &* 19, b2 = b.l2 &* 19, b3 = b.l3 &* 19, b4 = b.l4 &* 19
            var r0 = Wide(a.l0, b.l0); r0.add(a.l1, b4); r0.add(a.l2, b3); r0.add(a.l3, b2); r0.add(a.l4, b1)
            var r1 = Wide(a.l0, b.l1); r1.add(a.l1, b.l0); r1.add(a.l2, b4); r1.add(a.l3, b3); r1.add(a.l4, b2)
            var r2 = Wide(a.l0, b.l2); r2.add(a.l1, b.l1); r2.add(a.l2, b.l0); r2.add(a.l3, b4); r2.add(a.l4, b3)
            var r3 = Wide(a.l0, b.l3); r3.add(a.l1, b.l2); r3.add(a.l2, b.l1); r3.add(a.l3, b.l0); r3.add(a.l4, b4)
            var r4 = Wide(a.l0, b.l4); r4.add(a.l1, b.l3); r4.add(a.l2, b.l2); r4.add(a.l3, b.l1); r4.add(a.l4, b.l0)
            // Carry through the 128-bit accumulators.
            r1.add(r0.shr51()); let c0 = r0.lo & mask
            r2.add(r1.shr51()); let c1 = r1.lo & mask
            r3.add(r2.shr51()); let c2 = r2.lo & mask
            r4.add(r3.shr51()); let c3 = r3.lo & mask
            let top = r4.shr51(); let c4 = r4.lo & mask
            var r = FE(l0: c0 &+ top &* 19, l1: c1, l2: c2, l3: c3, l4: c4)
            r.carry()
            return r
        }

        /// a² with the symmetric products merged (15 multiplications instead of 25).
        func squared() -> FE {
            let d0 = l0 &* 2, d1 = l1 &* 2, d2 = l2 &* 2, d3 = l3 &* 2
            let a3x19 = l3 &* 19, a4x19 = l4 &* 19
            var r0 = Wide(l0, l0); r0.add(d1, a4x19); r0.add(d2, a3x19)
            var r1 = Wide(d0, l1); r1.add(d2, a4x19); r1.add(l3, a3x19)
            var r2 = Wide(d0, l2); r2.add(l1, l1); r2.add(d3, a4x19)
            var r3 = Wide(d0, l3); r3.add(d1, l2); r3.add(l4, a4x19)
            var r4 = Wide(d0, l4); r4.add(d1, l3); r4.add(l2, l2)
            r1.add(r0.shr51()); let c0 = r0.lo & FE.mask
            r2.add(r1.shr51()); let c1 = r1.lo & FE.mask
            r3.add(r2.shr51()); let c2 = r2.lo & FE.mask
            r4.add(r3.shr51()); let c3 = r3.lo & FE.mask
            let top = r4.shr51(); let c4 = r4.lo & FE.mask
            var r = FE(l0: c0 &+ top &* 19, l1: c1, l2: c2, l3: c3, l4: c4)
            r.carry()
            return r
        }

        func squared(times n: Int) -> FE {
            var r = self
            for _ in 0..<n { r = r.squared() }
            return r
        }

        /// z^(p−2) (ref10's addition chain).
        func inverted() -> FE {
            let z = self
            var t0 = z.squared()
            var t1 = t0.squared(times: 2)
            t1 = z * t1
            t0 = t0 * t1
            var t2 = t0.squared()
            t1 = t1 * t2
            t2 = t1.squared(times: 5); t1 = t2 * t1
            t2 = t1.squared(times: 10); t2 = t2 * t1
            var t3 = t2.squared(times: 20); t2 = t3 * t2
            t2 = t2.squared(times: 10); t1 = t2 * t1
            t2 = t1.squared(times: 50); t2 = t2 * t1
            t3 = t2.squared(times: 100); t2 = t3 * t2
            t2 = t2.squared(times: 50); t1 = t2 * t1
            t1 = t1.squared(times: 5)
            return t1 * t0
        }

        /// z^((p−5)/8) = z^(2^252 − 3).
        func pow22523() -> FE {
            let z = self
            var t0 = z.squared()
            var t1 = t0.squared(times: 2)
            t1 = z * t1
            t0 = t0 * t1
            t0 = t0.squared()
            t0 = t1 * t0
            t1 = t0.squared(times: 5); t0 = t1 * t0
            t1 = t0.squared(times: 10); t1 = t1 * t0
            var t2 = t1.squared(times: 20); t1 = t2 * t1
            t1 = t1.squared(times: 10); t0 = t1 * t0
            t1 = t0.squared(times: 50); t1 = t1 * t0
            t2 = t1.squared(times: 100); t1 = t2 * t1
            t1 = t1.squared(times: 50); t0 = t1 * t0
            t0 = t0.squared(times: 2)
            return t0 * z
        }

        var isZero: Bool { bytes().allSatisfy { $0 == 0 } }
        var isNegative: Bool { bytes()[0] & 1 == 1 }
        static func == (a: FE, b: FE) -> Bool { a.bytes() == b.bytes() }
    }

    /// A 128-bit accumulator of 64×64-bit products.
    struct Wide {
        var hi: UInt64, lo: UInt64
        @inline(__always) init(_ a: UInt64, _ b: UInt64) { (hi, lo) = a.multipliedFullWidth(by: b) }
        @inline(__always) mutating func add(_ a: UInt64, _ b: UInt64) {
            let (h, l) = a.multipliedFullWidth(by: b)
            let (s, o) = lo.addingReportingOverflow(l)
            lo = s; hi = hi &+ h &+ (o ? 1 : 0)
        }
        @inline(__always) mutating func add(_ x: UInt64) {
            let (s, o) = lo.addingReportingOverflow(x)
            lo = s; hi = hi &+ (o ? 1 : 0)
        }
        @inline(__always) func shr51() -> UInt64 { hi << 13 | lo >> 51 }
    }

    // MARK: Curve constants

    /// d = −121665/121666.
    static let d: FE = -(FE(121665) * FE(121666).inverted())
    static let d2: FE = d + d
    /// sqrt(−1) = 2^((p−1)/4).
    static let sqrtM1 = FE(bytes: Hex.decode("b0a00e4a271beec478e42fad0618432fa7d7fb3d99004d2b0bdfc14f8024832b") ?? [])

    // MARK: Points in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z.

    struct Point {
        var X, Y, Z, T: FE
        static let identity = Point(X: .zero, Y: .one, Z: .one, T: .zero)

        /// RFC 8032 §5.1.3 decoding (the input is an already validated encoding).
        init?(encoding b: [UInt8]) {
            guard b.count == 32 else { return nil }
            let y = FE(bytes: b)
            let sign = b[31] >> 7
            let yy = y.squared()
            let u = yy - .one, v = Ed25519Vartime.d * yy + .one
            let v3 = v.squared() * v
            var x = u * v3 * (u * v3.squared() * v).pow22523()
            let vxx = v * x.squared()
            if !(vxx == u) {
                guard vxx == -u else { return nil }
                x = x * Ed25519Vartime.sqrtM1
            }
            if x.isZero && sign == 1 { return nil }
            if (x.isNegative ? 1 : 0) != sign { x = -x }
            self.init(X: x, Y: y, Z: .one, T: x * y)
        }

        init(X: FE, Y: FE, Z: FE, T: FE) { self.X = X; self.Y = Y; self.Z = Z; self.T = T }

        func encoding() -> [UInt8] {
            let zi = Z.inverted()
            var out = (Y * zi).bytes()
            if (X * zi).isNegative { out[31] |= 0x80 }
            return out
        }

        /// add-2008-hwcd-3 (a = −1, unified).
        static func + (p: Point, q: Point) -> Point { add(p, q, d2: Ed25519Vartime.d2) }

        @inline(__always)
        static func add(_ p: Point, _ q: Point, d2: FE) -> Point {
            let a = (p.Y - p.X) * (q.Y - q.X)
            let b = (p.Y + p.X) * (q.Y + q.X)
            let c = p.T * d2 * q.T
            let zz = p.Z * q.Z
            let d = zz + zz
            let e = b - a, f = d - c, g = d + c, h = b + a
            return Point(X: e * f, Y: g * h, Z: f * g, T: e * h)
        }

        /// dbl-2008-hwcd with a = −1.
        func doubled() -> Point {
            let a = X.squared(), b = Y.squared()
            let zz = Z.squared()
            let c = zz + zz
            let e = (X + Y).squared() - a - b
            let g = b - a
            let f = g - c
            let h = -(a + b)
            return Point(X: e * f, Y: g * h, Z: f * g, T: e * h)
        }
    }

    /// Σ scalars[i]·points[i] + Σ extra, everything public. Scalars are 32-byte little-endian (Ed25519Scalar).
    /// Returns the canonical encoding, or nil if an input does not decode.
    static func linearCombination(scalars: [[UInt8]], points: [[UInt8]], extra: [[UInt8]]) -> [UInt8]? {
        let d2 = Ed25519Vartime.d2
        let n = min(points.count, scalars.count)
        // One flat table: entry 16·i + j = j·P_i.
        var table = [Point](repeating: .identity, count: 16 * n)
        for i in 0..<n {
            guard let p = Point(encoding: points[i]), scalars[i].count == 32 else { return nil }
            table[16 * i + 1] = p
            for j in 2..<16 { table[16 * i + j] = Point.add(table[16 * i + j - 1], p, d2: d2) }
        }
        // Nibbles, most significant window first.
        var nibbles = [UInt8](repeating: 0, count: 64 * n)
        for i in 0..<n {
            let s = scalars[i]
            for w in 0..<64 { nibbles[64 * i + w] = s[w >> 1] >> (4 * UInt8(w & 1)) & 0x0f }
        }
        var acc = Point.identity
        var started = false
        table.withUnsafeBufferPointer { tab in
            nibbles.withUnsafeBufferPointer { nib in
                for w in stride(from: 63, through: 0, by: -1) {
                    if started { acc = acc.doubled().doubled().doubled().doubled() }
                    for i in 0..<n {
                        let k = Int(nib[64 * i + w])
                        if k != 0 { acc = Point.add(acc, tab[16 * i + k], d2: d2); started = true }
                    }
                }
            }
        }
        for enc in extra {
            guard let p = Point(encoding: enc) else { return nil }
            acc = acc + p
        }
        return acc.encoding()
    }
}
