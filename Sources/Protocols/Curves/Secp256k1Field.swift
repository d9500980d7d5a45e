/// GF(p), p = 2^256 − 2^32 − 977, for the variable-time secp256k1 code (`Secp256k1Vartime`): four 64-bit
/// limbs (little-endian order), 64×64→128-bit products in `UInt128`, reduction folding 2^256 ≡ c = 2^32 + 977.
/// No heap allocation on any arithmetic path.
///
/// Every operation returns a value below 2^256 (not necessarily below p: "weakly reduced"); comparisons and
/// encodings reduce fully first. Not constant time (carries are branches): public values only.
extension Secp256k1Vartime {
    struct FE: Sendable {
        var l0, l1, l2, l3: UInt64
        /// c = 2^256 − p.
        static var c: UInt64 { 0x1_0000_03D1 }
        static var zero: FE { FE(l0: 0, l1: 0, l2: 0, l3: 0) }
        static var one: FE { FE(l0: 1, l1: 0, l2: 0, l3: 0) }

        @inline(__always)
        init(l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64) {
            self.l0 = l0; self.l1 = l1; self.l2 = l2; self.l3 = l3
        }

        init(_ small: UInt64) { self.init(l0: small, l1: 0, l2: 0, l3: 0) }

        /// 32 big-endian bytes from `offset` (SEC1 coordinates). Not reduced: a value ≥ p stays as is.
        init(bigEndian b: [UInt8], offset: Int = 0) {
            precondition(b.count >= offset + 32, "field element needs 32 bytes")
            func word(_ i: Int) -> UInt64 {
                var w: UInt64 = 0
                for j in 0..<8 { w = w << 8 | UInt64(b[offset + 8 * (3 - i) + j]) }
                return w
            }
            self.init(l0: word(0), l1: word(1), l2: word(2), l3: word(3))
        }

        /// The canonical 32 big-endian bytes.
        func bytes() -> [UInt8] {
            let t = reduced()
            var out = [UInt8](repeating: 0, count: 32)
            for (i, w) in [t.l3, t.l2, t.l1, t.l0].enumerated() {
                for j in 0..<8 { out[8 * i + j] = UInt8(truncatingIfNeeded: w >> (56 - 8 * j)) }
            }
            return out
        }

        /// The unique representative below p: subtract p once iff the value + c overflows 2^256.
        func reduced() -> FE {
            let (s0, o0) = l0.addingReportingOverflow(FE.c)
            let (s1, o1) = l1.addingReportingOverflow(o0 ? 1 : 0)
            let (s2, o2) = l2.addingReportingOverflow(o1 ? 1 : 0)
            let (s3, o3) = l3.addingReportingOverflow(o2 ? 1 : 0)
            return o3 ? FE(l0: s0, l1: s1, l2: s2, l3: s3) : self
        }

        var isZero: Bool {
            let t = reduced()
            return t.l0 | t.l1 | t.l2 | t.l3 == 0
        }

        var isOdd: Bool { reduced().l0 & 1 == 1 }

        static func == (a: FE, b: FE) -> Bool {
            let x = a.reduced(), y = b.reduced()
            return x.l0 == y.l0 && x.l1 == y.l1 && x.l2 == y.l2 && x.l3 == y.l3
        }

        /// a + b + carry with the carry out in `carry` (0 or 1): no branch (carries of random data are unpredictable).
        @inline(__always)
        static func adc(_ a: UInt64, _ b: UInt64, _ carry: inout UInt64) -> UInt64 {
            let (s1, o1) = a.addingReportingOverflow(b)
            let (s2, o2) = s1.addingReportingOverflow(carry)
            carry = UInt64(o1 ? 1 : 0) | UInt64(o2 ? 1 : 0)
            return s2
        }

        /// a − b − borrow with the borrow out in `borrow` (0 or 1), without a branch.
        @inline(__always)
        static func sbb(_ a: UInt64, _ b: UInt64, _ borrow: inout UInt64) -> UInt64 {
            let (d1, u1) = a.subtractingReportingOverflow(b)
            let (d2, u2) = d1.subtractingReportingOverflow(borrow)
            borrow = UInt64(u1 ? 1 : 0) | UInt64(u2 ? 1 : 0)
            return d2
        }

