import ClientKit
import Foundation
import Messaging
import Protocols
import Storage
import Testing

/// Resharing on a real cluster (nats-server, five mpc-node processes, mpc-coordinator), through the `mpc` CLI:
/// a 3-of-5 wallet moves to new members and a new threshold under the same public key; every new threshold
/// subset signs (libsodium / libsecp256k1 verify); removed members and a member rolled back to its old store
/// cannot sign.
@Suite(.serialized)
struct ReshareClusterTests {
    func json(_ c: TestCluster, _ args: [String]) throws -> ClientResultBody {
        try decodeResult(try run(c.mpc, ["--cluster", c.dir] + args + ["--json"]))
    }

    func sign(_ c: TestCluster, _ wallet: String, _ digest: [UInt8], signers: [String]? = nil) throws -> ClientResultBody {
        try json(c, ["sign", "--wallet", wallet, "--digest", hexString(digest)] + (signers.map { ["--signers", $0.joined(separator: ",")] } ?? []))
    }

    @Test func reshareMembersAndThresholdKeepingTheKey() async throws {
        let c = try TestCluster.up(nodes: 5, threshold: 3, tag: "reshare")
        defer { c.down() }

        let ed = try json(c, ["keygen", "--curve", "ed25519", "--wallet", "ed"])
        try #require(ed.ok, "\(ed.code ?? "") \(ed.message ?? "")")
        let edKey = hex(ed.publicKey)
        let tr = try json(c, ["keygen", "--curve", "secp256k1-taproot", "--wallet", "tr"])
        try #require(tr.ok, "\(tr.code ?? "") \(tr.message ?? "")")
        let trKey = hex(tr.publicKey)

        // Keep node-2's generation-0 store to roll it back later.
        _ = try run(c.mpc, ["cluster", "down", "--dir", c.dir])
        let db2 = c.dir + "/node-2/db", saved = c.dir + "/node-2-db-gen0"
        try FileManager.default.copyItem(atPath: db2, toPath: saved)
        let up = try run(c.mpc, ["cluster", "up", "--nodes", "5", "--threshold", "3", "--dir", c.dir, "--aux-primes", fixturePrimes])
        try #require(up.status == 0, "cluster up again: \(up.stderr)")

        // 3-of-5 -> 2-of-3 on node-1, node-2, node-4 (node-3 and node-5 removed).
        let started = Date()
        let r = try json(c, ["reshare", "--wallet", "ed", "--threshold", "2", "--members", "node-4,node-1,node-2"])
        try #require(r.ok, "\(r.code ?? "") \(r.message ?? "")")
        let elapsed = Date().timeIntervalSince(started)
        print("reshare ed25519 3-of-5 -> 2-of-3 through the CLI: \(String(format: "%.2f", elapsed)) s")
        #expect(r.publicKey == ed.publicKey, "the public key is unchanged")
        #expect(r.signers == ["node-1", "node-2", "node-4"])
        #expect(r.threshold == 2 && r.generation == 1)
        #expect(try json(c, ["pubkey", "--wallet", "ed"]).publicKey == ed.publicKey)

        for set in [["node-1", "node-2"], ["node-1", "node-4"], ["node-2", "node-4"]] {
            let d = randomDigest()
            let s = try sign(c, "ed", d, signers: set)
            #expect(s.ok && s.signers == set, "\(set): \(s.code ?? "") \(s.message ?? "")")
            #expect(Independent.ed25519(hex(s.signature), edKey, d), "libsodium verifies \(set)")
        }
        let d0 = randomDigest()
        let free = try sign(c, "ed", d0)
        #expect(free.ok && free.signers?.count == 2 && Set(free.signers ?? []).isSubset(of: ["node-1", "node-2", "node-4"]))
        #expect(Independent.ed25519(hex(free.signature), edKey, d0))
        // The old threshold no longer applies, and removed members are no holders.
        let three = try sign(c, "ed", randomDigest(), signers: ["node-1", "node-2", "node-4"])
        #expect(three.code == "invalid_signers")
        let removed = try sign(c, "ed", randomDigest(), signers: ["node-1", "node-3"])
        #expect(removed.code == "invalid_signers")
        let bad = try json(c, ["reshare", "--wallet", "ed", "--threshold", "2", "--members", "node-1,node-9"])
        #expect(bad.code == "invalid_members")
        let low = try json(c, ["reshare", "--wallet", "ed", "--threshold", "4", "--members", "node-1,node-2,node-3"])
        #expect(low.code == "invalid_threshold")

        // Nodes check every reshare plan against the client's signed request, and take plans only from the coordinator.
        try await hostilePlans(c)

        // Taproot: 3-of-5 -> 3-of-4 on node-2..node-5 (node-1 removed); signatures verify under the same output key.
        let t = try json(c, ["reshare", "--wallet", "tr", "--threshold", "3", "--members", "node-2,node-3,node-4,node-5"])
        try #require(t.ok, "\(t.code ?? "") \(t.message ?? "")")
        #expect(t.publicKey == tr.publicKey)
        for set in [["node-2", "node-3", "node-4"], ["node-3", "node-4", "node-5"], ["node-2", "node-4", "node-5"]] {
            let d = randomDigest()
            let s = try sign(c, "tr", d, signers: set)
            #expect(s.ok, "\(set): \(s.code ?? "") \(s.message ?? "")")
            #expect(Independent.bip340(hex(s.signature), xOnly: trKey, d), "libsecp256k1 verifies \(set)")
        }
        #expect(try sign(c, "tr", randomDigest(), signers: ["node-1", "node-2", "node-3"]).code == "invalid_signers")

        // On disk (the nodes stopped): new members hold only generation 1, removed members hold nothing.
        _ = try run(c.mpc, ["cluster", "down", "--dir", c.dir])
        for (node, ed, tr) in [("node-1", [UInt64(1)], [UInt64]()), ("node-2", [1], [1]), ("node-3", [], [1]),
                               ("node-4", [1], [1]), ("node-5", [], [1])] {
            let store = try NodeStore.open(directory: "\(c.dir)/\(node)/db", passphraseFile: "\(c.dir)/\(node)/passphrase", kdf: .interactive)
            #expect(try await store.shareGenerations(walletID: "ed") == ed, "\(node) ed")
            #expect(try await store.shareGenerations(walletID: "tr") == tr, "\(node) tr")
            #expect((try await store.wallet(id: "ed") != nil) == !ed.isEmpty, "\(node): a removed member keeps no wallet record")
            await store.close()
        }
        // Roll node-2 back to its generation-0 store: it must refuse to sign with the old share.
        try FileManager.default.removeItem(atPath: db2)
        try FileManager.default.moveItem(atPath: saved, toPath: db2)
        let up2 = try run(c.mpc, ["cluster", "up", "--nodes", "5", "--threshold", "3", "--dir", c.dir, "--aux-primes", fixturePrimes])
        try #require(up2.status == 0, "cluster up after the rollback: \(up2.stderr)")
        let stale = try sign(c, "ed", randomDigest(), signers: ["node-1", "node-2"])
        #expect(stale.code == "stale_generation", "\(stale.code ?? "ok") \(stale.message ?? "")")
        // Without a forced set the coordinator retries with the holders that are current.
        let d1 = randomDigest()
        let retried = try sign(c, "ed", d1)
        #expect(retried.ok && retried.signers == ["node-1", "node-4"], "\(retried.code ?? "") \(retried.message ?? "")")
        #expect(Independent.ed25519(hex(retried.signature), edKey, d1))
        // Resharing again (generation 2) to the same members: node-2, stale, refuses to deal, so the coordinator picks
        // other dealers and node-2 joins as a new member; then it signs again.
        let again = try json(c, ["reshare", "--wallet", "ed", "--threshold", "2", "--members", "node-1,node-2,node-4"])
        try #require(again.ok, "\(again.code ?? "") \(again.message ?? "")")
        #expect(again.generation == 2 && again.publicKey == ed.publicKey)
        let d2 = randomDigest()
        let back = try sign(c, "ed", d2, signers: ["node-1", "node-2"])
        #expect(back.ok, "\(back.code ?? "") \(back.message ?? "")")
        #expect(Independent.ed25519(hex(back.signature), edKey, d2))
    }

