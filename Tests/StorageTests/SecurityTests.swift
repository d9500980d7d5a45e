import Foundation
import Protocols
import Testing
@testable import Storage

@Suite struct SecurityTests {
    @Test func wrongPassphraseIsATypedErrorAndWritesNothing() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let store = try openStore(dir)
                try await store.putShare(walletID: "w", generation: 1, share: [1, 2, 3])
                await store.close()
            }
            let before = Hash.sha256(try fileBytes(dataFile(dir)))
            let error = await storageError { _ = try openStore(dir, passphrase: "wrong horse battery staple") }
            #expect(error == .wrongPassphrase)
            #expect(error?.code == "STORAGE_WRONG_PASSPHRASE")
            #expect(error.map { "\($0)".contains("horse") } == false)
            #expect(Hash.sha256(try fileBytes(dataFile(dir))) == before)

            let store = try openStore(dir)
            #expect(try await store.share(walletID: "w", generation: 1) == [1, 2, 3])
            await store.close()
            // Reopening with the right passphrase writes nothing either.
            #expect(Hash.sha256(try fileBytes(dataFile(dir))) == before)
        }
    }

    @Test func nothingSecretReachesTheFileInClear() async throws {
        try await withTemporaryDirectory { dir in
            let pattern = Array("SECRET-SHARE-PATTERN-0123456789!".utf8)
            #expect(pattern.count == 32)
            let walletID = "wallet-visible-id-42"
            let store = try openStore(dir)
            try await store.putShare(walletID: walletID, generation: 1, share: pattern)
            try await store.putWallet(id: walletID, metadata: pattern)
            try await store.putAux("aux", value: pattern)
            try await store.putPresignature(id: "pre", value: pattern)
            try await store.putJournal("journal", value: pattern)
            await store.close()

            let bytes = try fileBytes(dataFile(dir))
            // Positive control: the scan does see what is stored in clear (keys are identifiers).
            #expect(contains(bytes, Array(walletID.utf8)))
            #expect(!contains(bytes, pattern))
            #expect(!contains(bytes, Array(pattern[0..<16])))
            #expect(!contains(bytes, Array(testPassphrase.utf8)))
        }
    }

    @Test func tamperedValuesAreCorruptedNeverCrashOrSkip() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let store = try openStore(dir)
                for g: UInt64 in 1...4 { try await store.putShare(walletID: "w", generation: g, share: Array(repeating: UInt8(g), count: 32)) }
                await store.close()
            }
            // Flip a ciphertext byte, flip a tag byte, truncate, change the version byte.
            let keys: [[UInt8]] = try withRawTable(dir, "shares") { txn, db in
                let entries = try txn.entries(db)
                #expect(entries.count == 4)
                var v0 = entries[0].value; v0[20] ^= 0x01
                var v1 = entries[1].value; v1[v1.count - 1] ^= 0x80
                let v2 = Array(entries[2].value.prefix(10))
                var v3 = entries[3].value; v3[0] = 2
                for (e, v) in zip(entries, [v0, v1, v2, v3]) { try txn.put(db, e.key, v) }
                return entries.map(\.key)
            }
            let store = try openStore(dir)
            for (i, g) in (UInt64(1)...4).enumerated() {
                let error = await storageError { _ = try await store.share(walletID: "w", generation: g) }
                #expect(error == .corrupted(table: "shares", key: keys[i]))
                #expect(error?.code == "STORAGE_CORRUPTED")
            }
            // Listing and "latest" do not skip the bad records either.
            let latest = await storageError { _ = try await store.latestShare(walletID: "w") }
            #expect(latest?.code == "STORAGE_CORRUPTED")
            await store.close()
        }
    }

    @Test func aSealedValueCannotMoveToAnotherKeyOrTable() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let store = try openStore(dir)
                try await store.putWallet(id: "alice", metadata: [1, 2, 3])
                try await store.putWallet(id: "bob", metadata: [4, 5, 6])
                try await store.putAux("same-key", value: [7])
                try await store.putJournal("same-key", value: [8])
                try await store.putPresignature(id: "pre-a", value: [9])
                await store.close()
            }
            let alice: [UInt8] = try withRawTable(dir, "wallets") { txn, db in
                let v = try #require(try txn.get(db, Array("alice".utf8)))
                try txn.put(db, Array("bob".utf8), v)
                return v
            }
            try withRawTable(dir, "journal") { txn, db in try txn.put(db, Array("same-key".utf8), alice) }
            let aux: [UInt8] = try withRawTable(dir, "aux") { txn, db in try #require(try txn.get(db, Array("same-key".utf8))) }
            try withRawTable(dir, "journal") { txn, db in try txn.put(db, Array("same-key".utf8), aux) }
            try withRawTable(dir, "presignatures") { txn, db in
                let v = try #require(try txn.get(db, Array("pre-a".utf8)))
                try txn.put(db, Array("pre-b".utf8), v)
            }

            let store = try openStore(dir)
            #expect(try await store.wallet(id: "alice") == [1, 2, 3])
            #expect(await storageError { _ = try await store.wallet(id: "bob") } == .corrupted(table: "wallets", key: Array("bob".utf8)))
            #expect(await storageError { _ = try await store.listWallets() } == .corrupted(table: "wallets", key: Array("bob".utf8)))
            #expect(await storageError { _ = try await store.journal("same-key") } == .corrupted(table: "journal", key: Array("same-key".utf8)))
            // A copied presignature cannot be consumed a second time under another id.
            #expect(await storageError { _ = try await store.consumePresignature(id: "pre-b") } == .corrupted(table: "presignatures", key: Array("pre-b".utf8)))
            #expect(try await store.consumePresignature(id: "pre-a") == [9])
            await store.close()
        }
    }

    @Test func tamperedMetadataIsRefused() async throws {
        try await withTemporaryDirectory { dir in
            do { let store = try openStore(dir); await store.close() }
            // A hostile KDF record asking for 1 TiB of memory is refused before any allocation.
            try withRawTable(dir, "meta") { txn, db in
                var kdf = try #require(try txn.get(db, Array("kdf".utf8)))
                for i in 9..<17 { kdf[i] = 0xff }
                try txn.put(db, Array("kdf".utf8), kdf)
            }
            let error = await storageError { _ = try openStore(dir) }
            #expect(error?.code == "STORAGE_INVALID_KDF_PARAMETERS")
        }
        try await withTemporaryDirectory { dir in
            do { let store = try openStore(dir); await store.close() }
            try withRawTable(dir, "meta") { txn, db in try txn.put(db, Array("format-version".utf8), [0, 0, 0, 9]) }
            #expect(await storageError { _ = try openStore(dir) } == .unsupportedFormatVersion(9))
        }
        try await withTemporaryDirectory { dir in
            do { let store = try openStore(dir); await store.close() }
            try withRawTable(dir, "meta") { txn, db in
                var check = try #require(try txn.get(db, Array("key-check".utf8)))
                check[check.count - 1] ^= 1
                try txn.put(db, Array("key-check".utf8), check)
            }
            #expect(await storageError { _ = try openStore(dir) } == .wrongPassphrase)
        }
    }

    @Test func kdfParametersBelowTheMinimumAreRefused() throws {
        #expect(throws: StorageError.self) { try KDFParameters(opsLimit: 0, memLimit: 64 << 20) }
        #expect(throws: StorageError.self) { try KDFParameters(opsLimit: 2, memLimit: 1024) }
        let ok = try KDFParameters(opsLimit: 2, memLimit: 64 << 20)
        #expect(ok == .interactive)
        #expect(KDFParameters.moderate.memLimit == 256 << 20 && KDFParameters.moderate.opsLimit == 3)
    }

    @Test func sealingKeyAndErrorsNeverPrintSecrets() {
        let key = SealingKey(copying: Array(repeating: 0x41, count: 32))
        #expect("\(key)" == "<redacted>")
        #expect(!String(reflecting: key).contains("AAAA"))
        #expect(StorageError.corrupted(table: "shares", key: [0, 1]).description.contains("shares/0x0001"))
    }
}