        @inline(__always)
        static func + (a: FE, b: FE) -> FE {
            var k: UInt64 = 0
            var r = FE(l0: adc(a.l0, b.l0, &k), l1: 0, l2: 0, l3: 0)
            r.l1 = adc(a.l1, b.l1, &k); r.l2 = adc(a.l2, b.l2, &k); r.l3 = adc(a.l3, b.l3, &k)
            // A carry out of 2^256 is worth c, folded in without a branch; that can carry out again only
            // when the sum is below c (rare).
            var k2: UInt64 = 0
            r.l0 = adc(r.l0, k &* FE.c, &k2); r.l1 = adc(r.l1, 0, &k2); r.l2 = adc(r.l2, 0, &k2); r.l3 = adc(r.l3, 0, &k2)
            if k2 != 0 { _ = r.addSmall(FE.c) }
            return r
        }

        @inline(__always)
        static func - (a: FE, b: FE) -> FE {
            var k: UInt64 = 0
            var r = FE(l0: sbb(a.l0, b.l0, &k), l1: 0, l2: 0, l3: 0)
            r.l1 = sbb(a.l1, b.l1, &k); r.l2 = sbb(a.l2, b.l2, &k); r.l3 = sbb(a.l3, b.l3, &k)
            // A borrow of 2^256 is corrected by subtracting c (2^256 − c = p), without a branch; that borrows
            // again only when the difference was below c (rare), and once more subtracting c ends it.
            var k2: UInt64 = 0
            r.l0 = sbb(r.l0, k &* FE.c, &k2); r.l1 = sbb(r.l1, 0, &k2); r.l2 = sbb(r.l2, 0, &k2); r.l3 = sbb(r.l3, 0, &k2)
            if k2 != 0 { _ = r.subSmall(FE.c) }
            return r
        }

        static prefix func - (a: FE) -> FE { FE.zero - a }

        /// Adds a small value; returns whether it carried out of 2^256.
        @inline(__always)
        mutating func addSmall(_ v: UInt64) -> Bool {
            var o: Bool
            (l0, o) = l0.addingReportingOverflow(v); if !o { return false }
            (l1, o) = l1.addingReportingOverflow(1); if !o { return false }
            (l2, o) = l2.addingReportingOverflow(1); if !o { return false }
            (l3, o) = l3.addingReportingOverflow(1)
            return o
        }

        /// Subtracts a small value; returns whether it borrowed.
        @inline(__always)
        mutating func subSmall(_ v: UInt64) -> Bool {
            var u: Bool
            (l0, u) = l0.subtractingReportingOverflow(v); if !u { return false }
            (l1, u) = l1.subtractingReportingOverflow(1); if !u { return false }
            (l2, u) = l2.subtractingReportingOverflow(1); if !u { return false }
            (l3, u) = l3.subtractingReportingOverflow(1)
            return u
        }

        /// t + a·b + carry, split into the low word (returned) and the new carry (fits: at most 2^128 − 1).
        @inline(__always)
        static func mac(_ t: UInt64, _ a: UInt64, _ b: UInt64, _ carry: inout UInt64) -> UInt64 {
            let x = UInt128(a) &* UInt128(b) &+ UInt128(t) &+ UInt128(carry)
            carry = UInt64(truncatingIfNeeded: x >> 64)
            return UInt64(truncatingIfNeeded: x)
        }

        @inline(__always)
        static func * (a: FE, b: FE) -> FE {
            var c: UInt64 = 0
            // Row 0.
            let t0 = mac(0, a.l0, b.l0, &c)
            var t1 = mac(0, a.l0, b.l1, &c)
            var t2 = mac(0, a.l0, b.l2, &c)
            var t3 = mac(0, a.l0, b.l3, &c)
            var t4 = c; c = 0
            // Row 1.
            t1 = mac(t1, a.l1, b.l0, &c)
            t2 = mac(t2, a.l1, b.l1, &c)
            t3 = mac(t3, a.l1, b.l2, &c)
            t4 = mac(t4, a.l1, b.l3, &c)
            var t5 = c; c = 0
            // Row 2.
            t2 = mac(t2, a.l2, b.l0, &c)
            t3 = mac(t3, a.l2, b.l1, &c)
            t4 = mac(t4, a.l2, b.l2, &c)
            t5 = mac(t5, a.l2, b.l3, &c)
            var t6 = c; c = 0
            // Row 3.
            t3 = mac(t3, a.l3, b.l0, &c)
            t4 = mac(t4, a.l3, b.l1, &c)
            t5 = mac(t5, a.l3, b.l2, &c)
            t6 = mac(t6, a.l3, b.l3, &c)
            let t7 = c
            return reduce(t0, t1, t2, t3, t4, t5, t6, t7)
        }

