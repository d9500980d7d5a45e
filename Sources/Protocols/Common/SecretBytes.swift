internal import CSodium

/// Secret material (a share, a nonce, a seed). Zeroed when released, printed as `<redacted>`,
/// compared in constant time. Immutable after creation, hence `Sendable`.
public final class SecretBytes: @unchecked Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let storage: UnsafeMutableRawBufferPointer

    public init(_ bytes: [UInt8]) {
        storage = .allocate(byteCount: max(bytes.count, 1), alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        for (i, b) in bytes.enumerated() { storage[i] = b }
        count = bytes.count
    }

    public let count: Int

    /// Runs `body` over the secret bytes without copying them into an Array.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.baseAddress, count: count))
    }

    /// A copy as an Array. The caller owns zeroizing it (see `zeroize(_:)`).
    public func copyBytes() -> [UInt8] { withUnsafeBytes { Array($0) } }

    deinit {
        sodium_memzero(storage.baseAddress, storage.count)
        storage.deallocate()
    }

    public static func == (a: SecretBytes, b: SecretBytes) -> Bool {
        a.count == b.count && a.withUnsafeBytes { x in b.withUnsafeBytes { y in
            ConstantTime.equal(x, y)
        } }
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}

/// Overwrites a byte array with zeros in a way the optimiser cannot drop.
public func zeroize(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) }
}

public enum ConstantTime {
    /// Equality of two byte strings of equal length in time independent of their contents.
    public static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in equal(x, y) } }
    }
}
