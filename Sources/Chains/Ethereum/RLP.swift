/// Recursive Length Prefix (Ethereum Yellow Paper, Appendix B).
public indirect enum RLPItem: Equatable, Sendable {
    case bytes([UInt8])
    case list([RLPItem])

    /// A quantity item: big-endian minimal bytes (zero encodes as the empty string, 0x80).
    public static func quantity(_ v: UInt256) -> RLPItem { .bytes(v.bytes) }
    public static func uint(_ v: UInt64) -> RLPItem { .bytes(UInt256(v).bytes) }
}

public enum RLP {
    public static func encode(_ item: RLPItem) -> [UInt8] {
        switch item {
        case .bytes(let b):
            if b.count == 1, b[0] < 0x80 { return b }
            return header(b.count, short: 0x80) + b
        case .list(let items):
            let body = items.flatMap { encode($0) }
            return header(body.count, short: 0xc0) + body
        }
    }

    private static func header(_ length: Int, short: UInt8) -> [UInt8] {
        if length < 56 { return [short + UInt8(length)] }
        let len = UInt256(UInt64(length)).bytes
        return [short + 55 + UInt8(len.count)] + len
    }

    /// Nesting bound for hostile input (transactions nest 3 deep; recursion must not exhaust the stack).
    public static let maxDepth = 32

    /// Decodes exactly one item spanning all of `data`; strict (canonical form only).
    public static func decode(_ data: [UInt8]) throws(ChainError) -> RLPItem {
        var pos = 0
        let item = try decodeItem(data, &pos, end: data.count, depth: 0)
        guard pos == data.count else { throw ChainError(.rlpInvalid, "trailing bytes after RLP item") }
        return item
    }

    private static func readLength(_ data: [UInt8], _ pos: inout Int, count: Int, end: Int) throws(ChainError) -> Int {
        guard count >= 1, count <= 8, pos + count <= end else { throw ChainError(.rlpInvalid, "truncated length") }
        guard data[pos] != 0 else { throw ChainError(.rlpInvalid, "length with leading zero") }
        var n = 0
        for i in 0..<count {
            guard n < (Int.max >> 8) else { throw ChainError(.rlpInvalid, "length overflow") }
            n = n << 8 | Int(data[pos + i])
        }
        pos += count
        guard n >= 56 else { throw ChainError(.rlpInvalid, "non-canonical long length") }
        return n
    }

    private static func decodeItem(_ data: [UInt8], _ pos: inout Int, end: Int, depth: Int) throws(ChainError) -> RLPItem {
        guard depth <= maxDepth else { throw ChainError(.rlpInvalid, "nesting deeper than \(maxDepth)") }
        guard pos < end else { throw ChainError(.rlpInvalid, "unexpected end of input") }
        let p = data[pos]
        pos += 1
        switch p {
        case 0x00...0x7f:
            return .bytes([p])
        case 0x80...0xb7:
            let n = Int(p - 0x80)
            guard n <= end - pos else { throw ChainError(.rlpInvalid, "string runs past end") }
            let b = Array(data[pos..<(pos + n)])
            if n == 1, b[0] < 0x80 { throw ChainError(.rlpInvalid, "non-canonical single byte") }
            pos += n
            return .bytes(b)
        case 0xb8...0xbf:
            let n = try readLength(data, &pos, count: Int(p - 0xb7), end: end)
            guard n <= end - pos else { throw ChainError(.rlpInvalid, "string runs past end") }
            let b = Array(data[pos..<(pos + n)])
            pos += n
            return .bytes(b)
        default:
            let n: Int
            if p <= 0xf7 { n = Int(p - 0xc0) } else { n = try readLength(data, &pos, count: Int(p - 0xf7), end: end) }
            guard n <= end - pos else { throw ChainError(.rlpInvalid, "list runs past end") }
            let listEnd = pos + n
            var items = [RLPItem]()
            while pos < listEnd { items.append(try decodeItem(data, &pos, end: listEnd, depth: depth + 1)) }
            return .list(items)
        }
    }
}
