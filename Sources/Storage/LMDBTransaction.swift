internal import CLMDB

/// A named LMDB database (a table). The handle stays valid for the life of the environment once the
/// transaction that opened it has committed.
struct LMDBDatabase: Sendable {
    let name: String
    let dbi: UInt32
}

/// A live LMDB transaction, only valid inside the `read` / `write` closure that received it (never store it).
/// Values returned are copies: LMDB's pointers into the map die with the transaction.
struct LMDBTransaction {
    private let txn: OpaquePointer

    init(_ txn: OpaquePointer) { self.txn = txn }

    /// Opens a named database; with `create == false` a database that does not exist yet gives nil.
    func openDatabase(_ name: String, create: Bool) throws(StorageError) -> LMDBDatabase? {
        var dbi: MDB_dbi = 0
        let rc = mdb_dbi_open(txn, name, create ? UInt32(MDB_CREATE) : 0, &dbi)
        if rc == MDB_NOTFOUND && !create { return nil }
        try check(rc, "mdb_dbi_open(\(name))")
        return LMDBDatabase(name: name, dbi: dbi)
    }

    /// The value stored under `key`, or nil.
    func get(_ db: LMDBDatabase, _ key: [UInt8]) throws(StorageError) -> [UInt8]? {
        var data = MDB_val()
        let rc = key.withUnsafeBytes { k -> Int32 in
            var kv = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
            return mdb_get(txn, db.dbi, &kv, &data)
        }
        if rc == MDB_NOTFOUND { return nil }
        try check(rc, "mdb_get(\(db.name))")
        return Self.copy(data)
    }

    /// Stores `value` under `key`. With `overwrite == false` an existing key gives false and changes nothing.
    @discardableResult
    func put(_ db: LMDBDatabase, _ key: [UInt8], _ value: [UInt8], overwrite: Bool = true) throws(StorageError) -> Bool {
        let flags: UInt32 = overwrite ? 0 : UInt32(MDB_NOOVERWRITE)
        let rc = key.withUnsafeBytes { k in
            value.withUnsafeBytes { v -> Int32 in
                var kv = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
                var vv = MDB_val(mv_size: v.count, mv_data: UnsafeMutableRawPointer(mutating: v.baseAddress))
                return mdb_put(txn, db.dbi, &kv, &vv, flags)
            }
        }
        if rc == MDB_KEYEXIST && !overwrite { return false }
        try check(rc, "mdb_put(\(db.name))")
        return true
    }

    /// Deletes `key`; false if it was not there.
    @discardableResult
    func delete(_ db: LMDBDatabase, _ key: [UInt8]) throws(StorageError) -> Bool {
        let rc = key.withUnsafeBytes { k -> Int32 in
            var kv = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
            return mdb_del(txn, db.dbi, &kv, nil)
        }
        if rc == MDB_NOTFOUND { return false }
        try check(rc, "mdb_del(\(db.name))")
        return true
    }

    /// Empties `db` (`mdb_drop` without deleting the database itself); returns how many records it held.
    func clear(_ db: LMDBDatabase) throws(StorageError) -> Int {
        let n = try count(db)
        try check(mdb_drop(txn, db.dbi, 0), "mdb_drop(\(db.name))")
        return n
    }

    /// Every (key, value) whose key starts with `prefix`, in key order.
    func entries(_ db: LMDBDatabase, prefix: [UInt8] = []) throws(StorageError) -> [(key: [UInt8], value: [UInt8])] {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(txn, db.dbi, &cursor), "mdb_cursor_open(\(db.name))")
        guard let cursor else { return [] }
        defer { mdb_cursor_close(cursor) }

        var out: [(key: [UInt8], value: [UInt8])] = []
        var k = MDB_val(), v = MDB_val()
        var rc: Int32
        if prefix.isEmpty {
            rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST)
        } else {
            rc = prefix.withUnsafeBytes { p -> Int32 in
                k = MDB_val(mv_size: p.count, mv_data: UnsafeMutableRawPointer(mutating: p.baseAddress))
                return mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE)
            }
        }
        while rc == 0 {
            let key = Self.copy(k)
            guard key.starts(with: prefix) else { break }
            out.append((key, Self.copy(v)))
            rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)
        }
        guard rc == 0 || rc == MDB_NOTFOUND else { throw lmdbError(rc, "mdb_cursor_get(\(db.name))") }
        return out
    }

    /// Number of records in `db`.
    func count(_ db: LMDBDatabase) throws(StorageError) -> Int {
        var st = MDB_stat()
        try check(mdb_stat(txn, db.dbi, &st), "mdb_stat(\(db.name))")
        return Int(st.ms_entries)
    }

    private static func copy(_ val: MDB_val) -> [UInt8] {
        guard let base = val.mv_data, val.mv_size > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: val.mv_size))
    }
}
