import ClientKit
import CSecp256k1
import Discovery
import Foundation
import Messaging
import Protocols
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// libsecp256k1 called directly (not the project's wrappers): verify r‖s and recover the key with v.
enum IndependentECDSA {
    nonisolated(unsafe) static let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))

    static func verify(_ compact: [UInt8], _ pk: [UInt8], _ digest: [UInt8]) -> Bool {
        guard let ctx, compact.count == 64, digest.count == 32 else { return false }
        var key = secp256k1_pubkey(), sig = secp256k1_ecdsa_signature()
        guard secp256k1_ec_pubkey_parse(ctx, &key, pk, pk.count) == 1,
              secp256k1_ecdsa_signature_parse_compact(ctx, &sig, compact) == 1 else { return false }
        // libsecp256k1 refuses high-S: a normalised copy must equal the signature itself.
        var normal = secp256k1_ecdsa_signature()
        guard secp256k1_ecdsa_signature_normalize(ctx, &normal, &sig) == 0 else { return false }
        return secp256k1_ecdsa_verify(ctx, &sig, digest, &key) == 1
    }

    static func recover(_ compact: [UInt8], v: Int, _ digest: [UInt8]) -> [UInt8]? {
        guard let ctx, compact.count == 64 else { return nil }
        var rs = secp256k1_ecdsa_recoverable_signature(), key = secp256k1_pubkey()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rs, compact, Int32(v)) == 1,
              secp256k1_ecdsa_recover(ctx, &key, &rs, digest) == 1 else { return nil }
        var out = [UInt8](repeating: 0, count: 33), len = 33
        _ = secp256k1_ec_pubkey_serialize(ctx, &out, &len, &key, UInt32(SECP256K1_EC_COMPRESSED))
        return out
    }
}

/// Test support: the fixture primes of the protocol tests (pre-generated; the nodes import them instead of
/// generating safe primes).
let fixturePrimes = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../ProtocolsTests/Fixtures/safe-primes.json").standardized.path

/// A threshold ECDSA cluster: `cluster init --aux-primes`, a presign pool of 2, node-2 pausing 3 s after it
/// consumed a presignature (so it can be killed in between).
struct ECDSACluster {
    let dir: String
    let bin: Binaries
    var layout: ClusterLayout { ClusterLayout(dir: dir) }
    var mpc: String { bin.path("mpc") }

    /// `poolTarget` and `node2` (the test-only settings of node-2's config) let other suites reuse the setup.
    static func up(poolTarget: Int = 2,
                   node2: (inout NodeConfig) -> Void = { $0.ecdsa?.testPauseAfterConsumeMillis = 3000 }) throws -> ECDSACluster {
        let bin = try Binaries.locate()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mpc-ecdsa-\(UUID().uuidString)").path
        let c = ECDSACluster(dir: dir, bin: bin)
        let initR = try run(c.mpc, ["cluster", "init", "--nodes", "5", "--threshold", "3", "--dir", dir, "--aux-primes", fixturePrimes])
        try #require(initR.status == 0, "\(initR.stderr)")
        var cc = try CoordinatorConfig.read(c.layout.coordinatorConfig)
        cc.presignPoolTarget = poolTarget
        try ConfigFile.write(cc, to: c.layout.coordinatorConfig)
        var n2 = try NodeConfig.read(c.layout.nodeConfig("node-2"))
        node2(&n2)
        try ConfigFile.write(n2, to: c.layout.nodeConfig("node-2"))
        let up = try run(c.mpc, ["cluster", "up", "--nodes", "5", "--threshold", "3", "--dir", dir])
        try #require(up.status == 0, "\(up.stderr)")
        return c
    }

    func down() {
        _ = try? run(mpc, ["cluster", "down", "--dir", dir])
        try? FileManager.default.removeItem(atPath: dir)
    }

    func log(_ name: String) -> String { (try? String(contentsOfFile: layout.path("logs/\(name).log"), encoding: .utf8)) ?? "" }

    func pool() -> [String: [[String: Any]]] {
        guard let data = FileManager.default.contents(atPath: layout.path("coordinator/data/presign-pool.json")),
              let o = try? JSONSerialization.jsonObject(with: data) as? [String: [[String: Any]]] else { return [:] }
        return o
    }

    func pooledIds(_ wallet: String) -> [String] { (pool()[wallet] ?? []).compactMap { $0["presignId"] as? String } }

