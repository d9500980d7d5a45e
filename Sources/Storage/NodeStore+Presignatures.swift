/// Presignatures: stored once, consumed at most once. `consumePresignature` reads and deletes in one
/// durable write transaction, so after it returns the presignature is gone from disk: it can never be
/// handed out twice, also not after a crash or restart.
extension NodeStore {
    /// Stores a presignature; throws `alreadyExists` if the id is taken (an id is never reused).
    public func putPresignature(id: some StorageKey, value: [UInt8]) throws(StorageError) {
        try put(.presignatures, id.storageKeyBytes, value, overwrite: false)
    }

    /// Reads and deletes the presignature in one transaction; nil if it does not exist (or was consumed).
    /// A presignature that fails to open throws `corrupted` and stays on disk for inspection.
    public func consumePresignature(id: some StorageKey) throws(StorageError) -> [UInt8]? {
        try consumePresignatures(ids: [id.storageKeyBytes])[id.storageKeyBytes]
    }

    /// Reads and deletes several presignatures in one durable transaction (one commit for all); the ones that
    /// do not exist are absent from the answer. Any that fails to open throws `corrupted` and none is deleted.
    public func consumePresignatures(ids: [[UInt8]]) throws(StorageError) -> [[UInt8]: [UInt8]] {
        var keys: [[UInt8]] = []
        for id in ids { keys.append(try validKey(id)) }
        return try env.write { txn throws(StorageError) -> [[UInt8]: [UInt8]] in
            var out: [[UInt8]: [UInt8]] = [:]
            for key in keys where out[key] == nil {
                guard let value = try getSealed(txn, .presignatures, key), try txn.delete(db(.presignatures), key) else { continue }
                out[key] = value
            }
            return out
        }
    }

    /// The ids of stored presignatures starting with `prefix`, in key order (values are not opened).
    public func presignatureIDs(prefix: some StorageKey = [UInt8]()) throws(StorageError) -> [[UInt8]] {
        let p = prefix.storageKeyBytes
        return try env.read { txn throws(StorageError) in try txn.entries(db(.presignatures), prefix: p).map(\.key) }
    }

    /// Deletes every stored presignature in one durable transaction and returns how many there were. For a store
    /// restored from a backup (SECURITY-CHECKLIST 17): presignatures in a backup may have been used since it was taken,
    /// and a second use of a presignature reveals the key share; `mpc-node --drop-presignatures` calls this.
    public func dropAllPresignatures() throws(StorageError) -> Int {
        try env.write { txn throws(StorageError) -> Int in try txn.clear(db(.presignatures)) }
    }

    /// Number of stored presignatures.
    public func presignatureCount() throws(StorageError) -> Int { try count(.presignatures) }
}
