internal import CSodium

/// A child random stream for one concurrent task: ChaCha20 (libsodium's
/// `crypto_stream_chacha20_ietf`, a fresh nonce per call) keyed with 32 bytes drawn from the caller's `RandomSource`.
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
        // One ChaCha20 (IETF) key stream per call under the fixed key, the call counter as the nonce:
        // calls never repeat a stream (2^64 calls) and the key is never varied.
        var nonce = [UInt8](repeating: 0, count: Int(crypto_stream_chacha20_ietf_NONCEBYTES))
        withUnsafeBytes(of: counter.littleEndian) { for (i, b) in $0.enumerated() { nonce[i] = b } }
        counter &+= 1
        key.withUnsafeBytes { k in
            _ = crypto_stream_chacha20_ietf(base.assumingMemoryBound(to: UInt8.self), UInt64(buffer.count), nonce,
                                            k.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
    }
}
