/// GF(2^255 − 19) for the variable-time edwards25519 code (`Ed25519Vartime`): five 51-bit limbs in
/// `UInt64`s, 64×64→128-bit products in `UInt128`. No heap allocation on any arithmetic path.
///
/// Limb bounds: `*`, `squared()` and `-` return limbs below 2^51 + 2^13 ("weakly reduced"), `+` of two such
/// values limbs below 2^52 + 2^14. `*` and `squared()` accept limbs below 2^54 (then every 64×64 product with
/// a factor 19 fits in 64 + 64 bits, the column sums fit in 128 bits and the top carry times 19 in 64 bits);
/// `-` accepts a subtrahend below 2^53 (it adds 4p). Comparisons and encodings reduce fully first.
/// Not constant time: public values only.
extension Ed25519Vartime {
    struct FE: Sendable {
        var l0, l1, l2, l3, l4: UInt64
        static var mask: UInt64 { 0x7_FFFF_FFFF_FFFF }
        static var zero: FE { FE(l0: 0, l1: 0, l2: 0, l3: 0, l4: 0) }
        static var one: FE { FE(l0: 1, l1: 0, l2: 0, l3: 0, l4: 0) }

        @inline(__always)
        init(l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64, l4: UInt64) {
            self.l0 = l0; self.l1 = l1; self.l2 = l2; self.l3 = l3; self.l4 = l4
        }

        init(_ small: UInt64) { self.init(l0: small, l1: 0, l2: 0, l3: 0, l4: 0) }

