import ClientKit
import Foundation
import Messaging
import Protocols
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The node's replay cache records envelopes without an fsync each (`ReplayCache`): a node SIGKILLed right after it
/// accepted an envelope still refuses that envelope after its restart.
@Suite(.serialized)
struct ReplayCacheClusterTests {
    @Test(.timeLimit(.minutes(3)))
    func aReplayAfterSigkillAndRestartIsRefused() async throws {
        let c = try TestCluster.up(nodes: 3, threshold: 2, tag: "replay")
        defer { c.down() }
        let client = try await ClusterClient.open(dir: c.dir)
        let coordinator = try Identity.load(from: c.layout.path("coordinator/identity.json"))
        let manifest = try ClusterManifest.load(path: c.layout.manifest)
        let verifier = EnvelopeVerifier(localId: coordinator.id, keys: StaticKeyDirectory(manifest.nodes), replay: InMemoryReplayGuard(),
                                        now: EnvelopeVerifier.systemClock)
        /// Sends `bytes` (a coordinator-signed round message) to node-1; the code of its verified answer.
        func ask(_ bytes: [UInt8]) async throws -> String? {
            let reply = try await client.connection.request(subject: ClusterSubjects.nodeRound("node-1"), payload: bytes, timeout: .seconds(5))
            guard case .success(let v) = await verifier.verify(reply.data) else { throw HarnessError("reply refused") }
            #expect(v.envelope.sender == "node-1")
            return try WireBody.decode(NodeReplyBody.self, v.envelope.payload).code
        }
        func roundMessage() throws -> [UInt8] {
            var rng = SystemRandom()
            let env = try #require(coordinator.envelope(.roundMessage, session: SessionID.random(using: &rng), to: .party("node-1"), payload: [1]))
            return try env.encoded()
        }

        // accepted (authentic, fresh): the node recorded it and answers that it has no such session
        let message = try roundMessage()
        #expect(try await ask(message) == "unknown_session")
        #expect(try await ask(message) == "replayed")
        let second = try roundMessage()
        #expect(try await ask(second) == "unknown_session")

        // SIGKILL right after the answer: no graceful close of the store or the cache
        let node1 = try #require(pids(c.dir)["node-1"])
        kill(node1, SIGKILL)
        for _ in 0..<100 where isAlive(node1) { usleep(20_000) }
        #expect(!isAlive(node1))
        let (restarted, restartLog) = try restartNode("node-1", bin: c.bin, layout: c.layout)
        defer { if restarted.isRunning { kill(restarted.processIdentifier, SIGKILL) } }
        var ready = false
        for _ in 0..<120 where !ready {
            ready = ((try? String(contentsOfFile: restartLog, encoding: .utf8)) ?? "").contains("node ready")
            if !ready { try await Task.sleep(for: .milliseconds(250)) }
        }
        try #require(ready)

        // the same bytes again, after the restart: refused, both of them
        #expect(try await ask(message) == "replayed")
        #expect(try await ask(second) == "replayed")
        // same boot: the cache was kept (no fence), so fresh envelopes are served at once
        #expect(!((try? String(contentsOfFile: restartLog, encoding: .utf8)) ?? "").contains("replay cache from another boot"))
        #expect(try await ask(try roundMessage()) == "unknown_session")
    }
}
