import Glibc

/// The envelope replay cache: (sender, nonce) -> expiry, in its own LMDB environment opened with `MDB_NOSYNC`,
/// so that recording an envelope costs a write into the page cache instead of two fdatasyncs, plus a durable
/// high-water mark that makes entries lost in a machine crash harmless (CLUSTER.md, "Replay cache"):
///
/// - Every accepted timestamp is below `highWater`, which is fsync'ed to `replay-fence` (with the kernel's boot
///   id) before any envelope at or above it is accepted; it moves in steps of `highWaterStep`, so that is one
///   durable write per step of time, not one per envelope.
/// - A process crash (SIGKILL) loses nothing: the committed pages are in the page cache. So when the process
///   restarts within the same boot, the cache is complete and nothing else is needed.
/// - A machine crash may lose the last commits (or leave the environment unreadable). When the boot id differs
///   from the recorded one, the environment is deleted and every envelope with a timestamp below the recorded
///   high-water mark is refused (`fence`): every envelope accepted before the crash is among them.
///
/// The entries hold only what travels in the clear (sender id, nonce, expiry), so they are not sealed.
public actor ReplayCache {
    /// How far the durable high-water mark runs ahead of the newest accepted timestamp.
    public static let highWaterStep: UInt64 = 30_000
    static let fenceFile = "replay-fence"

    let env: LMDBEnvironment
    let entries: LMDBDatabase
    let directory: String
    let bootId: String
    /// Envelopes with a timestamp below this are refused (non-zero after a reboot wiped the cache).
    nonisolated public let fence: UInt64
    /// Every accepted timestamp is below this value, and it is on disk.
    public private(set) var highWater: UInt64
    /// True if this open deleted a cache it could not vouch for (another boot, or no fence record).
    nonisolated public let wiped: Bool

    /// Opens (or creates) the cache in `directory`. `now` and `unknownMargin` (milliseconds) only matter when a
    /// cache exists without its fence record: then the fence is `now + unknownMargin` (it must exceed the
    /// senders' allowed clock skew).
    public init(directory: String, now: UInt64, bootId: String = ReplayCache.currentBootId(),
                unknownMargin: UInt64 = 60_000) throws(StorageError) {
        try Self.ensureDirectory(directory)
        let fencePath = directory + "/" + Self.fenceFile
        let record = Self.readFence(fencePath)
        let dataExists = access(directory + "/data.mdb", F_OK) == 0
        var fence: UInt64 = 0
        var wiped = false
        if let record, record.bootId == bootId, dataExists {
            fence = 0
        } else if record != nil || dataExists {
            // Another boot (the machine may have crashed), a cache without its record or a record without its cache:
            // the entries cannot be trusted to be complete. Everything that was accepted had a timestamp below the
            // recorded high-water mark.
            fence = record?.highWater ?? now &+ unknownMargin
            for f in ["data.mdb", "lock.mdb"] { _ = unlink(directory + "/" + f) }
            wiped = true
        }
        let highWater = max(fence, now) &+ Self.highWaterStep
        try Self.writeFence(fencePath, directory: directory, highWater: highWater, bootId: bootId)
        let env = try LMDBEnvironment(directory: directory, options: .init(mapSize: 1 << 30, maxDatabases: 2, noSync: true))
        guard let db = try env.write({ txn throws(StorageError) in try txn.openDatabase("replay", create: true) }) else {
            throw .metadataInvalid("replay table")
        }
        self.env = env; self.entries = db; self.directory = directory; self.bootId = bootId
        self.fence = fence; self.highWater = highWater; self.wiped = wiped
    }

    /// Records (sender, nonce) unless it was seen; true if it is new and may be processed. Refuses (false) an
    /// envelope below the fence, and fails closed (false) if it cannot record.
    public func recordFirstUse(sender: String, nonce: [UInt8], timestamp: UInt64, expiresAt: UInt64) -> Bool {
        (try? record(Array(sender.utf8) + [0] + nonce, timestamp: timestamp, expiresAt: expiresAt)) ?? false
    }

    public func record(_ id: [UInt8], timestamp: UInt64, expiresAt: UInt64) throws(StorageError) -> Bool {
        guard !id.isEmpty, id.count <= env.maxKeySize else { throw .invalidKey("replay id of \(id.count) bytes") }
        guard timestamp >= fence else { return false }
        if timestamp >= highWater {
            // Durable before the envelope is accepted: after a reboot, the fence will cover it.
            let next = timestamp &+ Self.highWaterStep
            try Self.writeFence(directory + "/" + Self.fenceFile, directory: directory, highWater: next, bootId: bootId)
            highWater = next
        }
        return try env.write { txn throws(StorageError) in
            try txn.put(entries, id, bigEndian(expiresAt, bytes: 8), overwrite: false)
        }
    }

    /// Adds entries carried over from an older layout (the store's sealed replay table); existing ones are kept.
    public func importEntries(_ list: [(id: [UInt8], expiresAt: UInt64)]) throws(StorageError) {
        try env.write { txn throws(StorageError) in
            for e in list where !e.id.isEmpty && e.id.count <= env.maxKeySize {
                try txn.put(entries, e.id, bigEndian(e.expiresAt, bytes: 8), overwrite: false)
            }
        }
    }

    /// Whether `id` is recorded.
    public func contains(_ id: [UInt8]) throws(StorageError) -> Bool {
        try env.read { txn throws(StorageError) in try txn.get(entries, id) != nil }
    }

    public func count() throws(StorageError) -> Int { try env.read { txn throws(StorageError) in try txn.count(entries) } }

    /// Deletes the entries that expired before `now` (the verifier refuses expired envelopes anyway). An entry
    /// whose value is not an expiry is kept: it still refuses its envelope.
    @discardableResult
    public func prune(now: UInt64) throws(StorageError) -> Int {
        try env.write { txn throws(StorageError) in
            var pruned = 0
            for e in try txn.entries(entries) where e.value.count == 8 && readBigEndian(e.value[...]) < now {
                if try txn.delete(entries, e.key) { pruned += 1 }
            }
            return pruned
        }
    }

    public func close() { env.close() }

    /// The kernel's id of the current boot (changes at every boot, also after a crash).
    public static func currentBootId() -> String {
        guard let f = fopen("/proc/sys/kernel/random/boot_id", "r") else { return "unknown" }
        defer { fclose(f) }
        var buf = [CChar](repeating: 0, count: 64)
        guard fgets(&buf, 64, f) != nil else { return "unknown" }
        return String(decoding: buf.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: the fence record: u64 high-water mark (big-endian) then the boot id, written atomically and fsync'ed

    static func readFence(_ path: String) -> (highWater: UInt64, bootId: String)? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var buf = [UInt8](repeating: 0, count: 128)
        let n = fread(&buf, 1, buf.count, f)
        guard n > 8 else { return nil }
        return (readBigEndian(buf[0..<8]), String(decoding: buf[8..<n], as: UTF8.self))
    }

    static func writeFence(_ path: String, directory: String, highWater: UInt64, bootId: String) throws(StorageError) {
        let tmp = path + ".tmp"
        let bytes = bigEndian(highWater, bytes: 8) + Array(bootId.utf8)
        let fd = Glibc.open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .directoryUnusable(path: tmp, errno: errno) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        _ = Glibc.close(fd)
        guard written == bytes.count, synced, rename(tmp, path) == 0 else { throw .directoryUnusable(path: path, errno: errno) }
        let dfd = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { throw .directoryUnusable(path: directory, errno: errno) }
        defer { _ = Glibc.close(dfd) }
        guard fsync(dfd) == 0 else { throw .directoryUnusable(path: directory, errno: errno) }
    }

    static func ensureDirectory(_ directory: String) throws(StorageError) {
        if mkdir(directory, 0o700) == 0 || errno == EEXIST { return }
        throw .directoryUnusable(path: directory, errno: errno)
    }
}

extension ReplayCache {
    /// The cache of a store: `<storeDirectory>/replay`, taking over the entries of the store's own replay table
    /// (which recorded envelopes with an fsync each before this cache existed), then pruned.
    public static func open(besides store: NodeStore, storeDirectory: String, now: UInt64) async throws(StorageError) -> ReplayCache {
        let cache = try ReplayCache(directory: storeDirectory + "/replay", now: now)
        let legacy = try await store.replayEntries()
        if !legacy.isEmpty {
            try await cache.importEntries(legacy)
            try await store.deleteReplayEntries(legacy.map(\.id))
        }
        try await cache.prune(now: now)
        return cache
    }
}
