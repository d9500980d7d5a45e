import Messaging
import Protocols

/// A body with a compact binary form besides its JSON: the coordinator's plans (FROST) and requests (threshold ECDSA)
/// and the nodes' replies, which every signing sends three of each. Foundation's JSON coding of them, with their hex
/// blobs, was about a tenth of a node's CPU per signature (decoding the plan, encoding the reply) and a twentieth of the coordinator's.
///
/// The form: one tag byte (never '{', with which JSON starts, so a decoder tells the two apart and still takes
/// JSON), then the fields in order, each length-prefixed (`ByteWriter`, big-endian). A string that is lowercase
/// hex of whole bytes (what `Hex.encode` writes: digests, requests, packages, shares) travels as its bytes.
/// Decoding reads hostile input: every read is bounds-checked, text must be UTF-8, trailing bytes are refused.
public protocol CompactWireBody: Codable {
    static var compactTag: UInt8 { get }
    func writeCompact(_ w: inout ByteWriter)
    init(readingCompact r: inout CompactReader) throws(ClusterError)
}

extension CompactWireBody {
    public func compactEncoded() -> [UInt8] {
        var w = ByteWriter()
        w.u8(Self.compactTag)
        writeCompact(&w)
        return w.bytes
    }

    public init(compact bytes: [UInt8]) throws(ClusterError) {
        var r = CompactReader(bytes)
        guard try r.u8() == Self.compactTag else { throw CompactReader.malformed }
        try self.init(readingCompact: &r)
        guard r.remaining == 0 else { throw CompactReader.malformed }
    }
}

extension ByteWriter {
    mutating func text(_ s: String) { long(Array(s.utf8)) }
    /// 1 + bytes for canonical lowercase hex, 2 + UTF-8 otherwise (so that any string round-trips).
    mutating func hexOrText(_ s: String) {
        if let b = Hex.decode(s), Hex.encode(b) == s { u8(1); long(b) } else { u8(2); text(s) }
    }
    mutating func optional<T>(_ v: T?, _ write: (inout ByteWriter, T) -> Void) {
        guard let v else { u8(0); return }
        u8(1); write(&self, v)
    }
    mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
    /// A count, then each item.
    mutating func list<T>(_ items: [T], _ write: (inout ByteWriter, T) -> Void) {
        u32(UInt32(items.count))
        for item in items { write(&self, item) }
    }
    /// An optional list of hex strings (commitments, presignature ids).
    mutating func optionalHexList(_ items: [String]?) { optional(items) { w, list in w.list(list) { $0.hexOrText($1) } } }
}

/// `ByteReader` with the compact body's field types; every failure is `malformed_payload`.
public struct CompactReader {
    static let malformed = ClusterError("malformed_payload", "malformed compact body")
    private var r: ByteReader
    init(_ bytes: [UInt8]) { r = ByteReader(bytes) }
    var remaining: Int { r.remaining }

    mutating func u8() throws(ClusterError) -> UInt8 { guard let v = r.u8() else { throw Self.malformed }; return v }
    mutating func u32() throws(ClusterError) -> UInt32 { guard let v = r.u32() else { throw Self.malformed }; return v }
    mutating func u64() throws(ClusterError) -> UInt64 { guard let v = r.u64() else { throw Self.malformed }; return v }
    mutating func int() throws(ClusterError) -> Int { Int(Int64(bitPattern: try u64())) }
    mutating func blob() throws(ClusterError) -> [UInt8] { guard let v = r.long() else { throw Self.malformed }; return v }
    mutating func text() throws(ClusterError) -> String {
        guard let s = String(validating: try blob(), as: UTF8.self) else { throw Self.malformed }
        return s
    }
    mutating func hexOrText() throws(ClusterError) -> String {
        switch try u8() {
        case 1: return Hex.encode(try blob())
        case 2: return try text()
        default: throw Self.malformed
        }
    }
    mutating func optional<T>(_ read: (inout CompactReader) throws(ClusterError) -> T) throws(ClusterError) -> T? {
        switch try u8() {
        case 0: return nil
        case 1: return try read(&self)
        default: throw Self.malformed
        }
    }
    /// A count of items that each take at least one byte: never more than what is left (no huge reservation).
    mutating func count() throws(ClusterError) -> Int {
        let n = Int(try u32())
        guard n <= remaining else { throw Self.malformed }
        return n
    }
    /// The case whose byte (`code`) is next; an unknown byte is malformed.
    mutating func oneOf<T: CaseIterable>(_ code: (T) -> UInt8) throws(ClusterError) -> T {
        let byte = try u8()
        guard let v = T.allCases.first(where: { code($0) == byte }) else { throw Self.malformed }
        return v
    }
    /// `ByteWriter.optionalHexList`'s value.
    mutating func optionalHexList() throws(ClusterError) -> [String]? {
        try optional { (r) throws(ClusterError) in try r.list { (r) throws(ClusterError) in try r.hexOrText() } }
    }
    /// `ByteWriter.list`'s items.
    mutating func list<T>(_ read: (inout CompactReader) throws(ClusterError) -> T) throws(ClusterError) -> [T] {
        var items: [T] = []
        for _ in 0..<(try count()) { items.append(try read(&self)) }
        return items
    }
}

