internal import CSodium

/// A scalar modulo ℓ = 2^252 + 27742317777372353535851937790883648493, little-endian as in RFC 8032.
/// Arithmetic is libsodium's constant-time `crypto_core_ed25519_scalar_*`.
public struct Ed25519Scalar: GroupScalar {
    public static let byteCount = 32
    /// ℓ, little-endian.
    static let order: [UInt8] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ]

    /// Canonical little-endian bytes, always 32 of them.
    public private(set) var bytes: [UInt8]

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    public static var zero: Ed25519Scalar { Ed25519Scalar(unchecked: [UInt8](repeating: 0, count: 32)) }
    public static var one: Ed25519Scalar { Ed25519Scalar(1) }

    public init(canonical bytes: [UInt8]) throws(CurveError) {
        guard bytes.count == 32, Self.isBelowOrder(bytes) else { throw .nonCanonicalScalar }
        self.bytes = bytes
    }

    /// Reduces up to 64 little-endian bytes modulo ℓ (RFC 9591's H1..H5 reduce a SHA-512 output this way).
    public init(reducingWide input: [UInt8]) {
        precondition(input.count <= 64, "wide scalar input longer than 64 bytes")
        var wide = input + [UInt8](repeating: 0, count: 64 - input.count)
        var out = [UInt8](repeating: 0, count: 32)
        crypto_core_ed25519_scalar_reduce(&out, wide)
        zeroize(&wide)
        self.bytes = out
    }

    public init(_ value: UInt64) {
        var b = [UInt8](repeating: 0, count: 32)
        for i in 0..<8 { b[i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
        self.bytes = b
    }

    public var isZero: Bool { bytes.withUnsafeBufferPointer { sodium_is_zero($0.baseAddress, 32) == 1 } }

    public static func + (a: Self, b: Self) -> Self { binary(a, b, crypto_core_ed25519_scalar_add) }
    public static func - (a: Self, b: Self) -> Self { binary(a, b, crypto_core_ed25519_scalar_sub) }
    public static func * (a: Self, b: Self) -> Self { binary(a, b, crypto_core_ed25519_scalar_mul) }

    public static prefix func - (a: Self) -> Self {
        var out = [UInt8](repeating: 0, count: 32)
        crypto_core_ed25519_scalar_negate(&out, a.bytes)
        return Self(unchecked: out)
    }

    public func inverted() throws(CurveError) -> Self {
        var out = [UInt8](repeating: 0, count: 32)
        guard crypto_core_ed25519_scalar_invert(&out, bytes) == 0, !isZero else { throw .zeroScalar }
        return Self(unchecked: out)
    }

    public static func == (a: Self, b: Self) -> Bool { ConstantTime.equal(a.bytes, b.bytes) }

    public var description: String { "<scalar>" }

    public mutating func wipe() {
        zeroize(&bytes)
    }

    private static func binary(
        _ a: Self, _ b: Self,
        _ op: (UnsafeMutablePointer<UInt8>, UnsafePointer<UInt8>, UnsafePointer<UInt8>) -> Void
    ) -> Self {
        var out = [UInt8](repeating: 0, count: 32)
        op(&out, a.bytes, b.bytes)
        return Self(unchecked: out)
    }

    /// x < ℓ for 32 little-endian bytes, in constant time (borrow of x − ℓ).
    static func isBelowOrder(_ x: [UInt8]) -> Bool {
        var borrow: Int = 0
        for i in 0..<32 {
            let d = Int(x[i]) - Int(order[i]) - borrow
            borrow = (d >> 8) & 1
        }
        return borrow == 1
    }
}
