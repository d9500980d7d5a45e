import ClientKit
import Foundation
import Messaging
import Protocols
import Testing

/// A coordinator that starts again drops the pool entries it had reserved (they may have been handed out before it
/// stopped), has their signers delete them (`ECDSARetire`: no unusable secret material left at rest), and tops up
/// the pools of its ECDSA wallets before any request, so the first sign after the restart uses a pooled presignature
/// (one round, no presigning on the request's path).
@Suite(.serialized)
struct ECDSAPoolBootTests {
    @Test func restartedCoordinatorRetiresDroppedEntriesAndFillsThePoolBeforeAnySign() async throws {
        let c = try ECDSACluster.up(poolTarget: 2) { _ in }
        defer { c.down() }
        let dir = c.dir
        let k = try decodeResult(try run(c.mpc, ["--cluster", dir, "keygen", "--curve", "secp256k1", "--wallet", "e", "--json"]))
        try #require(k.ok, "\(k.code ?? "") \(k.message ?? "")")
        let key = hex(k.publicKey)
        let filled = try await c.wait(300) { c.pooledIds("e").count == 2 }
        try #require(filled, "pool: \(c.pool())")

        // One sign takes an entry and reserves the other on disk; the refill adds a third.
        let client = try await ClusterClient.open(dir: dir)
        let first = try await client.sign(walletId: "e", digest: randomDigest())
        try #require(first.ok, "\(first.code ?? "") \(first.message ?? "")")
        func reserved() -> [String] { (c.pool()["e"] ?? []).filter { $0["reserved"] as? Bool == true }.compactMap { $0["presignId"] as? String } }
        let settled = try await c.wait(300) { c.pooledIds("e").count == 2 && reserved().count == 1 }
        try #require(settled, "pool: \(c.pool())")
        let dropped = try #require(reserved().first)

        // Stop the coordinator and start it again.
        let pid = try #require(pids(dir)["coordinator"])
        kill(pid, SIGTERM)
        for _ in 0..<80 where isAlive(pid) { try await Task.sleep(for: .milliseconds(250)) }
        #expect(!isAlive(pid))
        let restarted = try startLogged(c.bin.path("mpc-coordinator"), ["--config", c.layout.coordinatorConfig],
                                        log: c.layout.path("logs/coordinator-restarted.log"))
        defer { restarted.process.terminate(); restarted.process.waitUntilExit() }
        func log() -> String { (try? String(contentsOfFile: restarted.log, encoding: .utf8)) ?? "" }

        // The dropped entry is retired at its three signers, never offered again.
        let retired = try await c.wait(120) { log().contains("retired 1 dropped presignature(s) of wallet e at node-1,node-2,node-3") }
        try #require(retired, "restarted coordinator: \(log())")
        for n in ["node-1", "node-2", "node-3"] {
            #expect(c.log(n).contains("retired 1 of 1 presignature(s) of wallet e: \(dropped)"), "\(n): \(c.log(n))")
        }
        let fake = try FakeCoordinator(c, connection: client.connection)
        let again = try await fake.sign("node-1", client: client, wallet: "e", presignId: dropped, signers: ["node-1", "node-2", "node-3"],
                                        digest: randomDigest())
        #expect(again.code == "presignature_unknown", "\(again)")

        // The pool is full again (a new presignature), and nobody asked for a signature meanwhile.
        let refilled = try await c.wait(300) { c.pooledIds("e").count == 2 && log().contains("presign pool of e for") }
        try #require(refilled, "restarted coordinator: \(log())")
        #expect(log().contains("topping up the presignature pools of 1 ECDSA wallet(s)"), "\(log())")
        #expect(!log().contains("signing wallet"), "\(log())")
        #expect(!c.pooledIds("e").contains(dropped))   // the file as the restarted coordinator wrote it

        // The first sign after the restart takes a pooled presignature; libsecp256k1 verifies the signature.
        let pooled = Set(c.pooledIds("e"))
        let d = randomDigest()
        let s = try await client.sign(walletId: "e", digest: d)
        try #require(s.ok, "\(s.code ?? "") \(s.message ?? "")")
        #expect(IndependentECDSA.verify(hex(s.signature), key, d))
        #expect(pooled.contains { log().contains("signing wallet e with pooled presignature \($0)") }, "\(log())")
        #expect(!log().contains("presign and sign"), "\(log())")

        // A retire request is checked like any other: too many ids, or a malformed one, and nothing is deleted.
        let p = try #require(c.pooledIds("e").first)
        let tooMany = try await fake.retire("node-1", wallet: "e", ids: Array(repeating: p, count: 257))
        #expect(tooMany.code == "malformed_payload", "\(tooMany)")
        let malformed = try await fake.retire("node-1", wallet: "e", ids: [p, "zz"])
        #expect(malformed.code == "malformed_payload", "\(malformed)")
        #expect(!c.log("node-1").contains("presignature(s) of wallet e: \(p)"))
        let usable = try await fake.sign("node-1", client: client, wallet: "e", presignId: p, signers: ["node-1", "node-2", "node-3"],
                                         digest: randomDigest())
        #expect(usable.code == nil && hex(usable.data).count == 32, "\(usable)")
    }
}

extension FakeCoordinator {
    /// Asks `node` to retire presignatures `ids` of `wallet`, as the coordinator does after a restart.
    func retire(_ node: String, wallet: String, ids: [String]) async throws -> NodeReplyBody {
        var rng = SystemRandom()
        let session = SessionID.random(using: &rng)
        let req = ECDSANodeRequest(op: .retire, walletId: wallet, presignId: session.hex, signers: [node], retire: ids)
        let env = try #require(identity.envelope(.sessionPlan, session: session, to: .party(node), payload: WireBody.encode(req)))
        let reply = try await connection.request(subject: ECDSASubjects.node(node), payload: try env.encoded(), timeout: .seconds(10))
        guard case .success(let v) = await verifier.verify(reply.data) else { throw HarnessError("reply refused") }
        return try WireBody.decode(NodeReplyBody.self, v.envelope.payload)
    }
}
