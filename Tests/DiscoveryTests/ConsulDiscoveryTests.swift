import Foundation
import Testing
@testable import Discovery

/// The Consul client against `fake_consul.py`, a separate process that follows Consul's documented agent
/// and health endpoints (no Consul binary can be installed on these machines).
@Suite(.serialized) struct ConsulDiscoveryTests {
    /// A running fake agent; `stop()` kills it and waits, so no server outlives its test.
    final class Agent {
        let process = Process()
        var port = 0

        init(token: String? = nil) throws {
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fake_consul.py")
            // The interpreter itself, not a shell shim: a signal must reach the server process.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = [script.path, "--port", "0"] + (token.map { ["--token", $0] } ?? [])
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let line = String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self)
            guard let port = line.split(separator: " ").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
                stop()
                throw DiscoveryError.unreachable("fake consul did not start: \(line)")
            }
            self.port = port
        }

        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    let node = ServiceInstance(id: "node-1", service: "mpc-node", address: "127.0.0.1", port: 7001,
                               tags: ["mpc"], meta: ["party": "1"])

    @Test func registeredInstanceIsHealthyOnlyAfterItsTTLCheckPasses() async throws {
        let agent = try Agent(), port = agent.port
        defer { agent.stop() }
        let consul = try ConsulDiscovery(address: "127.0.0.1:\(port)")
        try await consul.register(node, ttl: .seconds(10))
        // Consul starts a TTL check as critical: not healthy until the first heartbeat.
        #expect(try await consul.healthyInstances(of: "mpc-node").isEmpty)
        try await consul.heartbeat(node)
        #expect(try await consul.healthyInstances(of: "mpc-node") == [node])
        #expect(try await consul.healthyInstances(of: "other").isEmpty)
        try await consul.deregister(node)
        #expect(try await consul.healthyInstances(of: "mpc-node").isEmpty)
    }

    @Test func instanceThatStopsHeartbeatingDropsOut() async throws {
        let agent = try Agent(), port = agent.port
        defer { agent.stop() }
        let consul = try ConsulDiscovery(address: "http://127.0.0.1:\(port)")
        try await consul.register(node, ttl: .milliseconds(500))
        try await consul.heartbeat(node)
        #expect(try await consul.healthyInstances(of: "mpc-node").count == 1)
        try await Task.sleep(for: .milliseconds(900))
        #expect(try await consul.healthyInstances(of: "mpc-node").isEmpty)
        try await consul.heartbeat(node)
        #expect(try await consul.healthyInstances(of: "mpc-node").count == 1)
    }

    @Test func aclTokenIsSentAndAWrongOneIsRejected() async throws {
        let agent = try Agent(token: "secret-token"), port = agent.port
        defer { agent.stop() }
        let good = try ConsulDiscovery(address: "127.0.0.1:\(port)", token: "secret-token")
        try await good.register(node, ttl: .seconds(10))
        let bad = try ConsulDiscovery(address: "127.0.0.1:\(port)", token: "wrong")
        await #expect(throws: DiscoveryError.rejected(status: 403, body: "Permission denied")) {
            try await bad.healthyInstances(of: "mpc-node")
        }
    }

    @Test func heartbeatForAnUnknownInstanceIsRejected() async throws {
        let agent = try Agent(), port = agent.port
        defer { agent.stop() }
        let consul = try ConsulDiscovery(address: "127.0.0.1:\(port)")
        do {
            try await consul.heartbeat(node)
            Issue.record("heartbeat for an unregistered instance succeeded")
        } catch {
            guard case .rejected(let status, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(status == 404)
        }
    }

    @Test func unreachableAgentAndBadAddressAreClearErrors() async throws {
        let consul = try ConsulDiscovery(address: "127.0.0.1:1", requestTimeout: .seconds(2))
        do {
            _ = try await consul.healthyInstances(of: "mpc-node")
            Issue.record("an unreachable agent answered")
        } catch {
            #expect(error.code == "DISCOVERY_UNREACHABLE")
        }
        #expect(throws: DiscoveryError.self) { try ConsulDiscovery(address: "ftp://x:1") }
    }

    @Test func goDurationsAreWhatConsulParses() {
        #expect(ConsulDiscovery.goDuration(.seconds(15)) == "15s")
        #expect(ConsulDiscovery.goDuration(.milliseconds(1500)) == "1500ms")
    }
}
