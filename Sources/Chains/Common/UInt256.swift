import Protocols

/// An unsigned integer of at most 256 bits, stored as its big-endian minimal byte string
/// (no leading zero bytes; zero is the empty string). This is exactly the RLP "quantity" form.
public struct UInt256: Equatable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Big-endian, minimal (no leading zeros), at most 32 bytes.
    public let bytes: [UInt8]

    public static let zero = UInt256(uncheckedMinimal: [])
    public static let max = UInt256(uncheckedMinimal: [UInt8](repeating: 0xff, count: 32))

    init(uncheckedMinimal: [UInt8]) { self.bytes = uncheckedMinimal }

    /// From big-endian bytes of any length; leading zeros are stripped. Nil when the value needs more than 256 bits.
    public init?(bigEndian raw: [UInt8]) {
        let stripped = Array(raw.drop(while: { $0 == 0 }))
        guard stripped.count <= 32 else { return nil }
        self.bytes = stripped
    }

    public init(_ v: UInt64) {
        var out = [UInt8]()
        var x = v
        while x > 0 { out.insert(UInt8(x & 0xff), at: 0); x >>= 8 }
        self.bytes = out
    }

    public var isZero: Bool { bytes.isEmpty }

    /// The value as UInt64 when it fits.
    public var uint64: UInt64? {
        guard bytes.count <= 8 else { return nil }
        return bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// 32-byte big-endian left-padded form (ABI word).
    public var word: [UInt8] { [UInt8](repeating: 0, count: 32 - bytes.count) + bytes }

    public static func < (a: UInt256, b: UInt256) -> Bool {
        if a.bytes.count != b.bytes.count { return a.bytes.count < b.bytes.count }
        return a.bytes.lexicographicallyPrecedes(b.bytes)
    }

    /// Parses a decimal string (digits only). Nil on a non-digit or overflow.
    public init?(decimal text: String) {
        let digits = Array(text.utf8)
        guard !digits.isEmpty else { return nil }
        // Little-endian 32-bit limbs, 9 limbs give headroom to detect overflow past 256 bits.
        var limbs = [UInt32](repeating: 0, count: 9)
        for c in digits {
            guard c >= 48, c <= 57 else { return nil }
            var carry = UInt64(c - 48)
            for i in 0..<limbs.count {
                let v = UInt64(limbs[i]) * 10 + carry
                limbs[i] = UInt32(truncatingIfNeeded: v)
                carry = v >> 32
            }
            guard carry == 0, limbs[8] == 0 else { return nil }
        }
        var be = [UInt8]()
        for limb in limbs[0..<8].reversed() {
            be += [UInt8(limb >> 24), UInt8((limb >> 16) & 0xff), UInt8((limb >> 8) & 0xff), UInt8(limb & 0xff)]
        }
        self.init(bigEndian: be)
    }

    /// Parses a 0x-prefixed hex quantity (odd length allowed, e.g. "0x1"). Nil on bad hex or overflow.
    public init?(hexQuantity text: String) {
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else { return nil }
        var body = String(text.dropFirst(2))
        guard !body.isEmpty else { return nil }
        if body.count % 2 == 1 { body = "0" + body }
        guard let raw = Hex.decode(body) else { return nil }
        self.init(bigEndian: raw)
    }

    /// Decimal rendering.
    public var decimal: String {
        if bytes.isEmpty { return "0" }
        var n = bytes
        var digits = [UInt8]()
        while !n.isEmpty {
            var rem: UInt32 = 0
            var q = [UInt8]()
            for b in n {
                let cur = rem << 8 | UInt32(b)
                let d = UInt8(cur / 10)
                rem = cur % 10
                if !(q.isEmpty && d == 0) { q.append(d) }
            }
            digits.append(UInt8(rem) + 48)
            n = q
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    public var description: String { decimal }
}
