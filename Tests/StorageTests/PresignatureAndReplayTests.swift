import Foundation
import Protocols
import Testing
@testable import Storage

@Suite struct PresignatureAndReplayTests {
    @Test func consumeIsSingleUse() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let store = try openStore(dir)
                try await store.putPresignature(id: "p1", value: [1, 2])
                try await store.putPresignature(id: "p2", value: [3])
                #expect(try await store.consumePresignature(id: "p1") == [1, 2])
                #expect(try await store.consumePresignature(id: "p1") == nil)
                #expect(try await store.consumePresignature(id: "unknown") == nil)
                await store.close()
            }
            // Consumed is consumed on disk: a restart does not bring it back.
            let store = try openStore(dir)
            #expect(try await store.consumePresignature(id: "p1") == nil)
            #expect(try await store.presignatureIDs() == [Array("p2".utf8)])
            #expect(try await store.consumePresignature(id: "p2") == [3])
            #expect(try await store.presignatureCount() == 0)
            await store.close()
        }
    }

    /// Checklist 17: a store restored from a backup brings back presignatures used since the backup (shown here), and
    /// `dropAllPresignatures` (what `mpc-node --drop-presignatures` runs) deletes every one of them durably.
    @Test func restoredBackupIsMadeSafeByDroppingPresignatures() async throws {
        try await withTemporaryDirectory { dir in
            let backup = dir + "-backup"
            defer { try? FileManager.default.removeItem(atPath: backup) }
            do {
                let store = try openStore(dir)
                try await store.putPresignature(id: "p1", value: [1])
                try await store.putPresignature(id: "p2", value: [2])
                await store.close()
            }
            try FileManager.default.copyItem(atPath: dir, toPath: backup)
            do {
                let store = try openStore(dir)
                #expect(try await store.consumePresignature(id: "p1") == [1])
                await store.close()
            }
            try FileManager.default.removeItem(atPath: dir)
            try FileManager.default.copyItem(atPath: backup, toPath: dir)
            do {
                let store = try openStore(dir)
                #expect(try await store.presignatureIDs() == [Array("p1".utf8), Array("p2".utf8)])   // p1 is back: the danger
                #expect(try await store.dropAllPresignatures() == 2)
                #expect(try await store.dropAllPresignatures() == 0)
                await store.close()
            }
            let store = try openStore(dir)
            #expect(try await store.consumePresignature(id: "p1") == nil)
            #expect(try await store.presignatureCount() == 0)
            await store.close()
        }
    }

    @Test func concurrentConsumersGetEachPresignatureExactlyOnce() async throws {
        try await withTemporaryDirectory { dir in
            let store = try openStore(dir)
            let ids = (0..<8).map { "pre-\($0)" }
            for (i, id) in ids.enumerated() { try await store.putPresignature(id: id, value: [UInt8(i)]) }

            // 64 tasks race for the 8 presignatures, 8 tasks per id.
            let winners = try await withThrowingTaskGroup(of: (String, [UInt8]?).self) { group in
                for t in 0..<64 {
                    let id = ids[t % ids.count]
                    group.addTask { (id, try await store.consumePresignature(id: id)) }
                }
                var got: [String: [[UInt8]]] = [:]
                for try await (id, value) in group { if let value { got[id, default: []].append(value) } }
                return got
            }
            #expect(winners.count == ids.count)
            for (i, id) in ids.enumerated() { #expect(winners[id] == [[UInt8(i)]]) }
            #expect(try await store.presignatureCount() == 0)
            await store.close()
        }
    }

    @Test func replayCacheDetectsReplaysAcrossRestartsAndPrunesOnlyExpired() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let store = try openStore(dir)
                #expect(try await store.insertReplayIfAbsent("m-old", expiresAt: 100))
                #expect(try await store.insertReplayIfAbsent("m-edge", expiresAt: 200))
                #expect(try await store.insertReplayIfAbsent("m-new", expiresAt: 300))
                #expect(try await store.insertReplayIfAbsent("m-old", expiresAt: 999) == false)
                await store.close()
            }
            let store = try openStore(dir)
            #expect(try await store.insertReplayIfAbsent("m-new", expiresAt: 300) == false)
            #expect(try await store.replayExpiry("m-old") == 100)   // the second insert did not change it
            #expect(try await store.replayCount() == 3)
            // Pruned: expiry strictly before now. An entry expiring exactly now is kept.
            #expect(try await store.pruneReplay(now: 200) == 1)
            #expect(try await store.replayExpiry("m-old") == nil)
            #expect(try await store.replayExpiry("m-edge") == 200)
            #expect(try await store.insertReplayIfAbsent("m-new", expiresAt: 300) == false)
            #expect(try await store.pruneReplay(now: 200) == 0)
            #expect(try await store.pruneReplay(now: 1_000) == 2)
            #expect(try await store.replayCount() == 0)
            await store.close()
        }
    }

    @Test func concurrentReplayInsertsAdmitExactlyOne() async throws {
        try await withTemporaryDirectory { dir in
            let store = try openStore(dir)
            let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<32 { group.addTask { try await store.insertReplayIfAbsent("nonce-x", expiresAt: 50) } }
                var n = 0
                for try await new in group where new { n += 1 }
                return n
            }
            #expect(admitted == 1)
            await store.close()
        }
    }

    @Test func aCorruptedReplayEntryStopsPruningInsteadOfBeingSkipped() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let store = try openStore(dir)
                _ = try await store.insertReplayIfAbsent("a", expiresAt: 1)
                await store.close()
            }
            try withRawTable(dir, "replay") { txn, db in
                var v = try #require(try txn.get(db, Array("a".utf8)))
                v[5] ^= 0xff
                try txn.put(db, Array("a".utf8), v)
            }
            let store = try openStore(dir)
            #expect(await storageError { _ = try await store.pruneReplay(now: 10) } == .corrupted(table: "replay", key: Array("a".utf8)))
            #expect(try await store.insertReplayIfAbsent("a", expiresAt: 1) == false)
            await store.close()
        }
    }
}
