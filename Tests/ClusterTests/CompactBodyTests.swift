import Foundation
import Testing
@testable import ClientKit
import Messaging
import Protocols

/// The compact binary form of plans and node replies: every field round-trips (hex blobs as bytes, any other
/// string as text), JSON is still accepted, and hostile bytes (cut short, junk, trailing, bad tags) are refused
/// with `malformed_payload`, never a trap.
@Suite struct CompactBodyTests {
    static func plans() -> [SessionPlanBody] {
        var rng = SeededRandom(seed: 5)
        var signPrepared = SessionPlanBody(kind: .signPrepared, walletId: "treasury-1", curve: .ed25519,
                                           participants: ["node-1", "node-3", "node-5"], threshold: 3,
                                           digest: Hex.encode(rng.bytes(32)), clientRequest: Hex.encode(rng.bytes(300)))
        signPrepared.generation = 7; signPrepared.package = Hex.encode(rng.bytes(210)); signPrepared.count = 1
        var commit = SessionPlanBody(kind: .commit, walletId: "w", curve: .secp256k1Taproot, participants: ["node-2"],
                                     threshold: 2, digest: nil, clientRequest: "")
        commit.count = 4
        // Strings that are not canonical hex travel as text and come back unchanged.
        let odd = SessionPlanBody(kind: .keygen, walletId: "wället ✓", curve: .secp256k1Schnorr, participants: [],
                                  threshold: -1, digest: "ABCD", clientRequest: "abc")
        return [signPrepared, commit, odd]
    }

    static func replies() -> [NodeReplyBody] {
        [NodeReplyBody(), NodeReplyBody(code: "stale_generation", message: "generation 3, plan says 2"),
         NodeReplyBody(data: Hex.encode(Array(0..<32)), commitments: [Hex.encode(Array(0..<66)), "not hex"]),
         NodeReplyBody(commitments: [])]
    }

    static func ecdsaRequests() -> [ECDSANodeRequest] {
        var rng = SeededRandom(seed: 7)
        let sign = ECDSANodeRequest(op: .sign, walletId: "eth-hot", presignId: Hex.encode(rng.bytes(16)), signers: ["node-1", "node-2", "node-4"],
                                    digest: Hex.encode(rng.bytes(32)), clientRequest: Hex.encode(rng.bytes(330)),
                                    armNext: [Hex.encode(rng.bytes(16)), Hex.encode(rng.bytes(16))])
        let presign = ECDSANodeRequest(op: .presign, walletId: "e", presignId: Hex.encode(rng.bytes(16)), signers: ["node-1", "node-2", "node-3"])
        // Strings that are not canonical hex travel as text and come back unchanged; empty lists stay empty lists.
        let odd = ECDSANodeRequest(op: .sign, walletId: "wället ✓", presignId: "ABC", signers: [], digest: "xyz", clientRequest: "",
                                   armNext: ["not hex", ""])
        let retire = ECDSANodeRequest(op: .retire, walletId: "e", presignId: Hex.encode(rng.bytes(16)), signers: ["node-2"],
                                      retire: [Hex.encode(rng.bytes(16)), Hex.encode(rng.bytes(16))])
        return [sign, presign, odd, retire, ECDSANodeRequest(op: .sign, walletId: "w", presignId: "00", signers: ["n"], armNext: [])]
    }

    @Test func everyFieldRoundTripsAndJSONIsStillRead() throws {
        for p in Self.plans() {
            let bytes = WireBody.encode(p)
            #expect(bytes.first == SessionPlanBody.compactTag)
            #expect(try WireBody.decode(SessionPlanBody.self, bytes) == p)
            #expect(try WireBody.decode(SessionPlanBody.self, WireBody.encode(JSONForm(p))) == p)
        }
        for r in Self.replies() {
            #expect(try WireBody.decode(NodeReplyBody.self, WireBody.encode(r)) == r)
            #expect(try WireBody.decode(NodeReplyBody.self, WireBody.encode(JSONForm(r))) == r)
        }
        for q in Self.ecdsaRequests() {
            let bytes = WireBody.encode(q)
            #expect(bytes.first == ECDSANodeRequest.compactTag)
            #expect(try WireBody.decode(ECDSANodeRequest.self, bytes) == q)
            #expect(try WireBody.decode(ECDSANodeRequest.self, WireBody.encode(JSONForm(q))) == q)
        }
        #expect(WireBody.encode(Self.ecdsaRequests()[0]).count < WireBody.encode(JSONForm(Self.ecdsaRequests()[0])).count * 11 / 20)
        // A plan with its blobs as bytes is about half its JSON.
        let p = Self.plans()[0]
        #expect(WireBody.encode(p).count < WireBody.encode(JSONForm(p)).count * 11 / 20)
    }

