internal import CLMDB
import Glibc

/// One LMDB environment (a directory holding `data.mdb` and `lock.mdb`), owning its `MDB_env` handle.
///
/// Durability: opened with LMDB's default sync behaviour (no `MDB_NOSYNC`, `MDB_NOMETASYNC`,
/// `MDB_MAPASYNC` or `MDB_WRITEMAP`; only `noSync` environments differ), so a committed write transaction has been fsync'ed and survives a
/// crash or power loss. `MDB_NOTLS` ties read slots to transactions rather than threads, which is what
/// Swift concurrency needs (a task may resume on another thread; transactions here never span an await).
///
/// LMDB forbids opening the same environment twice in one process; a second open of the same directory
/// throws `StorageError.alreadyOpen` (see `OpenEnvironments`). The owner (the `NodeStore` actor) keeps
/// exactly one and closes it deterministically with `close()` (or in `deinit`).
final class LMDBEnvironment {
    struct Options: Sendable {
        /// Upper bound of the memory map, i.e. of the database size.
        var mapSize: Int = 1 << 30
        /// Number of named databases.
        var maxDatabases: UInt32 = 16
        /// File mode of `data.mdb` / `lock.mdb` (also subject to the umask).
        var fileMode: mode_t = 0o600
        /// `MDB_NOSYNC`: a commit writes its pages (into the page cache) but does not fdatasync them. Only for
        /// an environment whose loss after a machine crash is harmless (the replay cache, see `ReplayCache`):
        /// a crash of the machine can lose its last commits or leave it unreadable; a crash of the process cannot.
        /// Such an environment is also opened with `MDB_WRITEMAP`: a commit writes into the shared memory map
        /// instead of a `pwrite` per page (four system calls per envelope recorded, ~3 % of the cluster's CPU per
        /// signature); dirty pages of a shared file mapping outlive the process as written pages do. LMDB then
        /// sizes `data.mdb` to `mapSize` as a sparse file (1 GB apparent size, only used pages on disk).
        var noSync = false
    }

    private var handle: OpaquePointer?
    private let identity: OpenEnvironments.Identity
    let path: String

    init(directory: String, options: Options = Options()) throws(StorageError) {
        let created = try Self.ensureDirectory(directory)
        path = directory
        identity = try OpenEnvironments.identity(of: directory)
        guard OpenEnvironments.register(identity) else { throw .alreadyOpen(path: directory) }
        var env: OpaquePointer?
        do {
            try check(mdb_env_create(&env), "mdb_env_create")
        } catch {
            OpenEnvironments.unregister(identity)
            throw error
        }
        guard let env else {
            OpenEnvironments.unregister(identity)
            throw .lmdb(operation: "mdb_env_create", code: EINVAL, message: "no handle")
        }
        do {
            try check(mdb_env_set_mapsize(env, options.mapSize), "mdb_env_set_mapsize")
            try check(mdb_env_set_maxdbs(env, MDB_dbi(options.maxDatabases)), "mdb_env_set_maxdbs")
            try check(mdb_env_open(env, directory, UInt32(MDB_NOTLS) | (options.noSync ? UInt32(MDB_NOSYNC) | UInt32(MDB_WRITEMAP) : 0), options.fileMode),
                      "mdb_env_open")
            // Clear reader slots left behind by a killed process.
            var dead: Int32 = 0
            try check(mdb_reader_check(env, &dead), "mdb_reader_check")
            // LMDB syncs the data file but not the directory entries of files it creates; sync those too so
            // a new store does not vanish on power loss.
            try Self.syncDirectory(directory)
            if created { try Self.syncDirectory(Self.parent(of: directory)) }
        } catch {
            mdb_env_close(env)
            OpenEnvironments.unregister(identity)
            throw error
        }
        handle = env
    }

    deinit { close() }

    /// Closes the environment; later transactions throw `StorageError.closed`. Idempotent.
    func close() {
        guard let handle else { return }
        mdb_env_close(handle)
        self.handle = nil
        OpenEnvironments.unregister(identity)
    }

    var isOpen: Bool { handle != nil }

    /// The largest key LMDB accepts in this environment (511 bytes by default).
    var maxKeySize: Int {
        guard let handle else { return 0 }
        return Int(mdb_env_get_maxkeysize(handle))
    }

    /// Runs `body` in a read-only transaction.
    func read<R>(_ body: (LMDBTransaction) throws(StorageError) -> R) throws(StorageError) -> R {
        try run(flags: UInt32(MDB_RDONLY), body)
    }

    /// Runs `body` in a write transaction: committed (and synced) if `body` returns, aborted if it throws.
    /// Nothing `body` wrote is visible to anyone before the commit, and all of it is after.
    func write<R>(_ body: (LMDBTransaction) throws(StorageError) -> R) throws(StorageError) -> R {
        try run(flags: 0, body)
    }

    private func run<R>(flags: UInt32, _ body: (LMDBTransaction) throws(StorageError) -> R) throws(StorageError) -> R {
        guard let handle else { throw .closed }
        var txn: OpaquePointer?
        try check(mdb_txn_begin(handle, nil, flags, &txn), "mdb_txn_begin")
        guard let txn else { throw .lmdb(operation: "mdb_txn_begin", code: EINVAL, message: "no handle") }
        let result: R
        do {
            result = try body(LMDBTransaction(txn))
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
        // mdb_txn_commit frees the transaction whether or not it succeeds.
        try check(mdb_txn_commit(txn), "mdb_txn_commit")
        return result
    }

    /// Creates the directory (mode 0700) if it does not exist; true if it was created.
    private static func ensureDirectory(_ directory: String) throws(StorageError) -> Bool {
        var st = stat()
        if stat(directory, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else { throw .directoryUnusable(path: directory, errno: ENOTDIR) }
            return false
        }
        guard errno == ENOENT else { throw .directoryUnusable(path: directory, errno: errno) }
        if mkdir(directory, 0o700) == 0 { return true }
        guard errno == EEXIST else { throw .directoryUnusable(path: directory, errno: errno) }
        return false
    }

    /// fsync of a directory, so that a file just created in it survives a machine crash.
    static func syncDirectory(_ path: String) throws(StorageError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .directoryUnusable(path: path, errno: errno) }
        defer { _ = Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw .directoryUnusable(path: path, errno: errno) }
    }

    private static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }
}

/// Throws `StorageError.lmdb` for a non-zero LMDB return code.
func check(_ rc: Int32, _ operation: String) throws(StorageError) {
    guard rc != 0 else { return }
    throw lmdbError(rc, operation)
}

func lmdbError(_ rc: Int32, _ operation: String) -> StorageError {
    let text = mdb_strerror(rc).map { String(cString: $0) } ?? "unknown error"
    return .lmdb(operation: operation, code: rc, message: text)
}
