import ClientKit
import Foundation
import Messaging
import Protocols
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM on a node: sessions it already runs may finish within the grace period, new ones are refused
/// with `shutting_down`, whatever is still open at the end of the grace period is aborted, then the
/// process exits. The test plays the coordinator itself (it holds the coordinator's identity from the
/// cluster directory), so it decides when each session's round 2 comes.
@Suite(.serialized)
struct NodeShutdownTests {
    /// A coordinator-signed request to one node; the node's reply body.
    func ask(_ c: NatsConnection, _ coordinator: Identity, _ node: String, subject: String, type: MessageType,
             session: SessionID, payload: [UInt8]) async throws -> NodeReplyBody {
        let env = try #require(coordinator.envelope(type, session: session, to: .party(node), payload: payload))
        let reply = try await c.request(subject: subject, payload: try env.encoded(), timeout: .seconds(5))
        let answer = try EnvelopeCodec.decode(reply.data).envelope
        #expect(answer.sender == node)
        return try WireBody.decode(NodeReplyBody.self, answer.payload)
    }

    @Test func sigtermFinishesRunningSessionsRefusesNewOnesAbortsTheRest() async throws {
        let cluster = try TestCluster.up(nodes: 3, threshold: 2, tag: "drain")
        defer { cluster.down() }
        let dir = cluster.dir
        let client = try await ClusterClient.open(dir: dir)
        let k = try await client.keygen(walletId: "g", curve: .ed25519)
        try #require(k.ok, "\(k.code ?? "") \(k.message ?? "")")
        let layout = cluster.layout
        let coordinator = try Identity.load(from: layout.path("coordinator/identity.json"))
        let wallets = try JSONDecoder().decode([String: [String: String]].self,
                                               from: try #require(FileManager.default.contents(atPath: layout.path("coordinator/data/wallets.json"))))
        let pkpBytes = hex(wallets["g"]?["publicKeyPackage"])
        try #require(!pkpBytes.isEmpty)
        let pkp = try KeyPackageCodec.decodePublicKeyPackage(pkpBytes, as: FROSTEd25519.self)
        let c = client.connection
        var rng = SystemRandom()

        /// Round 1 of a signing session among `signers`: their commitments by node id.
        func plan(_ signers: [String], digest: [UInt8], session: SessionID) async throws -> [String: NodeReplyBody] {
            let (_, request) = try client.makeRequest(.signRequest, payload: WireBody.encode(SignRequestBody(walletId: "g", digest: hexString(digest))))
            let body = SessionPlanBody(kind: .sign, walletId: "g", curve: .ed25519, participants: signers, threshold: 2,
                                       digest: hexString(digest), clientRequest: hexString(request))
            var out: [String: NodeReplyBody] = [:]
            for n in signers {
                out[n] = try await ask(c, coordinator, n, subject: ClusterSubjects.nodePlan(n), type: .sessionPlan, session: session,
                                       payload: WireBody.encode(body))
            }
            return out
        }

        // Two sessions open on node-1 (round 1 answered), then SIGTERM.
        let dA = randomDigest(), sA = SessionID.random(using: &rng)
        let round1A = try await plan(["node-1", "node-2"], digest: dA, session: sA)
        #expect(round1A.values.allSatisfy { $0.code == nil && $0.data != nil })
        let round1B = try await plan(["node-1", "node-3"], digest: randomDigest(), session: SessionID.random(using: &rng))
        #expect(round1B.values.allSatisfy { $0.code == nil })
        let pid = try #require(pids(dir)["node-1"])
        kill(pid, SIGTERM)
        let termAt = Date()
        try await Task.sleep(for: .milliseconds(300))

        // A new session is refused with its code.
        let (_, request) = try client.makeRequest(.signRequest, payload: WireBody.encode(SignRequestBody(walletId: "g", digest: hexString(dA))))
        let refusedPlan = SessionPlanBody(kind: .sign, walletId: "g", curve: .ed25519, participants: ["node-1", "node-2"], threshold: 2,
                                          digest: hexString(dA), clientRequest: hexString(request))
        let refused = try await ask(c, coordinator, "node-1", subject: ClusterSubjects.nodePlan("node-1"), type: .sessionPlan,
                                    session: SessionID.random(using: &rng), payload: WireBody.encode(refusedPlan))
        #expect(refused.code == "shutting_down", "\(refused.code ?? "accepted")")
        #expect(isAlive(pid))

        // The running session A finishes: round 2 after SIGTERM, and the signature verifies (libsodium).
        let signing = try SigningCoordinator<FROSTEd25519>(publicKeyPackage: pkp, signers: [try ParticipantID(1), try ParticipantID(2)], message: dA)
        var action: SigningCoordinator<FROSTEd25519>.Action = .wait
        for n in ["node-1", "node-2"] { action = try signing.receive(try SigningCommitments<FROSTEd25519>(wire: hex(round1A[n]?.data))) }
        guard case .sendSigningPackage(let package) = action else { Issue.record("no signing package"); return }
        for n in ["node-1", "node-2"] {
            let share = try await ask(c, coordinator, n, subject: ClusterSubjects.nodeRound(n), type: .roundMessage, session: sA,
                                      payload: package.serialize())
            #expect(share.code == nil, "\(n): \(share.code ?? "") \(share.message ?? "")")
            action = try signing.receive(try SignatureShare<FROSTEd25519>(wire: hex(share.data)))
        }
        guard case .finished(let signature) = action else { Issue.record("no signature"); return }
        #expect(Independent.ed25519(try signature.bytes(), hex(k.publicKey), dA))
        #expect(Date().timeIntervalSince(termAt) < 5, "session A finished after the grace period")

        // Session B never gets its round 2: aborted at the end of the grace period (5 s), then the node exits.
        #expect(isAlive(pid), "exited before the grace period although session B was open")
        var exited = false
        for _ in 0..<100 where !exited { if isAlive(pid) { try await Task.sleep(for: .milliseconds(100)) } else { exited = true } }
        #expect(exited)
        let waited = Date().timeIntervalSince(termAt)
        #expect(waited >= 4.5, "exited after \(waited) s, before the 5 s grace period")
        let log = try String(contentsOfFile: layout.path("logs/node-1.log"), encoding: .utf8)
        #expect(log.contains("SIGTERM: deregistering, refusing new sessions, 2 running"))
        #expect(log.contains("aborted 1 sessions"))
    }
}
