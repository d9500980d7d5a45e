internal import CSodium

/// A child random stream for one concurrent task: ChaCha20 (libsodium's
/// `randombytes_buf_deterministic`) keyed with 32 bytes drawn from the caller's `RandomSource`.
/// Children are drawn one after another before any task starts, so a seeded caller gets the same
/// bytes in every task on every run, whatever order the tasks run in; with `SystemRandom` as parent
/// each child is keyed by the OS CSPRNG. The key lives in `SecretBytes` (wiped on release).
/// Pass it `inout` only: a copy would replay the same stream.
struct ForkedRandom: RandomSource {
    private let key: SecretBytes
    private var counter: UInt64 = 0

    init<R: RandomSource>(from parent: inout R) {
        var k = parent.bytes(32)
        key = SecretBytes(k)
        zeroize(&k)
    }

    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        // A distinct per-call key (the counter folded into the last 8 bytes): calls never repeat a stream.
        var callKey = key.copyBytes()
        withUnsafeBytes(of: counter.littleEndian) { for (i, b) in $0.enumerated() { callKey[24 + i] ^= b } }
        counter &+= 1
        callKey.withUnsafeBufferPointer { randombytes_buf_deterministic(base, buffer.count, $0.baseAddress!) }
        zeroize(&callKey)
    }
}
