internal import CSodium
import Synchronization

/// Ed25519 public keys with their multiples precomputed (`Ed25519VerifyingKey`, about twice as fast per check as
/// libsodium here, with libsodium's answers), for the keys a process checks again and again: the coordinator's,
/// the nodes', the clients' envelope keys and the wallets' group keys. Bounded: past `capacity` keys, new keys are
/// checked with libsodium and not kept, so hostile input cannot grow it. A key the tables do not take (outside the
/// prime-order subgroup; libsodium accepts some) is remembered as such and always checked with libsodium.
enum VerifyingKeyCache {
    static let capacity = 256

    private enum Entry: Sendable {
        case precomputed(Ed25519VerifyingKey)
        case libsodiumOnly
    }

    private static let entries = Mutex<[[UInt8]: Entry]>([:])

    /// The precomputed key, built (about 100 µs) and kept on first use while there is room; nil: use libsodium.
    static func key(_ publicKey: [UInt8]) -> Ed25519VerifyingKey? {
        switch entries.withLock({ $0[publicKey] }) {
        case .precomputed(let k): return k
        case .libsodiumOnly: return nil
        case nil:
            let built = Ed25519VerifyingKey(encoding: publicKey)
            entries.withLock { table in
                guard table.count < capacity else { return }
                table[publicKey] = built.map(Entry.precomputed) ?? .libsodiumOnly
            }
            return built
        }
    }

    static var count: Int { entries.withLock { $0.count } }
}

extension Ed25519VerifyingKey {
    /// RFC 8032 verification with libsodium's answers (`crypto_sign_verify_detached`): through the key's precomputed
    /// multiples when the key is (or can be) kept in `VerifyingKeyCache`, with libsodium itself otherwise.
    public static func check(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard signature.count == 64, publicKey.count == 32 else { return false }
        Sodium.ensureInitialized()   // SHA-512 and the fallback are libsodium's
        if let key = VerifyingKeyCache.key(publicKey) { return key.verify(signature: signature, message: message) }
        return crypto_sign_verify_detached(signature, message, UInt64(message.count), publicKey) == 0
    }
}
