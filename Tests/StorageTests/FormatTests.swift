import Foundation
import Protocols
import Testing
@testable import Storage

/// Golden vectors pinning the stored formats, so they never change by accident. The expected values were
/// computed independently (Python `cryptography` AES-GCM, PyNaCl Argon2id), not by this code.
@Suite struct FormatTests {
    let key = SealingKey(copying: Array(0..<32))
    let nonce: [UInt8] = Array(0xa0...0xab)

    @Test func shareKeyLayout() async throws {
        try await withTemporaryDirectory { dir in
            let store = try openStore(dir)
            #expect(Hex.encode(try await store.shareKey("w", 1)) == "0001770000000000000001")
            await store.close()
        }
    }

    @Test func associatedDataLayout() {
        let aad = Sealer.associatedData(version: 1, table: "shares", key: Hex.decode("0001770000000000000001") ?? [])
        #expect(Hex.encode(aad) == "7473732d637573746f64792f73746f726167652f763101000000067368617265730000000b0001770000000000000001")
    }

    @Test func sealedValueLayout() throws {
        let sealer = try Sealer(key: key)
        let recordKey = try #require(Hex.decode("0001770000000000000001"))
        let sealed = try sealer.seal(Array("share-bytes".utf8), table: "shares", key: recordKey, nonce: nonce)
        #expect(Hex.encode(sealed) == "01a0a1a2a3a4a5a6a7a8a9aaab95701d5f20e660c61600f417c62e00dc8cf99c8e3e9155b4b9aaff")
        #expect(try sealer.open(sealed, table: "shares", key: recordKey) == Array("share-bytes".utf8))
        #expect(throws: StorageError.corrupted(table: "shares", key: [1])) { try sealer.open(sealed, table: "shares", key: [1]) }
        #expect(throws: StorageError.corrupted(table: "aux", key: recordKey)) { try sealer.open(sealed, table: "aux", key: recordKey) }
        // Empty values seal and open too.
        let empty = try sealer.seal([], table: "t", key: [1])
        #expect(empty.count == Sealer.overhead)
        #expect(try sealer.open(empty, table: "t", key: [1]) == [])
    }

    @Test func freshNoncePerSeal() throws {
        let sealer = try Sealer(key: key)
        let a = try sealer.seal([1, 2, 3], table: "t", key: [1])
        let b = try sealer.seal([1, 2, 3], table: "t", key: [1])
        #expect(a != b)
        #expect(a[1..<13] != b[1..<13])
    }

    @Test func argon2idDerivation() throws {
        let parameters = try KDFParameters(opsLimit: 2, memLimit: 8 << 20)
        let derived = try KeyDerivation.deriveKey(passphrase: SecretBytes(Array(testPassphrase.utf8)),
                                                  salt: Array(0..<16), parameters: parameters)
        #expect(Hex.encode(derived.secret.copyBytes()) == "a891dd91a3d123add6ea78ceedcc94a7f1dc1e4ca480e57e6f240a113662ea2f")
    }

    @Test func kdfRecordLayout() throws {
        let record = StoreMeta.encodeKDF(.interactive, salt: Array(0..<16))
        #expect(Hex.encode(record) == "02" + "0000000000000002" + "0000000004000000" + "000102030405060708090a0b0c0d0e0f")
        let (parameters, salt) = try StoreMeta.decodeKDF(record)
        #expect(parameters == .interactive && salt == Array(0..<16))
        #expect(throws: StorageError.self) { try StoreMeta.decodeKDF(Array(record.dropLast())) }
        #expect(Hex.encode(StoreMeta.encodeVersion(1)) == "00000001")
    }

    @Test func metaMissingWhileTablesExistIsRefused() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let store = try openStore(dir)
                try await store.putAux("a", value: [1])
                await store.close()
            }
            do {
                let env = try LMDBEnvironment(directory: dir)
                defer { env.close() }
                try env.write { txn throws(StorageError) in
                    guard let db = try txn.openDatabase("meta", create: false) else { throw StorageError.closed }
                    for e in try txn.entries(db) { _ = try txn.delete(db, e.key) }
                }
            }
            #expect(await storageError { _ = try openStore(dir) }?.code == "STORAGE_METADATA_INVALID")
        }
    }

    @Test func errorCodesAreStableAndDistinct() {
        let samples: [StorageError] = [
            .lmdb(operation: "x", code: 1, message: "m"), .wrongPassphrase, .corrupted(table: "t", key: [1]),
            .metadataInvalid("x"), .unsupportedFormatVersion(2), .aesGCMUnavailable, .sodiumUnavailable,
            .invalidKDFParameters("x"), .keyDerivationFailed, .sealingFailed, .invalidKey("x"),
            .alreadyExists(table: "t", key: [1]), .closed, .alreadyOpen(path: "/p"), .directoryUnusable(path: "/p", errno: 1),
            .passphraseFileInsecure(path: "/p", mode: 0o644), .passphraseFileUnreadable(path: "/p", errno: 2),
            .passphraseEnvironmentMissing(name: "N"), .passphraseEmpty, .passphrasePromptFailed(errno: 5),
        ]
        let codes = samples.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy { $0.hasPrefix("STORAGE_") })
        #expect(samples.allSatisfy { $0.description.hasPrefix($0.code) })
    }
}
