import ClientKit
import Foundation
import Testing

/// A coordinator tops up the presignature pools of its ECDSA wallets when it starts, not only after the next sign:
/// here it starts with its pool file gone (as after a restart that dropped every reserved entry), fills the pool
/// without any request, and the first sign after the restart uses a pooled presignature (one round, no presigning
/// on the request's path).
@Suite(.serialized)
struct ECDSAPoolBootTests {
    @Test func restartedCoordinatorFillsThePoolBeforeAnySign() async throws {
        let c = try ECDSACluster.up(poolTarget: 1) { _ in }
        defer { c.down() }
        let dir = c.dir
        let k = try decodeResult(try run(c.mpc, ["--cluster", dir, "keygen", "--curve", "secp256k1", "--wallet", "e", "--json"]))
        try #require(k.ok, "\(k.code ?? "") \(k.message ?? "")")
        let key = hex(k.publicKey)
        let filled = try await c.wait(300) { c.pooledIds("e").count == 1 }
        try #require(filled, "pool: \(c.pool())")
        let before = Set(c.pooledIds("e"))

        // Stop the coordinator, lose its pool file, start it again.
        let pid = try #require(pids(dir)["coordinator"])
        kill(pid, SIGTERM)
        for _ in 0..<80 where isAlive(pid) { try await Task.sleep(for: .milliseconds(250)) }
        #expect(!isAlive(pid))
        try FileManager.default.removeItem(atPath: c.layout.path("coordinator/data/presign-pool.json"))
        let restarted = try startLogged(c.bin.path("mpc-coordinator"), ["--config", c.layout.coordinatorConfig],
                                        log: c.layout.path("logs/coordinator-restarted.log"))
        defer { restarted.process.terminate(); restarted.process.waitUntilExit() }
        func log() -> String { (try? String(contentsOfFile: restarted.log, encoding: .utf8)) ?? "" }

        // The pool is full again with a new presignature, and nobody asked for a signature meanwhile.
        let refilled = try await c.wait(300) { c.pooledIds("e").count == 1 && log().contains("presign pool of e for") }
        try #require(refilled, "restarted coordinator: \(log())")
        #expect(log().contains("topping up the presignature pools of 1 ECDSA wallet(s)"), "\(log())")
        #expect(!log().contains("signing wallet"), "\(log())")
        let fresh = try #require(c.pooledIds("e").first)
        #expect(!before.contains(fresh))

        // The first sign after the restart takes that presignature; libsecp256k1 verifies the signature.
        let client = try await ClusterClient.open(dir: dir)
        let d = randomDigest()
        let s = try await client.sign(walletId: "e", digest: d)
        try #require(s.ok, "\(s.code ?? "") \(s.message ?? "")")
        #expect(IndependentECDSA.verify(hex(s.signature), key, d))
        #expect(log().contains("signing wallet e with pooled presignature \(fresh)"), "\(log())")
        #expect(!log().contains("presign and sign"), "\(log())")
    }
}
