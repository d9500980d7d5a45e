internal import CSodium

/// Where a protocol draws its randomness from. Injected everywhere so that conformance vectors and
/// cheating-party tests are reproducible; production code uses `SystemRandom`.
public protocol RandomSource: Sendable {
    /// Fills `buffer` with random bytes.
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer)
}

extension RandomSource {
    /// `count` random bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { fill($0) }
        return out
    }
}

/// The operating system's CSPRNG through libsodium's `randombytes_buf`.
public struct SystemRandom: RandomSource {
    public init() { Sodium.ensureInitialized() }
    public mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        randombytes_buf(base, buffer.count)
    }
}

/// A deterministic stream (libsodium's ChaCha20-based `randombytes_buf_deterministic`) for tests and
/// benchmarks only: the same seed gives the same bytes on every machine.
public struct SeededRandom: RandomSource {
    private var seed: [UInt8]
    private var counter: UInt64 = 0

    public init(seed: UInt64) {
        var s = [UInt8](repeating: 0, count: 32)
        withUnsafeBytes(of: seed.littleEndian) { for (i, b) in $0.enumerated() { s[i] = b } }
        self.seed = s
    }

    public mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        // Derive a fresh per-call seed so successive calls never repeat a stream.
        var callSeed = seed
        withUnsafeBytes(of: counter.littleEndian) { for (i, b) in $0.enumerated() { callSeed[24 + i] ^= b } }
        counter &+= 1
        callSeed.withUnsafeBufferPointer { randombytes_buf_deterministic(base, buffer.count, $0.baseAddress!) }
    }
}

/// libsodium must be initialised once before use; `sodium_init` is idempotent and thread-safe.
enum Sodium {
    static let initialized: Bool = sodium_init() >= 0
    static func ensureInitialized() { precondition(initialized, "libsodium failed to initialise") }
}
