import Foundation
import Protocols
import Testing
@testable import Storage

@Suite struct RoundTripTests {
    @Test func everyTableRoundTripsAndSurvivesReopen() async throws {
        try await withTemporaryDirectory { dir in
            let shareG1: [UInt8] = Array(repeating: 0x11, count: 32)
            let shareG2: [UInt8] = Array(repeating: 0x22, count: 32)
            do {
                let store = try openStore(dir)
                try await store.putShare(walletID: "w-1", generation: 1, share: shareG1)
                try await store.putShare(walletID: "w-1", generation: 2, share: shareG2)
                try await store.putShare(walletID: "w-10", generation: 7, share: [0x07])
                try await store.putWallet(id: "w-1", metadata: Array("meta-1".utf8))
                try await store.putWallet(id: "w-10", metadata: Array("meta-10".utf8))
                #expect(try await store.insertReplayIfAbsent("msg-1", expiresAt: 100))
                try await store.putPresignature(id: "pre-1", value: [1, 2, 3])
                try await store.putAux("paillier/w-1", value: [9, 9])
                try await store.putJournal("session-1/round-1", value: [4])
                try await store.putJournal("session-1/round-2", value: [5])
                try await store.putJournal("session-2/round-1", value: [])
                await store.close()
            }
            let store = try openStore(dir)
            #expect(try await store.share(walletID: "w-1", generation: 1) == shareG1)
            #expect(try await store.share(walletID: "w-1", generation: 3) == nil)
            let latest = try await store.latestShare(walletID: "w-1")
            #expect(latest?.generation == 2 && latest?.share == shareG2)
            #expect(try await store.latestGeneration(walletID: "w-10") == 7)
            #expect(try await store.latestGeneration(walletID: "w-2") == nil)
            #expect(try await store.shareGenerations(walletID: "w-1") == [1, 2])
            #expect(try await store.wallet(id: "w-1") == Array("meta-1".utf8))
            #expect(try await store.listWallets() == ["w-1", "w-10"])
            #expect(try await store.replayExpiry("msg-1") == 100)
            #expect(try await store.insertReplayIfAbsent("msg-1", expiresAt: 100) == false)
            #expect(try await store.aux("paillier/w-1") == [9, 9])
            #expect(try await store.journal("session-2/round-1") == [])
            #expect(try await store.journalEntries(prefix: "session-1/").map(\.value) == [[4], [5]])
            #expect(try await store.presignatureCount() == 1)
            #expect(try await store.consumePresignature(id: "pre-1") == [1, 2, 3])
            await store.close()
        }
    }

    @Test func generationsSortNumericallyAndOldOnesCanBeDestroyed() async throws {
        try await withTemporaryDirectory { dir in
            let store = try openStore(dir)
            for g: UInt64 in [300, 2, 256, 1] { try await store.putShare(walletID: "w", generation: g, share: [UInt8(g & 0xff)]) }
            #expect(try await store.shareGenerations(walletID: "w") == [1, 2, 256, 300])
            #expect(try await store.latestShare(walletID: "w")?.generation == 300)
            #expect(try await store.deleteShares(walletID: "w", olderThan: 256) == 2)
            #expect(try await store.shareGenerations(walletID: "w") == [256, 300])
            #expect(try await store.deleteShare(walletID: "w", generation: 300))
            #expect(try await store.latestGeneration(walletID: "w") == 256)
            await store.close()
        }
    }

    @Test func insertOnlyRecordsRefuseOverwrite() async throws {
        try await withTemporaryDirectory { dir in
            let store = try openStore(dir)
            try await store.putShare(walletID: "w", generation: 1, share: [1])
            let e1 = await storageError { try await store.putShare(walletID: "w", generation: 1, share: [2]) }
            #expect(e1?.code == "STORAGE_ALREADY_EXISTS")
            #expect(try await store.share(walletID: "w", generation: 1) == [1])
            try await store.putPresignature(id: "p", value: [1])
            let e2 = await storageError { try await store.putPresignature(id: "p", value: [2]) }
            #expect(e2 == .alreadyExists(table: "presignatures", key: Array("p".utf8)))
            await store.close()
        }
    }

    @Test func deleteWalletRemovesMetadataAndAllSharesAtomically() async throws {
        try await withTemporaryDirectory { dir in
            let store = try openStore(dir)
            try await store.putWallet(id: "a", metadata: [1])
            try await store.putWallet(id: "ab", metadata: [2])
            try await store.putShare(walletID: "a", generation: 1, share: [1])
            try await store.putShare(walletID: "a", generation: 2, share: [2])
            try await store.putShare(walletID: "ab", generation: 1, share: [3])
            #expect(try await store.deleteWallet(id: "a"))
            #expect(try await store.listWallets() == ["ab"])
            #expect(try await store.shareGenerations(walletID: "a") == [])
            #expect(try await store.share(walletID: "ab", generation: 1) == [3])
            #expect(try await store.deleteWallet(id: "a") == false)
            #expect(try await store.deleteAux("nothing") == false)
            await store.close()
        }
    }

    @Test func byteKeysAndInvalidKeys() async throws {
        try await withTemporaryDirectory { dir in
            let store = try openStore(dir)
            let id: [UInt8] = [0x00, 0xff, 0x10]
            #expect(try await store.insertReplayIfAbsent(id, expiresAt: 5))
            #expect(try await store.insertReplayIfAbsent(id, expiresAt: 5) == false)
            let empty = await storageError { try await store.putAux("", value: [1]) }
            #expect(empty?.code == "STORAGE_INVALID_KEY")
            let long = await storageError { try await store.putAux([UInt8](repeating: 1, count: 600), value: [1]) }
            #expect(long?.code == "STORAGE_INVALID_KEY")
            await store.close()
            let closed = await storageError { _ = try await store.aux("x") }
            #expect(closed == .closed)
        }
    }
}