        /// (t7..t0) mod p, weakly: the high half times c folded into the low half, twice.
        @inline(__always)
        static func reduce(_ t0: UInt64, _ t1: UInt64, _ t2: UInt64, _ t3: UInt64,
                           _ t4: UInt64, _ t5: UInt64, _ t6: UInt64, _ t7: UInt64) -> FE {
            var c: UInt64 = 0
            let r0 = mac(t0, t4, FE.c, &c)
            let r1 = mac(t1, t5, FE.c, &c)
            let r2 = mac(t2, t6, FE.c, &c)
            let r3 = mac(t3, t7, FE.c, &c)
            // c < 2^34: c·(2^32 + 977) < 2^67 still folds through UInt128.
            let x = UInt128(c) &* UInt128(FE.c) &+ UInt128(r0)
            var r = FE(l0: UInt64(truncatingIfNeeded: x), l1: r1, l2: r2, l3: r3)
            var k = UInt64(truncatingIfNeeded: x >> 64)
            r.l1 = adc(r.l1, 0, &k); r.l2 = adc(r.l2, 0, &k); r.l3 = adc(r.l3, 0, &k)
            // Carries out of 2^256 only when the low words were all but full (rare): worth c once more.
            if k != 0 { _ = r.addSmall(FE.c) }
            return r
        }

        /// self² with the six cross products computed once and doubled (10 word products instead of 16).
        @inline(__always) func squared() -> FE {
            var c: UInt64 = 0
            // Σ_{i<j} a_i·a_j at word i + j.
            let t1 = FE.mac(0, l0, l1, &c)
            let t2 = FE.mac(0, l0, l2, &c)
            var t3 = FE.mac(0, l0, l3, &c)
            var t4 = c; c = 0
            t3 = FE.mac(t3, l1, l2, &c)
            t4 = FE.mac(t4, l1, l3, &c)
            var t5 = c; c = 0
            t5 = FE.mac(t5, l2, l3, &c)
            let t6 = c
            // Doubled (shifted left one bit), then the squares a_i² added at word 2i.
            let d7 = t6 >> 63, d6 = t6 << 1 | t5 >> 63, d5 = t5 << 1 | t4 >> 63, d4 = t4 << 1 | t3 >> 63
            let d3 = t3 << 1 | t2 >> 63, d2 = t2 << 1 | t1 >> 63, d1 = t1 << 1
            let s0 = l0.multipliedFullWidth(by: l0), s1 = l1.multipliedFullWidth(by: l1)
            let s2 = l2.multipliedFullWidth(by: l2), s3 = l3.multipliedFullWidth(by: l3)
            var k: UInt64 = 0
            let r1 = FE.adc(d1, s0.high, &k), r2 = FE.adc(d2, s1.low, &k), r3 = FE.adc(d3, s1.high, &k)
            let r4 = FE.adc(d4, s2.low, &k), r5 = FE.adc(d5, s2.high, &k), r6 = FE.adc(d6, s3.low, &k)
            let r7 = FE.adc(d7, s3.high, &k)   // no carry out: a² < 2^512
            return FE.reduce(s0.low, r1, r2, r3, r4, r5, r6, r7)
        }

        @inline(__always) func squared(times k: Int) -> FE {
            var r = self
            for _ in 0..<k { r = r * r }
            return r
        }

        /// a^(p−2) with libsecp256k1's addition chain (255 squarings, 15 multiplications). 0 maps to 0.
        func inverted() -> FE {
            let a = self
            let x2 = a.squared() * a
            let x3 = x2.squared() * a
            let x6 = x3.squared(times: 3) * x3
            let x9 = x6.squared(times: 3) * x3
            let x11 = x9.squared(times: 2) * x2
            let x22 = x11.squared(times: 11) * x11
            let x44 = x22.squared(times: 22) * x22
            let x88 = x44.squared(times: 44) * x44
            let x176 = x88.squared(times: 88) * x88
            let x220 = x176.squared(times: 44) * x44
            let x223 = x220.squared(times: 3) * x3
            var t = x223.squared(times: 23) * x22
            t = t.squared(times: 5) * a
            t = t.squared(times: 3) * x2
            return t.squared(times: 2) * a
        }
    }
}