    @Test func hostileBytesAreRefused() throws {
        let plan = WireBody.encode(Self.plans()[0]), reply = WireBody.encode(Self.replies()[2])
        for cut in 0..<plan.count { #expect(throws: ClusterError.self) { try WireBody.decode(SessionPlanBody.self, Array(plan[0..<cut])) } }
        for cut in 0..<reply.count { #expect(throws: ClusterError.self) { try WireBody.decode(NodeReplyBody.self, Array(reply[0..<cut])) } }
        #expect(throws: ClusterError.self) { try WireBody.decode(SessionPlanBody.self, plan + [0]) }
        #expect(throws: ClusterError.self) { try WireBody.decode(SessionPlanBody.self, reply) }   // the other tag
        let ecdsa = WireBody.encode(Self.ecdsaRequests()[0])
        for cut in 0..<ecdsa.count { #expect(throws: ClusterError.self) { try WireBody.decode(ECDSANodeRequest.self, Array(ecdsa[0..<cut])) } }
        #expect(throws: ClusterError.self) { try WireBody.decode(ECDSANodeRequest.self, ecdsa + [0]) }
        #expect(throws: ClusterError.self) { try WireBody.decode(ECDSANodeRequest.self, plan) }
        var badOp = ecdsa; badOp[1] = 3
        #expect(throws: ClusterError.self) { try WireBody.decode(ECDSANodeRequest.self, badOp) }
        var badKind = plan; badKind[1] = 9
        #expect(throws: ClusterError.self) { try WireBody.decode(SessionPlanBody.self, badKind) }
        // A count far beyond the bytes left is refused before anything is reserved.
        var w = ByteWriter()
        w.u8(NodeReplyBody.compactTag); w.u8(0); w.u8(0); w.u8(0); w.u8(1); w.u32(.max)
        #expect(throws: ClusterError.self) { try WireBody.decode(NodeReplyBody.self, w.bytes) }
        // Invalid UTF-8 in a text field.
        var t = ByteWriter()
        t.u8(NodeReplyBody.compactTag); t.u8(1); t.long([0xff, 0xfe]); t.u8(0); t.u8(0); t.u8(0)
        #expect(throws: ClusterError.self) { try WireBody.decode(NodeReplyBody.self, t.bytes) }
        // Random junk never traps.
        var rng = SeededRandom(seed: 6)
        for _ in 0..<2000 {
            let junk = [SessionPlanBody.compactTag] + rng.bytes(Int(rng.bytes(1)[0]))
            _ = try? WireBody.decode(SessionPlanBody.self, junk)
            _ = try? WireBody.decode(NodeReplyBody.self, [NodeReplyBody.compactTag] + Array(junk.dropFirst()))
            _ = try? WireBody.decode(ECDSANodeRequest.self, [ECDSANodeRequest.compactTag] + Array(junk.dropFirst()))
        }
    }

    /// The coordinator's answers written directly are byte for byte `JSONEncoder`'s (sorted keys), for plain bodies
    /// and for bodies whose strings need escaping (those go through `JSONEncoder` itself).
    @Test func resultJSONIsFoundationsByteForByte() throws {
        var rng = SeededRandom(seed: 7)
        func maybe<T>(_ v: @autoclosure () -> T) -> T? { rng.bytes(1)[0] & 1 == 0 ? nil : v() }
        let texts = ["", "node-1", "wallet ✓ ünïcode", "a/b", "quote \" here", "back\\slash", "tab\tnewline\n", "\u{1}"]
        for i in 0..<400 {
            let special = i % 4 == 3
            func text() -> String { special ? texts[Int(rng.bytes(1)[0]) % texts.count] : Hex.encode(rng.bytes(Int(rng.bytes(1)[0] % 40))) }
            var r = ClientResultBody(requestId: Hex.encode(rng.bytes(16)), code: maybe(text()), message: maybe(text()),
                                     walletId: maybe(text()), curve: maybe(Curve.allCases[Int(rng.bytes(1)[0]) % Curve.allCases.count]),
                                     publicKey: maybe(Hex.encode(rng.bytes(33))), signature: maybe(Hex.encode(rng.bytes(64))),
                                     signers: maybe((0..<Int(rng.bytes(1)[0] % 4)).map { _ in text() }),
                                     nodes: maybe(Dictionary(uniqueKeysWithValues: (0..<Int(rng.bytes(1)[0] % 4)).map { ("node-\($0)", $0 % 2 == 0) })),
                                     evidence: maybe((0..<3).map { _ in Hex.encode(rng.bytes(200)) }),
                                     recoveryId: maybe(Int(rng.bytes(1)[0] % 2)))
            r.discovery = maybe("nats"); r.requestsClaimed = maybe(Int(rng.bytes(2)[0]) * 1000)
            r.threshold = maybe(-Int(rng.bytes(1)[0])); r.generation = maybe(UInt64.max - UInt64(rng.bytes(1)[0]))
            #expect(r.jsonEncoded() == WireBody.encodeJSON(r), "body \(i)")
            #expect(try WireBody.decode(ClientResultBody.self, WireBody.encode(r)) == r)
        }
    }

    /// The direct writer knows every field of the struct, and writes each of a fully set body in its key order.
    @Test func resultJSONCoversEveryField() throws {
        var r = ClientResultBody(requestId: "r", code: "c", message: "m", walletId: "w", curve: .ed25519, publicKey: "00",
                                 signature: "11", signers: ["node-1"], nodes: ["node-1": true], evidence: ["22"], recoveryId: 1)
        r.discovery = "nats"; r.requestsClaimed = 3; r.threshold = 2; r.generation = 4
        let stored = Mirror(reflecting: r).children.compactMap(\.label)
        #expect(Set(stored) == Set(ClientResultBody.jsonKeys))
        #expect(Mirror(reflecting: r).children.allSatisfy { child in
            guard let o = child.value as? any OptionalProtocol else { return true }
            return !o.isNone
        })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.jsonEncoded())) as? [String: Any])
        #expect(Set(object.keys) == Set(ClientResultBody.jsonKeys))
        #expect(r.jsonEncoded() == WireBody.encodeJSON(r))
    }

    /// The same value through the plain JSON encoder (what an older sender wrote).
    struct JSONForm<T: Codable>: Codable {
        let value: T
        init(_ v: T) { value = v }
        func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
        init(from decoder: any Decoder) throws { value = try T(from: decoder) }
    }
}

/// Lets the test tell a nil field from a set one through `Mirror` (every field must be set there).
protocol OptionalProtocol { var isNone: Bool { get } }
extension Optional: OptionalProtocol { var isNone: Bool { self == nil } }