extension SessionPlanBody: CompactWireBody {
    public static let compactTag: UInt8 = 0xB1

    /// The kind's byte; a new kind fails to compile here until it has one.
    static func code(_ k: SessionKind) -> UInt8 {
        switch k {
        case .keygen: 0
        case .sign: 1
        case .commit: 2
        case .signPrepared: 3
        }
    }

    public func writeCompact(_ w: inout ByteWriter) {
        w.u8(Self.code(kind))
        w.text(walletId)
        w.text(curve.rawValue)
        w.list(participants) { $0.text($1) }
        w.int(threshold)
        w.optional(digest) { $0.hexOrText($1) }
        w.hexOrText(clientRequest)
        w.optional(generation) { $0.u64($1) }
        w.optional(package) { $0.hexOrText($1) }
        w.optional(count) { $0.int($1) }
    }

    public init(readingCompact r: inout CompactReader) throws(ClusterError) {
        let kind: SessionKind = try r.oneOf(Self.code)
        let wallet = try r.text()
        guard let curve = Curve(rawValue: try r.text()) else { throw CompactReader.malformed }
        let participants = try r.list { (r) throws(ClusterError) in try r.text() }
        let threshold = try r.int()
        let digest = try r.optional { (r) throws(ClusterError) in try r.hexOrText() }
        self.init(kind: kind, walletId: wallet, curve: curve, participants: participants, threshold: threshold,
                  digest: digest, clientRequest: try r.hexOrText())
        generation = try r.optional { (r) throws(ClusterError) in try r.u64() }
        package = try r.optional { (r) throws(ClusterError) in try r.hexOrText() }
        count = try r.optional { (r) throws(ClusterError) in try r.int() }
    }
}

extension NodeReplyBody: CompactWireBody {
    public static let compactTag: UInt8 = 0xB2

    public func writeCompact(_ w: inout ByteWriter) {
        w.optional(code) { $0.text($1) }
        w.optional(message) { $0.text($1) }
        w.optional(data) { $0.hexOrText($1) }
        w.optionalHexList(commitments)
    }

    public init(readingCompact r: inout CompactReader) throws(ClusterError) {
        let code = try r.optional { (r) throws(ClusterError) in try r.text() }
        let message = try r.optional { (r) throws(ClusterError) in try r.text() }
        let data = try r.optional { (r) throws(ClusterError) in try r.hexOrText() }
        let commitments = try r.optionalHexList()
        self.init(code: code, message: message, data: data, commitments: commitments)
    }
}

extension ECDSANodeRequest: CompactWireBody {
    public static let compactTag: UInt8 = 0xB3

    /// The operation's byte; a new operation fails to compile here until it has one.
    static func code(_ op: Op) -> UInt8 { switch op { case .presign: 0; case .sign: 1; case .retire: 2 } }

    public func writeCompact(_ w: inout ByteWriter) {
        w.u8(Self.code(op))
        w.text(walletId)
        w.hexOrText(presignId)
        w.list(signers) { $0.text($1) }
        w.optional(digest) { $0.hexOrText($1) }
        w.optional(clientRequest) { $0.hexOrText($1) }
        w.optionalHexList(armNext)
        w.optionalHexList(retire)
    }

    public init(readingCompact r: inout CompactReader) throws(ClusterError) {
        let op: Op = try r.oneOf(Self.code)
        let wallet = try r.text()
        let presignId = try r.hexOrText()
        let signers = try r.list { (r) throws(ClusterError) in try r.text() }
        let digest = try r.optional { (r) throws(ClusterError) in try r.hexOrText() }
        let clientRequest = try r.optional { (r) throws(ClusterError) in try r.hexOrText() }
        let armNext = try r.optionalHexList()
        let retire = try r.optionalHexList()
        self.init(op: op, walletId: wallet, presignId: presignId, signers: signers, digest: digest, clientRequest: clientRequest,
                  armNext: armNext, retire: retire)
    }
}
