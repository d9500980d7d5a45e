import Foundation
import Testing
@testable import Storage

@Suite struct LMDBEnvironmentTests {
    @Test func filesAreOwnerOnlyAndErrorsCarryTheMDBCode() async throws {
        try await withTemporaryDirectory { dir in
            var options = LMDBEnvironment.Options()
            options.mapSize = 256 << 10   // tiny, to hit MDB_MAP_FULL
            let env = try LMDBEnvironment(directory: dir, options: options)
            defer { env.close() }
            let db = try #require(try env.write { txn throws(StorageError) in try txn.openDatabase("t", create: true) })
            for name in ["data.mdb", "lock.mdb"] {
                let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/" + name)
                #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o077 } == 0, "\(name)")
            }
            var full: StorageError?
            do {
                for i in 0..<10_000 {
                    try env.write { txn throws(StorageError) in _ = try txn.put(db, Array("k\(i)".utf8), [UInt8](repeating: 1, count: 1024)) }
                }
            } catch let e as StorageError {
                full = e
            }
            guard case let .lmdb(operation, code, message) = full else {
                Issue.record("expected MDB_MAP_FULL, got \(String(describing: full))")
                return
            }
            #expect(code == -30792)
            #expect(message.contains("MDB_MAP_FULL"))
            #expect(operation.hasPrefix("mdb_put") || operation.hasPrefix("mdb_txn_commit"))
        }
    }

    @Test func aThrowingWriteTransactionLeavesNothingBehind() async throws {
        try await withTemporaryDirectory { dir in
            let env = try LMDBEnvironment(directory: dir)
            defer { env.close() }
            let db = try #require(try env.write { txn throws(StorageError) in try txn.openDatabase("t", create: true) })
            #expect(throws: StorageError.self) {
                try env.write { txn throws(StorageError) in
                    try txn.put(db, [1], [1])
                    throw StorageError.sealingFailed
                }
            }
            #expect(try env.read { txn throws(StorageError) in try txn.get(db, [1]) } == nil)
            #expect(try env.read { txn throws(StorageError) in try txn.openDatabase("absent", create: false) } == nil)
        }
    }

    @Test func theSameDirectoryCannotBeOpenedTwiceInOneProcess() async throws {
        try await withTemporaryDirectory { dir in
            let store = try openStore(dir)
            let second = await storageError { _ = try openStore(dir) }
            #expect(second == .alreadyOpen(path: dir))
            await store.close()
            let again = try openStore(dir)
            await again.close()
        }
    }
}
