/// The coordinator's record of client requests: which request ids were claimed (work started) and the signed
/// result of each, in its own LMDB environment with durable commits. So that the same request id never runs
/// twice, also across a coordinator or machine crash, a claim is on disk before anything the work produced is
/// released: claims that arrive together are appended to the claim journal in one write and one fdatasync
/// (`ClaimJournal`; group commit), and move into the LMDB tables with the next result commit.
///
/// A result is answered as soon as it is in the page cache (`BootScopedTable`, no fdatasync), so a crash of the
/// coordinator process after answering loses nothing; it reaches the durable tables within `resultDelay` (or
/// sooner when many wait). If the machine crashes in between, the durable claim makes a repeat of the request
/// answer `request_interrupted` (never a second signing).
public actor RequestLog {
    public enum Claim: Sendable, Equatable {
        /// This call claimed the id (durably): run the request.
        case claimed
        /// The id is running now.
        case running
        /// The id was claimed before and has no result (a restart interrupted it): never run it again.
        case interrupted
        /// The claim could not be written: do not run the request.
        case failed(String)
    }

    let env: LMDBEnvironment
    /// Claims not yet in `claims` (durable in the journal); emptied once it holds more than `journalLimit` bytes
    /// and everything in it is in the tables.
    let journal: ClaimJournal
    static let journalLimit = 1 << 20
    private var journaled: Set<String> = []
    /// The next commit also writes the tables (results, journaled claims); set by the result delay or a backlog.
    private var tablesDue = false
    /// Set by `close`: its table commit also empties the journal.
    private var closing = false
    let claims: LMDBDatabase
    let results: LMDBDatabase
    /// Results answered and not yet in the durable log (page cache only; survives a process crash).
    let answered: BootScopedTable
    private var running: Set<String> = []
    /// Results answered and not yet committed.
    private var unwritten: [String: [UInt8]] = [:]
    private var pendingClaims: [String] = []
    /// Claimed in memory, commit not yet done; and who waits for it.
    private var uncommitted: Set<String> = []
    private var claimWaiters: [String: [CheckedContinuation<Claim, Never>]] = [:]
    /// Claims whose commit failed, until their caller asks (`durable`).
    private var failedClaims: [String: String] = [:]
    private var flushScheduled = false
    private var lazyFlushScheduled = false
    /// A commit is under way on `disk` (one at a time); `flushAgain`: someone asked for another meanwhile.
    private var flushing = false
    private var flushAgain = false
    /// Who waits for the commit under way to end (`close`).
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// The durable commits (fdatasync) run here, not on Swift's cooperative pool.
    private let disk = DiskThread(name: "request-log")
    /// How long a result may wait in memory for the table commit that writes it.
    let resultDelay: Duration
    /// Durable commits so far (each covers a batch): journal appends and table commits.
    public private(set) var commits = 0

    /// Opens (or creates) the log in `directory`.
    public init(directory: String, resultDelay: Duration = .milliseconds(50), bootId: String = ReplayCache.currentBootId()) throws(StorageError) {
        self.resultDelay = resultDelay
        let env = try LMDBEnvironment(directory: directory, options: .init(mapSize: 1 << 32, maxDatabases: 2))
        let answered = try BootScopedTable(directory: directory + "/answered", bootId: bootId)
        let dbs = try env.write { txn throws(StorageError) in
            (try txn.openDatabase("claims", create: true), try txn.openDatabase("results", create: true))
        }
        guard let c = dbs.0, let r = dbs.1 else { throw .metadataInvalid("request log tables") }
        // Claims of the last run still in the journal go into the tables (durably) before it is emptied.
        let journal: ClaimJournal
        do {
            journal = try ClaimJournal(directory: directory)
            if !journal.recovered.isEmpty {
                try env.write { txn throws(StorageError) in
                    for id in journal.recovered where !id.isEmpty && id.utf8.count <= env.maxKeySize { _ = try txn.put(c, Array(id.utf8), [1]) }
                }
                try journal.reset()
            }
        } catch {
            answered.close()
            env.close()
            throw error
        }
        self.env = env; self.journal = journal; self.answered = answered; claims = c; results = r
    }

    /// Commits what is waiting (results and journaled claims into the tables), then closes.
    public func close() async {
        tablesDue = true
        closing = true
        // A commit under way picks the request up (`flushAgain`); either way, wait until none runs.
        if !unwritten.isEmpty || !pendingClaims.isEmpty || !journaled.isEmpty { await flush() }
        if flushing { await withCheckedContinuation { idleWaiters.append($0) } }
        disk.stop()
        journal.close()
        env.close()
        answered.close()
    }

    /// The signed result of `id`, if it finished.
    public func result(_ id: String) -> [UInt8]? {
        if let r = unwritten[id] { return r }
        let key = Array(id.utf8)
        return (try? env.read { txn throws(StorageError) in try txn.get(results, key) }) ?? answered.get(key)
    }

    /// Claims `id` and returns once the claim is durable (or says why not): `begin`, then `durable`.
    public func claim(_ id: String) async -> Claim {
        let started = begin(id)
        guard started == .claimed else { return started }
        return await durable(id)
    }

    /// Claims `id` in memory and queues its commit, without waiting for it: the caller may start the work, but
    /// must not release anything it produced before `durable(id)` says `.claimed`. (Work done before a crash
    /// that lost the claim was never released, so a repeat that runs again is the only run anyone sees.)
    public func begin(_ id: String) -> Claim {
        let key = Array(id.utf8)
        guard !key.isEmpty, key.count <= env.maxKeySize else { return .failed("request id of \(key.count) bytes") }
        if running.contains(id) { return .running }
        let seen = journaled.contains(id) || ((try? env.read { txn throws(StorageError) in try txn.get(claims, key) != nil }) ?? true)
        if seen { return .interrupted }
        running.insert(id)
        uncommitted.insert(id)
        pendingClaims.append(id)
        scheduleFlush()
        return .claimed
    }

    /// Waits until the claim `begin(id)` queued is committed: `.claimed`, or `.failed` if it could not be written.
    public func durable(_ id: String) async -> Claim {
        if let why = failedClaims.removeValue(forKey: id) { return .failed(why) }
        guard uncommitted.contains(id) else { return .claimed }
        return await withCheckedContinuation { (c: CheckedContinuation<Claim, Never>) in
            claimWaiters[id, default: []].append(c)
        }
    }

    /// Records the result of a claimed id. It is committed `resultDelay` later together with the results and
    /// claims that came meanwhile (at once when 256 wait): a result needs no commit of its own before it is answered.
    public func finish(_ id: String, _ bytes: [UInt8]) {
        unwritten[id] = bytes
        do { try answered.put(Array(id.utf8), bytes) } catch { tablesDue = true; scheduleFlush() }   // not in the page cache: commit now
        if unwritten.count >= 256 { tablesDue = true; scheduleFlush() }
        guard !lazyFlushScheduled else { return }
        lazyFlushScheduled = true
        let delay = resultDelay
        Task {
            try? await Task.sleep(for: delay)
            await self.lazyFlush()
        }
    }

    private func lazyFlush() async {
        lazyFlushScheduled = false
        guard !unwritten.isEmpty else { return }
        tablesDue = true
        await flush()
    }

    /// How many request ids were ever claimed (durably: in the tables or the journal).
    public func claimedCount() -> Int {
        ((try? env.read { txn throws(StorageError) in try txn.count(claims) }) ?? 0) + journaled.count
    }

    /// Whether `id` runs now.
    public func isRunning(_ id: String) -> Bool { running.contains(id) }

    private func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        // Runs after the calls already queued on this actor, so that they join the batch.
        Task { await self.flush() }
    }

    /// One journal append (one fdatasync) for every claim waiting, on the disk thread; claims that arrive while it
    /// runs form the next batch, appended right after it (group commit). When `tablesDue`, also one LMDB commit of
    /// the results and the journaled claims (the journal is emptied after it once it has grown).
    private func flush() async {
        flushScheduled = false
        guard !flushing else { flushAgain = true; return }
        flushing = true
        defer {
            flushing = false
            for w in idleWaiters { w.resume() }
            idleWaiters = []
        }
        repeat {
            flushAgain = false
            let batch = pendingClaims
            pendingClaims = []
            if !batch.isEmpty { await appendClaims(batch) }
            if tablesDue {
                tablesDue = false
                await commitTables()
            }
        } while flushAgain || !pendingClaims.isEmpty
    }

    private func appendClaims(_ batch: [String]) async {
        let journal = self.journal
        let outcome: Claim = await disk.run { () -> Claim in
            do { try journal.append(batch) } catch { return .failed("\(error)") }
            return .claimed
        }
        if outcome == .claimed {
            commits += 1
            journaled.formUnion(batch)
        }
        for id in batch {
            uncommitted.remove(id)
            if case .failed = outcome { running.remove(id) }
            let waiters = claimWaiters.removeValue(forKey: id) ?? []
            if waiters.isEmpty, case .failed(let why) = outcome { failedClaims[id] = why }
            for w in waiters { w.resume(returning: outcome) }
        }
    }

    /// Results and journaled claims into the tables in one LMDB commit; on failure the results stay in memory
    /// (answered already) and the claims in the journal, for the next one.
    private func commitTables() async {
        let done = unwritten
        let moving = journaled
        guard !done.isEmpty || !moving.isEmpty else { return }
        let files = Files(env: env, claims: claims, results: results, answered: answered, journal: journal)
        let empty = closing
        let written: Bool = await disk.run { () -> Bool in
            do {
                try files.env.write { txn throws(StorageError) in
                    for id in moving { _ = try txn.put(files.claims, Array(id.utf8), [1]) }
                    for (id, bytes) in done { _ = try txn.put(files.results, Array(id.utf8), bytes) }
                }
            } catch { return false }
            try? files.answered.delete(done.keys.map { Array($0.utf8) })
            // Every journaled claim is in the tables now (appends run on this thread too, none came in between).
            if empty || files.journal.size > RequestLog.journalLimit { try? files.journal.reset() }
            return true
        }
        guard written else { return }
        commits += 1
        journaled.subtract(moving)
        for id in done.keys { unwritten[id] = nil; running.remove(id) }
    }

    /// The log's files, handed to the disk thread: LMDB allows a write transaction on any one thread at a time
    /// (it serialises writers itself) and concurrent readers on others.
    private struct Files: @unchecked Sendable {
        let env: LMDBEnvironment
        let claims: LMDBDatabase
        let results: LMDBDatabase
        let answered: BootScopedTable
        let journal: ClaimJournal
    }
}
