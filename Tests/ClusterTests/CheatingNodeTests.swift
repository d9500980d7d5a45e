import ClientKit
import Discovery
import Foundation
import Messaging
import Protocols
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A node that follows the message flow with valid-looking commitments but sends a wrong signature
/// share: it runs in the test process under node-3's identity, in place of the stopped real node-3.
/// Nothing in the runtime is told about it.
final class CheatingNode: Sendable {
    let identity: Identity
    let connection: NatsConnection
    let participant: ParticipantID

    init(identity: Identity, connection: NatsConnection, participant: ParticipantID) {
        self.identity = identity; self.connection = connection; self.participant = participant
    }

    func start() throws -> [Task<Void, Never>] {
        let id = identity.id
        let plans = try connection.subscribe(subject: ClusterSubjects.nodePlan(id))
        let rounds = try connection.subscribe(subject: ClusterSubjects.nodeRound(id))
        let health = try connection.subscribe(subject: ClusterSubjects.health(id))
        return [
            Task { for await m in health { if let r = m.reply { try? self.connection.publish(subject: r, payload: Array("{}".utf8)) } } },
            Task {
                for await m in plans {
                    guard let e = try? EnvelopeCodec.decode(m.data), let plan = try? WireBody.decode(SessionPlanBody.self, e.envelope.payload) else { continue }
                    var rng = SystemRandom()
                    switch plan.kind {
                    case .keygen: self.answer(m, body: NodeReplyBody(code: "refused_by_test", message: "no keygen here"))
                    case .sign: self.answer(m, data: self.commitments().serialize())
                    case .commit:
                        self.answer(m, body: NodeReplyBody(commitments: (0..<(plan.count ?? 1)).map { _ in Hex.encode(self.commitments().serialize()) }))
                    case .signPrepared:
                        let share = SignatureShare<FROSTEd25519>(identifier: self.participant, share: .random(using: &rng)).serialize()
                        self.answer(m, body: NodeReplyBody(data: Hex.encode(share), commitments: [Hex.encode(self.commitments().serialize())]))
                    }
                }
            },
            Task {
                for await m in rounds {
                    var rng = SystemRandom()
                    self.answer(m, data: SignatureShare<FROSTEd25519>(identifier: self.participant, share: .random(using: &rng)).serialize())
                }
            },
        ]
    }

    /// Valid-looking commitments for nonces nobody keeps.
    private func commitments() -> SigningCommitments<FROSTEd25519> {
        var rng = SystemRandom()
        // Random non-zero scalars: the commitments are valid points, never the identity.
        guard let c = try? SigningCommitments<FROSTEd25519>(identifier: participant, hiding: .baseMultiply(.random(using: &rng)),
                                                            binding: .baseMultiply(.random(using: &rng))) else {
            preconditionFailure("random commitments")
        }
        return c
    }

    private func answer(_ m: NatsMessage, data: [UInt8]) { answer(m, body: NodeReplyBody(data: Hex.encode(data))) }

    private func answer(_ m: NatsMessage, body: NodeReplyBody) {
        guard let reply = m.reply, let request = try? EnvelopeCodec.decode(m.data),
              let env = identity.envelope(body.code == nil ? .partialSignature : .error, session: request.envelope.sessionId,
                                          to: .party("coordinator"), payload: WireBody.encode(body)),
              let bytes = try? env.encoded() else { return }
        try? connection.publish(subject: reply, payload: bytes)
    }
}

