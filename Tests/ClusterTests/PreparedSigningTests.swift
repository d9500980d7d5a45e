import ClientKit
import Foundation
import Messaging
import Protocols
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// One-round FROST signing from preprocessed commitments, against real node processes. The test plays the
/// coordinator (it holds the coordinator's identity from the cluster directory): it asks nodes to commit
/// ahead, builds the signing package itself, and checks what a node must refuse: a second use of a
/// commitment, a package that signs something else than the client asked (which still burns the nonces),
/// too many commitments at once, a plan from anyone but the coordinator, and commitments of a restarted node.
@Suite(.serialized)
struct PreparedSigningTests {
    struct Coordinator {
        let identity: Identity
        let connection: NatsConnection
        let client: ClusterClient

        /// A coordinator-signed plan to one node; the node's reply body.
        func ask(_ node: String, _ plan: SessionPlanBody, as sender: Identity? = nil) async throws -> NodeReplyBody {
            var rng = SystemRandom()
            let env = try #require((sender ?? identity).envelope(.sessionPlan, session: SessionID.random(using: &rng), to: .party(node),
                                                                 payload: WireBody.encode(plan)))
            let reply = try await connection.request(subject: ClusterSubjects.nodePlan(node), payload: try env.encoded(), timeout: .seconds(5))
            let answer = try EnvelopeCodec.decode(reply.data).envelope
            #expect(answer.sender == node)
            return try WireBody.decode(NodeReplyBody.self, answer.payload)
        }

        func commit(_ node: String, count: Int) async throws -> NodeReplyBody {
            var plan = SessionPlanBody(kind: .commit, walletId: "p", curve: .ed25519, participants: [node], threshold: 2, digest: nil, clientRequest: "")
            plan.count = count
            return try await ask(node, plan)
        }

        /// A signPrepared plan: the client asks to sign `digest`; the package signs `packageMessage`.
        func signPlan(_ signers: [String], digest: [UInt8], package: SigningPackage<FROSTEd25519>) throws -> SessionPlanBody {
            let (_, request) = try client.makeRequest(.signRequest, payload: WireBody.encode(SignRequestBody(walletId: "p", digest: hexString(digest))))
            var plan = SessionPlanBody(kind: .signPrepared, walletId: "p", curve: .ed25519, participants: signers, threshold: 2,
                                       digest: hexString(digest), clientRequest: hexString(request))
            plan.package = hexString(package.serialize())
            plan.count = 1
            return plan
        }
    }

    @Test func preparedCommitmentsSignOnceAndOnlyWhatTheClientAsked() async throws {
        let cluster = try TestCluster.up(nodes: 3, threshold: 2, tag: "prepared")
        defer { cluster.down() }
        let client = try await ClusterClient.open(dir: cluster.dir)
        let k = try await client.keygen(walletId: "p", curve: .ed25519)
        try #require(k.ok, "\(k.code ?? "") \(k.message ?? "")")
        let layout = cluster.layout
        let c = Coordinator(identity: try Identity.load(from: layout.path("coordinator/identity.json")), connection: client.connection, client: client)
        let wallets = try JSONDecoder().decode([String: [String: String]].self,
                                               from: try #require(FileManager.default.contents(atPath: layout.path("coordinator/data/wallets.json"))))
        let pkp = try KeyPackageCodec.decodePublicKeyPackage(hex(wallets["p"]?["publicKeyPackage"]), as: FROSTEd25519.self)
        let signers = ["node-1", "node-2"]
        let participants = [try ParticipantID(1), try ParticipantID(2)]

        // Each node prepares three commitments.
        var pooled: [String: [SigningCommitments<FROSTEd25519>]] = [:]
        for n in signers {
            let r = try await c.commit(n, count: 3)
            #expect(r.code == nil, "\(r.code ?? "") \(r.message ?? "")")
            pooled[n] = try (r.commitments ?? []).map { try SigningCommitments<FROSTEd25519>(wire: hex($0)) }
            #expect(pooled[n]?.count == 3)
        }
        func package(_ i: Int, message: [UInt8]) throws -> SigningPackage<FROSTEd25519> {
            try SigningPackage(commitments: signers.map { pooled[$0]![i] }, message: message)
        }

        // One round: the shares aggregate to a signature libsodium accepts; each node returns a fresh commitment.
        let d = randomDigest()
        let coordinator = try SigningCoordinator<FROSTEd25519>(publicKeyPackage: pkp, signers: participants, message: d)
        for n in signers { _ = try coordinator.receive(pooled[n]![0]) }
        let plan = try c.signPlan(signers, digest: d, package: try package(0, message: d))
        var action: SigningCoordinator<FROSTEd25519>.Action = .wait
        var fresh: [String: SigningCommitments<FROSTEd25519>] = [:]
        for n in signers {
            let r = try await c.ask(n, plan)
            #expect(r.code == nil, "\(n): \(r.code ?? "") \(r.message ?? "")")
            #expect(r.commitments?.count == 1)
            fresh[n] = try SigningCommitments<FROSTEd25519>(wire: hex(try #require(r.commitments?.first)))
            action = try coordinator.receive(try SignatureShare<FROSTEd25519>(wire: hex(r.data)))
        }
        guard case .finished(let signature) = action else { Issue.record("no signature"); return }
        #expect(Independent.ed25519(try signature.bytes(), hex(k.publicKey), d))

        // The fresh commitment a reply carries signs the next time, once: the first ones were made on the signing's
        // path (the stock was empty), the next ones come from the nonces a node stocks after replying.
        for _ in 0..<2 {
            let dn = randomDigest()
            let next = try SigningCoordinator<FROSTEd25519>(publicKeyPackage: pkp, signers: participants, message: dn)
            for n in signers { _ = try next.receive(try #require(fresh[n])) }
            let p = try c.signPlan(signers, digest: dn, package: try SigningPackage(commitments: signers.map { try #require(fresh[$0]) }, message: dn))
            var done: SigningCoordinator<FROSTEd25519>.Action = .wait
            for n in signers {
                let r = try await c.ask(n, p)
                #expect(r.code == nil, "\(n): \(r.code ?? "") \(r.message ?? "")")
                fresh[n] = try SigningCommitments<FROSTEd25519>(wire: hex(try #require(r.commitments?.first)))
                done = try next.receive(try SignatureShare<FROSTEd25519>(wire: hex(r.data)))
            }
            guard case .finished(let s) = done else { Issue.record("no signature from handed-out commitments"); return }
            #expect(Independent.ed25519(try s.bytes(), hex(k.publicKey), dn))
            let reused = try await c.ask("node-2", p)
            #expect(reused.code == "nonce_unknown", "\(reused.code ?? "accepted")")
        }

        // The same commitments again (a new envelope, so not a replay): the nonces are gone.
        let again = try await c.ask("node-1", plan)
        #expect(again.code == "nonce_unknown", "\(again.code ?? "accepted")")

        // The client asked for d2, the package signs something else: refused, and the nonces are burnt.
        let d2 = randomDigest()
        var forged = try c.signPlan(signers, digest: d2, package: try package(1, message: d2))
        forged.package = hexString(try package(1, message: randomDigest()).serialize())
        let mismatch = try await c.ask("node-1", forged)
        #expect(mismatch.code == "plan_mismatch", "\(mismatch.code ?? "accepted")")
        let honest = try await c.ask("node-1", try c.signPlan(signers, digest: d2, package: try package(1, message: d2)))
        #expect(honest.code == "nonce_unknown", "\(honest.code ?? "accepted")")

        // Bounds and authority.
        let tooMany = try await c.commit("node-1", count: 17)
        #expect(tooMany.code == "plan_mismatch", "\(tooMany.code ?? "accepted")")
        var byNode = SessionPlanBody(kind: .commit, walletId: "p", curve: .ed25519, participants: ["node-1"], threshold: 2, digest: nil, clientRequest: "")
        byNode.count = 1
        let impostor = try await c.ask("node-1", byNode, as: try Identity.load(from: layout.path("node-2/identity.json")))
        #expect(impostor.code == "unauthorized", "\(impostor.code ?? "accepted")")

        // The real coordinator signs once with node-1, pooling more of its commitments.
        let before = try await client.sign(walletId: "p", digest: randomDigest(), signers: signers)
        #expect(before.ok, "\(before.code ?? "") \(before.message ?? "")")

        // A restarted node has forgotten its nonces: its pooled commitment is refused, never signs.
        let pid = try #require(pids(cluster.dir)["node-1"])
        kill(pid, SIGKILL)
        for _ in 0..<100 where isAlive(pid) { try await Task.sleep(for: .milliseconds(50)) }
        let restarted = try restartNode("node-1", bin: cluster.bin, layout: layout)
        defer { if restarted.process.isRunning { kill(restarted.process.processIdentifier, SIGKILL) } }
        var lost: NodeReplyBody?
        for _ in 0..<100 where lost == nil {
            lost = try? await c.ask("node-1", try c.signPlan(signers, digest: d2, package: try package(2, message: d2)))
            if lost == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(lost?.code == "nonce_unknown", "\(lost?.code ?? "no answer")")

        // The real coordinator recovers by itself: its pooled node-1 commitments are refused, it forgets them
        // and asks for fresh ones.
        for _ in 0..<3 {
            let d3 = randomDigest()
            let r = try await client.sign(walletId: "p", digest: d3, signers: signers)
            #expect(r.ok, "\(r.code ?? "") \(r.message ?? "")")
            #expect(Independent.ed25519(hex(r.signature), hex(k.publicKey), d3))
        }
        // ... and it did so through the recovery path, not because it happened to hold no node-1 commitment.
        let log = (try? String(contentsOfFile: layout.path("logs/coordinator.log"), encoding: .utf8)) ?? ""
        #expect(log.contains("node-1 no longer holds its prepared nonces; preparing afresh"))
    }
}
