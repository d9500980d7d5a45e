import Protocols

/// A Bitcoin transaction (BIP-144 serialization when any input has a witness).
public struct BitcoinTransaction: Equatable, Sendable {
    public struct Input: Equatable, Sendable {
        /// Previous txid in INTERNAL byte order (as serialized; the reverse of the usual display hex).
        public var prevTxid: [UInt8]
        public var vout: UInt32
        public var scriptSig: [UInt8]
        public var sequence: UInt32
        public var witness: [[UInt8]]

        public init(prevTxid: [UInt8], vout: UInt32, scriptSig: [UInt8] = [], sequence: UInt32 = 0xffff_ffff, witness: [[UInt8]] = []) throws(ChainError) {
            guard prevTxid.count == 32 else { throw ChainError.invalid("txid", "must be 32 bytes") }
            self.prevTxid = prevTxid; self.vout = vout; self.scriptSig = scriptSig; self.sequence = sequence; self.witness = witness
        }

        var outpoint: [UInt8] { prevTxid + BitcoinEncoding.le32(vout) }
    }

    public struct Output: Equatable, Sendable {
        public var value: UInt64
        public var scriptPubKey: [UInt8]
        public init(value: UInt64, scriptPubKey: [UInt8]) { self.value = value; self.scriptPubKey = scriptPubKey }
        var serialized: [UInt8] { BitcoinEncoding.le64(value) + BitcoinEncoding.varBytes(scriptPubKey) }
    }

    public var version: UInt32
    public var inputs: [Input]
    public var outputs: [Output]
    public var lockTime: UInt32

    public init(version: UInt32, inputs: [Input], outputs: [Output], lockTime: UInt32) {
        self.version = version; self.inputs = inputs; self.outputs = outputs; self.lockTime = lockTime
    }

    public var hasWitness: Bool { inputs.contains { !$0.witness.isEmpty } }

    /// Serialization without witness data (what txid hashes).
    public var legacySerialization: [UInt8] { serialize(witness: false) }

    /// Network serialization: BIP-144 (marker 0x00, flag 0x01, witnesses) when any input has a witness.
    public var serialized: [UInt8] { serialize(witness: hasWitness) }

    private func serialize(witness: Bool) -> [UInt8] {
        var out = BitcoinEncoding.le32(version)
        if witness { out += [0x00, 0x01] }
        out += BitcoinEncoding.varInt(UInt64(inputs.count))
        for i in inputs { out += i.outpoint + BitcoinEncoding.varBytes(i.scriptSig) + BitcoinEncoding.le32(i.sequence) }
        out += BitcoinEncoding.varInt(UInt64(outputs.count))
        for o in outputs { out += o.serialized }
        if witness {
            for i in inputs {
                out += BitcoinEncoding.varInt(UInt64(i.witness.count))
                for item in i.witness { out += BitcoinEncoding.varBytes(item) }
            }
        }
        return out + BitcoinEncoding.le32(lockTime)
    }

    /// txid in display order (reversed double-SHA256 of the legacy serialization).
    public var txid: String { Hex.encode(Hash.sha256d(legacySerialization).reversed()) }
    /// wtxid in display order.
    public var wtxid: String { Hex.encode(Hash.sha256d(serialized).reversed()) }

    /// Parses a raw transaction (with or without BIP-144 witness section). Strict: no trailing bytes.
    public init(raw: [UInt8]) throws(ChainError) {
        var r = ByteReader(raw)
        version = try r.le32()
        var segwit = false
        if r.peek() == 0x00 {
            _ = try r.bytes(1)
            guard try r.bytes(1) == [0x01] else { throw ChainError(.encodingInvalid, "bad segwit flag") }
            segwit = true
        }
        let nIn = try r.varInt()
        guard nIn <= UInt64(r.remaining / 41) else { throw ChainError(.encodingInvalid, "input count too large") }
        var ins = [Input]()
        for _ in 0..<nIn {
            let txid = try r.bytes(32)
            let vout = try r.le32()
            let script = try r.varBytes()
            let seq = try r.le32()
            ins.append(try Input(prevTxid: txid, vout: vout, scriptSig: script, sequence: seq))
        }
        let nOut = try r.varInt()
        guard nOut <= UInt64(r.remaining / 9) else { throw ChainError(.encodingInvalid, "output count too large") }
        var outs = [Output]()
        for _ in 0..<nOut { outs.append(Output(value: try r.le64(), scriptPubKey: try r.varBytes())) }
        if segwit {
            for i in ins.indices {
                let n = try r.varInt()
                guard n <= UInt64(r.remaining) else { throw ChainError(.encodingInvalid, "witness count too large") }
                for _ in 0..<n { ins[i].witness.append(try r.varBytes()) }
            }
        }
        lockTime = try r.le32()
        guard r.remaining == 0 else { throw ChainError(.encodingInvalid, "trailing bytes") }
        inputs = ins; outputs = outs
    }
}

/// Bitcoin's little-endian and CompactSize encodings.
enum BitcoinEncoding {
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xff) } }
    static func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8((v >> (8 * UInt64($0))) & 0xff) } }
    static func varInt(_ v: UInt64) -> [UInt8] {
        switch v {
        case 0..<0xfd: return [UInt8(v)]
        case 0xfd...0xffff: return [0xfd] + Array(le64(v).prefix(2))
        case 0x10000...0xffff_ffff: return [0xfe] + Array(le64(v).prefix(4))
        default: return [0xff] + le64(v)
        }
    }
    static func varBytes(_ b: [UInt8]) -> [UInt8] { varInt(UInt64(b.count)) + b }
}

/// Bounds-checked reader over hostile bytes.
struct ByteReader {
    let data: [UInt8]
    var pos = 0
    init(_ data: [UInt8]) { self.data = data }
    var remaining: Int { data.count - pos }
    func peek() -> UInt8? { pos < data.count ? data[pos] : nil }
    mutating func bytes(_ n: Int) throws(ChainError) -> [UInt8] {
        guard n >= 0, n <= remaining else { throw ChainError(.encodingInvalid, "truncated input") }
        defer { pos += n }
        return Array(data[pos..<(pos + n)])
    }
    mutating func le32() throws(ChainError) -> UInt32 {
        try bytes(4).enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }
    mutating func le64() throws(ChainError) -> UInt64 {
        try bytes(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }
    mutating func varInt() throws(ChainError) -> UInt64 {
        let p = try bytes(1)[0]
        switch p {
        case 0xfd: let v = try bytes(2); return UInt64(v[0]) | UInt64(v[1]) << 8
        case 0xfe: return UInt64(try le32())
        case 0xff: return try le64()
        default: return UInt64(p)
        }
    }
    mutating func varBytes() throws(ChainError) -> [UInt8] {
        let n = try varInt()
        guard n <= UInt64(remaining) else { throw ChainError(.encodingInvalid, "length past end") }
        return try bytes(Int(n))
    }
}
