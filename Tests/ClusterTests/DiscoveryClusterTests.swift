import ClientKit
import Discovery
import Foundation
import Messaging
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Nodes register with discovery once ready and heartbeat; the coordinator signs with the holders discovery
/// lists. NATS (JetStream KV, the default) and Consul (`fake_consul.py` as the agent).
@Suite(.serialized)
struct DiscoveryClusterTests {
    static let ttl: Double = 6   // NodeConfig's default discoveryTTLSeconds

    /// Polls until `predicate` holds or `seconds` pass; returns the seconds it took, nil on timeout.
    func waitFor(_ seconds: Double, _ predicate: () async throws -> Bool) async rethrows -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            if try await predicate() { return Date().timeIntervalSince(start) }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    @Test func natsDiscoveryTTLAndDeregistrationOnSIGTERM() async throws {
        let cluster = try TestCluster.up(nodes: 3, threshold: 2, tag: "disc-nats")
        defer { cluster.down() }
        let dir = cluster.dir
        let client = try await ClusterClient.open(dir: dir)
        let k = try await client.keygen(walletId: "d", curve: .ed25519)
        try #require(k.ok, "\(k.code ?? "") \(k.message ?? "")")

        // What the KV bucket says, read here with a discovery client of our own.
        let kv = try await NatsDiscovery.open(connection: client.connection)
        func listed() async throws -> Set<String> { Set(try await kv.healthyInstances(of: ClusterServices.node).map(\.id)) }
        #expect(try await listed() == ["node-1", "node-2", "node-3"])
        let status = try await client.status()
        #expect(status.discovery == "nats")
        #expect(status.nodes == ["node-1": true, "node-2": true, "node-3": true])
        // The coordinator follows the bucket with a watch (no lookups while it is current).
        func coordinatorLog() -> String {
            (try? String(contentsOfFile: ClusterLayout(dir: dir).path("logs/coordinator.log"), encoding: .utf8)) ?? ""
        }
        // (nodes may register after the watch started: then they join it)
        #expect(await waitFor(5) { coordinatorLog().contains("discovery watch current: ") } != nil, "\(coordinatorLog())")

        // SIGKILL: no deregistration; the entry stays until its TTL passes without a heartbeat.
        let victim = try #require(pids(dir)["node-3"])
        kill(victim, SIGKILL)
        let killedAt = Date()
        let stillListed = try await listed().contains("node-3")
        if Date().timeIntervalSince(killedAt) < 1.5 { #expect(stillListed, "dropped before its TTL: not TTL-based") }
        let gone = try await waitFor(Self.ttl + 4) { try await !listed().contains("node-3") }
        #expect(gone != nil, "node-3 still listed \(Self.ttl + 4) s after SIGKILL")
        #expect(try await waitFor(2) { try await client.status().nodes?["node-3"] == false } != nil)
        #expect(await waitFor(2) { coordinatorLog().contains("discovery watch: node-3 left (expired)") } != nil, "\(coordinatorLog())")
        // The coordinator signs with the two holders discovery still lists.
        let d = randomDigest()
        let s = try await client.sign(walletId: "d", digest: d)
        #expect(s.ok, "\(s.code ?? "") \(s.message ?? "")")
        #expect(Set(s.signers ?? []) == ["node-1", "node-2"])
        #expect(Independent.ed25519(hex(s.signature), hex(k.publicKey), d))

        // SIGTERM: the node deregisters at once (well before a TTL) and exits.
        let leaving = try #require(pids(dir)["node-2"])
        kill(leaving, SIGTERM)
        let deregistered = try await waitFor(Self.ttl / 2) { try await !listed().contains("node-2") }
        #expect(deregistered != nil, "node-2 still listed after SIGTERM")
        #expect(await waitFor(5) { !isAlive(leaving) } != nil)
        let log = try String(contentsOfFile: ClusterLayout(dir: dir).path("logs/node-2.log"), encoding: .utf8)
        #expect(log.contains("SIGTERM: deregistering"))
        #expect(await waitFor(2) { coordinatorLog().contains("discovery watch: node-2 left (deregistered)") } != nil, "\(coordinatorLog())")
        // Fewer holders than the threshold: refused with a code, nothing signed.
        let refused = try await waitFor(2) { try await client.status().nodes?["node-2"] == false }
        #expect(refused != nil)
        #expect(try await client.sign(walletId: "d", digest: randomDigest()).code == "not_enough_signers")
    }

    @Test func consulDiscoveryRegistersNodesAndTheCoordinatorSignsWithItsHealthyList() async throws {
        let agent = try FakeConsul()
        defer { agent.stop() }
        var env = ProcessInfo.processInfo.environment
        env["CONSUL_ADDRESS"] = "127.0.0.1:\(agent.port)"
        let cluster = try TestCluster.up(nodes: 3, threshold: 2, tag: "disc-consul", environment: env)
        defer { cluster.down() }
        let dir = cluster.dir

        // The agent's own answer (raw HTTP, Consul's JSON): every node passing, and the coordinator.
        #expect(try agent.passing("mpc-node") == ["node-1", "node-2", "node-3"])
        // `cluster up` waits for the nodes; the coordinator registers on its own schedule (slow under load).
        let coordinatorListed = try await waitFor(15) { try agent.passing("mpc-coordinator") == ["coordinator"] }
        #expect(coordinatorListed != nil, "the coordinator never passed its Consul check")
        let client = try await ClusterClient.open(dir: dir)
        let status = try await client.status()
        #expect(status.discovery == "consul")
        let k = try await client.keygen(walletId: "c", curve: .secp256k1Taproot)
        try #require(k.ok, "\(k.code ?? "") \(k.message ?? "")")

        // node-1 dies: its TTL check goes critical in Consul, and the coordinator stops choosing it.
        let victim = try #require(pids(dir)["node-1"])
        kill(victim, SIGKILL)
        #expect(try await waitFor(Self.ttl + 4) { try agent.passing("mpc-node") == ["node-2", "node-3"] } != nil)
        #expect(try await waitFor(2) { try await client.status().nodes?["node-1"] == false } != nil)
        for _ in 0..<3 {
            let d = randomDigest()
            let s = try await client.sign(walletId: "c", digest: d)
            #expect(s.ok, "\(s.code ?? "") \(s.message ?? "")")
            #expect(Set(s.signers ?? []) == ["node-2", "node-3"])
            #expect(Independent.bip340(hex(s.signature), xOnly: hex(k.publicKey), d))
        }

        // The agent restarts empty on the same port: the live nodes notice (heartbeat 404) and register again.
        let port = agent.port
        agent.stop()
        // Meanwhile the coordinator cannot ask Consul and probes the nodes itself.
        #expect(try await waitFor(3) { try await client.status().discovery == "probe" } != nil)
        let again = try FakeConsul(port: port)
        defer { again.stop() }
        #expect(try await waitFor(Self.ttl) { try again.passing("mpc-node") == ["node-2", "node-3"] } != nil)
        #expect(try await waitFor(3) { try await client.status().discovery == "consul" } != nil)
        let d = randomDigest()
        let s = try await client.sign(walletId: "c", digest: d)
        #expect(s.ok && Independent.bip340(hex(s.signature), xOnly: hex(k.publicKey), d), "\(s.code ?? "") \(s.message ?? "")")
        // Consul has no watch here: the coordinator looks up.
        let log = (try? String(contentsOfFile: ClusterLayout(dir: dir).path("logs/coordinator.log"), encoding: .utf8)) ?? ""
        #expect(!log.contains("discovery watch"), "\(log)")
    }
}

/// Tests/DiscoveryTests/fake_consul.py as a separate process (it follows Consul's agent and health API).
final class FakeConsul: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(port requested: Int = 0) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DiscoveryTests/fake_consul.py")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script.path, "--port", "\(requested)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
        guard let p = line.split(separator: " ").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw HarnessError("fake consul did not start: \(line)")
        }
        port = p
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// `GET /v1/health/service/<name>?passing=true`: the ids of the passing instances.
    func passing(_ service: String) throws -> Set<String> {
        let url = URL(string: "http://127.0.0.1:\(port)/v1/health/service/\(service)?passing=true")!
        let data = try Data(contentsOf: url)
        let entries = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return Set(entries.compactMap { ($0["Service"] as? [String: Any])?["ID"] as? String })
    }
}
