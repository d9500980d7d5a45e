import Foundation
import Testing
import Protocols
import Synchronization
@testable import Messaging

@Suite("Signed envelopes over NATS", .serialized)
struct EnvelopeTransportTests {
    @Test func verifiedStreamSkipsAndCountsForgeries() async throws {
        try await withNatsServer { server in
            let nc = try await NatsConnection.connect(NatsOptions(servers: [server.url]))
            let alice = try Fixture.identity("node-1", 0x11)
            let bob = try Fixture.identity("node-2", 0x22)
            let mallory = try Fixture.identity("mallory", 0x33)
            let clock: @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970 * 1000) }
            let verifier = EnvelopeVerifier(localId: "node-2", keys: StaticKeyDirectory([alice.publicIdentity]),
                                            replay: InMemoryReplayGuard(), now: clock)
            let rejected = Mutex<[String]>([])
            var rng = SystemRandom()
            let sid = SessionID.random(using: &rng)
            let subject = Subjects.sessionDirect(sid, to: "node-2")
            #expect(subject == "mpc.session.\(sid.hex).p2p.node-2")
            let inbox = try nc.subscribeEnvelopes(subject: subject, verifier: verifier) { r, _ in
                rejected.withLock { $0.append(r.code) }
            }
            try await nc.flush(timeout: .seconds(2))

            // Alice encrypts a round message to Bob and signs the envelope.
            let cipher = try PairwiseCipher(local: alice, peer: bob.publicIdentity)
            let secret: [UInt8] = Array("share".utf8)
            let sealed = cipher.seal(secret, sessionId: sid, type: .roundMessage, using: &rng)
            let good = try alice.sign(Envelope.make(type: .roundMessage, sessionId: sid, sender: "node-1", recipient: .party("node-2"),
                                                    payload: sealed, now: clock(), ttlMillis: 30_000, using: &rng))
            let forged = try mallory.sign(Envelope.make(type: .roundMessage, sessionId: sid, sender: "node-1",
                                                        recipient: .party("node-2"), payload: [0], now: clock(),
                                                        ttlMillis: 30_000, using: &rng))
            try nc.publish(forged, subject: subject)
            try nc.publish(subject: subject, payload: [1, 2, 3])  // garbage
            try nc.publish(good, subject: subject)
            try nc.publish(good, subject: subject)                // replay
            try nc.publish(good, subject: subject)                // replay again, then a marker we can wait for
            let marker = try alice.sign(Envelope.make(type: .result, sessionId: sid, sender: "node-1", recipient: .broadcast,
                                                      payload: [], now: clock(), ttlMillis: 30_000, using: &rng))
            try nc.publish(marker, subject: subject)

            var it = inbox.makeAsyncIterator()
            let first = try #require(await it.next())
            #expect(first.envelope.sender == "node-1" && first.envelope.type == .roundMessage)
            let receiver = try PairwiseCipher(local: bob, peer: alice.publicIdentity)
            #expect(try receiver.open(first.envelope.payload, sessionId: first.envelope.sessionId, type: first.envelope.type) == secret)
            let second = try #require(await it.next())
            #expect(second.envelope.type == .result)
            #expect(rejected.withLock { $0 } == ["bad_signature", "malformed", "replayed", "replayed"])
            #expect(await verifier.rejectionCounts == [.badSignature: 1, .malformed: 1, .replayed: 2])
            #expect(await verifier.acceptedCount == 2)
        }
    }

    @Test func durableEnvelopeIsStoredOnceAndDrainCloses() async throws {
        try await withNatsServer { server in
            let nc = try await NatsConnection.connect(NatsOptions(servers: [server.url]))
            let js = try JetStream(connection: nc)
            try await js.ensureStream(StreamConfig(name: "SIGN_RESULTS", subjects: ["mpc.sign.response.>"]))
            let alice = try Fixture.identity("node-1", 0x11)
            var rng = SeededRandom(seed: 3)
            let sid = SessionID.random(using: &rng)
            let env = try alice.sign(Envelope.make(type: .result, sessionId: sid, sender: "node-1", recipient: .broadcast,
                                                   payload: [9], now: 1, ttlMillis: 1000, using: &rng))
            let a = try await js.publishDurable(env, subject: Subjects.signResponse(sid))
            let b = try await js.publishDurable(env, subject: Subjects.signResponse(sid))
            #expect(!a.duplicate && b.duplicate && a.sequence == b.sequence)
            #expect(try await js.messageCount(stream: "SIGN_RESULTS") == 1)

            let events = nc.events()
            try await withTimeout(10, "drain") { try await nc.drain(timeout: .seconds(5)) }
            #expect(nc.status == .closed)
            let closed = try await withTimeout(5, "closed event") {
                for await e in events where e == .closed { return true }
                return false
            }
            #expect(closed)
        }
    }
}
