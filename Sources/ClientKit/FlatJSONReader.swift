/// A reader for the small, flat JSON objects on the signing path (a client's sign request, the coordinator's
/// result), which Foundation's `JSONDecoder` decoded for ~40-55 µs each, on every node, the coordinator and the
/// client. It takes only the plain forms: members whose values are strings of printable ASCII without escapes,
/// `null`, `true`/`false`, integers written as plain digits, arrays of such strings and objects of booleans;
/// anything else (an escape, non-ASCII, a fraction or exponent, nesting, a duplicate key) answers nil, and so does
/// a body the caller's type does not recognise (an unknown key, a missing or mistyped field). The callers then
/// fall back to `JSONDecoder`, so whatever the bytes, the decoded value is `JSONDecoder`'s (tested against it on
/// random bodies and on junk).
struct FlatJSONReader {
    enum Value: Equatable {
        case string(String), integer(Int64), bool(Bool), null, strings([String]), bools([String: Bool])
    }

    /// The members of the object in `bytes`, or nil if it is not a flat object of the forms above.
    static func object(_ bytes: [UInt8]) -> [String: Value]? {
        var r = FlatJSONReader(bytes: bytes)
        return r.readObject()
    }

    private let bytes: [UInt8]
    private var i = 0

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func take(_ c: UInt8) -> Bool {
        skipSpace()
        guard i < bytes.count, bytes[i] == c else { return false }
        i += 1
        return true
    }

    private mutating func readObject() -> [String: Value]? {
        guard take(UInt8(ascii: "{")) else { return nil }
        var out: [String: Value] = [:]
        if take(UInt8(ascii: "}")) { return finished(out) }
        repeat {
            guard let key = readString(), take(UInt8(ascii: ":")), out[key] == nil, let v = readValue() else { return nil }
            out[key] = v
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")) else { return nil }
        return finished(out)
    }

    private mutating func finished(_ v: [String: Value]) -> [String: Value]? {
        skipSpace()
        return i == bytes.count ? v : nil
    }

    /// A string of printable ASCII other than the quote and the backslash.
    private mutating func readString() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = i
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: bytes[start..<i - 1], as: UTF8.self)
            }
            guard b >= 0x20, b < 0x7F, b != UInt8(ascii: "\\") else { return nil }
            i += 1
        }
        return nil
    }

    private mutating func readValue() -> Value? {
        skipSpace()
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "\""): return readString().map(Value.string)
        case UInt8(ascii: "["): return readStrings()
        case UInt8(ascii: "{"): return readBools()
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        default: return readInteger()
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard bytes.count - i >= n else { return false }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { return false }
        i += n
        return true
    }

    /// -?(0|[1-9][0-9]*), at most 18 digits, not followed by a fraction or an exponent; not -0.
    private mutating func readInteger() -> Value? {
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        let start = i
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
        let digits = i - start
        guard digits >= 1, digits <= 18, !(digits > 1 && bytes[start] == 0x30) else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") { return nil }
        var v: Int64 = 0
        for k in start..<i { v = v * 10 + Int64(bytes[k] - 0x30) }
        if negative && v == 0 { return nil }   // -0: left to JSONDecoder
        return .integer(negative ? -v : v)
    }

    private mutating func readStrings() -> Value? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var out: [String] = []
        if take(UInt8(ascii: "]")) { return .strings(out) }
        repeat {
            guard let s = readString() else { return nil }
            out.append(s)
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? .strings(out) : nil
    }

    private mutating func readBools() -> Value? {
        guard take(UInt8(ascii: "{")) else { return nil }
        var out: [String: Bool] = [:]
        if take(UInt8(ascii: "}")) { return .bools(out) }
        repeat {
            guard let k = readString(), take(UInt8(ascii: ":")), out[k] == nil else { return nil }
            skipSpace()
            if literal("true") { out[k] = true } else if literal("false") { out[k] = false } else { return nil }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}")) ? .bools(out) : nil
    }
}

/// A body with a plain-JSON fast path: `init?(flatJSON:)` answers nil whenever `JSONDecoder` must decide, and
/// otherwise exactly `JSONDecoder`'s value (`WireBody.decode` tries it first).
public protocol FlatJSONDecodable: Decodable {
    init?(flatJSON bytes: [UInt8])
}

/// Typed access to a flat object's members with `JSONDecoder`'s rules for a synthesised `Decodable`: a
/// required member must be present and not null, an optional one may be absent or null, and no other member
/// may be there (so that every body this accepts, `JSONDecoder` decodes to the same value; it would ignore an
/// unknown key, which sends such a body to it instead).
struct FlatJSONFields {
    private var members: [String: FlatJSONReader.Value]
    private(set) var mistyped = false

    init?(_ bytes: [UInt8], keys: Set<String>) {
        guard let m = FlatJSONReader.object(bytes), Set(m.keys).isSubset(of: keys) else { return nil }
        members = m
    }

    /// nil for absent or null; flags a member of another type.
    private mutating func value<T>(_ key: String, _ extract: (FlatJSONReader.Value) -> T?) -> T? {
        guard let v = members[key], v != .null else { return nil }
        guard let t = extract(v) else { mistyped = true; return nil }
        return t
    }

    mutating func string(_ key: String) -> String? { value(key) { if case .string(let s) = $0 { s } else { nil } } }
    mutating func strings(_ key: String) -> [String]? { value(key) { if case .strings(let s) = $0 { s } else { nil } } }
    mutating func bools(_ key: String) -> [String: Bool]? { value(key) { if case .bools(let b) = $0 { b } else { nil } } }
    mutating func int(_ key: String) -> Int? { value(key) { if case .integer(let n) = $0 { Int(exactly: n) } else { nil } } }
    mutating func uint64(_ key: String) -> UInt64? { value(key) { if case .integer(let n) = $0 { UInt64(exactly: n) } else { nil } } }
}

extension SignRequestBody: FlatJSONDecodable {
    static let jsonKeys: Set<String> = ["walletId", "digest", "derivationPath", "signers"]

    /// The plain form of a sign request (see `FlatJSONReader`), or nil for `JSONDecoder` to decide.
    public init?(flatJSON bytes: [UInt8]) {
        guard var f = FlatJSONFields(bytes, keys: Self.jsonKeys) else { return nil }
        let walletId = f.string("walletId"), digest = f.string("digest"), path = f.string("derivationPath")
        let signers = f.strings("signers")
        guard !f.mistyped, let walletId, let digest, let path else { return nil }
        self.init(walletId: walletId, digest: digest, derivationPath: path, signers: signers)
    }
}

extension ClientResultBody: FlatJSONDecodable {
    static let jsonKeySet = Set(jsonKeys)

    /// The plain form of a result (see `FlatJSONReader`), or nil for `JSONDecoder` to decide.
    public init?(flatJSON bytes: [UInt8]) {
        guard var f = FlatJSONFields(bytes, keys: Self.jsonKeySet), let requestId = f.string("requestId") else { return nil }
        let curveName = f.string("curve")
        let curve = curveName.flatMap(Curve.init(rawValue:))
        self.init(requestId: requestId, code: f.string("code"), message: f.string("message"), walletId: f.string("walletId"),
                  curve: curve, publicKey: f.string("publicKey"), signature: f.string("signature"), signers: f.strings("signers"),
                  nodes: f.bools("nodes"), evidence: f.strings("evidence"), recoveryId: f.int("recoveryId"))
        discovery = f.string("discovery")
        requestsClaimed = f.int("requestsClaimed")
        threshold = f.int("threshold")
        generation = f.uint64("generation")
        guard !f.mistyped, curveName == nil || curve != nil else { return nil }
    }
}
