import ClientKit
import Foundation
import Messaging
import Protocols
import Storage

/// One presignature ready to sign with: its id (= the presign session id), its signer set and its public
/// part (R, Γ, Δ_j, S_j). The secret parts (k_i, χ_i) are sealed in each signer's store.
struct PooledPresignature: Codable, Sendable, Equatable {
    var presignId: String
    var signers: [String]
    var publicData: String
    /// Set aside for the next signs (see `ECDSAPool`): on disk with this mark before it is handed out, so a
    /// restarted coordinator drops it instead of offering it again.
    var reserved: Bool? = nil
}

/// Presignatures per wallet and signer set, kept at `target` in the background for the wallet's preferred
/// set (the first t healthy nodes in manifest order), persisted in `presign-pool.json` so a coordinator
/// restart does not forget what the nodes hold. An entry is marked `reserved` on disk before it is handed
/// out, and a restarted coordinator drops every reserved entry, so none is ever handed out twice (also not
/// after a crash, or to a node restored from a backup); each node additionally deletes its part when it signs.
/// To keep that write off the signing path, up to `reserveTarget` entries per signer set are marked ahead, in
/// the background when a take leaves fewer than `reserveLow` marked: a sign then takes a marked entry without
/// touching the disk, and only about one take in `reserveTarget - reserveLow + 1` rewrites the pool file (a rewrite
/// after every take, JSON of the whole pool with an fsync, was ~0.5 ms of the coordinator's CPU per signature with a
/// pool of 64). Entries taken since the last write stay in the file marked reserved, so a restart drops them.
actor ECDSAPool {
    let path: String
    let target: Int
    /// Entries per signer set marked `reserved` ahead of use, and the count below which marking starts again.
    let reserveTarget = 8
    let reserveLow = 3
    /// Entries per signer set whose ids a sign names in `armNext` (the signers take them out of their stores).
    let armAhead = 4
    /// Presigning yields to signing: a refill waits until no presignature of the wallet was taken for this long,
    /// unless a signer set is down to `lowWatermark` entries (presigning is the heavy part; see BENCHMARKS.md).
    let quiet: Duration = .milliseconds(50)
    var lowWatermark: Int { max(1, target / 4) }
    private var lastTake: [String: ContinuousClock.Instant] = [:]
    /// Presignature ids whose `reserved` mark is on disk (a subset of those marked in memory): only these are handed
    /// out without a write first.
    private var onDisk: Set<String> = []
    private let disk = DiskThread(name: "presign-pool")
    private var byWallet: [String: [PooledPresignature]]
    private var filling: Set<String> = []
    /// Signers a presign session named as culprits, per wallet: kept out of the pool's signer sets and out of
    /// ECDSA signing for the wallet, persisted in `presign-culprits.json` so that a coordinator restart does not
    /// re-admit them (an operator clears an entry by editing that file and restarting the coordinator); and how
    /// many times presigning named a culprit since the start (the `presign_culprits_total` metric).
    private var culprits: [String: Set<String>]
    let culpritsPath: String
    private(set) var culpritsTotal = 0

    /// The reserved entries dropped when this coordinator started, per wallet, until `resumeAfterStart` retires them.
    private var droppedAtStart: [String: [PooledPresignature]]

    /// Right after the coordinator starts: waits (up to a minute) until t nodes are healthy, has the signers of the
    /// entries dropped at start delete them (`ECDSARetire`), then tops up the pools of `wallets`, so that the first
    /// sign after a restart finds a pooled presignature instead of presigning (~0.7 s) on its path.
    func resumeAfterStart(_ ctx: CoordinatorContext, wallets: [String]) async {
        for _ in 0..<60 where !Task.isCancelled {
            if await ctx.healthyNodes().count >= ctx.manifest.threshold { break }
            try? await Task.sleep(for: .seconds(1))
        }
        guard !Task.isCancelled else { return }
        let dropped = droppedAtStart
        droppedAtStart = [:]
        for (wallet, entries) in dropped.sorted(by: { $0.key < $1.key }) { await ECDSARetire.run(ctx: ctx, wallet: wallet, entries: entries, why: "dropped") }
        ctx.log.info("topping up the presignature pools of \(wallets.count) ECDSA wallet(s)")
        for wallet in wallets { refill(ctx, wallet: wallet) }
    }

    init(dataDir: String, target: Int) {
        path = (dataDir as NSString).appendingPathComponent("presign-pool.json")
        culpritsPath = (dataDir as NSString).appendingPathComponent("presign-culprits.json")
        self.target = target
        // Reserved entries may have been handed out before a crash: never offered again (and retired at the nodes).
        let stored = (try? JSONFile.read(path) as [String: [PooledPresignature]]) ?? [:]
        byWallet = stored.mapValues { $0.filter { $0.reserved != true } }
        droppedAtStart = stored.mapValues { $0.filter { $0.reserved == true } }.filter { !$0.value.isEmpty }
        culprits = ((try? JSONFile.read(culpritsPath) as [String: [String]]) ?? [:]).mapValues { Set($0) }
    }

    /// Writes the pool (fsync'd) on the disk thread, not on Swift's cooperative pool; afterwards the entries
    /// marked `reserved` in what was written count as reserved on disk (`onDisk`). Writes land in call order.
    private func save() async {
        let snapshot = byWallet, path = self.path
        let marked = snapshot.values.flatMap { $0 }.filter { $0.reserved == true }.map(\.presignId)
        let written = await disk.run { () -> Bool in
            do { try JSONFile.write(snapshot, to: path, mode: 0o600); return true }
            catch { Log("coordinator").error("presign pool: \(error)"); return false }
        }
        // Only entries still pooled: one handed out while the write ran must not linger in `onDisk`.
        let pooled = Set(byWallet.values.flatMap { $0 }.map(\.presignId))
        if written { onDisk.formUnion(marked.filter(pooled.contains)) }
    }

    func count(_ wallet: String, signers: [String]) -> Int { byWallet[wallet]?.filter { $0.signers == signers }.count ?? 0 }

    /// A signer set with a pooled presignature whose members are all in `candidates`.
    func pooledSet(_ wallet: String, among candidates: Set<String>) -> [String]? {
        byWallet[wallet]?.first { Set($0.signers).isSubset(of: candidates) }?.signers
    }

    /// Removes and returns one presignature for exactly `signers`: one whose `reserved` mark is on disk already,
    /// else any, after writing the pool without it. Then marks more in the background (`reserve`) when fewer than
    /// `reserveLow` of the set's entries are marked.
    /// Also returns the ids of the next entries for the same set (reserved ones first), which the signers take
    /// out of their stores ahead of use (`ECDSANodeRequest.armNext`).
    func take(_ wallet: String, signers: [String]) async -> (presignature: PooledPresignature, next: [String])? {
        let list = byWallet[wallet] ?? []
        guard let any = list.firstIndex(where: { $0.signers == signers }) else { return nil }
        lastTake[wallet] = .now
        let taken: PooledPresignature
        if let i = list.firstIndex(where: { $0.signers == signers && onDisk.contains($0.presignId) }) {
            taken = list[i]
            byWallet[wallet]?.remove(at: i)
        } else {
            taken = list[any]
            byWallet[wallet]?.remove(at: any)   // before the write: nothing else can take it meanwhile
            await save()
        }
        onDisk.remove(taken.presignId)
        let rest = (byWallet[wallet] ?? []).filter { $0.signers == signers }
        if rest.count(where: { $0.reserved == true }) < reserveLow { Task { await self.reserve(wallet, signers: signers) } }
        let next = (rest.filter { $0.reserved == true } + rest.filter { $0.reserved != true }).prefix(armAhead).map(\.presignId)
        return (taken, Array(next))
    }

    /// Marks up to `reserveTarget` entries for `signers` reserved and writes the pool (also dropping the entries
    /// handed out since the last write).
    private func reserve(_ wallet: String, signers: [String]) async {
        var marked = 0
        for i in (byWallet[wallet] ?? []).indices where byWallet[wallet]?[i].signers == signers {
            if byWallet[wallet]?[i].reserved != true, marked < reserveTarget { byWallet[wallet]?[i].reserved = true }
            if byWallet[wallet]?[i].reserved == true { marked += 1 }
        }
        await save()
    }

    func add(_ wallet: String, _ p: PooledPresignature) async {
        byWallet[wallet, default: []].append(p)
        await save()
    }

    /// Drops every pooled presignature that involves `node` (it cheated: its parts cannot be trusted).
    func drop(_ wallet: String, involving node: String) async {
        byWallet[wallet]?.removeAll { $0.signers.contains(node) }
        await save()
    }

    /// Drops every pooled presignature of the wallet (resharing: they were made with the old shares).
    func dropAll(_ wallet: String) async {
        byWallet[wallet] = nil
        await save()
    }

    /// Records presign culprits of a wallet: drops their pooled presignatures and keeps them out of the pool's
    /// signer sets. Returns the metric `presign_culprits_total`.
    func exclude(_ wallet: String, culprits named: [String]) async -> Int {
        for n in named {
            culprits[wallet, default: []].insert(n)
            await drop(wallet, involving: n)
        }
        culpritsTotal += named.count
        let snapshot = culprits.mapValues { $0.sorted() }, path = culpritsPath
        await disk.run {
            do { try JSONFile.write(snapshot, to: path, mode: 0o600) } catch { Log("coordinator").error("presign culprits: \(error)") }
        }
        return culpritsTotal
    }

    func excluded(_ wallet: String) -> Set<String> { culprits[wallet] ?? [] }

    /// Starts filling the wallet's pool in the background unless a filler runs already.
    nonisolated func refill(_ ctx: CoordinatorContext, wallet: String) {
        Task { await self.fill(ctx, wallet: wallet) }
    }

    private func fill(_ ctx: CoordinatorContext, wallet: String) async {
        guard target > 0, !filling.contains(wallet) else { return }
        filling.insert(wallet)
        defer { filling.remove(wallet) }
        let entry = Self.entry(ctx, wallet)
        let t = WalletHolders.threshold(entry?.threshold, manifest: ctx.manifest)
        let holders = Set(WalletHolders.members(entry?.members, manifest: ctx.manifest))
        // A set whose presigning named a culprit is replaced by one without it (a few times at most).
        for _ in 0..<3 {
            let usable = holders.subtracting(excluded(wallet))
            let healthy = await ctx.healthyNodes { h in usable.filter(h.contains).count >= t }
            let set = Array(ctx.manifest.nodes.map(\.id).filter { usable.contains($0) && healthy.contains($0) }.prefix(t))
            guard set.count == t else { return }
            var named = false
            while count(wallet, signers: set) < target, !named {
                await yieldToSigning(wallet, signers: set)
                switch await ECDSAPresignDriver.run(ctx: ctx, walletId: wallet, signers: set) {
                case .success(let p):
                    // A resharing committed meanwhile: the set and threshold may be stale (the presignature is dropped).
                    guard Self.entry(ctx, wallet)?.generation == entry?.generation else {
                        ctx.log.info("presign pool of \(wallet): reshared while presigning, presignature \(p.presignId) not pooled")
                        return
                    }
                    await add(wallet, p)
                    ctx.log.info("presign pool of \(wallet) for \(set.joined(separator: ",")): \(count(wallet, signers: set))/\(target)")
                case .failure(let f):
                    ctx.log.warn("presign pool of \(wallet): \(f.error); culprits \(f.culprits.joined(separator: ","))")
                    guard !f.culprits.isEmpty else { return }
                    named = true
                }
            }
            if !named { return }
        }
    }

    /// Waits while presignatures of the wallet are being taken (a sign in the last `quiet`), as long as the set
    /// keeps more than `lowWatermark` of them.
    private func yieldToSigning(_ wallet: String, signers: [String]) async {
        while count(wallet, signers: signers) > lowWatermark, let last = lastTake[wallet], last + quiet > .now {
            try? await Task.sleep(until: last + quiet)
        }
    }

    /// The wallet's registry entry (holders, threshold, generation as its last resharing set them), read from
    /// wallets.json, the registry's file.
    private static func entry(_ ctx: CoordinatorContext, _ wallet: String) -> WalletEntry? {
        (try? JSONFile.read((ctx.config.dataDir as NSString).appendingPathComponent("wallets.json")) as [String: WalletEntry])?[wallet]
    }
}
