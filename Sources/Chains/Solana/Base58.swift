/// Base58 with the Bitcoin alphabet (used by Solana addresses and signatures). No checksum.
public enum Base58 {
    private static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    private static let indexes: [Int8] = {
        var t = [Int8](repeating: -1, count: 128)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = Int8(i) }
        return t
    }()

    public static func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix(while: { $0 == 0 }).count
        // Base-58 digits, little-endian, by repeated multiply-add (quadratic, fine for keys and signatures).
        var digits = [UInt8]()
        for b in bytes.dropFirst(zeros) {
            var carry = Int(b)
            for i in digits.indices {
                carry += Int(digits[i]) << 8
                digits[i] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 { digits.append(UInt8(carry % 58)); carry /= 58 }
        }
        let out = [UInt8](repeating: alphabet[0], count: zeros) + digits.reversed().map { alphabet[Int($0)] }
        return String(decoding: out, as: UTF8.self)
    }

    /// Nil on a character outside the alphabet. `maxLength` bounds the work on hostile input.
    public static func decode(_ text: String, maxLength: Int = 512) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count <= maxLength else { return nil }
        let ones = chars.prefix(while: { $0 == alphabet[0] }).count
        var bytes = [UInt8]()  // little-endian base-256
        for c in chars.dropFirst(ones) {
            guard c < 128 else { return nil }
            let v = indexes[Int(c)]
            guard v >= 0 else { return nil }
            var carry = Int(v)
            for i in bytes.indices {
                carry += Int(bytes[i]) * 58
                bytes[i] = UInt8(carry & 0xff)
                carry >>= 8
            }
            while carry > 0 { bytes.append(UInt8(carry & 0xff)); carry >>= 8 }
        }
        return [UInt8](repeating: 0, count: ones) + bytes.reversed()
    }
}
