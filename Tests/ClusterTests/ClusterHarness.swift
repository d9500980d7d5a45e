import ClientKit
import CSecp256k1
import CSodium
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built executables (mpc, mpc-node, mpc-coordinator) as real processes. They must be built
/// first (`swift build --product mpc --product ...`); a missing one fails the test loudly.
struct Binaries {
    let dir: String

    static func locate() throws -> Binaries {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        // The test runner lives in <products>/<package>PackageTests.xctest (a file on Linux).
        if dir.hasSuffix(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
        let b = Binaries(dir: dir)
        for name in ["mpc", "mpc-node", "mpc-coordinator"] where !FileManager.default.isExecutableFile(atPath: b.path(name)) {
            throw HarnessError("\(b.path(name)) is missing: run `swift build --product mpc && swift build --product mpc-node && swift build --product mpc-coordinator` before the cluster tests")
        }
        return b
    }

    func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

struct RunResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs a process to completion.
func run(_ executable: String, _ args: [String], environment: [String: String]? = nil) throws -> RunResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = args
    if let environment { p.environment = environment }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return RunResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

func decodeResult(_ r: RunResult) throws -> ClientResultBody {
    guard let line = r.stdout.split(separator: "\n").last else { throw HarnessError("no output; stderr: \(r.stderr)") }
    return try JSONDecoder().decode(ClientResultBody.self, from: Data(line.utf8))
}

/// pid files written by `mpc cluster up`: DIR/run/<name>.pid ("<pid> <executable>").
func pids(_ dir: String) -> [String: Int32] {
    let run = (dir as NSString).appendingPathComponent("run")
    var out: [String: Int32] = [:]
    for f in (try? FileManager.default.contentsOfDirectory(atPath: run)) ?? [] where f.hasSuffix(".pid") {
        if let s = try? String(contentsOfFile: "\(run)/\(f)", encoding: .utf8), let pid = s.split(separator: " ").first.flatMap({ Int32($0) }) {
            out[String(f.dropLast(4))] = pid
        }
    }
    return out
}

func isAlive(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    return !stat.isEmpty && !stat.contains(") Z ")
}

/// Independent verifiers: libsodium and libsecp256k1, not the project's code.
enum Independent {
    static func ed25519(_ sig: [UInt8], _ pk: [UInt8], _ msg: [UInt8]) -> Bool {
        _ = sodium_init()
        return sig.count == 64 && pk.count == 32 && crypto_sign_verify_detached(sig, msg, UInt64(msg.count), pk) == 0
    }

    static func bip340(_ sig: [UInt8], xOnly pk: [UInt8], _ msg: [UInt8]) -> Bool {
        guard sig.count == 64, pk.count == 32,
              let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else { return false }
        defer { secp256k1_context_destroy(ctx) }
        var key = secp256k1_xonly_pubkey()
        guard secp256k1_xonly_pubkey_parse(ctx, &key, pk) == 1 else { return false }
        return secp256k1_schnorrsig_verify(ctx, sig, msg, msg.count, &key) == 1
    }
}

func hex(_ s: String?) -> [UInt8] {
    guard let s else { return [] }
    var out: [UInt8] = []
    var i = s.startIndex
    while i < s.endIndex, let j = s.index(i, offsetBy: 2, limitedBy: s.endIndex), let b = UInt8(s[i..<j], radix: 16) {
        out.append(b); i = j
    }
    return out
}

func randomDigest() -> [UInt8] { (0..<32).map { _ in UInt8.random(in: 0...255) } }
func hexString(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

/// A cluster started with `mpc cluster up` in a fresh temporary directory; `down()` stops every process
/// and removes the directory.
struct TestCluster {
    let bin: Binaries
    let dir: String
    var mpc: String { bin.path("mpc") }
    var layout: ClusterLayout { ClusterLayout(dir: dir) }

    static func up(nodes: Int, threshold: Int, tag: String, environment: [String: String]? = nil) throws -> TestCluster {
        let bin = try Binaries.locate()
        let c = TestCluster(bin: bin, dir: FileManager.default.temporaryDirectory.appendingPathComponent("mpc-\(tag)-\(UUID().uuidString)").path)
        let up = try run(c.mpc, ["cluster", "up", "--nodes", "\(nodes)", "--threshold", "\(threshold)", "--dir", c.dir, "--aux-primes", fixturePrimes], environment: environment)
        guard up.status == 0 else {
            c.down()
            throw HarnessError("cluster up failed: \(up.stderr)")
        }
        return c
    }

    func down() {
        _ = try? run(mpc, ["cluster", "down", "--dir", dir])
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// Stops the coordinator `mpc cluster up` started (SIGTERM, then waits for it to exit) and starts it again as its own
/// process with the same configuration, stderr to `logs/coordinator-restarted.log`; the caller terminates it.
func restartCoordinator(dir: String, bin: Binaries, layout: ClusterLayout) async throws -> (process: Process, log: String) {
    if let pid = pids(dir)["coordinator"] {
        kill(pid, SIGTERM)
        for _ in 0..<80 where isAlive(pid) { try await Task.sleep(for: .milliseconds(250)) }
    }
    return try startLogged(bin.path("mpc-coordinator"), ["--config", layout.coordinatorConfig],
                           log: layout.path("logs/coordinator-restarted.log"))
}

/// Starts `executable` with `arguments`, stderr to `log` (created empty), stdout discarded.
func startLogged(_ executable: String, _ arguments: [String], log: String) throws -> (process: Process, log: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    FileManager.default.createFile(atPath: log, contents: nil)
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return (process, log)
}

/// Starts `node` again as its own process (after a test killed it), stderr to `logs/<node>-restarted.log`;
/// returns the process and that log's path.
func restartNode(_ node: String, bin: Binaries, layout: ClusterLayout) throws -> (process: Process, log: String) {
    try startLogged(bin.path("mpc-node"), ["--config", layout.nodeConfig(node)], log: layout.path("logs/\(node)-restarted.log"))
}

