internal import CGMP

/// Exponentiation of ONE base to many PUBLIC exponents (Yao's fixed-base method): the table holds
/// base^(2^(w·j)) mod m for every w-bit digit position j of the largest exponent, built once with
/// about `maxBits` squarings; each exponentiation then costs one multiplication per non-zero digit plus
/// 2^w − 1 more, instead of `mpz_powm`'s `bits` squarings: about 4× fewer operations at 2048 bits (w = 6).
///
/// NOT constant time: the multiplications done and the table entries read follow the exponent's digits.
/// Use it only where exponent, base and modulus are all public (a verifier's checks against a peer's
/// parameters, e.g. t^{z_i} in Π^prm).
public final class FixedBasePowers: @unchecked Sendable {
    // Owned and never mutated after init (hence @unchecked Sendable); `pow` uses fresh temporaries.
    private let table: [BigNum]
    private let modulus: BigNum
    private let base: BigNum
    static let window = 6

    /// Precondition: modulus > 1, 0 ≤ base < modulus.
    public init(base: BigNum, modulus: BigNum, maxBits: Int) {
        precondition(modulus.compare(.one) > 0 && base.sign >= 0 && base < modulus, "bad fixed-base parameters")
        let w = Self.window
        let digits = max(1, (maxBits + w - 1) / w)
        var table = [BigNum]()
        table.reserveCapacity(digits)
        var cur = base
        for j in 0..<digits {
            table.append(cur)
            if j + 1 < digits {
                let next = BigNum(), square = BigNum()
                cgmp_set(next.z, cur.z)
                for _ in 0..<w {
                    cgmp_mul(square.z, next.z, next.z)
                    cgmp_mod(next.z, square.z, modulus.z)
                }
                cur = next
            }
        }
        self.table = table
        self.modulus = modulus
        self.base = base
    }

    /// base^e mod m for a public e ≥ 0. Exponents longer than the table fall back to `mpz_powm`.
    public func pow(_ e: BigNum) -> BigNum {
        precondition(e.sign >= 0, "negative exponent")
        let w = Self.window
        let digitCount = (e.bitLength + w - 1) / w
        guard digitCount <= table.count else { return BigNum.make { cgmp_powm($0, base.z, e.z, modulus.z) } }
        // Digits of e, little-endian, from its big-endian bytes.
        let bytes = e.magnitudeBytes
        func bit(_ i: Int) -> Int {
            let byte = bytes.count - 1 - i / 8
            return byte >= 0 ? Int(bytes[byte] >> (i % 8)) & 1 : 0
        }
        var buckets = [[Int]](repeating: [], count: 1 << w)
        for j in 0..<digitCount {
            var d = 0
            for b in 0..<w { d |= bit(j * w + b) << b }
            if d != 0 { buckets[d].append(j) }
        }
        // Yao: B accumulates Π_{d_j ≥ d} T_j, A = Π_d B_d = Π_j T_j^{d_j}.
        let a = BigNum(1), b = BigNum(1), product = BigNum()
        var bIsOne = true
        for d in stride(from: (1 << w) - 1, through: 1, by: -1) {
            for j in buckets[d] {
                cgmp_mul(product.z, b.z, table[j].z)
                cgmp_mod(b.z, product.z, modulus.z)
                bIsOne = false
            }
            if !bIsOne {
                cgmp_mul(product.z, a.z, b.z)
                cgmp_mod(a.z, product.z, modulus.z)
            }
        }
        return a.mod(modulus)
    }
}
