/// What a vector run reports: one check per intermediate value, each a match or a mismatch.
public struct VectorCheck: Sendable, Equatable {
    public let name: String
    public let expected: String
    public let got: String
    public var ok: Bool { expected == got }

    public init(name: String, expected: String, got: String) {
        self.name = name
        self.expected = expected
        self.got = got
    }
}

public struct VectorReport: Sendable {
    /// The format the dispatcher recognised (e.g. "RFC 9591 FROST(Ed25519, SHA-512)").
    public let format: String
    public private(set) var checks: [VectorCheck] = []

    public init(format: String) { self.format = format }

    public var mismatches: [VectorCheck] { checks.filter { !$0.ok } }
    public var passed: Bool { !checks.isEmpty && mismatches.isEmpty }

    /// Records expected vs got, both as lower-case hex (or text).
    public mutating func check(_ name: String, expected: String, got: String) {
        checks.append(VectorCheck(name: name, expected: expected.lowercased(), got: got.lowercased()))
    }

    public mutating func check(_ name: String, expected: [UInt8], got: [UInt8]) {
        check(name, expected: Hex.encode(expected), got: Hex.encode(got))
    }

    /// Records a computation that failed outright as a mismatch carrying the error.
    public mutating func failed(_ name: String, expected: String, error: any Error) {
        check(name, expected: expected, got: "error: \(error)")
    }
}

public enum VectorError: Error, Equatable, Sendable {
    /// Not JSON / CSV, or a field missing or of the wrong shape.
    case malformed(String)
    /// A well-formed file of a format this runner does not know.
    case unrecognizedFormat(String)
    /// A known format whose runner is not written yet.
    case notImplemented(String)
}
