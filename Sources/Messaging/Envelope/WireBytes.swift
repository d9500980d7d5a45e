/// Big-endian, length-prefixed writer for the canonical encodings.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func u16(_ v: UInt16) { bytes.append(UInt8(v >> 8)); bytes.append(UInt8(v & 0xff)) }
    public mutating func u32(_ v: UInt32) { for s in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8((v >> UInt32(s)) & 0xff)) } }
    public mutating func u64(_ v: UInt64) { for s in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8((v >> UInt64(s)) & 0xff)) } }
    public mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }
    /// u16 length + bytes (identifiers).
    public mutating func short(_ b: [UInt8]) { precondition(b.count <= Int(UInt16.max)); u16(UInt16(b.count)); raw(b) }
    /// u32 length + bytes (payloads).
    public mutating func long(_ b: [UInt8]) { precondition(b.count <= Int(UInt32.max)); u32(UInt32(b.count)); raw(b) }
}

/// Reads hostile bytes: every read is bounds-checked and fails with `nil`, never traps.
public struct ByteReader: Sendable {
    public let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var remaining: Int { bytes.count - offset }

    public mutating func u8() -> UInt8? {
        guard remaining >= 1 else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }
    public mutating func u16() -> UInt16? {
        guard let b = raw(2) else { return nil }
        return UInt16(b[0]) << 8 | UInt16(b[1])
    }
    public mutating func u32() -> UInt32? {
        guard let b = raw(4) else { return nil }
        return b.reduce(0) { $0 << 8 | UInt32($1) }
    }
    public mutating func u64() -> UInt64? {
        guard let b = raw(8) else { return nil }
        return b.reduce(0) { $0 << 8 | UInt64($1) }
    }
    public mutating func raw(_ n: Int) -> [UInt8]? {
        guard n >= 0, remaining >= n else { return nil }
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }
    public mutating func short() -> [UInt8]? {
        guard let n = u16() else { return nil }
        return raw(Int(n))
    }
    public mutating func long() -> [UInt8]? {
        guard let n = u32() else { return nil }
        return raw(Int(n))
    }
}
