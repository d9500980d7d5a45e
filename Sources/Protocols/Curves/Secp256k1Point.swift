internal import CSecp256k1

/// A point of secp256k1. Held in Jacobian coordinates (decoded once, when deserialised or returned by
/// libsecp256k1) so that additions, subtractions, equality and public multi-scalar products run in Swift
/// (`Secp256k1Vartime`, variable time: every such operand is public); the affine coordinates are kept when
/// known and computed (one inversion) otherwise. Deserialisation is validated by libsecp256k1
/// (`ec_pubkey_parse`), and products with a secret scalar (`baseMultiply`, `multiplied(by:)`) are
/// libsecp256k1's constant-time code. The identity has no encoding; sums that cancel are the identity.
public struct Secp256k1Point: GroupElement {
    public typealias Scalar = Secp256k1Scalar
    /// RFC 9591 SerializeElement: 33-byte SEC1 compressed encoding.
    public static let byteCount = 33

    typealias FE = Secp256k1Vartime.FE

    let point: Secp256k1Vartime.Point
    /// The fully reduced affine coordinates when they came with the point (decoded, from libsecp256k1).
    private let knownAffine: (x: FE, y: FE)?

    init(point: Secp256k1Vartime.Point, affine: (x: FE, y: FE)? = nil) {
        self.point = point
        self.knownAffine = affine
    }

    /// A point libsecp256k1 holds (validated or computed by it), decoded through its 65-byte encoding.
    private init(libsecp pk: secp256k1_pubkey) {
        var pk = pk
        var len = 65
        var out = [UInt8](repeating: 0, count: 65)
        _ = secp256k1_ec_pubkey_serialize(Self.ctx, &out, &len, &pk, UInt32(SECP256K1_EC_UNCOMPRESSED))
        let x = FE(bigEndian: out, offset: 1), y = FE(bigEndian: out, offset: 33)
        self.init(point: .init(affineX: x, y: y), affine: (x, y))
    }

    public static let identity = Secp256k1Point(point: .identity)
    public static let generator = Secp256k1Point.baseMultiply(.one)

    private static var ctx: OpaquePointer { Secp256k1Context.shared.raw }

    /// DeserializeElement: exactly 33 bytes, prefix 0x02 or 0x03, x below p and on the curve. The
    /// identity has no compressed encoding, so it can never be decoded.
    public init(serialized bytes: [UInt8]) throws(CurveError) {
        guard bytes.count == 33, bytes[0] == 0x02 || bytes[0] == 0x03 else { throw .invalidPoint }
        try self.init(sec1: bytes)
    }

    /// Parses a 33-byte compressed or 65-byte uncompressed SEC1 encoding (for chain keys given by users).
    public init(sec1 bytes: [UInt8]) throws(CurveError) {
        guard (bytes.count == 33 && (bytes[0] == 2 || bytes[0] == 3)) || (bytes.count == 65 && bytes[0] == 4) else {
            throw .invalidPoint
        }
        var pk = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(Self.ctx, &pk, bytes, bytes.count) == 1 else { throw .invalidPoint }
        self.init(libsecp: pk)
    }

    /// The affine coordinates (nil for the identity).
    func affine() -> (x: FE, y: FE)? { knownAffine ?? point.affine() }

    public func serialized() throws(CurveError) -> [UInt8] {
        guard let (x, y) = affine() else { throw .identityElement }
        return [y.isOdd ? 0x03 : 0x02] + x.bytes()
    }

    /// The 65-byte uncompressed encoding 0x04 || x || y (Ethereum addresses hash x || y).
    public func uncompressed() throws(CurveError) -> [UInt8] {
        guard let (x, y) = affine() else { throw .identityElement }
        return [0x04] + x.bytes() + y.bytes()
    }

    public var isIdentity: Bool { point.isIdentity }

    /// BIP-340: the 32-byte x coordinate.
    public func xOnly() throws(CurveError) -> [UInt8] {
        guard let (x, _) = affine() else { throw .identityElement }
        return x.bytes()
    }

