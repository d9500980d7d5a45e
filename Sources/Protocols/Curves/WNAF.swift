/// Width-w non-adjacent form of a public 256-bit scalar, shared by the variable-time multi-scalar codes
/// (`Ed25519Vartime`, `Secp256k1Vartime`). Digits are odd, |digit| < 2^(w−1), and any w consecutive digits
/// hold at most one non-zero. Variable time: public scalars only.
enum WNAF {
    /// Writes `count` digits (least significant first) of the scalar with little-endian 64-bit `words` at
    /// `out[offset...]`; `count` = 257 leaves room for the carry out of a full 256-bit scalar. Returns the
    /// index of the highest non-zero digit, or −1 for zero.
    static func digits(_ words: (UInt64, UInt64, UInt64, UInt64), width: Int, count: Int,
                       into out: inout [Int8], offset: Int) -> Int {
        func word(_ i: Int) -> UInt64 {
            switch i { case 0: words.0; case 1: words.1; case 2: words.2; case 3: words.3; default: 0 }
        }
        let span = 1 << width, windowMask = UInt64(span - 1)
        var pos = 0, carry = 0, top = -1
        while pos < count {
            let idx = pos / 64, bit = pos % 64
            let buf = bit <= 64 - width ? word(idx) >> bit : (word(idx) >> bit) | (word(idx + 1) << (64 - bit))
            let window = carry + Int(buf & windowMask)
            if window & 1 == 0 { pos += 1; continue }
            if window < span / 2 {
                carry = 0; out[offset + pos] = Int8(window)
            } else {
                carry = 1; out[offset + pos] = Int8(window - span)
            }
            top = pos
            pos += width
        }
        return top
    }
}
