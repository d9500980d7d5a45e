internal import CSodium

/// A point of the prime-order subgroup of edwards25519. Held in extended coordinates (decoded once, when
/// deserialised or returned by libsodium) so that additions, subtractions, equality and public multi-scalar
/// products run in Swift (`Ed25519Vartime`, variable time: every such operand is public) without a square
/// root or an inversion each; the canonical RFC 8032 §5.1.2 encoding is kept when it is known and computed
/// (one inversion) otherwise. Deserialisation is validated by libsodium, and products with a secret scalar
/// (`baseMultiply`, `multiplied(by:)`) are libsodium's constant-time `crypto_scalarmult_ed25519_*noclamp`.
public struct Ed25519Point: GroupElement {
    public typealias Scalar = Ed25519Scalar
    public static let byteCount = 32

    let point: Ed25519Vartime.Point
    /// The encoding when it came with the point (deserialised, from libsodium, the constants).
    private let knownEncoding: [UInt8]?

    /// The compressed encoding; the identity is (0, 1): 0x01 followed by zeros.
    public var encoding: [UInt8] { knownEncoding ?? point.encoding() }

    init(point: Ed25519Vartime.Point, encoding: [UInt8]? = nil) {
        self.point = point
        self.knownEncoding = encoding
    }

    /// A libsodium output (a subgroup point by construction), decoded to extended coordinates.
    private init(trusted encoding: [UInt8]) {
        guard let p = Ed25519Vartime.Point(encoding: encoding) else {
            preconditionFailure("libsodium returned an ed25519 encoding that does not decode")
        }
        self.init(point: p, encoding: encoding)
    }

    public static let identity = Ed25519Point(point: .identity, encoding: [1] + [UInt8](repeating: 0, count: 31))
    public static let generator = Ed25519Point.baseMultiply(.one)

    /// DeserializeElement (RFC 9591 §6.1): rejects non-canonical encodings and points off the curve (the
    /// decoding), the identity, and every point outside the prime-order subgroup, small-order points among
    /// them (by point halving, `Ed25519Vartime.isTorsionFree`: the same points as [ℓ]P = O); the same set
    /// libsodium's `is_valid_point` accepts (tested against it), without decoding twice. Variable time: the
    /// encoding is public.
    public init(serialized bytes: [UInt8]) throws(CurveError) {
        guard bytes.count == 32 else { throw .invalidPoint }
        if bytes == Self.identity.encoding { throw .identityElement }
        guard let p = Ed25519Vartime.Point(encoding: bytes), !p.isIdentity, Ed25519Vartime.isTorsionFree(p) else { throw .invalidPoint }
        self.init(point: p, encoding: bytes)
    }

    /// A subgroup certificate is the encoding of Q = [8⁻¹ mod ℓ]P: the receiver decodes P and Q (one square root
    /// each) and checks [8]Q = P with three doublings, against four square roots and a Legendre symbol for
    /// `isTorsionFree`. E(F_p) has order 8ℓ, so [8]Q lies in the prime-order subgroup for every Q on the curve:
    /// a P outside it has no certificate, and a P inside it has exactly those Q = Q₀ + T (T of order dividing 8).
    public static var subgroupCertificateByteCount: Int { 32 }

    /// 8⁻¹ mod ℓ.
    static let inverseOfEight: Ed25519Scalar = {
        guard let v = try? Ed25519Scalar(8).inverted() else { preconditionFailure("8 is invertible mod ℓ") }
        return v
    }()

    /// Q = [s·8⁻¹]G by libsodium's constant-time base multiplication, then s·G = [8]Q by three doublings of the
    /// public Q: the certificate costs the maker a scalar product and three doublings, not a second ladder.
    public static func certifiedBaseMultiply(_ s: Ed25519Scalar) -> (element: Ed25519Point, certificate: [UInt8]) {
        var eighth = s * inverseOfEight   // as secret as s
        defer { eighth.wipe() }
        let q = baseMultiply(eighth)
        return (Ed25519Point(point: q.point.doubled().doubled().doubled()), q.encoding)
    }

