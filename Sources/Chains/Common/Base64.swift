/// Standard base64 (RFC 4648 section 4) decoding, strict: padding required, no whitespace, canonical trailing bits.
enum Base64 {
    private static let table: [Int8] = {
        var t = [Int8](repeating: -1, count: 128)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = Int8(i) }
        return t
    }()

    static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 4 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 4 * 3)
        var i = 0
        while i < chars.count {
            let isLast = i + 4 == chars.count
            var vals = [Int]()
            var pad = 0
            for j in 0..<4 {
                let c = chars[i + j]
                if c == UInt8(ascii: "=") && isLast && j >= 2 { pad += 1; vals.append(0); continue }
                guard pad == 0, c < 128, table[Int(c)] >= 0 else { return nil }
                vals.append(Int(table[Int(c)]))
            }
            let n = vals[0] << 18 | vals[1] << 12 | vals[2] << 6 | vals[3]
            out.append(UInt8((n >> 16) & 0xff))
            if pad < 2 { out.append(UInt8((n >> 8) & 0xff)) } else if n & 0xffff != 0 { return nil }
            if pad < 1 { out.append(UInt8(n & 0xff)) } else if n & 0xff != 0 { return nil }
            i += 4
        }
        return out
    }
}
