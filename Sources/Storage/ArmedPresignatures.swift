import Protocols

/// Presignatures taken out of the store ahead of use, so that signing touches no disk. The coordinator names
/// the presignatures it will hand out next (the cluster's `ECDSANodeRequest.armNext`); the node consumes them from LMDB in one
/// durable write transaction in the background and holds their secrets in memory until the sign for them
/// arrives. Each is gone from disk before it is used, exactly as on the direct path (`consumePresignature`):
/// a crash or restart loses the held ones and can never use them again. A presignature the coordinator never
/// asks for is lost the same way, which costs a presign, never safety. At most `limitPerWallet` are held per
/// wallet (the oldest is dropped and wiped), each tagged with the share generation it was taken under: after a
/// resharing it is refused like the stored ones the resharing drops.
public actor ArmedPresignatures {
    private struct Held {
        let secret: SecretBytes
        let wallet: String
        let generation: UInt64
        let order: UInt64
    }

    private let store: NodeStore
    public nonisolated let limitPerWallet: Int
    private var held: [[UInt8]: Held] = [:]
    /// Keys whose consumption is under way: a sign for one of them waits for it instead of missing it.
    private var pending: [[UInt8]: Task<Void, Never>] = [:]
    private var counter: UInt64 = 0

    public init(store: NodeStore, limitPerWallet: Int = 16) {
        self.store = store
        self.limitPerWallet = limitPerWallet
    }

    /// Starts consuming `keys` (the wallet's presignatures under share `generation`) into memory.
    public func arm(_ keys: [[UInt8]], wallet: String, generation: UInt64) {
        let fresh = Array(Set(keys.filter { held[$0] == nil && pending[$0] == nil })).prefix(limitPerWallet)
        guard !fresh.isEmpty else { return }
        let task = Task { await self.consume(Array(fresh), wallet: wallet, generation: generation) }
        for k in fresh { pending[k] = task }
    }

    private func consume(_ keys: [[UInt8]], wallet: String, generation: UInt64) async {
        defer { for k in keys { pending[k] = nil } }
        guard var taken = try? await store.consumePresignatures(ids: keys) else { return }
        for key in keys {
            guard var secret = taken.removeValue(forKey: key) else { continue }
            counter += 1
            held[key] = Held(secret: SecretBytes(secret), wallet: wallet, generation: generation, order: counter)
            zeroize(&secret)
        }
        let mine = held.filter { $0.value.wallet == wallet }.sorted { $0.value.order < $1.value.order }
        for (key, _) in mine.dropLast(limitPerWallet) { held[key] = nil }
    }

    /// The presignature's secret, consumed: from memory when it was armed (`armed` true; only for the same share
    /// generation), else from the store in a durable transaction now. Nil if it does not exist any more.
    public func take(_ key: [UInt8], generation: UInt64) async throws(StorageError) -> (secret: [UInt8], armed: Bool)? {
        if let t = pending[key] { await t.value }
        if let h = held.removeValue(forKey: key) { return h.generation == generation ? (h.secret.copyBytes(), true) : nil }
        return try await store.consumePresignature(id: key).map { ($0, false) }
    }

    /// Deletes `keys` for good, held or stored (their secrets wiped); returns how many existed. A consumption under
    /// way is waited for, so a key armed a moment ago is dropped too.
    public func discard(_ keys: [[UInt8]]) async throws(StorageError) -> Int {
        for k in keys { if let t = pending[k] { await t.value } }
        var found = 0
        for k in keys where held.removeValue(forKey: k) != nil { found += 1 }   // SecretBytes wipes on release
        var stored = try await store.consumePresignatures(ids: keys)   // a held key is off disk already
        for k in Array(stored.keys) {
            if var secret = stored.removeValue(forKey: k) { zeroize(&secret) }
            found += 1
        }
        return found
    }

    /// Presignatures held for `wallet` (status and tests).
    public func count(wallet: String) -> Int { held.values.filter { $0.wallet == wallet }.count }
}
