import Protocols

/// The node's persistent store: one LMDB environment, every value sealed with AES-256-GCM under a key
/// derived from the node's passphrase, every write a durable LMDB transaction.
///
/// Tables: `shares` (wallet id + generation), `wallets` (metadata), `replay` (message id -> expiry),
/// `presignatures` (consumed atomically), `aux` (auxiliary material), `journal` (session journal).
/// Values are bytes; higher layers encode their own records.
public actor NodeStore {
    public struct Options: Sendable {
        /// Upper bound of the database size (LMDB map size).
        public var mapSize: Int
        /// Argon2id cost used when a store is created (an existing store keeps its stored parameters).
        public var kdf: KDFParameters

        public init(mapSize: Int = 1 << 30, kdf: KDFParameters = .moderate) {
            self.mapSize = mapSize
            self.kdf = kdf
        }
    }

    enum Table: String, CaseIterable {
        case shares, wallets, replay, presignatures, aux, journal
    }

    let env: LMDBEnvironment
    let sealer: Sealer
    let databases: [Table: LMDBDatabase]

    /// Opens (or creates) the store in `directory`. A wrong passphrase throws `StorageError.wrongPassphrase`
    /// before anything is written.
    public init(directory: String, passphrase: SecretBytes, options: Options = Options()) throws(StorageError) {
        let env = try LMDBEnvironment(directory: directory,
                                      options: .init(mapSize: options.mapSize, maxDatabases: UInt32(Table.allCases.count + 2)))
        let sealer = try StoreMeta.unlock(env: env, passphrase: passphrase, parameters: options.kdf,
                                          dataTables: Table.allCases.map(\.rawValue))
        self.env = env
        self.sealer = sealer
        self.databases = try Self.openTables(env)
    }

    /// Existing tables are opened read-only (nothing is written on reopen); missing ones are created.
    private static func openTables(_ env: LMDBEnvironment) throws(StorageError) -> [Table: LMDBDatabase] {
        var found: [Table: LMDBDatabase] = try env.read { txn throws(StorageError) in
            var out: [Table: LMDBDatabase] = [:]
            for t in Table.allCases { out[t] = try txn.openDatabase(t.rawValue, create: false) }
            return out
        }
        let missing = Table.allCases.filter { found[$0] == nil }
        guard !missing.isEmpty else { return found }
        let created: [Table: LMDBDatabase] = try env.write { txn throws(StorageError) in
            var out: [Table: LMDBDatabase] = [:]
            for t in missing { out[t] = try txn.openDatabase(t.rawValue, create: true) }
            return out
        }
        found.merge(created) { a, _ in a }
        return found
    }

    /// Closes the LMDB environment; every later call throws `StorageError.closed`.
    public func close() { env.close() }

    // MARK: helpers for the table files

    func db(_ t: Table) throws(StorageError) -> LMDBDatabase {
        guard env.isOpen else { throw .closed }
        guard let d = databases[t] else { throw .metadataInvalid("table \(t.rawValue) is not open") }
        return d
    }

    func validKey(_ key: [UInt8]) throws(StorageError) -> [UInt8] {
        guard env.isOpen else { throw .closed }
        guard !key.isEmpty else { throw .invalidKey("keys must not be empty") }
        guard key.count <= env.maxKeySize else { throw .invalidKey("key of \(key.count) bytes exceeds LMDB's \(env.maxKeySize)") }
        return key
    }

    /// Seals and stores `value`; with `overwrite == false` an existing key throws `alreadyExists`.
    func putSealed(_ txn: LMDBTransaction, _ t: Table, _ key: [UInt8], _ value: [UInt8], overwrite: Bool) throws(StorageError) {
        let sealed = try sealer.seal(value, table: t.rawValue, key: key)
        guard try txn.put(db(t), key, sealed, overwrite: overwrite) else { throw .alreadyExists(table: t.rawValue, key: key) }
    }

    /// Reads and opens the value under `key`, or nil if absent; a value that fails to open is `corrupted`.
    func getSealed(_ txn: LMDBTransaction, _ t: Table, _ key: [UInt8]) throws(StorageError) -> [UInt8]? {
        guard let sealed = try txn.get(db(t), key) else { return nil }
        return try sealer.open(sealed, table: t.rawValue, key: key)
    }

    /// Every record of `t` whose key starts with `prefix`, opened (a corrupted one throws).
    func entriesSealed(_ txn: LMDBTransaction, _ t: Table, prefix: [UInt8]) throws(StorageError) -> [StoredRecord] {
        var out: [StoredRecord] = []
        for e in try txn.entries(db(t), prefix: prefix) {
            out.append(StoredRecord(key: e.key, value: try sealer.open(e.value, table: t.rawValue, key: e.key)))
        }
        return out
    }

    // MARK: generic table operations (used by aux, journal, wallets)

    func put(_ t: Table, _ key: [UInt8], _ value: [UInt8], overwrite: Bool = true) throws(StorageError) {
        let k = try validKey(key)
        try env.write { txn throws(StorageError) in try putSealed(txn, t, k, value, overwrite: overwrite) }
    }

    func get(_ t: Table, _ key: [UInt8]) throws(StorageError) -> [UInt8]? {
        let k = try validKey(key)
        return try env.read { txn throws(StorageError) in try getSealed(txn, t, k) }
    }

    func delete(_ t: Table, _ key: [UInt8]) throws(StorageError) -> Bool {
        let k = try validKey(key)
        return try env.write { txn throws(StorageError) in try txn.delete(db(t), k) }
    }

    func entries(_ t: Table, prefix: [UInt8]) throws(StorageError) -> [StoredRecord] {
        try env.read { txn throws(StorageError) in try entriesSealed(txn, t, prefix: prefix) }
    }

    func count(_ t: Table) throws(StorageError) -> Int {
        try env.read { txn throws(StorageError) in try txn.count(db(t)) }
    }
}
