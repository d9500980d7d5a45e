import Foundation
import Glibc
import Protocols
import Testing
@testable import Storage

@Suite struct PassphraseSourceTests {
    private func writeFile(_ path: String, _ text: String, mode: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test func fileTrimsTheTrailingNewline() async throws {
        try await withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let path = dir + "/pass"
            try writeFile(path, "s3cret phrase\n", mode: 0o600)
            #expect(try PassphraseSource.file(path: path).read() == SecretBytes(Array("s3cret phrase".utf8)))
            try writeFile(path, "crlf\r\n", mode: 0o400)
            #expect(try PassphraseSource.file(path: path).read() == SecretBytes(Array("crlf".utf8)))
            try writeFile(path, "no-newline", mode: 0o600)
            #expect(try PassphraseSource.file(path: path).read() == SecretBytes(Array("no-newline".utf8)))
            try writeFile(path, "\n", mode: 0o600)
            #expect(throws: StorageError.passphraseEmpty) { try PassphraseSource.file(path: path).read() }
        }
    }

    @Test func groupOrWorldAccessibleFilesAreRefused() async throws {
        try await withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let path = dir + "/pass"
            for mode in [0o644, 0o640, 0o604, 0o620] {
                try writeFile(path, "secret-value\n", mode: mode)
                let error = await storageError { _ = try PassphraseSource.file(path: path).read() }
                #expect(error == .passphraseFileInsecure(path: path, mode: UInt32(mode)))
                #expect(error?.code == "STORAGE_PASSPHRASE_FILE_INSECURE")
                #expect(error.map { "\($0)".contains("secret-value") } == false)
            }
            let missing = await storageError { _ = try PassphraseSource.file(path: dir + "/absent").read() }
            #expect(missing?.code == "STORAGE_PASSPHRASE_FILE_UNREADABLE")
        }
    }

    @Test func environmentVariable() throws {
        let name = "STORAGE_TEST_PASSPHRASE_\(UUID().uuidString.prefix(8))"
        #expect(throws: StorageError.passphraseEnvironmentMissing(name: name)) { try PassphraseSource.environment(name: name).read() }
        setenv(name, "from the environment", 1)
        defer { unsetenv(name) }
        #expect(try PassphraseSource.environment(name: name).read() == SecretBytes(Array("from the environment".utf8)))
    }
}
