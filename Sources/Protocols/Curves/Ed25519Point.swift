internal import CSodium

/// A point of the prime-order subgroup of edwards25519, held as its canonical 32-byte encoding
/// (RFC 8032 §5.1.2), over libsodium's `crypto_core_ed25519_*` and `crypto_scalarmult_ed25519_*noclamp`.
public struct Ed25519Point: GroupElement {
    public typealias Scalar = Ed25519Scalar
    public static let byteCount = 32

    /// The compressed encoding; the identity is (0, 1): 0x01 followed by zeros.
    public let encoding: [UInt8]

    private init(unchecked encoding: [UInt8]) { self.encoding = encoding }

    public static let identity = Ed25519Point(unchecked: [1] + [UInt8](repeating: 0, count: 31))
    public static let generator = Ed25519Point.baseMultiply(.one)

    /// DeserializeElement: libsodium's `is_valid_point` rejects non-canonical encodings, points off the
    /// curve, small-order points (the identity among them) and points outside the main subgroup.
    public init(serialized bytes: [UInt8]) throws(CurveError) {
        Sodium.ensureInitialized()
        guard bytes.count == 32 else { throw .invalidPoint }
        if bytes == Self.identity.encoding { throw .identityElement }
        guard crypto_core_ed25519_is_valid_point(bytes) == 1 else { throw .invalidPoint }
        self.encoding = bytes
    }

    public func serialized() throws(CurveError) -> [UInt8] {
        if isIdentity { throw .identityElement }
        return encoding
    }

    public var isIdentity: Bool { encoding == Self.identity.encoding }

    public static func + (a: Self, b: Self) -> Self {
        var out = [UInt8](repeating: 0, count: 32)
        // Both operands are valid subgroup points (only validated or computed points exist), so this succeeds.
        let rc = crypto_core_ed25519_add(&out, a.encoding, b.encoding)
        precondition(rc == 0, "ed25519 point addition on an unvalidated point")
        return Self(unchecked: out)
    }

    public static func - (a: Self, b: Self) -> Self {
        var out = [UInt8](repeating: 0, count: 32)
        let rc = crypto_core_ed25519_sub(&out, a.encoding, b.encoding)
        precondition(rc == 0, "ed25519 point subtraction on an unvalidated point")
        return Self(unchecked: out)
    }

    public static func baseMultiply(_ s: Ed25519Scalar) -> Self {
        Sodium.ensureInitialized()
        if s.isZero { return identity }
        var out = [UInt8](repeating: 0, count: 32)
        let rc = crypto_scalarmult_ed25519_base_noclamp(&out, s.bytes)
        precondition(rc == 0, "ed25519 base multiplication failed for a non-zero scalar")
        return Self(unchecked: out)
    }

    /// s·P with libsodium's constant-time ladder. libsodium refuses the identity as input and as output;
    /// both cases are the identity here (a non-zero s below ℓ never maps a subgroup point to the identity).
    public func multiplied(by s: Ed25519Scalar) -> Self {
        if isIdentity || s.isZero { return .identity }
        var out = [UInt8](repeating: 0, count: 32)
        let rc = crypto_scalarmult_ed25519_noclamp(&out, s.bytes, encoding)
        precondition(rc == 0, "ed25519 scalar multiplication failed on a subgroup point")
        return Self(unchecked: out)
    }

    /// s·P for a public s: the variable-time Straus code (`Ed25519Vartime`), several times faster than
    /// libsodium's constant-time ladder, which also re-checks subgroup membership on every call.
    public func multipliedPublic(by s: Ed25519Scalar) -> Self { Self.publicSum([(s, self)]) }

    /// Σ s_i·P_i over public values in one variable-time multi-scalar pass.
    public static func publicSum(_ terms: [(Ed25519Scalar, Ed25519Point)]) -> Self {
        let live = terms.filter { !$0.0.isZero && !$0.1.isIdentity }
        if live.isEmpty { return .identity }
        guard let enc = Ed25519Vartime.linearCombination(scalars: live.map(\.0.bytes), points: live.map(\.1.encoding), extra: []) else {
            preconditionFailure("a validated ed25519 point failed to decode")
        }
        return Self(unchecked: enc)
    }
}
