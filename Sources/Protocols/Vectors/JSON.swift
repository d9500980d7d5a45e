/// A small JSON reader for the vector files (Protocols is pure: no Foundation). Numbers are kept as their
/// source text; objects keep their keys (order is not needed by the vector formats).
indirect enum JSONValue: Sendable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    var array: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    var object: [String: JSONValue]? { if case .object(let o) = self { return o } else { return nil } }

    /// A string, or a number's text (vector files write integers both ways).
    public var text: String? {
        switch self {
        case .string(let s), .number(let s): return s
        default: return nil
        }
    }

    public var int: Int? { text.flatMap { Int($0) } }

    static func parse(_ bytes: [UInt8]) throws(VectorError) -> JSONValue {
        var p = JSONParser(bytes: bytes)
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == bytes.count else { throw .malformed("trailing characters after JSON value") }
        return v
    }
}

struct JSONParser {
    let bytes: [UInt8]
    var i = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[i]) { i += 1 }
    }

    func peek() -> UInt8? { i < bytes.count ? bytes[i] : nil }

    mutating func expect(_ c: UInt8) throws(VectorError) {
        guard peek() == c else { throw .malformed("expected '\(Character(Unicode.Scalar(c)))' at offset \(i)") }
        i += 1
    }

    mutating func value(depth: Int) throws(VectorError) -> JSONValue {
        guard depth < 64 else { throw .malformed("JSON nested too deeply") }
        guard let c = peek() else { throw .malformed("unexpected end of JSON") }
        switch c {
        case UInt8(ascii: "{"):
            i += 1; skipSpace()
            var out = [String: JSONValue]()
            if peek() == UInt8(ascii: "}") { i += 1; return .object(out) }
            while true {
                skipSpace()
                let k = try string()
                skipSpace(); try expect(UInt8(ascii: ":")); skipSpace()
                out[k] = try value(depth: depth + 1)
                skipSpace()
                if peek() == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "}"))
                return .object(out)
            }
        case UInt8(ascii: "["):
            i += 1; skipSpace()
            var out = [JSONValue]()
            if peek() == UInt8(ascii: "]") { i += 1; return .array(out) }
            while true {
                skipSpace()
                out.append(try value(depth: depth + 1))
                skipSpace()
                if peek() == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "]"))
                return .array(out)
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            let start = i
            while let d = peek(), (d >= 0x30 && d <= 0x39) || [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                                                              UInt8(ascii: "e"), UInt8(ascii: "E")].contains(d) { i += 1 }
            guard i > start else { throw .malformed("unexpected character at offset \(i)") }
            return .number(String(decoding: bytes[start..<i], as: UTF8.self))
        }
    }

    mutating func literal(_ word: String) throws(VectorError) {
        for c in word.utf8 { try expect(c) }
    }

    mutating func string() throws(VectorError) -> String {
        try expect(UInt8(ascii: "\""))
        var out = [UInt8]()
        while true {
            guard let c = peek() else { throw .malformed("unterminated string") }
            i += 1
            if c == UInt8(ascii: "\"") { break }
            if c != UInt8(ascii: "\\") { out.append(c); continue }
            guard let e = peek() else { throw .malformed("unterminated escape") }
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0a)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0d)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0c)
            case UInt8(ascii: "u"):
                guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16),
                      let scalar = Unicode.Scalar(v) else { throw .malformed("bad \\u escape") }
                i += 4
                out += Array(String(Character(scalar)).utf8)
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