    /// BIP-340: whether y is even (the compressed prefix is 0x02).
    public func hasEvenY() throws(CurveError) -> Bool {
        guard let (_, y) = affine() else { throw .identityElement }
        return !y.isOdd
    }

    /// BIP-340 lift_x: the point with x coordinate `x` and even y.
    public init(liftX x: [UInt8]) throws(CurveError) {
        guard x.count == 32 else { throw .invalidPoint }
        try self.init(serialized: [0x02] + x)
    }

    public static func + (a: Self, b: Self) -> Self { Self(point: a.point + b.point) }

    public static prefix func - (a: Self) -> Self {
        guard let (x, y) = a.knownAffine else { return Self(point: -a.point) }
        let ny = (-y).reduced()
        return Self(point: .init(affineX: x, y: ny), affine: (x, ny))
    }

    public static func - (a: Self, b: Self) -> Self { Self(point: a.point - b.point) }

    /// s·G with libsecp256k1's constant-time generator multiplication.
    public static func baseMultiply(_ s: Secp256k1Scalar) -> Self {
        var pk = secp256k1_pubkey()
        // pubkey_create rejects only zero (s is always reduced below n).
        guard secp256k1_ec_pubkey_create(ctx, &pk, s.bytes) == 1 else { return .identity }
        return Self(libsecp: pk)
    }

    /// s·P, constant time in s: libsecp256k1's ECDH runs the constant-time ladder; a hash callback that
    /// copies x and y out returns the full point instead of a hash. P itself is public.
    public func multiplied(by s: Secp256k1Scalar) -> Self {
        guard !s.isZero, var p = libsecpKey() else { return .identity }
        var xy = [UInt8](repeating: 0, count: 64)
        let ok = secp256k1_ecdh(Self.ctx, &xy, &p, s.bytes, { out, x, y, _ in
            guard let out, let x, let y else { return 0 }
            out.update(from: x, count: 32)
            (out + 32).update(from: y, count: 32)
            return 1
        }, nil)
        guard ok == 1 else { return .identity }
        let x = FE(bigEndian: xy, offset: 0), y = FE(bigEndian: xy, offset: 32)
        return Self(point: .init(affineX: x, y: y), affine: (x, y))
    }

    /// This point as libsecp256k1's `secp256k1_pubkey` (from its uncompressed encoding: no square root).
    private func libsecpKey() -> secp256k1_pubkey? {
        guard let enc = try? uncompressed() else { return nil }
        var pk = secp256k1_pubkey()
        let parsed = secp256k1_ec_pubkey_parse(Self.ctx, &pk, enc, 65)
        precondition(parsed == 1, "a secp256k1 point does not parse")
        return pk
    }

    /// s·P for a public s: the variable-time Straus code (`Secp256k1Vartime`).
    public func multipliedPublic(by s: Secp256k1Scalar) -> Self { Self.publicSum([(s, self)]) }

    /// Σ s_i·P_i over public values in one variable-time multi-scalar pass.
    public static func publicSum(_ terms: [(Secp256k1Scalar, Secp256k1Point)]) -> Self {
        var scalars = [Secp256k1Scalar](), points = [Secp256k1Vartime.Point]()
        scalars.reserveCapacity(terms.count); points.reserveCapacity(terms.count)
        for (s, p) in terms where !s.isZero && !p.isIdentity { scalars.append(s); points.append(p.point) }
        if scalars.isEmpty { return .identity }
        return Self(point: Secp256k1Vartime.multiscalar(scalars: scalars, points: points))
    }

    /// Equality of the group elements (affine coordinates when both are known, else cross-multiplied).
    public static func == (a: Self, b: Self) -> Bool {
        if let (ax, ay) = a.knownAffine, let (bx, by) = b.knownAffine { return ax == bx && ay == by }
        return a.point == b.point
    }
}