    /// Threshold ECDSA (CGGMP21): its shares are Shamir shares too. 3-of-5 -> 2-of-3 on node-2, node-3, node-5;
    /// the pooled presignatures of the old shares are dropped; new 2-subsets sign (presign + sign with the new
    /// shares), verified and recovered to the same key with libsecp256k1.
    @Test func reshareAThresholdECDSAWallet() async throws {
        let c = try TestCluster.up(nodes: 5, threshold: 3, tag: "reshare-ecdsa")
        defer { c.down() }
        let k = try json(c, ["keygen", "--curve", "secp256k1", "--wallet", "e"])
        try #require(k.ok, "\(k.code ?? "") \(k.message ?? "")")
        let key = hex(k.publicKey)
        let d0 = randomDigest()
        let s0 = try sign(c, "e", d0)
        try #require(s0.ok, "\(s0.code ?? "") \(s0.message ?? "")")
        #expect(IndependentECDSA.verify(hex(s0.signature), key, d0))

        let r = try json(c, ["reshare", "--wallet", "e", "--threshold", "2", "--members", "node-2,node-3,node-5"])
        try #require(r.ok, "\(r.code ?? "") \(r.message ?? "")")
        #expect(r.publicKey == k.publicKey && r.threshold == 2 && r.generation == 1)
        let pool = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: c.dir + "/coordinator/data/presign-pool.json")))) as? [String: Any]
        let pooled = (pool?["e"] as? [[String: Any]]) ?? []
        #expect(pooled.allSatisfy { ($0["signers"] as? [String]).map { $0.count == 2 && Set($0).isSubset(of: ["node-2", "node-3", "node-5"]) } ?? false },
                "no presignature of the old shares stays pooled: \(pooled)")
        for set in [["node-2", "node-3"], ["node-3", "node-5"]] {
            let d = randomDigest()
            let s = try sign(c, "e", d, signers: set)
            try #require(s.ok, "\(set): \(s.code ?? "") \(s.message ?? "")")
            #expect(s.signers == set)
            #expect(IndependentECDSA.verify(hex(s.signature), key, d), "libsecp256k1 verifies \(set)")
            #expect(IndependentECDSA.recover(hex(s.signature), v: s.recoveryId ?? 9, d) == key)
        }
        #expect(try sign(c, "e", randomDigest(), signers: ["node-1", "node-2"]).code == "invalid_signers")
    }

    /// Plans node-1 must refuse, each with its code: the coordinator's signature over a plan that asks more than the
    /// client signed (another threshold, a sign request in place of a reshare request), and a plan from a client.
    func hostilePlans(_ c: TestCluster) async throws {
        let client = try await ClusterClient.open(dir: c.dir)
        let coordinator = try Identity.load(from: c.layout.path("coordinator/identity.json"))
        let request = ReshareRequestBody(walletId: "ed", threshold: 2, members: ["node-1", "node-2", "node-4"])
        let (_, signed) = try client.makeRequest(.reshareRequest, payload: WireBody.encode(request))
        let (_, signRequest) = try client.makeRequest(.signRequest, payload: WireBody.encode(SignRequestBody(walletId: "ed", digest: hexString(randomDigest()))))
        func plan(threshold: Int, clientRequest: [UInt8]) -> ResharePlanBody {
            ResharePlanBody(step: .prepare, walletId: "ed", curve: .ed25519, dealers: ["node-1", "node-2"], members: ["node-1", "node-2", "node-4"],
                            threshold: threshold, generation: 2, oldPublicKeyPackage: "00", oldMembers: ["node-1", "node-2", "node-4"],
                            clientRequest: hexString(clientRequest))
        }
        func ask(_ sender: Identity, _ body: ResharePlanBody) async throws -> String? {
            var rng = SystemRandom()
            let env = try #require(sender.envelope(.sessionPlan, session: SessionID.random(using: &rng), to: .party("node-1"),
                                                   payload: WireBody.encode(body)))
            let reply = try await client.connection.request(subject: ClusterSubjects.nodeReshare("node-1"), payload: try env.encoded(), timeout: .seconds(5))
            return try WireBody.decode(NodeReplyBody.self, try EnvelopeCodec.decode(reply.data).envelope.payload).code
        }
        #expect(try await ask(coordinator, plan(threshold: 3, clientRequest: signed)) == "plan_mismatch", "threshold the client did not sign")
        #expect(try await ask(coordinator, plan(threshold: 2, clientRequest: signRequest)) == "plan_mismatch", "a sign request as authority")
        #expect(try await ask(coordinator, plan(threshold: 2, clientRequest: [1, 2, 3])) == "client_request_invalid")
        #expect(try await ask(client.identity, plan(threshold: 2, clientRequest: signed)) == "unknown_sender", "a plan from the client")
        // Everything matches the client, but the old public key package is not the wallet node-1 holds.
        #expect(try await ask(coordinator, plan(threshold: 2, clientRequest: signed)) == "plan_mismatch", "a public key package not the wallet's")
    }
}
