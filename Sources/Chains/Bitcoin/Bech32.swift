/// Bech32 (BIP-173) and Bech32m (BIP-350) encoding, and segwit address encode/decode.
public enum Bech32 {
    public enum Variant: Sendable { case bech32, bech32m
        var constant: UInt32 { self == .bech32 ? 1 : 0x2bc830a3 }
    }

    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        let gen: [UInt32] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
        var chk: UInt32 = 1
        for v in values {
            let b = chk >> 25
            chk = (chk & 0x1ffffff) << 5 ^ UInt32(v)
            for i in 0..<5 where (b >> UInt32(i)) & 1 == 1 { chk ^= gen[i] }
        }
        return chk
    }

    private static func hrpExpand(_ hrp: [UInt8]) -> [UInt8] { hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 } }

    public static func encode(hrp: String, data: [UInt8], variant: Variant) -> String {
        let h = Array(hrp.lowercased().utf8)
        let pm = polymod(hrpExpand(h) + data + [0, 0, 0, 0, 0, 0]) ^ variant.constant
        let checksum = (0..<6).map { UInt8((pm >> UInt32(5 * (5 - $0))) & 31) }
        return String(decoding: h + [UInt8(ascii: "1")] + (data + checksum).map { charset[Int($0)] }, as: UTF8.self)
    }

    /// Decodes and verifies; returns hrp (lower case), 5-bit data without checksum, and the variant.
    public static func decode(_ text: String) throws(ChainError) -> (hrp: String, data: [UInt8], variant: Variant) {
        let bytes = Array(text.utf8)
        guard bytes.count <= 90 else { throw ChainError(.invalidAddress, "bech32 string longer than 90 characters") }
        guard bytes.allSatisfy({ $0 >= 33 && $0 <= 126 }) else { throw ChainError(.invalidAddress, "invalid character") }
        let hasLower = bytes.contains { $0 >= 97 && $0 <= 122 }, hasUpper = bytes.contains { $0 >= 65 && $0 <= 90 }
        guard !(hasLower && hasUpper) else { throw ChainError(.invalidAddress, "mixed case") }
        let lower = bytes.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }
        guard let sep = lower.lastIndex(of: UInt8(ascii: "1")), sep >= 1, sep + 7 <= lower.count else {
            throw ChainError(.invalidAddress, "missing separator, empty hrp or checksum too short")
        }
        let hrp = Array(lower[0..<sep])
        var data = [UInt8]()
        for c in lower[(sep + 1)...] {
            guard let v = charset.firstIndex(of: c) else { throw ChainError(.invalidAddress, "invalid data character") }
            data.append(UInt8(v))
        }
        let pm = polymod(hrpExpand(hrp) + data)
        let variant: Variant
        if pm == Variant.bech32.constant { variant = .bech32 } else if pm == Variant.bech32m.constant { variant = .bech32m } else {
            throw ChainError(.checksumMismatch, "bech32 checksum mismatch")
        }
        return (String(decoding: hrp, as: UTF8.self), Array(data.dropLast(6)), variant)
    }

    /// Regroups bits (BIP-173 convertbits).
    static func convertBits(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var acc = 0, bits = 0
        var out = [UInt8]()
        let maxv = (1 << to) - 1
        for v in data {
            guard Int(v) >> from == 0 else { return nil }
            acc = (acc << from) | Int(v)
            bits += from
            while bits >= to { bits -= to; out.append(UInt8((acc >> bits) & maxv)) }
        }
        if pad {
            if bits > 0 { out.append(UInt8((acc << (to - bits)) & maxv)) }
        } else if bits >= from || ((acc << (to - bits)) & maxv) != 0 {
            return nil
        }
        return out
    }
}

/// A segwit output address (BIP-173 for v0, BIP-350 bech32m for v1+).
public struct SegwitAddress: Equatable, Sendable, CustomStringConvertible {
    public let hrp: String
    public let version: Int
    public let program: [UInt8]

    public init(hrp: String, version: Int, program: [UInt8]) throws(ChainError) {
        guard (0...16).contains(version) else { throw ChainError(.invalidAddress, "witness version must be 0...16") }
        guard (2...40).contains(program.count) else { throw ChainError(.invalidAddress, "witness program must be 2...40 bytes") }
        if version == 0 { guard program.count == 20 || program.count == 32 else { throw ChainError(.invalidAddress, "v0 program must be 20 or 32 bytes") } }
        self.hrp = hrp.lowercased(); self.version = version; self.program = program
    }

    public init(network: BitcoinNetwork, version: Int, program: [UInt8]) throws(ChainError) {
        try self.init(hrp: network.hrp, version: version, program: program)
    }

    /// Decodes and validates an address; if `expectedHRP` is given the hrp must match.
    public init(parsing text: String, expectedHRP: String? = nil) throws(ChainError) {
        let (hrp, data, variant) = try Bech32.decode(text)
        if let e = expectedHRP, e.lowercased() != hrp { throw ChainError(.invalidAddress, "address is for '\(hrp)', expected '\(e)'") }
        guard let v = data.first else { throw ChainError(.invalidAddress, "empty data") }
        guard let prog = Bech32.convertBits(Array(data.dropFirst()), from: 5, to: 8, pad: false) else {
            throw ChainError(.invalidAddress, "invalid padding")
        }
        try self.init(hrp: hrp, version: Int(v), program: prog)
        // BIP-350: v0 uses bech32, v1+ bech32m.
        guard (version == 0) == (variant == .bech32) else { throw ChainError(.invalidAddress, "wrong checksum variant for witness version") }
    }

    public var string: String {
        let data = [UInt8(version)] + (Bech32.convertBits(program, from: 8, to: 5, pad: true) ?? [])
        return Bech32.encode(hrp: hrp, data: data, variant: version == 0 ? .bech32 : .bech32m)
    }

    /// OP_n <program push>.
    public var scriptPubKey: [UInt8] { [version == 0 ? 0x00 : UInt8(0x50 + version), UInt8(program.count)] + program }

    public var description: String { string }
}
