import ClientKit
import Foundation
import Testing

/// Identification after a failed δ or χ check over the cluster (CGGMP21 Fig. 7, Output, error step): node-2 is a
/// real node process started with the test-only `ecdsa.testCheatPresignDelta` (or `testCheatPresignChi`), so it
/// announces a wrong δ_2 (or S_2) in every presign it joins. The honest signers run the identification round
/// (Π^mul, Π^mul*, Π^aff-g, Π^dec) between them, name node-2 and only node-2, and report it signed; the coordinator
/// keeps it out of the presign pool and out of signing for that wallet, and a client whose sign was waiting sees
/// the culprit in its error.
@Suite(.serialized)
struct ECDSAIdentifyClusterTests {
    @Test func wrongDeltaNodeIsIdentifiedAndExcluded() async throws {
        let c = try ECDSACluster.up(poolTarget: 1) { $0.ecdsa?.testCheatPresignDelta = true }
        defer { c.down() }
        let dir = c.dir
        let client = try await ClusterClient.open(dir: dir)

        let k = try decodeResult(try run(c.mpc, ["--cluster", dir, "keygen", "--curve", "secp256k1", "--wallet", "e", "--json"]))
        try #require(k.ok, "\(k.code ?? "") \(k.message ?? "")")
        let key = hex(k.publicKey)

        // The pool's background presign for the preferred set node-1, node-2, node-3 fails its δ check; the honest
        // signers run identification and name node-2 alone, by its failed Π^dec.
        let identified = try await c.wait(300) { c.log("coordinator").contains("presign culprit identified for wallet e: node-2 (presign_culprits_total") }
        try #require(identified, "coordinator log: \(c.log("coordinator"))")
        expectHonestVerdicts(c, check: "δ", naming: "badProof(Protocols.CGGMPProofKind.dec, round: 4")
        // The pool refills without node-2.
        let pooled = try await c.wait(300) { !(c.pool()["e"] ?? []).isEmpty }
        try #require(pooled, "pool: \(c.pool())")
        for entry in c.pool()["e"] ?? [] { #expect(!((entry["signers"] as? [String]) ?? []).contains("node-2"), "\(entry)") }

        // A sign forced onto node-1, node-2, node-3 (never retried): identification again, and the client's error
        // names node-2.
        let forced = try await client.sign(walletId: "e", digest: randomDigest(), signers: ["node-1", "node-2", "node-3"])
        #expect(!forced.ok)
        #expect(forced.code == "presign_culprit", "\(forced.code ?? "") \(forced.message ?? "")")
        #expect(forced.message?.contains("culprits node-2:") == true, "\(forced.message ?? "")")
        #expect(forced.message?.contains("(culprits: node-2)") == true, "\(forced.message ?? "")")

        // An ordinary sign: node-2 is not asked; the signature verifies under the wallet key (libsecp256k1).
        let d = randomDigest()
        let s = try await client.sign(walletId: "e", digest: d)
        try #require(s.ok, "\(s.code ?? "") \(s.message ?? "")")
        #expect(!(s.signers ?? []).contains("node-2"))
        #expect(IndependentECDSA.verify(hex(s.signature), key, d))

        // The culprit is kept across a coordinator restart (presign-culprits.json): the restarted coordinator's
        // refill after the next sign uses a set without node-2 and never runs into the cheater again.
        let saved = FileManager.default.contents(atPath: c.layout.path("coordinator/data/presign-culprits.json"))
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: [String]] }
        #expect(saved?["e"] == ["node-2"], "\(String(describing: saved))")
        let restarted = try await restartCoordinator(dir: dir, bin: c.bin, layout: c.layout)
        defer { restarted.process.terminate(); restarted.process.waitUntilExit() }
        func restartedLog() -> String { (try? String(contentsOfFile: restarted.log, encoding: .utf8)) ?? "" }
        let ready = try await c.wait(120) { restartedLog().contains("coordinator ready") }
        try #require(ready, "restarted coordinator: \(restartedLog())")
        let d2 = randomDigest()
        let s2 = try await client.sign(walletId: "e", digest: d2)
        try #require(s2.ok, "\(s2.code ?? "") \(s2.message ?? "")")
        #expect(!(s2.signers ?? []).contains("node-2"))
        #expect(IndependentECDSA.verify(hex(s2.signature), key, d2))
        let refilled = try await c.wait(300) { restartedLog().contains("presign pool of e for") }
        try #require(refilled, "restarted coordinator: \(restartedLog())")
        for line in restartedLog().split(separator: "\n") where line.contains("presign pool of e for") || line.contains("presigning for wallet e") {
            #expect(!line.contains("node-2"), "\(line)")
        }
        #expect(!restartedLog().contains("presign culprit identified"), "\(restartedLog())")
    }

    /// node-2 announces S_2 + G (δ right): the χ check Σ S_j = δ·X fails at node-1 and node-3, which name node-2 by
    /// σ*_2·Γ ≠ m*·Δ_2 + S_2; the pool refills without it and signatures verify. Before, this aborted with
    /// nobody named, so one node could stop ECDSA presigning for every signer set it was in.
    @Test func wrongSNodeIsIdentifiedAndExcluded() async throws {
        let c = try ECDSACluster.up(poolTarget: 1) { $0.ecdsa?.testCheatPresignChi = true }
        defer { c.down() }
        let client = try await ClusterClient.open(dir: c.dir)
        let k = try decodeResult(try run(c.mpc, ["--cluster", c.dir, "keygen", "--curve", "secp256k1", "--wallet", "e", "--json"]))
        try #require(k.ok, "\(k.code ?? "") \(k.message ?? "")")
        let key = hex(k.publicKey)

        let identified = try await c.wait(300) { c.log("coordinator").contains("presign culprit identified for wallet e: node-2 (presign_culprits_total") }
        try #require(identified, "coordinator log: \(c.log("coordinator"))")
        expectHonestVerdicts(c, check: "χ", naming: "inconsistent(\"σ* does not match the Δ_i and S_i it announced\")")
        for n in ["node-1", "node-3"] { #expect(!c.log(n).contains("presign δ check failed"), "\(n)") }
        let pooled = try await c.wait(300) { !(c.pool()["e"] ?? []).isEmpty }
        try #require(pooled, "pool: \(c.pool())")
        for entry in c.pool()["e"] ?? [] { #expect(!((entry["signers"] as? [String]) ?? []).contains("node-2"), "\(entry)") }

        let d = randomDigest()
        let s = try await client.sign(walletId: "e", digest: d)
        try #require(s.ok, "\(s.code ?? "") \(s.message ?? "")")
        #expect(!(s.signers ?? []).contains("node-2"))
        #expect(IndependentECDSA.verify(hex(s.signature), key, d))
    }

    /// A split lie (test-only `testCheatPresignFirstPeerOnly`: node-2 shows only node-1 a wrong S_2): node-2 and
    /// node-3 pass their checks and seal a presignature; node-1 runs identification, gets no identification message
    /// from them and names both as silent; the coordinator (no majority) names nobody and the session fails. The parts
    /// node-2 and node-3 sealed are retired (before, they stayed in their stores, never used).
    @Test func splitLieLeavesNoOrphanedPresignatures() async throws {
        let c = try ECDSACluster.up(poolTarget: 1) {
            $0.ecdsa?.testCheatPresignChi = true
            $0.ecdsa?.testCheatPresignFirstPeerOnly = true
        }
        defer { c.down() }
        let k = try decodeResult(try run(c.mpc, ["--cluster", c.dir, "keygen", "--curve", "secp256k1", "--wallet", "e", "--json"]))
        try #require(k.ok, "\(k.code ?? "") \(k.message ?? "")")
        let retired = try await c.wait(300) { c.log("coordinator").contains("retired 1 orphaned presignature(s) of wallet e at node-2,node-3") }
        try #require(retired, "coordinator log: \(c.log("coordinator"))")
        #expect(c.log("node-1").contains("presign χ check failed: running identification"))
        for n in ["node-2", "node-3"] {
            #expect(c.log(n).contains("retired 1 of 1 presignature(s) of wallet e"), "\(n): \(c.log(n))")
            #expect(!c.log(n).contains("check failed: running identification"), "\(n)")
        }
        #expect(!c.log("coordinator").contains("presign culprit identified"))
    }

    /// node-1 and node-3 (honest) logged that the `check` failed, and every verdict they logged names node-2 alone,
    /// for `naming`.
    func expectHonestVerdicts(_ c: ECDSACluster, check: String, naming: String) {
        for n in ["node-1", "node-3"] {
            let log = c.log(n)
            #expect(log.contains("presign \(check) check failed: running identification"), "\(n)")
            let verdicts = log.split(separator: "\n").filter { $0.contains("identification names") }
            #expect(!verdicts.isEmpty, "\(n) logged no verdict")
            for v in verdicts {
                #expect(v.contains("\(check) check failed; identification names node-2: \(naming)"), "\(n): \(v)")
                #expect(!v.contains("node-1:") && !v.contains("node-3:"), "\(n) named an honest signer: \(v)")
            }
        }
    }
}
