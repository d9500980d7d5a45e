import Protocols

/// Typed, validating access to one JSON object; every error names the field by its JSON path.
struct JSONFields {
    let object: [String: JSONValue]
    let path: String

    init(_ value: JSONValue, path: String) throws(ChainError) {
        guard case .object(let o) = value else {
            throw ChainError.invalid(path.isEmpty ? "$" : path, "expected a JSON object")
        }
        self.object = o; self.path = path
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Rejects keys outside `allowed` (a typo such as "maxFeePerGass" must not be silently ignored).
    func rejectUnknown(_ allowed: Set<String>) throws(ChainError) {
        for k in object.keys.sorted() where !allowed.contains(k) {
            throw ChainError.invalid(name(k), "unknown or not allowed field for this transaction type")
        }
    }

    /// The value, treating JSON null as absent.
    func optional(_ key: String) -> JSONValue? {
        guard let v = object[key] else { return nil }
        if case .null = v { return nil }
        return v
    }

    func required(_ key: String) throws(ChainError) -> JSONValue {
        guard let v = optional(key) else { throw ChainError.missing(name(key)) }
        return v
    }

    func quantity(_ key: String) throws(ChainError) -> UInt256 { try JSONFields.quantity(required(key), field: name(key)) }

    func optionalQuantity(_ key: String) throws(ChainError) -> UInt256? {
        guard let v = optional(key) else { return nil }
        return try JSONFields.quantity(v, field: name(key))
    }

    func uint64(_ key: String) throws(ChainError) -> UInt64 {
        let q = try quantity(key)
        guard let v = q.uint64 else { throw ChainError.range(name(key), "exceeds 2^64-1") }
        return v
    }

    func string(_ key: String) throws(ChainError) -> String {
        guard case .string(let s) = try required(key) else { throw ChainError.invalid(name(key), "expected a string") }
        return s
    }

    func hexBytes(_ key: String) throws(ChainError) -> [UInt8] { try JSONFields.hexBytes(required(key), field: name(key)) }

    func array(_ key: String) throws(ChainError) -> [JSONValue] {
        guard case .array(let a) = try required(key) else { throw ChainError.invalid(name(key), "expected an array") }
        return a
    }

    /// A quantity: JSON integer, decimal string or 0x-hex string; at most 2^256-1, never negative or fractional.
    static func quantity(_ v: JSONValue, field: String) throws(ChainError) -> UInt256 {
        switch v {
        case .number(let text):
            if text.hasPrefix("-") { throw ChainError.range(field, "negative value") }
            guard text.allSatisfy(\.isASCIIDigit) else { throw ChainError.invalid(field, "not an integer: \(text)") }
            guard let q = UInt256(decimal: text) else { throw ChainError.range(field, "exceeds 2^256-1") }
            return q
        case .string(let s):
            if s.hasPrefix("-") { throw ChainError.range(field, "negative value") }
            if s.hasPrefix("0x") || s.hasPrefix("0X") {
                let body = s.dropFirst(2)
                guard !body.isEmpty, body.allSatisfy(\.isHexDigit) else { throw ChainError.invalid(field, "not a hex quantity: \(s)") }
                guard let q = UInt256(hexQuantity: s) else { throw ChainError.range(field, "exceeds 2^256-1") }
                return q
            }
            guard !s.isEmpty, s.allSatisfy(\.isASCIIDigit) else { throw ChainError.invalid(field, "not a decimal or 0x-hex quantity: \(s)") }
            guard let q = UInt256(decimal: s) else { throw ChainError.range(field, "exceeds 2^256-1") }
            return q
        default:
            throw ChainError.invalid(field, "expected an integer, a decimal string or a 0x-hex string")
        }
    }

    /// Hex bytes with or without 0x ("0x" alone is the empty string).
    static func hexBytes(_ v: JSONValue, field: String) throws(ChainError) -> [UInt8] {
        guard case .string(let s) = v else { throw ChainError.invalid(field, "expected a hex string") }
        guard let b = Hex.decode(s) else { throw ChainError.invalid(field, "not valid hex (even number of hex digits)") }
        return b
    }
}
