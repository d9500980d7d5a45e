import Foundation
import Testing
import Protocols
@testable import Messaging

@Suite("Envelope verification: every rejection reason")
struct EnvelopeVerifierTests {
    let alice: Identity
    let bob: Identity
    let mallory: Identity

    init() throws {
        alice = try Fixture.identity("node-1", 0x11)
        bob = try Fixture.identity("node-2", 0x22)
        mallory = try Fixture.identity("mallory", 0x33)
    }

    /// Bob's verifier; Alice is a known sender, Mallory is not.
    func verifier(now: UInt64 = Fixture.now + 1_000, maxBytes: Int = 1 << 20) -> EnvelopeVerifier {
        EnvelopeVerifier(localId: "node-2", keys: StaticKeyDirectory([alice.publicIdentity, bob.publicIdentity]),
                         replay: InMemoryReplayGuard(),
                         policy: .init(maxEnvelopeBytes: maxBytes, maxClockSkewMillis: 5_000),
                         now: { now })
    }

    func wire(_ e: Envelope = Fixture.envelope(), by id: Identity? = nil) throws -> [UInt8] {
        try (id ?? alice).sign(e).encoded()
    }

    func expectRejected(_ v: EnvelopeVerifier, _ bytes: [UInt8], _ reason: EnvelopeRejection.Reason,
                        sourceLocation: SourceLocation = #_sourceLocation) async {
        let before = await v.rejectionCount(reason)
        let result = await v.verify(bytes)
        guard case let .failure(r) = result else {
            Issue.record("accepted, expected \(reason)", sourceLocation: sourceLocation); return
        }
        #expect(r.reason == reason, sourceLocation: sourceLocation)
        #expect(await v.rejectionCount(reason) == before + 1, sourceLocation: sourceLocation)
    }

    @Test func acceptsValidEnvelopeOnceThenReplayed() async throws {
        let v = verifier()
        let bytes = try wire()
        let ok = try (await v.verify(bytes)).get()
        #expect(ok.envelope == Fixture.envelope())
        #expect(await v.acceptedCount == 1)
        await expectRejected(v, bytes, .replayed)
        // Same nonce, different content: still a replay (the nonce is per sender).
        await expectRejected(v, try wire(Fixture.envelope(recipient: .broadcast, payload: [1])), .replayed)
        // A fresh nonce is accepted; broadcasts are accepted too.
        var fresh = Fixture.envelope(recipient: .broadcast, payload: [1])
        fresh.nonce = [UInt8](repeating: 0xcd, count: 16)
        #expect((try? (await v.verify(try wire(fresh))).get()) != nil)
        // Another sender may use the same nonce value.
        var fromBob = Fixture.envelope(sender: "node-2", recipient: .broadcast)
        fromBob.nonce = fresh.nonce
        #expect((try? (await v.verify(try wire(fromBob, by: bob))).get()) != nil)
    }

    @Test func replayGuardFromClosureFailsClosed() async throws {
        // A store that cannot record (returns false) makes every envelope a replay: fail closed.
        let v = EnvelopeVerifier(localId: "node-2", keys: StaticKeyDirectory([alice.publicIdentity]),
                                 replay: ClosureReplayGuard { _, _, _ in false }, now: { Fixture.now + 1_000 })
        await expectRejected(v, try wire(), .replayed)
    }

    @Test func unknownSender() async throws {
        await expectRejected(verifier(), try wire(Fixture.envelope(sender: "mallory"), by: mallory), .unknownSender)
    }

    @Test func impersonationIsBadSignature() async throws {
        // Mallory signs claiming to be node-1.
        await expectRejected(verifier(), try wire(by: mallory), .badSignature)
    }

    @Test func flippedSignatureBit() async throws {
        var bytes = try wire()
        bytes[bytes.count - 1] ^= 0x01
        await expectRejected(verifier(), bytes, .badSignature)
    }

    @Test func tamperedEveryFieldByte() async throws {
        let bytes = try wire()
        let v = verifier()
        // Flip one bit in every byte of the signed fields: never accepted.
        for i in 0..<(bytes.count - 64) {
            var t = bytes; t[i] ^= 0x04
            if case .success = await v.verify(t) { Issue.record("tampered byte \(i) accepted") }
        }
        // Payload tamper specifically is a bad signature.
        var t = bytes; t[bytes.count - 64 - 1] ^= 0x01
        await expectRejected(v, t, .badSignature)
    }

    @Test func expiredAndNotYetValid() async throws {
        let e = Fixture.envelope(timestamp: Fixture.now, expiry: Fixture.now + 60_000)
        await expectRejected(verifier(now: Fixture.now + 60_000), try wire(e), .expired)
        await expectRejected(verifier(now: Fixture.now - 5_001), try wire(e), .notYetValid)
        // Within the skew bound: accepted.
        #expect((try? (await verifier(now: Fixture.now - 4_999).verify(try wire(e))).get()) != nil)
        // Expiry before timestamp, or beyond the lifetime policy: malformed.
        await expectRejected(verifier(), try wire(Fixture.envelope(expiry: Fixture.now - 1)), .malformed)
        await expectRejected(verifier(), try wire(Fixture.envelope(expiry: Fixture.now + 3_600_001)), .malformed)
    }

    @Test func wrongRecipient() async throws {
        await expectRejected(verifier(), try wire(Fixture.envelope(recipient: .party("node-3"))), .wrongRecipient)
    }

    @Test func trailingBytesUnknownVersionTruncation() async throws {
        let v = verifier()
        let bytes = try wire()
        await expectRejected(v, bytes + [0], .malformed)
        var v9 = bytes; v9[0] = 9
        await expectRejected(v, v9, .unsupportedVersion)
        for n in 0..<bytes.count {
            let reason: EnvelopeRejection.Reason = .malformed
            await expectRejected(v, Array(bytes.prefix(n)), reason)
        }
        #expect(await v.rejectionCount(.malformed) == 1 + bytes.count)
    }

    @Test func tooLarge() async throws {
        let big = try wire(Fixture.envelope(payload: [UInt8](repeating: 1, count: 2000)))
        await expectRejected(verifier(maxBytes: 1024), big, .tooLarge)
        // Default limit is 1 MiB.
        #expect(EnvelopeVerifier.Policy().maxEnvelopeBytes == 1_048_576)
        await expectRejected(verifier(), [UInt8](repeating: 1, count: 1_048_577), .tooLarge)
    }

    @Test func stableCodes() {
        #expect(EnvelopeRejection.Reason.allCases.map(\.rawValue) == [
            "too_large", "unsupported_version", "malformed", "unknown_sender", "bad_signature",
            "wrong_recipient", "expired", "not_yet_valid", "replayed",
        ])
    }
}