    /// Waits until `cond` holds (polling), up to `seconds`.
    func wait(_ seconds: Int, _ cond: () -> Bool) async throws -> Bool {
        for _ in 0..<(seconds * 4) {
            if cond() { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return cond()
    }
}

/// Acts as the coordinator (its identity is in the cluster directory) to send ECDSA requests to one node.
struct FakeCoordinator {
    let identity: Identity
    let connection: NatsConnection
    let verifier: EnvelopeVerifier

    init(_ c: ECDSACluster, connection: NatsConnection) throws {
        identity = try Identity.load(from: c.layout.path("coordinator/identity.json"))
        self.connection = connection
        let m = try ClusterManifest.load(path: c.layout.manifest)
        verifier = EnvelopeVerifier(localId: identity.id, keys: StaticKeyDirectory(m.nodes), replay: InMemoryReplayGuard(),
                                    now: EnvelopeVerifier.systemClock)
    }

    /// Asks `node` to sign `digest` with presignature `presignId`; the node's reply body.
    func sign(_ node: String, client: ClusterClient, wallet: String, presignId: String, signers: [String], digest: [UInt8],
              derivationPath: String = "", timeout: Duration = .seconds(10)) async throws -> NodeReplyBody {
        let (_, clientRequest) = try client.makeRequest(.signRequest, payload: WireBody.encode(
            SignRequestBody(walletId: wallet, digest: hexString(digest), derivationPath: derivationPath, signers: nil)))
        let req = ECDSANodeRequest(op: .sign, walletId: wallet, presignId: presignId, signers: signers, digest: hexString(digest),
                                   clientRequest: hexString(clientRequest))
        let session = try #require(SessionID(bytes: hex(presignId)))
        let env = try #require(identity.envelope(.sessionPlan, session: session, to: .party(node), payload: WireBody.encode(req)))
        let reply = try await connection.request(subject: ECDSASubjects.node(node), payload: try env.encoded(), timeout: timeout)
        guard case .success(let v) = await verifier.verify(reply.data) else { throw HarnessError("reply refused") }
        #expect(v.envelope.sender == node)
        return try WireBody.decode(NodeReplyBody.self, v.envelope.payload)
    }
}

@Suite(.serialized)
struct ECDSAClusterTests {
    @Test func thresholdECDSAWallet() async throws {
        let c = try ECDSACluster.up()
        defer { c.down() }
        let client = try await ClusterClient.open(dir: c.dir)

        // keygen 3-of-5 (nodes imported their aux primes; the FROST secp256k1 DKG with the digest echo)
        let k = try decodeResult(try run(c.mpc, ["--cluster", c.dir, "keygen", "--curve", "secp256k1", "--wallet", "e", "--json"]))
        try #require(k.ok, "\(k.code ?? "") \(k.message ?? "")")
        let key = hex(k.publicKey)
        #expect(key.count == 33 && (key[0] == 2 || key[0] == 3))
        #expect(k.signers?.count == 5)
        let pub = try decodeResult(try run(c.mpc, ["--cluster", c.dir, "pubkey", "--wallet", "e", "--json"]))
        #expect(pub.publicKey == k.publicKey)
        for n in 1...5 { #expect(c.log("node-\(n)").contains("ECDSA aux info ready (cggmp21-2048), imported")) }

        // first signature (CLI JSON with r, s, v): verified and recovered with libsecp256k1 directly
        let d1 = randomDigest()
        let r1 = try run(c.mpc, ["--cluster", c.dir, "sign", "--wallet", "e", "--digest", hexString(d1), "--json"])
        let s1 = try decodeResult(r1)
        try #require(s1.ok, "\(s1.code ?? "") \(s1.message ?? "")")
        let sig1 = hex(s1.signature)
        #expect(sig1.count == 64)
        #expect(IndependentECDSA.verify(sig1, key, d1))
        let v1 = try #require(s1.recoveryId)
        #expect(v1 == 0 || v1 == 1)
        #expect(IndependentECDSA.recover(sig1, v: v1, d1) == key)
        #expect(IndependentECDSA.recover(sig1, v: 1 - v1, d1) != key)
        let json = try #require(try JSONSerialization.jsonObject(with: Data((r1.stdout.split(separator: "\n").last ?? "").utf8)) as? [String: Any])
        #expect(json["r"] as? String == String(s1.signature?.prefix(64) ?? ""))
        #expect(json["s"] as? String == String(s1.signature?.suffix(64) ?? ""))
        #expect(json["v"] as? Int == v1)
        // a wrong digest does not verify (the check can fail)
        #expect(!IndependentECDSA.verify(sig1, key, randomDigest()))

        // the pool fills in the background (target 2, set node-1,2,3); a second signature uses a pooled presignature
        let filled = try await c.wait(240) { c.pooledIds("e").count == 2 }
        try #require(filled, "pool: \(c.pool())")
        let before = c.pooledIds("e")
        let d2 = randomDigest()
        let s2 = try await client.sign(walletId: "e", digest: d2)
        try #require(s2.ok, "\(s2.code ?? "") \(s2.message ?? "")")
        #expect(IndependentECDSA.verify(hex(s2.signature), key, d2))
        #expect(IndependentECDSA.recover(hex(s2.signature), v: s2.recoveryId ?? 9, d2) == key)
        #expect(s2.signers == ["node-1", "node-2", "node-3"])
        let used = try #require(before.first { c.log("coordinator").contains("signing wallet e with pooled presignature \($0)") })
        #expect(!c.pooledIds("e").contains(used))
        for n in ["node-1", "node-2", "node-3"] { #expect(c.log(n).contains("presignature \(used) consumed")) }
        // no presign session was run under the used presignature's id after it was pooled: its session started once
        #expect(c.log("coordinator").components(separatedBy: "session=\(used) presigning").count == 2)

        // a used presignature cannot be consumed again (asked directly, as the coordinator would)
        let fake = try FakeCoordinator(c, connection: client.connection)
        let again = try await fake.sign("node-1", client: client, wallet: "e", presignId: used, signers: ["node-1", "node-2", "node-3"], digest: randomDigest())
        #expect(again.code == "presignature_unknown", "\(again)")

        // a pooled presignature consumed by node-1 once: σ; a second time: refused
        let refilled = try await c.wait(240) { c.pooledIds("e").count == 2 }
        try #require(refilled, "pool: \(c.pool())")
        let p = try #require(c.pooledIds("e").first)
        // Checklist 20: key derivation is not implemented, so a request naming a derivation path is refused: by the
        // coordinator, and by a node asked directly before it consumes anything (p still signs below).
        let (_, derived) = try client.makeRequest(.signRequest, payload: WireBody.encode(
            SignRequestBody(walletId: "e", digest: hexString(randomDigest()), derivationPath: "m/44'/60'/0'/0/0")))
        let derivedReply = try await client.send(subject: Subjects.signRequest, bytes: derived)
        #expect(derivedReply.code == "derivation_unsupported", "\(derivedReply)")
        let derivedAtNode = try await fake.sign("node-1", client: client, wallet: "e", presignId: p, signers: ["node-1", "node-2", "node-3"],
                                                digest: randomDigest(), derivationPath: "m/0")
        #expect(derivedAtNode.code == "derivation_unsupported", "\(derivedAtNode)")
        // Checklist 19: ECDSA signs 32-byte digests only: the coordinator refuses 31 and 33 bytes, and so does a node
        // asked directly, before it consumes anything.
        for n in [31, 33] {
            let digest = Array((randomDigest() + randomDigest()).prefix(n))
            let short = try await client.sign(walletId: "e", digest: digest)
            #expect(short.code == "invalid_digest", "\(n) bytes: \(short)")
            let shortAtNode = try await fake.sign("node-1", client: client, wallet: "e", presignId: p, signers: ["node-1", "node-2", "node-3"],
                                                  digest: digest)
            #expect(shortAtNode.code == "invalid_digest", "\(n) bytes: \(shortAtNode)")
        }
        let first = try await fake.sign("node-1", client: client, wallet: "e", presignId: p, signers: ["node-1", "node-2", "node-3"], digest: randomDigest())
        #expect(first.code == nil && hex(first.data).count == 32, "\(first)")
        // p was the pool's other entry when the coordinator signed d2, so it named p in `armNext`: node-1 had
        // already taken it out of its store and signed from memory, without a disk write on the signing path
        #expect(c.log("node-1").contains("presignature \(p) consumed (taken from the store ahead of use)"), "\(c.log("node-1"))")
        let second = try await fake.sign("node-1", client: client, wallet: "e", presignId: p, signers: ["node-1", "node-2", "node-3"], digest: randomDigest())
        #expect(second.code == "presignature_unknown")

        // node-2 SIGKILLed after it consumed presignature p (it pauses 3 s before computing σ): no share was sent,
        // and after a restart the presignature is gone (the consumption was durable)
        let node2 = try #require(pids(c.dir)["node-2"])
        let pending = Task { try? await fake.sign("node-2", client: client, wallet: "e", presignId: p, signers: ["node-1", "node-2", "node-3"], digest: randomDigest(), timeout: .seconds(8)) }
        let consumed = try await c.wait(20) { c.log("node-2").contains("presignature \(p) consumed") }
        #expect(consumed)
        kill(node2, SIGKILL)
        let answer = await pending.value
        #expect(answer == nil, "node-2 answered after it was killed: \(String(describing: answer))")
        #expect(!c.log("node-2").contains("ECDSA signature share sent (presignature \(p))"))
        let (restarted, restartLog) = try restartNode("node-2", bin: c.bin, layout: c.layout)
        defer { if restarted.isRunning { kill(restarted.processIdentifier, SIGKILL) } }
        let back = try await c.wait(30) { ((try? String(contentsOfFile: restartLog, encoding: .utf8)) ?? "").contains("node ready") }
        try #require(back)
        let afterCrash = try await fake.sign("node-2", client: client, wallet: "e", presignId: p, signers: ["node-1", "node-2", "node-3"], digest: randomDigest())
        #expect(afterCrash.code == "presignature_unknown", "\(afterCrash)")

        // the coordinator still lists p: signing through it falls back to a fresh presignature
        let d3 = randomDigest()
        let s3 = try await client.sign(walletId: "e", digest: d3, signers: ["node-1", "node-2", "node-3"])
        #expect(s3.ok, "\(s3.code ?? "") \(s3.message ?? "")")
        #expect(IndependentECDSA.verify(hex(s3.signature), key, d3))

        // node-3 replaced by a cheater that answers the signing round with a random σ_3: the coordinator's share
        // check (σ_j·Γ = m·Δ_j + r·S_j) names it, and the retry without it signs
        let pooledAgain = try await c.wait(240) { !c.pooledIds("e").isEmpty }
        try #require(pooledAgain, "pool: \(c.pool())")
        let node3 = try #require(pids(c.dir)["node-3"])
        kill(node3, SIGTERM)
        for _ in 0..<100 where isAlive(node3) { usleep(50_000) }
        let cheater = ECDSACheater(identity: try Identity.load(from: c.layout.path("node-3/identity.json")), connection: client.connection,
                                   manifest: try ClusterManifest.load(path: c.layout.manifest))
        let tasks = try cheater.start()
        defer { for t in tasks { t.cancel() } }
        // it registers with discovery as a real node does (registration grants nothing: requests are signed by the
        // coordinator, replies verified against the manifest)
        let registration = DiscoveryRegistration(discovery: try await NatsDiscovery.open(connection: client.connection),
                                                 instance: ServiceInstance(id: "node-3", service: ClusterServices.node, address: "", port: 0),
                                                 ttl: .seconds(6), connection: client.connection, log: Log("cheater"))
        try await registration.start()
        defer { Task { await registration.stop() } }
        var healthy = false
        for _ in 0..<80 where !healthy {
            if let s = try? await client.status(), s.nodes?["node-3"] == true { healthy = true } else { try await Task.sleep(for: .milliseconds(250)) }
        }
        try #require(healthy, "the cheater is not listed as healthy")
        let d4 = randomDigest()
        let s4 = try await client.sign(walletId: "e", digest: d4)
        #expect(s4.ok, "\(s4.code ?? "") \(s4.message ?? "")")
        #expect(!(s4.signers ?? []).contains("node-3"))
        #expect(IndependentECDSA.verify(hex(s4.signature), key, d4))
        #expect(c.log("coordinator").contains("wrong signature share from node-3"))
        #expect(c.log("coordinator").contains("culprits: node-3"))

        // in presigning the cheater sends a malformed (but correctly sealed) round-1 message: the honest signers'
        // runs name it (identifiable abort), and the coordinator names it as accused by the others
        let presignCheat = try await client.sign(walletId: "e", digest: randomDigest(), signers: ["node-1", "node-3", "node-4"])
        #expect(presignCheat.code == "presign_culprit", "\(presignCheat)")
        #expect(presignCheat.message?.contains("culprits node-3") == true, "\(presignCheat)")
        #expect(c.log("node-1").contains("presign failed: presign_culprit"))

        // Checklist 17, the operator's tool for a store restored from a backup: with node-1 stopped, `mpc-node --config
        // FILE --drop-presignatures` deletes every presignature it holds (the pool refilled sets with it) and exits;
        // a second run finds none.
        let withNode1 = try await c.wait(240) { (c.pool()["e"] ?? []).contains { (($0["signers"] as? [String]) ?? []).contains("node-1") } }
        try #require(withNode1, "pool: \(c.pool())")
        let node1 = try #require(pids(c.dir)["node-1"])
        kill(node1, SIGTERM)
        for _ in 0..<200 where isAlive(node1) { usleep(50_000) }
        let dropped = try run(c.bin.path("mpc-node"), ["--config", c.layout.nodeConfig("node-1"), "--drop-presignatures"])
        #expect(dropped.status == 0, "\(dropped.stderr)")
        #expect(dropped.stdout.hasPrefix("dropped ") && !dropped.stdout.hasPrefix("dropped 0 ") && dropped.stdout.contains(" presignature(s) from "),
                "\(dropped.stdout)")
        let again1 = try run(c.bin.path("mpc-node"), ["--config", c.layout.nodeConfig("node-1"), "--drop-presignatures"])
        #expect(again1.status == 0 && again1.stdout.hasPrefix("dropped 0 presignature(s)"), "\(again1.stdout) \(again1.stderr)")
    }
}

/// A node under node-3's identity, in place of the stopped real node-3: it answers health checks, accepts presign
/// plans and then sends every other signer a correctly sealed but malformed round-1 message, and answers every
/// signing round with a random σ. Nothing in the runtime is told about it.
final class ECDSACheater: Sendable {
    let identity: Identity
    let connection: NatsConnection
    let manifest: ClusterManifest
    init(identity: Identity, connection: NatsConnection, manifest: ClusterManifest) {
        self.identity = identity; self.connection = connection; self.manifest = manifest
    }

    /// On the start signal: garbage round-1 messages, sealed pairwise, to the other signers.
    func cheatInPresign(_ req: ECDSANodeRequest, session: SessionID) throws {
        let bcast = try connection.subscribe(subject: Subjects.sessionBroadcast(session))
        Task {
            for await _ in bcast {
                for peer in req.signers where peer != self.identity.id {
                    guard let p = self.manifest.node(peer), let cipher = try? PairwiseCipher(local: self.identity, peer: p) else { continue }
                    var rng = SystemRandom()
                    let sealed = cipher.seal(rng.bytes(64), sessionId: session, type: .roundMessage, using: &rng)
                    if let env = self.identity.envelope(.roundMessage, session: session, to: .party(peer), payload: [ECDSAPresignTag.round1] + sealed) {
                        try? self.connection.publish(env, subject: Subjects.sessionDirect(session, to: peer))
                    }
                }
                break
            }
        }
    }

    func start() throws -> [Task<Void, Never>] {
        let requests = try connection.subscribe(subject: ECDSASubjects.node(identity.id))
        let health = try connection.subscribe(subject: ClusterSubjects.health(identity.id))
        return [
            Task { for await m in health { if let r = m.reply { try? self.connection.publish(subject: r, payload: Array("{}".utf8)) } } },
            Task {
                for await m in requests {
                    guard let reply = m.reply, let e = try? EnvelopeCodec.decode(m.data),
                          let req = try? WireBody.decode(ECDSANodeRequest.self, e.envelope.payload) else { continue }
                    if req.op == .presign { try? self.cheatInPresign(req, session: e.envelope.sessionId) }
                    let body = req.op == .sign ? NodeReplyBody(data: hexString(randomDigest())) : NodeReplyBody()
                    guard let env = self.identity.envelope(body.code == nil ? .partialSignature : .error, session: e.envelope.sessionId,
                                                           to: .party("coordinator"), payload: WireBody.encode(body)),
                          let bytes = try? env.encoded() else { continue }
                    try? self.connection.publish(subject: reply, payload: bytes)
                }
            },
        ]
    }
}
