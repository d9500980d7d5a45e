import Foundation
import Testing
@testable import Storage

/// The envelope replay cache without per-write fsync (`ReplayCache`): its entries survive a reopen in the same
/// boot, and after a (simulated) reboot the cache is discarded and the durable high-water mark refuses every
/// envelope that could have been accepted before.
@Suite struct ReplayCacheTests {
    let now: UInt64 = 1_800_000_000_000

    @Test func recordsOnceAndKeepsEntriesAcrossReopenInTheSameBoot() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let c = try ReplayCache(directory: dir, now: now, bootId: "boot-a")
                #expect(c.fence == 0 && !c.wiped)
                #expect(await c.recordFirstUse(sender: "node-1", nonce: [1, 2, 3], timestamp: now, expiresAt: now + 1000))
                #expect(await c.recordFirstUse(sender: "node-1", nonce: [1, 2, 3], timestamp: now, expiresAt: now + 1000) == false)
                #expect(await c.recordFirstUse(sender: "node-2", nonce: [1, 2, 3], timestamp: now, expiresAt: now + 1000))
                await c.close()
            }
            let again = try ReplayCache(directory: dir, now: now + 5, bootId: "boot-a")
            #expect(again.fence == 0 && !again.wiped)
            #expect(await again.recordFirstUse(sender: "node-1", nonce: [1, 2, 3], timestamp: now, expiresAt: now + 1000) == false)
            #expect(try await again.count() == 2)
            // pruning drops only what expired
            #expect(await again.recordFirstUse(sender: "node-3", nonce: [9], timestamp: now, expiresAt: now + 5000))
            #expect(try await again.prune(now: now + 2000) == 2)
            #expect(try await again.count() == 1)
            #expect(await again.recordFirstUse(sender: "node-3", nonce: [9], timestamp: now, expiresAt: now + 5000) == false)
            await again.close()
        }
    }

    @Test func highWaterMarkIsDurableBeforeAnEnvelopeAboveItIsAccepted() async throws {
        try await withTemporaryDirectory { dir in
            let c = try ReplayCache(directory: dir, now: now, bootId: "boot-a")
            let initial = await c.highWater
            #expect(initial == now + ReplayCache.highWaterStep)
            #expect(ReplayCache.readFence(dir + "/replay-fence")?.highWater == initial)
            // below the mark: no new durable write
            #expect(await c.recordFirstUse(sender: "n", nonce: [1], timestamp: initial - 1, expiresAt: initial + 10))
            #expect(ReplayCache.readFence(dir + "/replay-fence")?.highWater == initial)
            // at the mark: the file moves first
            let ts = initial + 12_345
            #expect(await c.recordFirstUse(sender: "n", nonce: [2], timestamp: ts, expiresAt: ts + 10))
            let record = try #require(ReplayCache.readFence(dir + "/replay-fence"))
            #expect(record.highWater > ts && record.bootId == "boot-a")
            #expect(await c.highWater == record.highWater)
            await c.close()
        }
    }

    @Test func afterAnotherBootTheCacheIsDiscardedAndEverythingBelowTheMarkIsRefused() async throws {
        try await withTemporaryDirectory { dir in
            var accepted: [(nonce: [UInt8], ts: UInt64)] = []
            do {
                let c = try ReplayCache(directory: dir, now: now, bootId: "boot-a")
                // timestamps up to 30 s ahead of the receiver's clock are allowed by the verifier
                for (i, skew) in [UInt64(0), 2_000, 29_999].enumerated() {
                    let ts = now + skew
                    #expect(await c.recordFirstUse(sender: "node-1", nonce: [UInt8(i)], timestamp: ts, expiresAt: ts + 60_000))
                    accepted.append(([UInt8(i)], ts))
                }
                await c.close()
            }
            // the machine "crashed" and rebooted: another boot id; the clock even went back by a minute
            let later = try ReplayCache(directory: dir, now: now - 60_000, bootId: "boot-b")
            #expect(later.wiped)
            #expect(try await later.count() == 0)
            #expect(later.fence > accepted.map(\.ts).max()!)
            for a in accepted {
                #expect(await later.recordFirstUse(sender: "node-1", nonce: a.nonce, timestamp: a.ts, expiresAt: a.ts + 60_000) == false)
            }
            // fresh envelopes (timestamps at or above the fence) are accepted, once
            #expect(await later.recordFirstUse(sender: "node-1", nonce: [7], timestamp: later.fence, expiresAt: later.fence + 10))
            #expect(await later.recordFirstUse(sender: "node-1", nonce: [7], timestamp: later.fence, expiresAt: later.fence + 10) == false)
            await later.close()
            // the next start in this boot keeps the entries and needs no fence
            let same = try ReplayCache(directory: dir, now: now, bootId: "boot-b")
            #expect(!same.wiped && same.fence == 0)
            #expect(await same.recordFirstUse(sender: "node-1", nonce: [7], timestamp: later.fence, expiresAt: later.fence + 10) == false)
            await same.close()
        }
    }

    @Test func aCacheWithoutItsFenceRecordIsNotTrusted() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let c = try ReplayCache(directory: dir, now: now, bootId: "boot-a")
                #expect(await c.recordFirstUse(sender: "n", nonce: [1], timestamp: now, expiresAt: now + 10))
                await c.close()
            }
            #expect(unlink(dir + "/replay-fence") == 0)
            let c = try ReplayCache(directory: dir, now: now, bootId: "boot-a", unknownMargin: 60_000)
            #expect(c.wiped && c.fence == now + 60_000)
            #expect(await c.recordFirstUse(sender: "n", nonce: [1], timestamp: now, expiresAt: now + 10) == false)
            await c.close()
            // and a record without its cache (data.mdb deleted) is not either
            #expect(unlink(dir + "/data.mdb") == 0)
            let d = try ReplayCache(directory: dir, now: now, bootId: "boot-a")
            #expect(d.wiped && d.fence == c.fence + ReplayCache.highWaterStep)
            await d.close()
        }
    }

    @Test func takesOverTheStoresOwnReplayTable() async throws {
        try await withTemporaryDirectory { dir in
            let store = try openStore(dir)
            let id = Array("coordinator".utf8) + [0] + [5, 5, 5]
            #expect(try await store.insertReplayIfAbsent(id, expiresAt: now + 10_000))
            #expect(try await store.insertReplayIfAbsent(Array("x".utf8), expiresAt: now - 1))   // expired: pruned
            let cache = try await ReplayCache.open(besides: store, storeDirectory: dir, now: now)
            #expect(try await store.replayCount() == 0)
            #expect(try await cache.count() == 1)
            #expect(await cache.recordFirstUse(sender: "coordinator", nonce: [5, 5, 5], timestamp: now, expiresAt: now + 10_000) == false)
            await cache.close()
            await store.close()
        }
    }
}
