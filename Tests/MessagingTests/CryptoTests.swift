import Foundation
import Testing
import Protocols
@testable import Messaging

@Suite("Identity and pairwise encryption")
struct CryptoTests {
    @Test func identityGenerationIsDeterministicPerSeedAndRedacted() throws {
        var r1 = SeededRandom(seed: 7), r2 = SeededRandom(seed: 7), r3 = SeededRandom(seed: 8)
        let a = try Identity.generate(id: "node-1", using: &r1)
        let b = try Identity.generate(id: "node-1", using: &r2)
        let c = try Identity.generate(id: "node-1", using: &r3)
        #expect(a.publicIdentity == b.publicIdentity)
        #expect(a.publicIdentity != c.publicIdentity)
        #expect(a.signingPublicKey != a.agreementPublicKey)
        let text = "\(a) \(String(reflecting: a))"
        #expect(text.contains("<redacted>"))
        var seed = a.seed.copyBytes()
        #expect(!text.contains(Hex.encode(seed)))
        zeroize(&seed)
        #expect(throws: IdentityError.invalidID("bad id")) { _ = try Identity.generate(id: "bad id", using: &r1) }
    }

    @Test func identityFileRoundTripAndCorruption() throws {
        var rng = SystemRandom()
        let id = try Identity.generate(id: "node-7", using: &rng)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("id-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try id.save(to: path)
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(throws: IdentityError.io("\(path) exists")) { try id.save(to: path) }
        let loaded = try Identity.load(from: path)
        #expect(loaded.publicIdentity == id.publicIdentity)
        let sig = loaded.sign(message: [1, 2, 3])
        #expect(Identity.verify(signature: sig, message: [1, 2, 3], publicKey: id.signingPublicKey))

        // A file whose public key does not match its seed is refused.
        var text = String(decoding: id.fileContents(), as: UTF8.self)
        text = text.replacingOccurrences(of: Hex.encode(id.signingPublicKey), with: String(repeating: "00", count: 32))
        #expect(throws: IdentityError.invalidFile("public keys do not match the seed")) {
            _ = try Identity(fileContents: Array(text.utf8))
        }
        #expect(throws: IdentityError.self) { _ = try Identity(fileContents: Array("{}".utf8)) }
        // The format is pinned (a fixed seed gives fixed bytes).
        let fixed = try Fixture.identity("node-1", 0x11)
        #expect(String(decoding: fixed.fileContents(), as: UTF8.self) ==
            "{\"agreementKey\":\"\(Hex.encode(fixed.agreementPublicKey))\",\"format\":\"threshold-custody-identity\","
            + "\"id\":\"node-1\",\"seed\":\"\(String(repeating: "11", count: 32))\","
            + "\"signingKey\":\"\(GoldenWire.signingKey)\",\"version\":1}\n")
        // Pretty-printed by hand is fine; two seeds or a short seed are not.
        let pretty = String(decoding: fixed.fileContents(), as: UTF8.self)
            .replacingOccurrences(of: "\"seed\":", with: "\"seed\" :\n  ")
        #expect(try Identity(fileContents: Array(pretty.utf8)).publicIdentity == fixed.publicIdentity)
        let twoSeeds = String(decoding: fixed.fileContents(), as: UTF8.self)
            .replacingOccurrences(of: "\"version\":1}", with: "\"version\":1,\"seed\":\"00\"}")
        #expect(throws: IdentityError.self) { _ = try Identity(fileContents: Array(twoSeeds.utf8)) }
        let shortSeed = String(decoding: fixed.fileContents(), as: UTF8.self)
            .replacingOccurrences(of: String(repeating: "11", count: 32), with: String(repeating: "11", count: 31))
        #expect(throws: IdentityError.invalidFile("bad seed")) { _ = try Identity(fileContents: Array(shortSeed.utf8)) }

        // Public identities round-trip through JSON (cluster configuration).
        let json = try JSONEncoder().encode(id.publicIdentity)
        #expect(try JSONDecoder().decode(PublicIdentity.self, from: json) == id.publicIdentity)
    }

    @Test func pairwiseRoundTripAndBindings() throws {
        let a = try Fixture.identity("node-1", 0x11)
        let b = try Fixture.identity("node-2", 0x22)
        let c = try Fixture.identity("node-3", 0x33)
        var rng = SeededRandom(seed: 1)
        let sid = Fixture.sessionId
        let other = SessionID(bytes: [UInt8](repeating: 9, count: 16))!

        let aToB = try PairwiseCipher(local: a, peer: b.publicIdentity)
        let bFromA = try PairwiseCipher(local: b, peer: a.publicIdentity)
        let secret: [UInt8] = Array("share for node-2".utf8)
        let ct = aToB.seal(secret, sessionId: sid, type: .roundMessage, using: &rng)
        #expect(ct.count == 24 + secret.count + 16)
        #expect(try bFromA.open(ct, sessionId: sid, type: .roundMessage) == secret)
        // The reply direction uses the other key and also works.
        let back = bFromA.seal([5], sessionId: sid, type: .roundMessage, using: &rng)
        #expect(try aToB.open(back, sessionId: sid, type: .roundMessage) == [5])

        // Wrong recipient: C cannot open what A sent to B.
        let cFromA = try PairwiseCipher(local: c, peer: a.publicIdentity)
        #expect(throws: PairwiseCipherError.authenticationFailed) { try cFromA.open(ct, sessionId: sid, type: .roundMessage) }
        // Different session.
        #expect(throws: PairwiseCipherError.authenticationFailed) { try bFromA.open(ct, sessionId: other, type: .roundMessage) }
        // Swapped sender: B believes it came from C.
        let bFromC = try PairwiseCipher(local: b, peer: c.publicIdentity)
        #expect(throws: PairwiseCipherError.authenticationFailed) { try bFromC.open(ct, sessionId: sid, type: .roundMessage) }
        // Reflection: A's own message offered back to A as if from B.
        #expect(throws: PairwiseCipherError.authenticationFailed) { try aToB.open(ct, sessionId: sid, type: .roundMessage) }
        // Different message type.
        #expect(throws: PairwiseCipherError.authenticationFailed) { try bFromA.open(ct, sessionId: sid, type: .result) }
        // Tampering anywhere, and truncation.
        for i in 0..<ct.count {
            var t = ct; t[i] ^= 0x80
            #expect(throws: PairwiseCipherError.authenticationFailed) { try bFromA.open(t, sessionId: sid, type: .roundMessage) }
        }
        #expect(throws: PairwiseCipherError.malformedCiphertext) { try bFromA.open(Array(ct.prefix(39)), sessionId: sid, type: .roundMessage) }
        // Same plaintext twice: different ciphertexts (random nonce).
        #expect(aToB.seal(secret, sessionId: sid, type: .roundMessage, using: &rng) != ct)
    }

    @Test func lowOrderPeerKeyRefused() throws {
        let a = try Fixture.identity("node-1", 0x11)
        let evil = try PublicIdentity(id: "evil", signingKey: [UInt8](repeating: 1, count: 32), agreementKey: [UInt8](repeating: 0, count: 32))
        #expect(throws: PairwiseCipherError.invalidPeerKey) { _ = try PairwiseCipher(local: a, peer: evil) }
    }
}
