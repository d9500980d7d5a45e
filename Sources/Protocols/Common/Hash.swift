internal import CSodium

/// The hash functions the ciphersuites and chains use, over libsodium.
public enum Hash {
    public static func sha256(_ data: [UInt8]) -> [UInt8] {
        Sodium.ensureInitialized()
        var out = [UInt8](repeating: 0, count: 32)
        _ = data.withUnsafeBufferPointer { crypto_hash_sha256(&out, $0.baseAddress, UInt64($0.count)) }
        return out
    }

    public static func sha512(_ data: [UInt8]) -> [UInt8] {
        Sodium.ensureInitialized()
        var out = [UInt8](repeating: 0, count: 64)
        _ = data.withUnsafeBufferPointer { crypto_hash_sha512(&out, $0.baseAddress, UInt64($0.count)) }
        return out
    }

    /// SHA-256 over the concatenation of `parts`, without building the concatenation.
    public static func sha256(_ parts: [[UInt8]]) -> [UInt8] {
        Sodium.ensureInitialized()
        var state = crypto_hash_sha256_state()
        crypto_hash_sha256_init(&state)
        for p in parts { _ = p.withUnsafeBufferPointer { crypto_hash_sha256_update(&state, $0.baseAddress, UInt64($0.count)) } }
        var out = [UInt8](repeating: 0, count: 32)
        crypto_hash_sha256_final(&state, &out)
        return out
    }

    /// SHA-512 over the concatenation of `parts`.
    public static func sha512(_ parts: [[UInt8]]) -> [UInt8] {
        Sodium.ensureInitialized()
        var state = crypto_hash_sha512_state()
        crypto_hash_sha512_init(&state)
        for p in parts { _ = p.withUnsafeBufferPointer { crypto_hash_sha512_update(&state, $0.baseAddress, UInt64($0.count)) } }
        var out = [UInt8](repeating: 0, count: 64)
        crypto_hash_sha512_final(&state, &out)
        return out
    }

    /// BIP-340 tagged hash: SHA256(SHA256(tag) || SHA256(tag) || data...).
    public static func taggedSHA256(tag: String, _ parts: [[UInt8]]) -> [UInt8] {
        let t = sha256(Array(tag.utf8))
        return sha256([t, t] + parts)
    }

    /// Bitcoin's double SHA-256.
    public static func sha256d(_ data: [UInt8]) -> [UInt8] { sha256(sha256(data)) }
}
