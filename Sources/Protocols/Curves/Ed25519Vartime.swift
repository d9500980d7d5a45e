/// Variable-time edwards25519 arithmetic for PUBLIC values only (nonce commitments, binding factors,
/// challenges, verifying keys, sums of public points): a multi-scalar multiplication Σ s_i·P_i (Straus with
/// width-5 NAFs) in extended coordinates over GF(2^255 − 19) with 51-bit limbs (`Ed25519Field.swift`,
/// `Ed25519Extended.swift`). libsodium offers only a constant-time ladder that also re-checks subgroup
/// membership on every call (two ladders per product) and an addition that decodes both operands and encodes
/// the sum. Never call it with a secret scalar. Tested against libsodium in SigningEd25519VartimeTests and
/// Ed25519ArithmeticTests.
enum Ed25519Vartime {
    // MARK: Curve constants

    /// d = −121665/121666.
    static let d: FE = (-(FE(121665) * FE(121666).inverted())).reduced()
    static let d2: FE = (d + d).reduced()
    /// sqrt(−1) = 2^((p−1)/4).
    static let sqrtM1 = FE(bytes: Hex.decode("b0a00e4a271beec478e42fad0618432fa7d7fb3d99004d2b0bdfc14f8024832b") ?? [])

    /// NAF window width: digits are odd, |digit| < 2^(w−1), and any w consecutive digits hold at most one non-zero.
    static let nafWidth = 5

    /// The width-w NAF of a little-endian scalar below 2^255, least significant digit first (256 digits written
    /// at `out[offset...]`). Returns the index of the highest non-zero digit, or −1 for zero.
    static func naf(_ s: [UInt8], into out: inout [Int8], offset: Int) -> Int {
        precondition(s.count == 32, "scalar must be 32 bytes")
        let w = s.withUnsafeBytes { raw in
            (0..<4).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)) }
        }
        return WNAF.digits((w[0], w[1], w[2], w[3]), width: nafWidth, count: 256, into: &out, offset: offset)
    }

    /// ℓ = 2^252 + 27742317777372353535851937790883648493, little-endian.
    static let groupOrderBytes: [UInt8] = Hex.decode("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010") ?? []

    /// Whether [ℓ]P = O, i.e. P lies in the prime-order subgroup: with P = P_ℓ + T (T in the 8-torsion),
    /// [ℓ]P = [ℓ]T = [5]T (ℓ ≡ 5 mod 8), which is O only for T = O. One width-5 NAF chain of ℓ (253 doublings,
    /// about 20 additions: bits 125-251 of ℓ are zero). The reference for the faster `isTorsionFree`
    /// (Ed25519Subgroup.swift), which accepts the same points; kept for the tests and `mpc bench subgroup`.
    static func isTorsionFreeByOrder(_ p: Point) -> Bool {
        multiscalar(scalars: [groupOrderBytes], points: [p]).isIdentity
    }

    /// Σ scalars[i]·points[i] (32-byte little-endian scalars below 2^255, public).
    static func multiscalar(scalars: [[UInt8]], points: [Point]) -> Point {
        let n = min(points.count, scalars.count)
        let half = 1 << (nafWidth - 2)   // table entries: P, 3P, ..., (2·half − 1)P
        var digits = [Int8](repeating: 0, count: 256 * n)
        var table = [Cached](repeating: Point.identity.cached, count: half * n)
        var top = -1
        for i in 0..<n {
            let high = naf(scalars[i], into: &digits, offset: 256 * i)
            if high < 0 { continue }
            top = max(top, high)
            // Only the odd multiples this scalar's digits use (a small public scalar needs one or two).
            var largest = 1
            for pos in 0...high { largest = max(largest, abs(Int(digits[256 * i + pos]))) }
            let p = points[i]
            var odd = p
            table[half * i] = odd.cached
            if largest > 1 {
                let p2 = p.doubled().cached
                for j in 1...(largest >> 1) { odd = (odd + p2).extended; table[half * i + j] = odd.cached }
            }
        }
        if top < 0 { return .identity }
        return table.withUnsafeBufferPointer { tab in
            digits.withUnsafeBufferPointer { dig in
                straus(top: top, rows: n, digitsPerRow: 256, digits: dig, first: tab, firstHalf: half, second: tab, secondHalf: half, split: n)
            }
        }
    }

    /// Straus' joint double-and-add over `rows` NAF digit rows (row i at `digits[digitsPerRow·i...]`, highest
    /// non-zero digit at `top` or below): row i < `split` adds odd multiples from `first[firstHalf·i...]`, the others
    /// from `second[secondHalf·(i − split)...]` (entry j is (2j+1)·P; a table of `half` entries serves NAF digits of
    /// width log2(half) + 2). One loop for `multiscalar` and `Ed25519VerifyingKey`.
    @inline(__always)
    static func straus(top: Int, rows: Int, digitsPerRow: Int, digits dig: UnsafeBufferPointer<Int8>,
                       first: UnsafeBufferPointer<Cached>, firstHalf: Int, second: UnsafeBufferPointer<Cached>, secondHalf: Int,
                       split: Int) -> Point {
        var r = Projective.identity
        var last = Completed.identity
        for bit in stride(from: top, through: 0, by: -1) {
            last = r.doubled()
            for i in 0..<rows {
                let k = Int(dig[digitsPerRow * i + bit])
                if k == 0 { continue }
                let tab = i < split ? first : second
                let entry = (i < split ? firstHalf * i : secondHalf * (i - split)) + abs(k) >> 1
                last = k > 0 ? last.extended + tab[entry] : last.extended - tab[entry]
            }
            if bit > 0 { r = last.projective }
        }
        return last.extended
    }

    /// Σ scalars[i]·points[i] + Σ extra, everything public and given as encodings (32-byte little-endian
    /// scalars, compressed points). Returns the canonical encoding, or nil if a point does not decode.
    static func linearCombination(scalars: [[UInt8]], points: [[UInt8]], extra: [[UInt8]]) -> [UInt8]? {
        var decoded = [Point]()
        decoded.reserveCapacity(points.count)
        for enc in points {
            guard let p = Point(encoding: enc) else { return nil }
            decoded.append(p)
        }
        guard scalars.allSatisfy({ $0.count == 32 }) else { return nil }
        var acc = multiscalar(scalars: scalars, points: decoded)
        for enc in extra {
            guard let p = Point(encoding: enc) else { return nil }
            acc = acc + p
        }
        return acc.encoding()
    }
}
