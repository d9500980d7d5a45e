/// The GLV endomorphism of secp256k1 for the variable-time multi-scalar code: φ(x, y) = (β·x, y) = λ·(x, y),
/// and the split k ≡ k1 + k2·λ (mod n) with |k1|, |k2| < 2^128 (GLV 2001, §4; the lattice basis is the one
/// libsecp256k1 documents), so that a product needs half the doublings. The split runs on GMP (`BigNum`,
/// variable time): public scalars only. Checked in Secp256k1ArithmeticTests (β³ = 1, φ(P) = λ·P, the split).
extension Secp256k1Vartime {
    enum GLV {
        /// β, a cube root of unity mod p.
        static let beta = FE(bigEndian: Hex.decode("7ae96a2b657c07106e64479eac3434e99cf0497512f58995c1396c28719501ee") ?? [])
        /// λ, the matching cube root of unity mod n.
        static let lambda = BigNum(hex: "5363ad4cc05c30e0a5261c028812645a122e22ea20816678df02967c1b23bd72")!
        static let n = BigNum(hex: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")!
        static let halfN = n.shiftedRight(1)
        /// The reduced basis (a1, b1), (a2, b2) of {(x, y) : x + y·λ ≡ 0 (mod n)}; b1 = −minusB1, b2 = a1.
        static let a1 = BigNum(hex: "3086d221a7d46bcde86c90e49284eb15")!
        static let minusB1 = BigNum(hex: "e4437ed6010e88286f547fa90abfe4c3")!
        static let a2 = BigNum(hex: "114ca50f7a8e2f3f657c1108d9d44cfd8")!

        /// (|k1|, k1 < 0, |k2|, k2 < 0) as little-endian 64-bit words, k ≡ k1 + k2·λ (mod n).
        static func split(_ k: Secp256k1Scalar) -> (k1: SIMD4<UInt64>, neg1: Bool, k2: SIMD4<UInt64>, neg2: Bool) {
            let kb = BigNum(bytes: k.bytes)
            // c1 = round(b2·k / n), c2 = round(−b1·k / n).
            let c1 = a1.multiplied(by: kb).adding(halfN).floorDivided(by: n)
            let c2 = minusB1.multiplied(by: kb).adding(halfN).floorDivided(by: n)
            // k1 = k − c1·a1 − c2·a2, k2 = −c1·b1 − c2·b2.
            let k1 = kb.subtracting(c1.multiplied(by: a1)).subtracting(c2.multiplied(by: a2))
            let k2 = c1.multiplied(by: minusB1).subtracting(c2.multiplied(by: a1))
            return (words(k1), k1.isNegative, words(k2), k2.isNegative)
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
