import Foundation
import Testing
import Protocols
@testable import Messaging

/// Fixed keys and a fixed envelope for golden tests.
enum Fixture {
    static func identity(_ id: String, _ fill: UInt8) throws -> Identity {
        try Identity(id: id, seed: SecretBytes([UInt8](repeating: fill, count: 32)))
    }
    static let sessionId = SessionID(bytes: (0..<16).map { UInt8($0) })!
    static let now: UInt64 = 1_700_000_000_000

    static func envelope(sender: String = "node-1", recipient: Recipient = .party("node-2"),
                         timestamp: UInt64 = now, expiry: UInt64 = now + 60_000,
                         payload: [UInt8] = Array("hello".utf8)) -> Envelope {
        Envelope(type: .roundMessage, sessionId: sessionId, sender: sender, recipient: recipient,
                 timestamp: timestamp, expiry: expiry, nonce: [UInt8](repeating: 0xab, count: 16), payload: payload)
    }
}

@Suite("Envelope wire format")
struct EnvelopeCodecTests {
    @Test func goldenCanonicalEncoding() throws {
        let fields = try EnvelopeCodec.canonicalFields(Fixture.envelope())
        #expect(Hex.encode(fields) ==
            "01" + "05" + "000102030405060708090a0b0c0d0e0f"        // version, type, session
            + "0006" + Hex.encode(Array("node-1".utf8))              // sender
            + "01" + "0006" + Hex.encode(Array("node-2".utf8))       // recipient: party
            + "0000018bcfe56800" + "0000018bcfe65260"                // timestamp, expiry
            + String(repeating: "ab", count: 16)                     // nonce
            + "00000005" + Hex.encode(Array("hello".utf8)))          // payload
        let broadcast = try EnvelopeCodec.canonicalFields(Fixture.envelope(recipient: .broadcast))
        #expect(Hex.encode(broadcast).hasPrefix("0105000102030405060708090a0b0c0d0e0f00066e6f64652d3100" + "0000018bcfe56800"))
    }

    @Test func goldenSignedWire() throws {
        let id = try Fixture.identity("node-1", 0x11)
        let wire = try id.sign(Fixture.envelope()).encoded()
        // Ed25519 is deterministic: the whole wire, signature included, is pinned.
        #expect(Hex.encode(id.signingPublicKey) == GoldenWire.signingKey)
        #expect(Hex.encode(wire) == GoldenWire.signedEnvelope)
    }

    @Test func roundTrip() throws {
        let id = try Fixture.identity("node-1", 0x11)
        for recipient in [Recipient.broadcast, .party("node-2")] {
            let signed = try id.sign(Fixture.envelope(recipient: recipient, payload: Array(repeating: 7, count: 1000)))
            #expect(try EnvelopeCodec.decode(try signed.encoded()) == signed)
        }
    }

    @Test func rejectsTrailingBytesUnknownVersionAndEveryTruncation() throws {
        let id = try Fixture.identity("node-1", 0x11)
        let wire = try id.sign(Fixture.envelope()).encoded()
        #expect(throws: EnvelopeDecodingError.malformed("1 trailing bytes")) { try EnvelopeCodec.decode(wire + [0]) }
        var v2 = wire; v2[0] = 2
        #expect(throws: EnvelopeDecodingError.unsupportedVersion(2)) { try EnvelopeCodec.decode(v2) }
        for n in 0..<wire.count {
            #expect(throws: EnvelopeDecodingError.self) { try EnvelopeCodec.decode(Array(wire.prefix(n))) }
        }
        var badType = wire; badType[1] = 0xee
        #expect(throws: EnvelopeDecodingError.malformed("unknown type 238")) { try EnvelopeCodec.decode(badType) }
        var badTag = wire; badTag[2 + 16 + 2 + 6] = 9
        #expect(throws: EnvelopeDecodingError.malformed("unknown recipient tag 9")) { try EnvelopeCodec.decode(badTag) }
        var badSender = wire; badSender[2 + 16 + 2] = UInt8(ascii: ".")
        #expect(throws: EnvelopeDecodingError.malformed("invalid sender id")) { try EnvelopeCodec.decode(badSender) }
    }

    @Test func encodingRefusesInvalidFields() throws {
        #expect(throws: EnvelopeEncodingError.invalidPartyID("bad.id")) {
            try EnvelopeCodec.canonicalFields(Fixture.envelope(sender: "bad.id"))
        }
        var e = Fixture.envelope(); e.nonce = [1]
        #expect(throws: EnvelopeEncodingError.invalidNonce) { try EnvelopeCodec.canonicalFields(e) }
    }
}
