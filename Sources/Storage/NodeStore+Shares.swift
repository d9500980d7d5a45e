/// Key shares, by wallet and generation. A generation is written once (insert-only) and never overwritten;
/// resharing writes the next generation and deletes older ones once the new one is confirmed.
extension NodeStore {
    /// Stores the share of `walletID` at `generation`; throws `alreadyExists` if that generation exists.
    public func putShare(walletID: String, generation: UInt64, share: [UInt8]) throws(StorageError) {
        let key = try shareKey(walletID, generation)
        try env.write { txn throws(StorageError) in try putSealed(txn, .shares, key, share, overwrite: false) }
    }

    /// The share of `walletID` at `generation`, or nil.
    public func share(walletID: String, generation: UInt64) throws(StorageError) -> [UInt8]? {
        let key = try shareKey(walletID, generation)
        return try env.read { txn throws(StorageError) in try getSealed(txn, .shares, key) }
    }

    /// The highest generation of `walletID` and its share, or nil if the wallet has none.
    public func latestShare(walletID: String) throws(StorageError) -> (generation: UInt64, share: [UInt8])? {
        guard let last = try shareRecords(walletID).last else { return nil }
        return (last.generation, last.share)
    }

    /// The highest generation stored for `walletID`.
    public func latestGeneration(walletID: String) throws(StorageError) -> UInt64? {
        try shareRecords(walletID).last?.generation
    }

    /// Every generation stored for `walletID`, ascending.
    public func shareGenerations(walletID: String) throws(StorageError) -> [UInt64] {
        try shareRecords(walletID).map(\.generation)
    }

    /// Deletes one generation; false if it was not there.
    @discardableResult
    public func deleteShare(walletID: String, generation: UInt64) throws(StorageError) -> Bool {
        try delete(.shares, shareKey(walletID, generation))
    }

    /// Deletes every generation of `walletID` below `generation` (after a reshare is confirmed), in one
    /// transaction; returns how many were deleted.
    @discardableResult
    public func deleteShares(walletID: String, olderThan generation: UInt64) throws(StorageError) -> Int {
        let prefix = try sharePrefix(walletID)
        return try env.write { txn throws(StorageError) in
            var deleted = 0
            for e in try txn.entries(db(.shares), prefix: prefix) {
                guard let g = Self.generation(of: e.key, prefix: prefix) else { throw .corrupted(table: Table.shares.rawValue, key: e.key) }
                if g < generation, try txn.delete(db(.shares), e.key) { deleted += 1 }
            }
            return deleted
        }
    }

    // MARK: keys: len16(walletID) || walletID || generation (8, big-endian), so generations sort numerically

    func sharePrefix(_ walletID: String) throws(StorageError) -> [UInt8] {
        let id = Array(walletID.utf8)
        guard !id.isEmpty else { throw .invalidKey("wallet id must not be empty") }
        guard id.count <= UInt16.max else { throw .invalidKey("wallet id too long") }
        return bigEndian(UInt64(id.count), bytes: 2) + id
    }

    func shareKey(_ walletID: String, _ generation: UInt64) throws(StorageError) -> [UInt8] {
        try validKey(sharePrefix(walletID) + bigEndian(generation, bytes: 8))
    }

    static func generation(of key: [UInt8], prefix: [UInt8]) -> UInt64? {
        guard key.count == prefix.count + 8, key.starts(with: prefix) else { return nil }
        return readBigEndian(key[prefix.count...])
    }

    /// Every share of `walletID`, opened and ascending by generation.
    private func shareRecords(_ walletID: String) throws(StorageError) -> [(generation: UInt64, share: [UInt8])] {
        let prefix = try sharePrefix(walletID)
        return try env.read { txn throws(StorageError) in
            var out: [(generation: UInt64, share: [UInt8])] = []
            for r in try entriesSealed(txn, .shares, prefix: prefix) {
                guard let g = Self.generation(of: r.key, prefix: prefix) else { throw .corrupted(table: Table.shares.rawValue, key: r.key) }
                out.append((g, r.value))
            }
            return out
        }
    }
}
