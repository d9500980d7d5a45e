/// A minimal, strict JSON (RFC 8259) reader. Numbers keep their exact source text, so integers beyond 64 bits
/// (wei amounts, uint256 typed-data fields) are never rounded through Double. Duplicate keys are rejected.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public static let maxDepth = 64

    public static func parse(_ data: [UInt8]) throws(ChainError) -> JSONValue {
        var p = JSONParser(bytes: data)
        p.skipWhitespace()
        let v = try p.value(depth: 0)
        p.skipWhitespace()
        guard p.pos == data.count else { throw p.fail("trailing characters") }
        return v
    }

    public static func parse(_ text: String) throws(ChainError) -> JSONValue { try parse(Array(text.utf8)) }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var pos = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func fail(_ why: String) -> ChainError { ChainError(.invalidJSON, "\(why) at byte \(pos)") }

    mutating func skipWhitespace() {
        while pos < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[pos]) { pos += 1 }
    }

    private func peek() -> UInt8? { pos < bytes.count ? bytes[pos] : nil }

    private mutating func expect(_ literal: String) throws(ChainError) {
        let l = Array(literal.utf8)
        guard pos + l.count <= bytes.count, Array(bytes[pos..<(pos + l.count)]) == l else { throw fail("expected \(literal)") }
        pos += l.count
    }

    mutating func value(depth: Int) throws(ChainError) -> JSONValue {
        guard depth < JSONValue.maxDepth else { throw fail("nesting too deep") }
        guard let c = peek() else { throw fail("unexpected end") }
        switch c {
        case UInt8(ascii: "{"):
            pos += 1
            var out = [String: JSONValue]()
            skipWhitespace()
            if peek() == UInt8(ascii: "}") { pos += 1; return .object(out) }
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw fail("expected object key") }
                let k = try string()
                skipWhitespace()
                try expect(":")
                skipWhitespace()
                let v = try value(depth: depth + 1)
                guard out[k] == nil else { throw ChainError(.invalidJSON, field: k, "duplicate key") }
                out[k] = v
                skipWhitespace()
                if peek() == UInt8(ascii: ",") { pos += 1; continue }
                try expect("}")
                return .object(out)
            }
        case UInt8(ascii: "["):
            pos += 1
            var out = [JSONValue]()
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { pos += 1; return .array(out) }
            while true {
                skipWhitespace()
                out.append(try value(depth: depth + 1))
                skipWhitespace()
                if peek() == UInt8(ascii: ",") { pos += 1; continue }
                try expect("]")
                return .array(out)
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        default:
            return .number(try number())
        }
    }

    private mutating func digits() -> Int {
        let start = pos
        while let c = peek(), c >= 0x30, c <= 0x39 { pos += 1 }
        return pos - start
    }

    mutating func number() throws(ChainError) -> String {
        let start = pos
        if peek() == UInt8(ascii: "-") { pos += 1 }
        guard let first = peek(), first >= 0x30, first <= 0x39 else { throw fail("invalid value") }
        if first == 0x30 { pos += 1 } else { _ = digits() }
        if peek() == UInt8(ascii: ".") {
            pos += 1
            guard digits() > 0 else { throw fail("digits expected after decimal point") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            pos += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { pos += 1 }
            guard digits() > 0 else { throw fail("digits expected in exponent") }
        }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    private mutating func hex4() throws(ChainError) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            default: throw fail("bad \\u escape")
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }

    mutating func string() throws(ChainError) -> String {
        pos += 1  // opening quote
        var out = [UInt8]()
        while true {
            guard let c = peek() else { throw fail("unterminated string") }
            pos += 1
            switch c {
            case UInt8(ascii: "\""):
                // Reject invalid UTF-8 rather than silently replacing it.
                guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in string") }
                return s
            case UInt8(ascii: "\\"):
                guard let e = peek() else { throw fail("unterminated escape") }
                pos += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5c)
                case UInt8(ascii: "/"): out.append(0x2f)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0c)
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xd800...0xdbff).contains(scalar) {
                        try expect("\\u")
                        let low = try hex4()
                        guard (0xdc00...0xdfff).contains(low) else { throw fail("unpaired surrogate") }
                        scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("invalid code point") }
                    out += Array(String(Character(u)).utf8)
                default: throw fail("bad escape")
                }
            case 0x00...0x1f:
                throw fail("control character in string")
            default:
                out.append(c)
            }
        }
    }
}
