import Foundation
import Protocols
@testable import Storage

/// A fresh directory under the system temp dir, removed when `body` returns or throws.
func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("storage-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: base) }
    return try await body(base.appendingPathComponent("store").path)
}

let testPassphrase = "correct horse battery staple"

/// Opens a store with INTERACTIVE Argon2id (the lowest preset; production uses MODERATE).
func openStore(_ directory: String, passphrase: String = testPassphrase) throws(StorageError) -> NodeStore {
    try NodeStore(directory: directory, passphrase: SecretBytes(Array(passphrase.utf8)),
                  options: .init(mapSize: 64 << 20, kdf: .interactive))
}

func dataFile(_ directory: String) -> String { directory + "/data.mdb" }

func fileBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// True if `needle` occurs anywhere in `haystack`.
func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    let first = needle[0]
    var i = 0
    while i <= haystack.count - needle.count {
        if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
        i += 1
    }
    return false
}

/// Raw access to the LMDB file underneath a (closed) store, the way an attacker with disk access sees it.
@discardableResult
func withRawTable<R>(_ directory: String, _ table: String, _ body: (LMDBTransaction, LMDBDatabase) throws -> R) throws -> R {
    let env = try LMDBEnvironment(directory: directory)
    defer { env.close() }
    return try env.write { txn throws(StorageError) -> R in
        guard let db = try txn.openDatabase(table, create: false) else { throw StorageError.metadataInvalid("no table \(table)") }
        do { return try body(txn, db) } catch let e as StorageError { throw e } catch {
            throw StorageError.metadataInvalid("test body failed: \(error)")
        }
    }
}

/// The error `body` throws, or nil.
func storageError(_ body: () async throws -> Void) async -> StorageError? {
    do { try await body(); return nil } catch let e as StorageError { return e } catch { return nil }
}
