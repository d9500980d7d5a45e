import ClientKit
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// nats-server crashes and comes back on the same port: nodes and coordinator reconnect by themselves.
@Suite(.serialized)
struct BrokerRestartTests {
    @Test func nodesAndCoordinatorSurviveABrokerRestart() async throws {
        let bin = try Binaries.locate()
        let mpc = bin.path("mpc")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mpc-reconnect-\(UUID().uuidString)").path
        var broker: Process?
        defer {
            if let b = broker, b.isRunning { kill(b.processIdentifier, SIGKILL); b.waitUntilExit() }
            _ = try? run(mpc, ["cluster", "down", "--dir", dir])
            try? FileManager.default.removeItem(atPath: dir)
        }
        let up = try run(mpc, ["cluster", "up", "--nodes", "3", "--threshold", "2", "--dir", dir, "--aux-primes", fixturePrimes])
        try #require(up.status == 0, "\(up.stderr)")
        let k = try decodeResult(try run(mpc, ["--cluster", dir, "keygen", "--curve", "ed25519", "--wallet", "r", "--json"]))
        try #require(k.ok, "\(k.code ?? "") \(k.message ?? "")")

        let natsPid = try #require(pids(dir)["nats"])
        kill(natsPid, SIGKILL)
        for _ in 0..<100 where isAlive(natsPid) { usleep(20_000) }
        let manifest = try ClusterManifest.load(path: ClusterLayout(dir: dir).manifest)
        let port = try #require(manifest.natsURL.split(separator: ":").last.flatMap { Int($0) })
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/sbin/nats-server")
        p.arguments = ["-js", "-a", "127.0.0.1", "-p", "\(port)", "-sd", ClusterLayout(dir: dir).path("nats")]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        broker = p

        var healthy = false
        for _ in 0..<60 where !healthy {
            let s = try? run(mpc, ["--cluster", dir, "status", "--json"])
            if let s, s.status == 0, let r = try? decodeResult(s), let n = r.nodes, n.count == 3, n.values.allSatisfy({ $0 }) { healthy = true }
            else { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(healthy)
        let d = randomDigest()
        let s = try decodeResult(try run(mpc, ["--cluster", dir, "sign", "--wallet", "r", "--digest", hexString(d), "--json"]))
        #expect(s.ok, "\(s.code ?? "") \(s.message ?? "")")
        #expect(Independent.ed25519(hex(s.signature), hex(k.publicKey), d))
    }
}
