import ArgumentParser
import Foundation
import Protocols

/// `mpc vectors FILE...`: runs conformance-vector files through the Protocols vector runner, one line per
/// intermediate value, a summary, and a non-zero exit on any mismatch or unreadable / unknown file.
struct VectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract: "Check conformance vectors (RFC 9591 FROST, ZF FROST Taproot, BIP-340 CSV, ZF FROST DKG)."
    )

    @Argument(help: "Vector files.")
    var files: [String]

    @Flag(name: .long, help: "Machine-readable JSON output.")
    var json = false

    func run() throws {
        var failures = 0, totalChecks = 0, totalMismatches = 0
        var jsonFiles = [[String: Any]]()
        for path in files {
            var entry: [String: Any] = ["file": path]
            guard let data = FileManager.default.contents(atPath: path) else {
                failures += 1
                entry["error"] = "unreadable file"
                if !json { print("ERROR \(path): unreadable file") }
                jsonFiles.append(entry)
                continue
            }
            do {
                let report = try VectorRunner.run([UInt8](data))
                entry["format"] = report.format
                entry["checks"] = report.checks.map {
                    ["name": $0.name, "ok": $0.ok, "expected": $0.expected, "got": $0.got] as [String: Any]
                }
                if !json {
                    print("== \(path) (\(report.format))")
                    for c in report.checks {
                        print(c.ok ? "ok \(c.name)" : "MISMATCH \(c.name) expected \(c.expected) got \(c.got)")
                    }
                    print("-- \(report.checks.count - report.mismatches.count)/\(report.checks.count) ok")
                }
                totalChecks += report.checks.count
                totalMismatches += report.mismatches.count
                if !report.passed { failures += 1 }
            } catch {
                failures += 1
                entry["error"] = "\(error)"
                if !json { print("ERROR \(path): \(error)") }
            }
            jsonFiles.append(entry)
        }
        if json {
            let out: [String: Any] = ["files": jsonFiles, "checks": totalChecks, "mismatches": totalMismatches,
                                      "failedFiles": failures, "ok": failures == 0]
            let data = try JSONSerialization.data(withJSONObject: out, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("summary: \(files.count) files, \(totalChecks) checks, \(totalMismatches) mismatches, \(failures) files failed")
        }
        if failures > 0 { throw ExitCode.failure }
    }
}