@Suite(.serialized)
struct CheatingNodeTests {
    @Test func badShareNamesTheCulpritAndOthersSign() async throws {
        let bin = try Binaries.locate()
        let mpc = bin.path("mpc")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mpc-cheat-\(UUID().uuidString)").path
        defer {
            _ = try? run(mpc, ["cluster", "down", "--dir", dir])
            try? FileManager.default.removeItem(atPath: dir)
        }
        let up = try run(mpc, ["cluster", "up", "--nodes", "5", "--threshold", "3", "--dir", dir, "--aux-primes", fixturePrimes])
        try #require(up.status == 0, "\(up.stderr)")
        let client = try await ClusterClient.open(dir: dir)
        let k = try await client.keygen(walletId: "w", curve: .ed25519)
        try #require(k.ok, "\(k.code ?? "") \(k.message ?? "")")

        // replace node-3 by the cheater
        let cheater = "node-3"
        let pid = try #require(pids(dir)[cheater])
        kill(pid, SIGTERM)
        for _ in 0..<100 where isAlive(pid) { usleep(50_000) }
        let layout = ClusterLayout(dir: dir)
        let node = CheatingNode(identity: try Identity.load(from: layout.path("\(cheater)/identity.json")),
                                connection: client.connection, participant: try ParticipantID(3))
        let tasks = try node.start()
        defer { for t in tasks { t.cancel() } }
        // it registers with discovery as a real node does (registration grants nothing: plans are signed by
        // the coordinator, replies verified against the manifest)
        let registration = DiscoveryRegistration(discovery: try await NatsDiscovery.open(connection: client.connection),
                                                 instance: ServiceInstance(id: cheater, service: ClusterServices.node, address: "", port: 0),
                                                 ttl: .seconds(6), connection: client.connection, log: Log("cheater"))
        try await registration.start()

        // with the cheater forced into the signer set: refused, and the culprit is named
        let forced = try await client.sign(walletId: "w", digest: randomDigest(), signers: ["node-1", cheater, "node-5"])
        #expect(forced.code == "invalid_share")
        #expect(forced.message?.contains(cheater) == true)
        #expect(forced.message?.contains("node-1") == false)

        // left to the coordinator: every request completes, never with the cheater's share
        for _ in 0..<4 {
            let d = randomDigest()
            let r = try await client.sign(walletId: "w", digest: d)
            #expect(r.ok, "\(r.code ?? "") \(r.message ?? "")")
            #expect(!(r.signers ?? []).contains(cheater))
            #expect(Independent.ed25519(hex(r.signature), hex(k.publicKey), d))
        }

        // keygen plans refused by one node: the coordinator abandons each session, so the other nodes free
        // their keygen slots (2 each) at once and a later keygen is not refused as busy
        for i in 0..<3 {
            let refused = try await client.keygen(walletId: "x\(i)", curve: .ed25519)
            #expect(refused.code == "refused_by_test", "\(refused.code ?? "") \(refused.message ?? "")")
        }
        for t in tasks { t.cancel() }
        await registration.stop()
        var gone = false
        for _ in 0..<50 where !gone {
            if let s = try? await client.status(), s.nodes?[cheater] == false { gone = true } else { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(gone, "the cheater's deregistration is not seen")
        let real = Process()
        real.executableURL = URL(fileURLWithPath: bin.path("mpc-node"))
        real.arguments = ["--config", layout.nodeConfig(cheater)]
        // The cheater's subscriptions end asynchronously after its tasks are cancelled and could still answer a
        // health probe: wait for the real node's own "node ready" line, then for the coordinator to see it.
        let realLog = NSTemporaryDirectory() + "cheater-real-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: realLog, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: realLog))
        real.standardOutput = logHandle
        real.standardError = logHandle
        try real.run()
        defer { if real.isRunning { kill(real.processIdentifier, SIGKILL) } }
        var back = false
        for _ in 0..<100 where !back {
            let ready = ((try? String(contentsOfFile: realLog, encoding: .utf8)) ?? "").contains("node ready")
            if ready, let s = try? await client.status(), s.nodes?[cheater] == true { back = true } else { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(back)
        // The coordinator still pools commitments the cheater made under node-3's name: the real node-3 refuses
        // them (`nonce_unknown`), the coordinator forgets them and signs with fresh ones.
        let dAfter = randomDigest()
        let after = try await client.sign(walletId: "w", digest: dAfter, signers: ["node-1", cheater, "node-5"])
        #expect(after.ok, "\(after.code ?? "") \(after.message ?? "")")
        #expect(Independent.ed25519(hex(after.signature), hex(k.publicKey), dAfter))
        let k2 = try await client.keygen(walletId: "x-after", curve: .ed25519)
        #expect(k2.ok, "\(k2.code ?? "") \(k2.message ?? "")")
    }
}
