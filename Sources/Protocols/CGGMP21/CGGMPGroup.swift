/// The few group operations Π^log* and Π^aff-g need, so that the secp256k1 implementation being
/// written in Curves/ can be plugged in later without these proofs depending on it.
///
/// Requirements for conformers:
/// - `Point` values are valid group elements (decoding, on-curve and canonical-encoding checks
///   happen where points are received, checklist 15); the identity may be representable.
/// - `multiplyGenerator` and `multiply` take an integer of any sign and size and use it mod `order`;
///   they must be constant time in the scalar (it may be secret, e.g. the mask α).
/// - `encode` is canonical and fixed length (it is absorbed into the Fiat-Shamir transcript).
public protocol CGGMPGroup: Sendable {
    associatedtype Point: Sendable, Equatable
    /// The prime group order q.
    static var order: BigNum { get }
    /// k·G for the standard generator G.
    static func multiplyGenerator(_ k: BigNum) -> Point
    /// k·P.
    static func multiply(_ p: Point, by k: BigNum) -> Point
    /// P + Q.
    static func add(_ p: Point, _ q: Point) -> Point
    /// Canonical fixed-length encoding.
    static func encode(_ p: Point) -> [UInt8]
    /// Length of `encode`'s output.
    static var encodedPointLength: Int { get }
    /// Strict decoding (on the curve, canonical); nil otherwise.
    static func decode(_ bytes: [UInt8]) -> Point?
}
