/// Wallet metadata, by wallet id.
extension NodeStore {
    /// Stores (or replaces) the metadata of `walletID`.
    public func putWallet(id walletID: String, metadata: [UInt8]) throws(StorageError) {
        try put(.wallets, Array(walletID.utf8), metadata)
    }

    /// The metadata of `walletID`, or nil.
    public func wallet(id walletID: String) throws(StorageError) -> [UInt8]? {
        try get(.wallets, Array(walletID.utf8))
    }

    /// Every wallet id, sorted by its UTF-8 bytes. Each record is opened, so a tampered or planted entry
    /// throws `corrupted` instead of being listed or skipped.
    public func listWallets() throws(StorageError) -> [String] {
        var ids: [String] = []
        for r in try entries(.wallets, prefix: []) {
            guard let id = String(validating: r.key, as: UTF8.self) else { throw .corrupted(table: Table.wallets.rawValue, key: r.key) }
            ids.append(id)
        }
        return ids
    }

    /// Deletes the wallet's metadata and every generation of its shares in one transaction.
    /// Returns false if neither existed.
    @discardableResult
    public func deleteWallet(id walletID: String) throws(StorageError) -> Bool {
        let key = try validKey(Array(walletID.utf8))
        let prefix = try sharePrefix(walletID)
        return try env.write { txn throws(StorageError) in
            var any = try txn.delete(db(.wallets), key)
            for e in try txn.entries(db(.shares), prefix: prefix) where Self.generation(of: e.key, prefix: prefix) != nil {
                if try txn.delete(db(.shares), e.key) { any = true }
            }
            return any
        }
    }
}
