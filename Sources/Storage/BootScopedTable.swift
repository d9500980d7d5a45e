import Glibc

/// A key-value table that survives a crash of the process but not of the machine: an LMDB environment opened
/// with `MDB_NOSYNC` (commits reach the page cache, no fdatasync), stamped with the kernel's boot id. Opened
/// after another boot (the machine may have crashed mid-write, leaving it torn), it starts empty. For data that
/// has a durable home a little later (e.g. results answered before their group commit, `RequestLog`).
final class BootScopedTable {
    let env: LMDBEnvironment
    let table: LMDBDatabase
    static let bootFile = "boot-id"

    init(directory: String, bootId: String = ReplayCache.currentBootId()) throws(StorageError) {
        try ReplayCache.ensureDirectory(directory)
        let stamp = directory + "/" + Self.bootFile
        if Self.read(stamp) != bootId {
            for f in ["data.mdb", "lock.mdb"] { _ = unlink(directory + "/" + f) }
            try Self.write(stamp, bootId)
        }
        env = try LMDBEnvironment(directory: directory, options: .init(mapSize: 1 << 30, maxDatabases: 1, noSync: true))
        guard let t = try env.write({ txn throws(StorageError) in try txn.openDatabase("entries", create: true) }) else {
            throw .metadataInvalid("boot-scoped table")
        }
        table = t
    }

    func get(_ key: [UInt8]) -> [UInt8]? { try? env.read { txn throws(StorageError) in try txn.get(table, key) } }

    func put(_ key: [UInt8], _ value: [UInt8]) throws(StorageError) {
        _ = try env.write { txn throws(StorageError) in try txn.put(table, key, value) }
    }

    func delete(_ keys: [[UInt8]]) throws(StorageError) {
        try env.write { txn throws(StorageError) in for k in keys { _ = try txn.delete(table, k) } }
    }

    func close() { env.close() }

    private static func read(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var buf = [UInt8](repeating: 0, count: 128)
        let n = fread(&buf, 1, buf.count, f)
        return n > 0 ? String(decoding: buf[0..<n], as: UTF8.self) : nil
    }

    /// The stamp needs no fsync: lost in a machine crash, it only makes the next open start empty (as it would).
    private static func write(_ path: String, _ bootId: String) throws(StorageError) {
        guard let f = fopen(path, "wb") else { throw .directoryUnusable(path: path, errno: errno) }
        defer { fclose(f) }
        let bytes = Array(bootId.utf8)
        guard fwrite(bytes, 1, bytes.count, f) == bytes.count else { throw .directoryUnusable(path: path, errno: errno) }
    }
}
