/// Auxiliary material (e.g. Paillier keys and ring-Pedersen parameters) and the session journal: plain
/// sealed key/value tables.
extension NodeStore {
    public func putAux(_ key: some StorageKey, value: [UInt8]) throws(StorageError) {
        try put(.aux, key.storageKeyBytes, value)
    }

    public func aux(_ key: some StorageKey) throws(StorageError) -> [UInt8]? {
        try get(.aux, key.storageKeyBytes)
    }

    @discardableResult
    public func deleteAux(_ key: some StorageKey) throws(StorageError) -> Bool {
        try delete(.aux, key.storageKeyBytes)
    }

    public func auxEntries(prefix: some StorageKey = [UInt8]()) throws(StorageError) -> [StoredRecord] {
        try entries(.aux, prefix: prefix.storageKeyBytes)
    }

    public func putJournal(_ key: some StorageKey, value: [UInt8]) throws(StorageError) {
        try put(.journal, key.storageKeyBytes, value)
    }

    public func journal(_ key: some StorageKey) throws(StorageError) -> [UInt8]? {
        try get(.journal, key.storageKeyBytes)
    }

    @discardableResult
    public func deleteJournal(_ key: some StorageKey) throws(StorageError) -> Bool {
        try delete(.journal, key.storageKeyBytes)
    }

    /// Journal records whose key starts with `prefix` (e.g. a session id), in key order, opened.
    public func journalEntries(prefix: some StorageKey = [UInt8]()) throws(StorageError) -> [StoredRecord] {
        try entries(.journal, prefix: prefix.storageKeyBytes)
    }
}
