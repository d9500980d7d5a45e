import Protocols
import Synchronization

/// Ed25519 public keys with their multiples precomputed (`Ed25519VerifyingKey`, ~2.3 times faster per check than
/// libsodium here, with libsodium's answers), for the keys a process checks again and again: the coordinator's,
/// the nodes', the clients', a wallet's. Bounded: past `capacity` keys, new keys are checked with libsodium
/// and not kept, so hostile input cannot grow it. A key libsodium accepts but the table does not take (not in
/// the prime-order subgroup) is remembered as such and always checked with libsodium.
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
