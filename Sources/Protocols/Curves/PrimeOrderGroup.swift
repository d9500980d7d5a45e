/// The prime-order group abstraction the threshold protocols are generic over (RFC 9591 §3.1:
/// Order, Identity, RandomScalar, SerializeElement, DeserializeElement, SerializeScalar, DeserializeScalar).

public enum CurveError: Error, Equatable, Sendable {
    /// A scalar encoding of the wrong length or not reduced modulo the group order.
    case nonCanonicalScalar
    /// A point encoding of the wrong length, not on the curve, not in the prime-order subgroup, or non-canonical.
    case invalidPoint
    /// The identity element where a non-identity element is required (RFC 9591 SerializeElement/DeserializeElement).
    case identityElement
    /// Zero where a non-zero scalar is required (a secret key, a share, an inverse).
    case zeroScalar

    public var code: String {
        switch self {
        case .nonCanonicalScalar: return "CURVE_NON_CANONICAL_SCALAR"
        case .invalidPoint: return "CURVE_INVALID_POINT"
        case .identityElement: return "CURVE_IDENTITY_ELEMENT"
        case .zeroScalar: return "CURVE_ZERO_SCALAR"
        }
    }
}

/// An element of the scalar field Z/qZ of a prime-order group. Arithmetic is constant time.
public protocol GroupScalar: Sendable, Equatable, CustomStringConvertible {
    /// Ns: the length of a serialized scalar.
    static var byteCount: Int { get }
    static var zero: Self { get }
    static var one: Self { get }

    /// DeserializeScalar: fails on a wrong length or a value not below the group order.
    init(canonical bytes: [UInt8]) throws(CurveError)
    /// Reduces a wide byte string (the suite's hash-to-scalar output) modulo the order.
    init(reducingWide bytes: [UInt8])
    /// A small integer, used for participant identifiers and polynomial evaluation points.
    init(_ value: UInt64)

    /// SerializeScalar: the fixed-width canonical encoding.
    var bytes: [UInt8] { get }
    var isZero: Bool { get }

    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    /// The multiplicative inverse; throws `.zeroScalar` for zero.
    func inverted() throws(CurveError) -> Self
    /// Overwrites this value's storage with zero (sodium_memzero) where it stands, e.g. inside an array.
    /// Copies made earlier are separate values: wipe those where they live.
    mutating func wipe()
}

extension GroupScalar {
    /// RandomScalar: a uniformly random non-zero scalar (a wide sample reduced, bias below 2^-128).
    public static func random<R: RandomSource>(using rng: inout R) -> Self {
        while true {
            var wide = rng.bytes(64)
            let s = Self(reducingWide: wide)
            zeroize(&wide)
            if !s.isZero { return s }
        }
    }
}

/// An element of a prime-order group.
public protocol GroupElement: Sendable, Equatable {
    associatedtype Scalar: GroupScalar
    /// Ne: the length of a serialized element.
    static var byteCount: Int { get }
    static var identity: Self { get }
    static var generator: Self { get }

    /// DeserializeElement: rejects invalid encodings, points off the curve or outside the prime-order
    /// subgroup, and the identity.
    init(serialized bytes: [UInt8]) throws(CurveError)
    /// SerializeElement: fails for the identity.
    func serialized() throws(CurveError) -> [UInt8]
    var isIdentity: Bool { get }

    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    /// s·G, constant time in s.
    static func baseMultiply(_ s: Scalar) -> Self
    /// s·P, constant time in s: use for secret scalars.
    func multiplied(by s: Scalar) -> Self
    /// s·P where s is public; may be variable time and faster.
    func multipliedPublic(by s: Scalar) -> Self
    /// Σ s_i·P_i over public scalars and points; a curve may compute it in one multi-scalar pass.
    static func publicSum(_ terms: [(Scalar, Self)]) -> Self

    /// Subgroup certificates, for curves with a cofactor h: the encoding of [h⁻¹ mod ℓ]P, which a receiver
    /// checks with a few doublings ([h]Q = P puts P in the prime-order subgroup, since [h]E is that subgroup)
    /// instead of a subgroup test. Their length; 0 for a prime-order group (no certificate).
    static var subgroupCertificateByteCount: Int { get }
    /// s·G and its certificate, constant time in the secret s.
    static func certifiedBaseMultiply(_ s: Scalar) -> (element: Self, certificate: [UInt8])
    /// This element's certificate, computed from the public element (variable time).
    func subgroupCertificate() -> [UInt8]
    /// DeserializeElement given a certificate: accepts exactly the elements `init(serialized:)` accepts, when
    /// the certificate is one of theirs; refuses every element with a wrong certificate.
    init(serialized bytes: [UInt8], certificate: [UInt8]) throws(CurveError)
}

extension GroupElement {
    public func multipliedPublic(by s: Scalar) -> Self { multiplied(by: s) }

    public static var subgroupCertificateByteCount: Int { 0 }
    public static func certifiedBaseMultiply(_ s: Scalar) -> (element: Self, certificate: [UInt8]) { (baseMultiply(s), []) }
    public func subgroupCertificate() -> [UInt8] { [] }
    public init(serialized bytes: [UInt8], certificate: [UInt8]) throws(CurveError) {
        guard certificate.isEmpty else { throw .invalidPoint }
        try self.init(serialized: bytes)
    }

    public static func publicSum(_ terms: [(Scalar, Self)]) -> Self {
        terms.reduce(identity) { $0 + $1.1.multipliedPublic(by: $1.0) }
    }
}