    public func subgroupCertificate() -> [UInt8] { multipliedPublic(by: Self.inverseOfEight).encoding }

    /// DeserializeElement with a certificate (see `subgroupCertificateByteCount`): the same accepted set as
    /// `init(serialized:)` (canonical, on the curve, not the identity, in the prime-order subgroup) when the
    /// certificate is right; a wrong one refuses. Variable time: both encodings are public.
    public init(serialized bytes: [UInt8], certificate: [UInt8]) throws(CurveError) {
        guard bytes.count == 32, certificate.count == 32 else { throw .invalidPoint }
        if bytes == Self.identity.encoding { throw .identityElement }
        guard let p = Ed25519Vartime.Point(encoding: bytes), !p.isIdentity,
              let q = Ed25519Vartime.Point(encoding: certificate),
              q.doubled().doubled().doubled() == p else { throw .invalidPoint }
        self.init(point: p, encoding: bytes)
    }

    public func serialized() throws(CurveError) -> [UInt8] {
        if isIdentity { throw .identityElement }
        return encoding
    }

    public var isIdentity: Bool { point.isIdentity }

    /// Equality of the group elements (projective coordinates compared cross-multiplied).
    public static func == (a: Self, b: Self) -> Bool {
        if let ea = a.knownEncoding, let eb = b.knownEncoding { return ea == eb }
        return a.point == b.point
    }

    public static func + (a: Self, b: Self) -> Self { Self(point: a.point + b.point) }
    public static func - (a: Self, b: Self) -> Self { Self(point: a.point - b.point) }

    public static func baseMultiply(_ s: Ed25519Scalar) -> Self {
        Sodium.ensureInitialized()
        if s.isZero { return identity }
        var out = [UInt8](repeating: 0, count: 32)
        let rc = crypto_scalarmult_ed25519_base_noclamp(&out, s.bytes)
        precondition(rc == 0, "ed25519 base multiplication failed for a non-zero scalar")
        return Self(trusted: out)
    }

    /// s·P with libsodium's constant-time ladder. libsodium refuses the identity as input and as output;
    /// both cases are the identity here (a non-zero s below ℓ never maps a subgroup point to the identity).
    public func multiplied(by s: Ed25519Scalar) -> Self {
        if isIdentity || s.isZero { return .identity }
        var out = [UInt8](repeating: 0, count: 32)
        let rc = crypto_scalarmult_ed25519_noclamp(&out, s.bytes, encoding)
        precondition(rc == 0, "ed25519 scalar multiplication failed on a subgroup point")
        return Self(trusted: out)
    }

    /// s·P for a public s: the variable-time Straus code (`Ed25519Vartime`), several times faster than
    /// libsodium's constant-time ladder, which also re-checks subgroup membership on every call.
    public func multipliedPublic(by s: Ed25519Scalar) -> Self { Self.publicSum([(s, self)]) }

    /// Σ s_i·P_i over public values in one variable-time multi-scalar pass; terms whose scalar is 1
    /// (FROST's hiding commitments) are plain additions, outside the doubling chain.
    public static func publicSum(_ terms: [(Ed25519Scalar, Ed25519Point)]) -> Self {
        var direct = Ed25519Vartime.Point.identity
        var scalars = [[UInt8]](), points = [Ed25519Vartime.Point]()
        scalars.reserveCapacity(terms.count); points.reserveCapacity(terms.count)
        for (s, p) in terms where !s.isZero && !p.isIdentity {
            if s == .one { direct = direct + p.point } else { scalars.append(s.bytes); points.append(p.point) }
        }
        if scalars.isEmpty { return Self(point: direct) }
        return Self(point: Ed25519Vartime.multiscalar(scalars: scalars, points: points) + direct)
    }
}
