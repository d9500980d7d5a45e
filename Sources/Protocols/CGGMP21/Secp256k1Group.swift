/// The production secp256k1 `CGGMPGroup` over `Secp256k1Point` (libsecp256k1).
/// Scalars of any sign/size are reduced mod q; multiplication is constant time in the scalar
/// (`multiplied(by:)`, libsecp256k1's ECDH ladder), as the proofs multiply by secret masks.
/// The identity encodes as 33 zero bytes (fixed length for the transcript).
public enum Secp256k1Group: CGGMPGroup {
    public typealias Point = Secp256k1Point

    public static var order: BigNum { CGGMPProfile.curveOrder }

    /// k mod q as a scalar (always canonical after the reduction).
    static func scalar(_ k: BigNum) -> Secp256k1Scalar {
        let r = k.mod(order)
        guard let b = r.bytes(width: 32), let s = try? Secp256k1Scalar(canonical: b) else { return .zero }
        return s
    }

    static func bigNum(_ s: Secp256k1Scalar) -> BigNum {
        BigNum(bytes: s.bytes)
    }

    public static func multiplyGenerator(_ k: BigNum) -> Point { Secp256k1Point.baseMultiply(scalar(k)) }

    public static func multiply(_ p: Point, by k: BigNum) -> Point { p.multiplied(by: scalar(k)) }

    /// k·P for a PUBLIC k (variable time).
    static func multiplyPublic(_ p: Point, by k: BigNum) -> Point { p.multipliedPublic(by: scalar(k)) }

    public static func add(_ p: Point, _ q: Point) -> Point { p + q }

    public static var encodedPointLength: Int { 33 }

    public static func encode(_ p: Point) -> [UInt8] {
        (try? p.serialized()) ?? [UInt8](repeating: 0, count: 33)
    }

    public static func decode(_ bytes: [UInt8]) -> Point? {
        guard bytes.count == 33 else { return nil }
        if bytes.allSatisfy({ $0 == 0 }) { return .identity }
        return try? Secp256k1Point(serialized: bytes)
    }
}
