internal import CSecp256k1

/// A point of secp256k1 over libsecp256k1's public API. libsecp256k1 cannot hold the point at infinity,
/// so the identity is a case of its own here; sums that cancel come back as the identity.
public struct Secp256k1Point: GroupElement {
    public typealias Scalar = Secp256k1Scalar
    /// RFC 9591 SerializeElement: 33-byte SEC1 compressed encoding.
    public static let byteCount = 33

    enum Representation { case identity, point(secp256k1_pubkey) }
    let rep: Representation

    init(_ rep: Representation) { self.rep = rep }

    public static let identity = Secp256k1Point(.identity)
    public static let generator = Secp256k1Point.baseMultiply(.one)

    private static var ctx: OpaquePointer { Secp256k1Context.shared.raw }

    /// DeserializeElement: exactly 33 bytes, prefix 0x02 or 0x03, x below p and on the curve. The
    /// identity has no compressed encoding, so it can never be decoded.
    public init(serialized bytes: [UInt8]) throws(CurveError) {
        guard bytes.count == 33, bytes[0] == 0x02 || bytes[0] == 0x03 else { throw .invalidPoint }
        var pk = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(Self.ctx, &pk, bytes, 33) == 1 else { throw .invalidPoint }
        rep = .point(pk)
    }

    /// Parses a 33-byte compressed or 65-byte uncompressed SEC1 encoding (for chain keys given by users).
    public init(sec1 bytes: [UInt8]) throws(CurveError) {
        guard (bytes.count == 33 && (bytes[0] == 2 || bytes[0] == 3)) || (bytes.count == 65 && bytes[0] == 4) else {
            throw .invalidPoint
        }
        var pk = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(Self.ctx, &pk, bytes, bytes.count) == 1 else { throw .invalidPoint }
        rep = .point(pk)
    }

    public func serialized() throws(CurveError) -> [UInt8] {
        guard case .point(var pk) = rep else { throw .identityElement }
        return Self.serialize(&pk, compressed: true)
    }

    /// The 65-byte uncompressed encoding 0x04 || x || y (Ethereum addresses hash x || y).
    public func uncompressed() throws(CurveError) -> [UInt8] {
        guard case .point(var pk) = rep else { throw .identityElement }
        return Self.serialize(&pk, compressed: false)
    }

    public var isIdentity: Bool { if case .identity = rep { return true } else { return false } }

    /// BIP-340: the 32-byte x coordinate.
    public func xOnly() throws(CurveError) -> [UInt8] { Array(try serialized().dropFirst()) }

    /// BIP-340: whether y is even (the compressed prefix is 0x02).
    public func hasEvenY() throws(CurveError) -> Bool { try serialized()[0] == 0x02 }

    /// BIP-340 lift_x: the point with x coordinate `x` and even y.
    public init(liftX x: [UInt8]) throws(CurveError) {
        guard x.count == 32 else { throw .invalidPoint }
        try self.init(serialized: [0x02] + x)
    }

    public static func + (a: Self, b: Self) -> Self {
        switch (a.rep, b.rep) {
        case (.identity, _): return b
        case (_, .identity): return a
        case (.point(let p), .point(let q)):
            var out = secp256k1_pubkey()
            let ok = withUnsafePointer(to: p) { pp in
                withUnsafePointer(to: q) { qp in
                    var ins: [UnsafePointer<secp256k1_pubkey>?] = [pp, qp]
                    return secp256k1_ec_pubkey_combine(ctx, &out, &ins, 2)
                }
            }
            // combine fails only when the sum is the point at infinity.
            return ok == 1 ? Self(.point(out)) : .identity
        }
    }

    public static prefix func - (a: Self) -> Self {
        guard case .point(var p) = a.rep else { return a }
        _ = secp256k1_ec_pubkey_negate(ctx, &p)
        return Self(.point(p))
    }

    public static func - (a: Self, b: Self) -> Self { a + (-b) }

    /// s·G with libsecp256k1's constant-time generator multiplication.
    public static func baseMultiply(_ s: Secp256k1Scalar) -> Self {
        var pk = secp256k1_pubkey()
        // pubkey_create rejects only zero (s is always reduced below n).
        guard secp256k1_ec_pubkey_create(ctx, &pk, s.bytes) == 1 else { return .identity }
        return Self(.point(pk))
    }

    /// s·P, constant time in s: libsecp256k1's ECDH runs the constant-time ladder; a hash callback that
    /// copies x and y out returns the full point instead of a hash.
    public func multiplied(by s: Secp256k1Scalar) -> Self {
        guard case .point(var p) = rep, !s.isZero else { return .identity }
        var xy = [UInt8](repeating: 0, count: 64)
        let ok = secp256k1_ecdh(Self.ctx, &xy, &p, s.bytes, { out, x, y, _ in
            guard let out, let x, let y else { return 0 }
            out.update(from: x, count: 32)
            (out + 32).update(from: y, count: 32)
            return 1
        }, nil)
        guard ok == 1 else { return .identity }
        var q = secp256k1_pubkey()
        let parsed = secp256k1_ec_pubkey_parse(Self.ctx, &q, [0x04] + xy, 65)
        precondition(parsed == 1, "ECDH returned a point that does not parse")
        return Self(.point(q))
    }

    /// s·P for a public s: libsecp256k1's faster variable-time multiplication (`ec_pubkey_tweak_mul`).
    public func multipliedPublic(by s: Secp256k1Scalar) -> Self {
        guard case .point(var p) = rep, !s.isZero else { return .identity }
        guard secp256k1_ec_pubkey_tweak_mul(Self.ctx, &p, s.bytes) == 1 else { return .identity }
        return Self(.point(p))
    }

    public static func == (a: Self, b: Self) -> Bool {
        switch (a.rep, b.rep) {
        case (.identity, .identity): return true
        case (.point(var p), .point(var q)): return secp256k1_ec_pubkey_cmp(ctx, &p, &q) == 0
        default: return false
        }
    }

    private static func serialize(_ pk: inout secp256k1_pubkey, compressed: Bool) -> [UInt8] {
        var len = compressed ? 33 : 65
        var out = [UInt8](repeating: 0, count: len)
        _ = secp256k1_ec_pubkey_serialize(ctx, &out, &len, &pk,
                                          UInt32(compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED))
        return out
    }
}