        /// 32 little-endian bytes (at least 32 must be given); bit 255 ignored. Not reduced: y ≥ p stays as is.
        init(bytes b: [UInt8]) {
            precondition(b.count >= 32, "field element needs 32 bytes")
            let (w0, w1, w2, w3) = b.withUnsafeBytes { raw in
                (UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                 UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                 UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                 UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
            }
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

        /// The unique representative below p, limbs below 2^51.
        func reduced() -> FE {
            var t = self
            t.carry(); t.carry()
            // q = 1 iff t ≥ p, i.e. t + 19 overflows 2^255.
            var q = (t.l0 &+ 19) >> 51
            q = (t.l1 &+ q) >> 51; q = (t.l2 &+ q) >> 51; q = (t.l3 &+ q) >> 51; q = (t.l4 &+ q) >> 51
            t.l0 &+= 19 &* q
            t.l1 &+= t.l0 >> 51; t.l0 &= FE.mask
            t.l2 &+= t.l1 >> 51; t.l1 &= FE.mask
            t.l3 &+= t.l2 >> 51; t.l2 &= FE.mask
            t.l4 &+= t.l3 >> 51; t.l3 &= FE.mask
            t.l4 &= FE.mask
            return t
        }

        /// The canonical 32-byte encoding.
        func bytes() -> [UInt8] {
            let t = reduced()
            let words = [t.l0 | t.l1 << 51, t.l1 >> 13 | t.l2 << 38, t.l2 >> 26 | t.l3 << 25, t.l3 >> 39 | t.l4 << 12]
            var out = [UInt8](repeating: 0, count: 32)
            out.withUnsafeMutableBytes { raw in
                for (i, w) in words.enumerated() { raw.storeBytes(of: w.littleEndian, toByteOffset: 8 * i, as: UInt64.self) }
            }
            return out
        }

        var isZero: Bool {
            let t = reduced()
            return t.l0 | t.l1 | t.l2 | t.l3 | t.l4 == 0
        }

        /// The low bit of the canonical value (RFC 8032's "negative").
        var isNegative: Bool { reduced().l0 & 1 == 1 }

        static func == (a: FE, b: FE) -> Bool { (a - b).isZero }

        /// a + b without carrying: the sum of two weakly reduced values has limbs below 2^52 + 2^14, fine as
        /// an input to `*`, `squared()`, `reduced()` and as either side of `-`. Do not chain sums further.
        @inline(__always)
        static func + (a: FE, b: FE) -> FE {
            FE(l0: a.l0 &+ b.l0, l1: a.l1 &+ b.l1, l2: a.l2 &+ b.l2, l3: a.l3 &+ b.l3, l4: a.l4 &+ b.l4)
        }

        /// a − b as a + 4p − b, carried (b's limbs below 2^53).
        @inline(__always)
        static func - (a: FE, b: FE) -> FE {
            var r = FE(l0: a.l0 &+ 0x1F_FFFF_FFFF_FFB4 &- b.l0, l1: a.l1 &+ 0x1F_FFFF_FFFF_FFFC &- b.l1,
                       l2: a.l2 &+ 0x1F_FFFF_FFFF_FFFC &- b.l2, l3: a.l3 &+ 0x1F_FFFF_FFFF_FFFC &- b.l3,
                       l4: a.l4 &+ 0x1F_FFFF_FFFF_FFFC &- b.l4)
            r.carry()
            return r
        }

        @inline(__always)
        static prefix func - (a: FE) -> FE { FE.zero - a }

        /// The full 128-bit product (column sums of at most five such products fit in 128 bits, see above).
        @inline(__always)
        static func m(_ a: UInt64, _ b: UInt64) -> UInt128 { UInt128(a) &* UInt128(b) }

        /// Carries five 128-bit column sums into a weakly reduced element.
        @inline(__always)
        static func fold(_ r0: UInt128, _ r1: UInt128, _ r2: UInt128, _ r3: UInt128, _ r4: UInt128) -> FE {
            var r1 = r1, r2 = r2, r3 = r3, r4 = r4
            r1 &+= r0 >> 51; let c0 = UInt64(truncatingIfNeeded: r0) & mask
            r2 &+= r1 >> 51; let c1 = UInt64(truncatingIfNeeded: r1) & mask
            r3 &+= r2 >> 51; let c2 = UInt64(truncatingIfNeeded: r2) & mask
            r4 &+= r3 >> 51; let c3 = UInt64(truncatingIfNeeded: r3) & mask
            let top = UInt64(truncatingIfNeeded: r4 >> 51); let c4 = UInt64(truncatingIfNeeded: r4) & mask
            let s0 = c0 &+ top &* 19
            return FE(l0: s0 & mask, l1: c1 &+ (s0 >> 51), l2: c2, l3: c3, l4: c4)
        }

        @inline(__always)
        static func * (a: FE, b: FE) -> FE {
            let b1 = b.l1 &* 19, b2 = b.l2 &* 19, b3 = b.l3 &* 19, b4 = b.l4 &* 19
            let r0 = m(a.l0, b.l0) &+ m(a.l1, b4) &+ m(a.l2, b3) &+ m(a.l3, b2) &+ m(a.l4, b1)
            let r1 = m(a.l0, b.l1) &+ m(a.l1, b.l0) &+ m(a.l2, b4) &+ m(a.l3, b3) &+ m(a.l4, b2)
            let r2 = m(a.l0, b.l2) &+ m(a.l1, b.l1) &+ m(a.l2, b.l0) &+ m(a.l3, b4) &+ m(a.l4, b3)
            let r3 = m(a.l0, b.l3) &+ m(a.l1, b.l2) &+ m(a.l2, b.l1) &+ m(a.l3, b.l0) &+ m(a.l4, b4)
            let r4 = m(a.l0, b.l4) &+ m(a.l1, b.l3) &+ m(a.l2, b.l2) &+ m(a.l3, b.l1) &+ m(a.l4, b.l0)
            return fold(r0, r1, r2, r3, r4)
        }

        /// a² with the symmetric products merged (15 multiplications instead of 25).
        @inline(__always)
        func squared() -> FE {
            let d0 = l0 &* 2, d1 = l1 &* 2, d2 = l2 &* 2, d3 = l3 &* 2
            let a3x19 = l3 &* 19, a4x19 = l4 &* 19
            let r0 = FE.m(l0, l0) &+ FE.m(d1, a4x19) &+ FE.m(d2, a3x19)
            let r1 = FE.m(d0, l1) &+ FE.m(d2, a4x19) &+ FE.m(l3, a3x19)
            let r2 = FE.m(d0, l2) &+ FE.m(l1, l1) &+ FE.m(d3, a4x19)
            let r3 = FE.m(d0, l3) &+ FE.m(d1, l2) &+ FE.m(l4, a4x19)
            let r4 = FE.m(d0, l4) &+ FE.m(d1, l3) &+ FE.m(l2, l2)
            return FE.fold(r0, r1, r2, r3, r4)
        }

        func squared(times n: Int) -> FE {
            var r = self
            for _ in 0..<n { r = r.squared() }
            return r
        }

        /// (z^(2^250 − 1), z^11): the common head of the inversion and square-root chains (ref10).
        private func pow2250m1() -> (FE, FE) {
            let z = self
            let z2 = z.squared()
            let z9 = z * z2.squared(times: 2)
            let z11 = z2 * z9
            let z2_5_0 = z9 * z11.squared()                        // 2^5 − 1
            let z2_10_0 = z2_5_0.squared(times: 5) * z2_5_0
            let z2_20_0 = z2_10_0.squared(times: 10) * z2_10_0
            let z2_40_0 = z2_20_0.squared(times: 20) * z2_20_0
            let z2_50_0 = z2_40_0.squared(times: 10) * z2_10_0
            let z2_100_0 = z2_50_0.squared(times: 50) * z2_50_0
            let z2_200_0 = z2_100_0.squared(times: 100) * z2_100_0
            let z2_250_0 = z2_200_0.squared(times: 50) * z2_50_0
            return (z2_250_0, z11)
        }

        /// z^(p−2) = z^(2^255 − 21).
        func inverted() -> FE {
            let (t, z11) = pow2250m1()
            return t.squared(times: 5) * z11
        }

        /// z^((p−5)/8) = z^(2^252 − 3).
        func pow22523() -> FE {
            let (t, _) = pow2250m1()
            return t.squared(times: 2) * self
        }

        /// Where z stands among the squares, from one exponentiation: for p ≡ 5 (mod 8), c = z^((p+3)/8) has
        /// c² ∈ {z, −z, √−1·z, −√−1·z} (c⁴ = z²·z^((p−1)/2) = ±z²). A square (0 included) gives its root;
        /// a non-square z gives c with c² = √−1·z (`timesSqrtM1`) or c² = −√−1·z (`timesMinusSqrtM1`).
        func squareRoot() -> SquareRoot {
            let c = self * pow22523()
            let cc = c.squared()
            if cc == self { return .root(c) }
            if cc == -self { return .root(c * Ed25519Vartime.sqrtM1) }
            let iz = self * Ed25519Vartime.sqrtM1
            return cc == iz ? .timesSqrtM1(c) : .timesMinusSqrtM1(c)
        }
    }

    /// The outcome of `FE.squareRoot()`.
    enum SquareRoot {
        /// c² = z.
        case root(FE)
        /// z is not a square; c² = √−1·z.
        case timesSqrtM1(FE)
        /// z is not a square; c² = −√−1·z.
        case timesMinusSqrtM1(FE)
    }
}
