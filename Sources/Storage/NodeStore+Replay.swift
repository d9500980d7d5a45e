/// The replay cache: message id (or nonce) -> expiry. It lives in LMDB, so it survives restarts.
/// Times are whatever unit the caller uses consistently (Unix seconds in the node); the store has no clock.
extension NodeStore {
    /// Records `id` unless it is already there. Returns true if it was new (the message may be processed),
    /// false if it was seen before (a replay). Check and insert are one write transaction.
    public func insertReplayIfAbsent(_ id: some StorageKey, expiresAt: UInt64) throws(StorageError) -> Bool {
        let key = try validKey(id.storageKeyBytes)
        return try env.write { txn throws(StorageError) in
            // Insert-only; an existing key (even an expired one not yet pruned) counts as seen.
            let sealed = try sealer.seal(bigEndian(expiresAt, bytes: 8), table: Table.replay.rawValue, key: key)
            return try txn.put(db(.replay), key, sealed, overwrite: false)
        }
    }

    /// The expiry recorded for `id`, or nil if it was never seen (or has been pruned).
    public func replayExpiry(_ id: some StorageKey) throws(StorageError) -> UInt64? {
        let key = try validKey(id.storageKeyBytes)
        guard let v = try get(.replay, key) else { return nil }
        return try Self.decodeExpiry(v, key: key)
    }

    /// Deletes every entry whose expiry is strictly before `now`, in one transaction; returns how many.
    /// An entry that fails to open throws `corrupted` (nothing is deleted then).
    @discardableResult
    public func pruneReplay(now: UInt64) throws(StorageError) -> Int {
        try env.write { txn throws(StorageError) in
            var pruned = 0
            for r in try entriesSealed(txn, .replay, prefix: []) {
                if try Self.decodeExpiry(r.value, key: r.key) < now, try txn.delete(db(.replay), r.key) { pruned += 1 }
            }
            return pruned
        }
    }

    /// Every entry (id, expiry): to carry them over into a `ReplayCache`, which replaced this table for envelopes.
    public func replayEntries() throws(StorageError) -> [(id: [UInt8], expiresAt: UInt64)] {
        try env.read { txn throws(StorageError) in
            var out: [(id: [UInt8], expiresAt: UInt64)] = []
            for r in try entriesSealed(txn, .replay, prefix: []) { out.append((r.key, try Self.decodeExpiry(r.value, key: r.key))) }
            return out
        }
    }

    /// Deletes the given entries (after `replayEntries` carried them over), in one transaction.
    public func deleteReplayEntries(_ ids: [[UInt8]]) throws(StorageError) {
        try env.write { txn throws(StorageError) in
            for id in ids { _ = try txn.delete(db(.replay), id) }
        }
    }

    /// Number of entries in the replay cache.
    public func replayCount() throws(StorageError) -> Int { try count(.replay) }

    private static func decodeExpiry(_ v: [UInt8], key: [UInt8]) throws(StorageError) -> UInt64 {
        guard v.count == 8 else { throw .corrupted(table: Table.replay.rawValue, key: key) }
        return readBigEndian(v[...])
    }
}
