/// The GLV endomorphism of secp256k1 for the variable-time multi-scalar code: φ(x, y) = (β·x, y) = λ·(x, y),
/// and the split k ≡ k1 + k2·λ (mod n) with |k1|, |k2| < 2^128 (GLV 2001, §4; the lattice basis is the one
/// libsecp256k1 documents), so that a product needs half the doublings. Variable time: public scalars only.
/// Checked in Secp256k1ArithmeticTests (β³ = 1, φ(P) = λ·P, the split).
extension Secp256k1Vartime {
    enum GLV {
        /// β, a cube root of unity mod p.
        static let beta = FE(bigEndian: Hex.decode("7ae96a2b657c07106e64479eac3434e99cf0497512f58995c1396c28719501ee") ?? [])
        /// λ, the matching cube root of unity mod n.
        static let lambda = BigNum(hex: "5363ad4cc05c30e0a5261c028812645a122e22ea20816678df02967c1b23bd72")!
        static let n = BigNum(hex: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")!
        static let halfN = n.shiftedRight(1)
        /// Of the reduced basis (a1, b1), (a2, b2) of {(x, y) : x + y·λ ≡ 0 (mod n)}: a1, and b1 = −minusB1 (b2 = a1).
        static let a1 = BigNum(hex: "3086d221a7d46bcde86c90e49284eb15")!
        static let minusB1 = BigNum(hex: "e4437ed6010e88286f547fa90abfe4c3")!

        /// g1 = round(2^384·b2 / n) and g2 = round(2^384·(−b1) / n), so that c1 = round(k·b2 / n) and
        /// c2 = round(−b1·k / n) are (k·g) >> 384 rounded (libsecp256k1's `scalar_split_lambda`; the
        /// approximation keeps |k1|, |k2| below 2^128 as the exact quotient does). Computed once on GMP.
        static let g1 = words(a1.shiftedLeft(384).adding(halfN).floorDivided(by: n))
        static let g2 = words(minusB1.shiftedLeft(384).adding(halfN).floorDivided(by: n))
        /// −b1, −b2 = −a1 and λ as scalars mod n.
        static let minusB1Scalar = Secp256k1Scalar(limbs: words(minusB1))
        static let minusB2Scalar = -Secp256k1Scalar(limbs: words(a1))
        static let lambdaScalar = Secp256k1Scalar(limbs: words(lambda))

        /// (|k1|, k1 < 0, |k2|, k2 < 0) as little-endian 64-bit words, k ≡ k1 + k2·λ (mod n):
        /// k2 = c1·(−b1) + c2·(−b2), k1 = k − k2·λ, each taken as the representative of least magnitude.
        /// Fixed-width words and scalar arithmetic, no allocation.
        static func split(_ k: Secp256k1Scalar) -> (k1: SIMD4<UInt64>, neg1: Bool, k2: SIMD4<UInt64>, neg2: Bool) {
            let c1 = Secp256k1Scalar(limbs: mulShift384(k.limbs, g1))
            let c2 = Secp256k1Scalar(limbs: mulShift384(k.limbs, g2))
            let k2 = c1 * minusB1Scalar + c2 * minusB2Scalar
            let k1 = k - k2 * lambdaScalar
            let (m1, neg1) = leastMagnitude(k1), (m2, neg2) = leastMagnitude(k2)
            return (m1, neg1, m2, neg2)
        }

        /// round((a·b) / 2^384) for 256-bit a, b: the top two words of the product, plus its bit 383.
        static func mulShift384(_ a: SIMD4<UInt64>, _ b: SIMD4<UInt64>) -> SIMD4<UInt64> {
            var t = SIMD8<UInt64>()
            for i in 0..<4 {
                var carry: UInt64 = 0
                for j in 0..<4 {
                    let x = UInt128(a[i]) &* UInt128(b[j]) &+ UInt128(t[i + j]) &+ UInt128(carry)
                    t[i + j] = UInt64(truncatingIfNeeded: x)
                    carry = UInt64(truncatingIfNeeded: x >> 64)
                }
                t[i + 4] = carry
            }
            let (low, o) = t[6].addingReportingOverflow(t[5] >> 63)
            return SIMD4(low, t[7] &+ (o ? 1 : 0), 0, 0)
        }

        /// s or n − s, whichever is smaller, and whether it was n − s (s is then "negative").
        static func leastMagnitude(_ s: Secp256k1Scalar) -> (SIMD4<UInt64>, Bool) {
            let neg = -s
            let (_, borrow) = Secp256k1Scalar.subtract(neg.limbs, s.limbs)
            return borrow == 1 ? (neg.limbs, true) : (s.limbs, false)
        }

        static func words(_ v: BigNum) -> SIMD4<UInt64> {
            let b = v.magnitude().bytes(width: 32) ?? [UInt8](repeating: 0, count: 32)
            var w = SIMD4<UInt64>()
            for i in 0..<4 {
                for j in 0..<8 { w[i] = w[i] << 8 | UInt64(b[8 * (3 - i) + j]) }
            }
            return w
        }

        /// φ(P) = (β·X, Y, Z) in Jacobian coordinates.
        static func phi(_ p: Point) -> Point { Point(x: p.x * beta, y: p.y, z: p.z) }
    }
}
