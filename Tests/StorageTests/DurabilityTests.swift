import Foundation
import Glibc
import Protocols
import Testing
@testable import Storage

/// Kills a writer process with SIGKILL in the middle of its writes and checks that every write it
/// announced as committed is on disk and intact.
@Suite struct DurabilityTests {
    /// The share StorageProbe writes as generation `k` (same definition as in Tests/StorageProbe/main.swift).
    static func probeShare(_ k: UInt64) -> [UInt8] {
        let digest = Hash.sha256(Array("storage-probe-record".utf8) + withUnsafeBytes(of: k.bigEndian) { Array($0) })
        return digest + digest + digest + digest
    }

    /// StorageProbe sits in the build products directory, next to the test bundle; `swift test` builds it.
    static func probeExecutable() throws -> URL {
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("StorageProbe")]
        candidates += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent("StorageProbe") }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/StorageProbe"))
        for c in candidates where FileManager.default.isExecutableFile(atPath: c.path) { return c }
        throw ProbeMissing(looked: candidates.map(\.path))
    }

    struct ProbeMissing: Error, CustomStringConvertible {
        let looked: [String]
        var description: String { "StorageProbe executable not found (build it: swift build --product StorageProbe); looked in \(looked)" }
    }

    /// Complete "committed <k>" lines in `output`.
    static func committed(_ output: Data) -> [UInt64] {
        let text = String(decoding: output, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if !text.hasSuffix("\n") { lines.removeLast() }   // a partial last line is not an announcement
        return lines.compactMap { line in
            guard line.hasPrefix("committed ") else { return nil }
            return UInt64(line.dropFirst("committed ".count))
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func committedWritesSurviveSIGKILL() async throws {
        let probe = try Self.probeExecutable()
        try await withTemporaryDirectory { dir in
            let process = Process()
            process.executableURL = probe
            process.arguments = ["write", dir, "1000000"]
            process.environment = ["STORAGE_PROBE_PASSPHRASE": testPassphrase]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()

            // Wait for some announcements, then kill it mid-stream.
            let reader = out.fileHandleForReading
            var output = Data()
            while Self.committed(output).count < 40 {
                let chunk = reader.availableData
                if chunk.isEmpty { break }   // EOF: the probe died on its own
                output.append(chunk)
            }
            let killedWhileRunning = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            output.append(reader.readDataToEndOfFile())
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)

            #expect(killedWhileRunning, "the probe exited before it was killed: \(stderr)")
            #expect(process.terminationReason == .uncaughtSignal)
            #expect(process.terminationStatus == SIGKILL)
            let announced = Self.committed(output)
            #expect(announced.count >= 40, "probe output: \(String(decoding: output, as: UTF8.self)) \(stderr)")
            #expect(announced == Array(0..<UInt64(announced.count)))

            // Reopen: every announced write is there and intact; whatever else is there is intact too.
            let store = try openStore(dir)
            for k in announced {
                #expect(try await store.share(walletID: "probe-wallet", generation: k) == Self.probeShare(k), "generation \(k)")
            }
            let stored = try await store.shareGenerations(walletID: "probe-wallet")
            #expect(stored.count >= announced.count)
            #expect(stored == Array(0..<UInt64(stored.count)))
            for k in stored.suffix(from: announced.count) {
                #expect(try await store.share(walletID: "probe-wallet", generation: k) == Self.probeShare(k))
            }
            await store.close()
        }
    }
}
