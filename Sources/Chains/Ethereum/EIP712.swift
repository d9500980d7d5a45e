import Protocols

/// EIP-712 typed structured data hashing from the standard JSON document
/// `{ "types": {...}, "primaryType": "...", "domain": {...}, "message": {...} }` (eth_signTypedData_v4).
public struct TypedData: Sendable {
    public struct Field: Equatable, Sendable { public let name: String; public let type: String }

    public let types: [String: [Field]]
    public let primaryType: String
    public let domain: JSONValue
    public let message: JSONValue

    public init(json: [UInt8]) throws(ChainError) { try self.init(JSONValue.parse(json)) }

    public init(_ doc: JSONValue) throws(ChainError) {
        let f = try JSONFields(doc, path: "")
        guard case .object(let rawTypes) = try f.required("types") else { throw ChainError(.typedDataInvalid, field: "types", "expected an object") }
        var types = [String: [Field]]()
        for (name, def) in rawTypes {
            guard TypedData.isIdentifier(name) else { throw ChainError(.typedDataInvalid, field: "types.\(name)", "invalid type name") }
            guard case .array(let items) = def else { throw ChainError(.typedDataInvalid, field: "types.\(name)", "expected an array of fields") }
            var fields = [Field]()
            for (i, item) in items.enumerated() {
                let ff = try JSONFields(item, path: "types.\(name)[\(i)]")
                let field = Field(name: try ff.string("name"), type: try ff.string("type"))
                guard !fields.contains(where: { $0.name == field.name }) else {
                    throw ChainError(.typedDataInvalid, field: ff.name("name"), "duplicate field name")
                }
                fields.append(field)
            }
            types[name] = fields
        }
        self.types = types
        self.primaryType = try f.string("primaryType")
        guard types[primaryType] != nil else { throw ChainError(.typedDataInvalid, field: "primaryType", "type '\(primaryType)' is not defined") }
        self.domain = try f.required("domain")
        self.message = f.optional("message") ?? .object([:])
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.first, first.isLetter || first == "_" || first == "$" else { return false }
        return s.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == "$" }
    }

    // MARK: encodeType

    /// Strips one trailing array dimension: "Person[]" -> ("Person", nil), "uint8[2]" -> ("uint8", 2).
    static func arrayElement(_ type: String) throws(ChainError) -> (element: String, length: Int?)? {
        guard type.hasSuffix("]"), let open = type.lastIndex(of: "[") else { return nil }
        let inner = type[type.index(after: open)..<type.index(before: type.endIndex)]
        let element = String(type[..<open])
        if inner.isEmpty { return (element, nil) }
        guard inner.allSatisfy(\.isASCIIDigit), let n = Int(inner), n > 0 else {
            throw ChainError(.typedDataInvalid, field: type, "invalid array length")
        }
        return (element, n)
    }

    static func baseType(_ type: String) -> String {
        if let i = type.firstIndex(of: "[") { return String(type[..<i]) }
        return type
    }

    /// Struct types reachable from `type` (iterative: a long chain of types in a hostile document must not recurse).
    private func dependencies(of type: String, into found: inout Set<String>) {
        var work = [type]
        while let next = work.popLast() {
            let base = TypedData.baseType(next)
            guard let fields = types[base], !found.contains(base) else { continue }
            found.insert(base)
            work += fields.map(\.type)
        }
    }

    /// encodeType: the primary type, then every referenced struct type sorted by name.
    public func encodeType(_ primary: String) throws(ChainError) -> String {
        guard types[primary] != nil else { throw ChainError(.typedDataInvalid, field: primary, "undefined type") }
        var deps = Set<String>()
        dependencies(of: primary, into: &deps)
        deps.remove(primary)
        var out = ""
        for t in [primary] + deps.sorted() {
            let fields = types[t] ?? []
            out += t + "(" + fields.map { "\($0.type) \($0.name)" }.joined(separator: ",") + ")"
        }
        return out
    }

    public func typeHash(_ primary: String) throws(ChainError) -> [UInt8] { Keccak.keccak256(Array(try encodeType(primary).utf8)) }

    // MARK: encodeData / hashStruct

    public func hashStruct(_ type: String, _ value: JSONValue, path: String) throws(ChainError) -> [UInt8] {
        Keccak.keccak256(try encodeData(type, value, path: path))
    }

    public func encodeData(_ type: String, _ value: JSONValue, path: String) throws(ChainError) -> [UInt8] {
        guard let fields = types[type] else { throw ChainError(.typedDataInvalid, field: path, "undefined type \(type)") }
        let f = try JSONFields(value, path: path)
        var out = try typeHash(type)
        for field in fields {
            out += try encodeValue(field.type, try f.required(field.name), path: f.name(field.name))
        }
        return out
    }

    /// One 32-byte word per member (EIP-712 "Definition of encodeData").
    func encodeValue(_ type: String, _ value: JSONValue, path: String) throws(ChainError) -> [UInt8] {
        if let (element, length) = try TypedData.arrayElement(type) {
            guard case .array(let items) = value else { throw ChainError(.typedDataInvalid, field: path, "expected an array for \(type)") }
            if let n = length, items.count != n { throw ChainError(.typedDataInvalid, field: path, "expected \(n) elements") }
            var concat = [UInt8]()
            for (i, item) in items.enumerated() { concat += try encodeValue(element, item, path: "\(path)[\(i)]") }
            return Keccak.keccak256(concat)
        }
        if types[type] != nil { return try hashStruct(type, value, path: path) }
        return try TypedData.encodeAtomic(type, value, path: path)
    }

    static func encodeAtomic(_ type: String, _ value: JSONValue, path: String) throws(ChainError) -> [UInt8] {
        switch type {
        case "string":
            guard case .string(let s) = value else { throw ChainError(.typedDataInvalid, field: path, "expected a string") }
            return Keccak.keccak256(Array(s.utf8))
        case "bytes":
            return Keccak.keccak256(try JSONFields.hexBytes(value, field: path))
        case "bool":
            guard case .bool(let b) = value else { throw ChainError(.typedDataInvalid, field: path, "expected true or false") }
            return UInt256(b ? 1 : 0).word
        case "address":
            guard case .string(let s) = value else { throw ChainError(.typedDataInvalid, field: path, "expected an address string") }
            return [UInt8](repeating: 0, count: 12) + (try EthereumAddress(parsing: s, field: path)).bytes
        default: break
        }
        if type.hasPrefix("bytes"), let n = Int(type.dropFirst(5)), (1...32).contains(n), type == "bytes\(n)" {
            let b = try JSONFields.hexBytes(value, field: path)
            guard b.count == n else { throw ChainError(.typedDataInvalid, field: path, "expected exactly \(n) bytes") }
            return b + [UInt8](repeating: 0, count: 32 - n)
        }
        if type.hasPrefix("uint"), let bits = intBits(type.dropFirst(4)) {
            let v = try JSONFields.quantity(value, field: path)
            guard bitLength(v) <= bits else { throw ChainError.range(path, "does not fit \(type)") }
            return v.word
        }
        if type.hasPrefix("int"), let bits = intBits(type.dropFirst(3)) {
            return try encodeSigned(value, bits: bits, path: path)
        }
        throw ChainError(.typedDataInvalid, field: path, "unknown type \(type)")
    }

    /// "" means 256; otherwise a multiple of 8 in 8...256.
    static func intBits(_ suffix: Substring) -> Int? {
        if suffix.isEmpty { return 256 }
        guard suffix.allSatisfy(\.isASCIIDigit), let n = Int(suffix), n % 8 == 0, (8...256).contains(n), "\(n)" == suffix else { return nil }
        return n
    }

    static func bitLength(_ v: UInt256) -> Int {
        guard let first = v.bytes.first else { return 0 }
        return (v.bytes.count - 1) * 8 + (8 - first.leadingZeroBitCount)
    }

    /// intN as a 256-bit two's-complement word, range-checked to -2^(N-1) ... 2^(N-1)-1.
    static func encodeSigned(_ value: JSONValue, bits: Int, path: String) throws(ChainError) -> [UInt8] {
        var negative = false
        var magnitudeValue = value
        switch value {
        case .number(let t) where t.hasPrefix("-"): negative = true; magnitudeValue = .number(String(t.dropFirst()))
        case .string(let t) where t.hasPrefix("-"): negative = true; magnitudeValue = .string(String(t.dropFirst()))
        default: break
        }
        let mag = try JSONFields.quantity(magnitudeValue, field: path)
        let len = bitLength(mag)
        if !negative || mag.isZero {
            guard len <= bits - 1 else { throw ChainError.range(path, "does not fit int\(bits)") }
            return mag.word
        }
        // |v| <= 2^(N-1): either fewer bits, or exactly the power of two 2^(N-1).
        let isPowerOfTwoLimit = len == bits && mag.bytes.dropFirst().allSatisfy { $0 == 0 } && (mag.bytes.first ?? 0).nonzeroBitCount == 1
        guard len <= bits - 1 || isPowerOfTwoLimit else { throw ChainError.range(path, "does not fit int\(bits)") }
        // two's complement: invert and add one.
        var w = mag.word.map { ~$0 }
        var i = 31
        while i >= 0 { let (s, o) = w[i].addingReportingOverflow(1); w[i] = s; if !o { break }; i -= 1 }
        return w
    }

    // MARK: digest

    /// The domain's type: the document's "EIP712Domain" if present, else derived from the domain's keys
    /// in the EIP's canonical order.
    private func withDomainType() -> TypedData {
        if types["EIP712Domain"] != nil { return self }
        var t = types
        let canonical: [(String, String)] = [("name", "string"), ("version", "string"), ("chainId", "uint256"),
                                              ("verifyingContract", "address"), ("salt", "bytes32")]
        t["EIP712Domain"] = canonical.filter { domain[$0.0] != nil }.map { Field(name: $0.0, type: $0.1) }
        return TypedData(types: t, primaryType: primaryType, domain: domain, message: message)
    }

    private init(types: [String: [Field]], primaryType: String, domain: JSONValue, message: JSONValue) {
        self.types = types; self.primaryType = primaryType; self.domain = domain; self.message = message
    }

    public func domainSeparator() throws(ChainError) -> [UInt8] {
        try withDomainType().hashStruct("EIP712Domain", domain, path: "domain")
    }

    public func messageHash() throws(ChainError) -> [UInt8] { try hashStruct(primaryType, message, path: "message") }

    /// keccak256(0x19 0x01 || domainSeparator || hashStruct(message)); when the primary type is the domain itself
    /// the message part is omitted (as eth_signTypedData_v4 does).
    public func digest() throws(ChainError) -> [UInt8] {
        let sep = try domainSeparator()
        if primaryType == "EIP712Domain" { return Keccak.keccak256([0x19, 0x01] + sep) }
        return Keccak.keccak256([0x19, 0x01] + sep + (try messageHash()))
    }

    /// The chain id the domain names, if any.
    public func domainChainId() throws(ChainError) -> UInt256? {
        guard let v = domain["chainId"], v != .null else { return nil }
        return try JSONFields.quantity(v, field: "domain.chainId")
    }

    /// The digest, after checking that a domain chainId (when present) is the chain the command names.
    public func digest(expectedChainId: UInt64) throws(ChainError) -> [UInt8] {
        if let id = try domainChainId(), id != UInt256(expectedChainId) {
            throw ChainError(.chainMismatch, field: "domain.chainId", "typed data is for chain \(id), the command names \(expectedChainId)")
        }
        return try digest()
    }
}
