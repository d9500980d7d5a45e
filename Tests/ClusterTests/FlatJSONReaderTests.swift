import Foundation
import Testing
@testable import ClientKit
import Protocols

/// The plain-JSON reader for sign requests and results (`FlatJSONReader`): it reads what clients and the
/// coordinator actually send (checked: the fast path answers, not the fallback), and whatever the bytes (random
/// bodies in every key order and spacing, crafted edge cases, thousands of mutated and random byte strings),
/// `WireBody.decode` gives exactly `JSONDecoder`'s value, or fails where `JSONDecoder` fails.
@Suite struct FlatJSONReaderTests {
    /// Printable ASCII, sometimes with a quote, a backslash, a slash or a non-ASCII letter (which JSON escapes or
    /// the reader leaves to JSONDecoder).
    static func text(_ rng: inout SeededRandom, plain: Bool) -> String {
        let n = Int(rng.bytes(1)[0] % 12)
        var s = String((0..<n).map { _ in Character(UnicodeScalar(0x20 + rng.bytes(1)[0] % 95)) })
        s.removeAll { $0 == "\"" || $0 == "\\" || $0 == "/" }
        if !plain { s += ["\"", "\\", "é", "\n", "/"][Int(rng.bytes(1)[0] % 5)] }
        return s
    }

    static func encoders() -> [JSONEncoder] {
        let sorted = JSONEncoder(); sorted.outputFormatting = .sortedKeys
        let pretty = JSONEncoder(); pretty.outputFormatting = [.prettyPrinted, .sortedKeys]
        return [sorted, pretty, JSONEncoder()]
    }

    static func sameAsJSONDecoder<T: Decodable & Equatable>(_ t: T.Type, _ bytes: [UInt8], fast: T?, _ note: String) {
        let reference = try? JSONDecoder().decode(T.self, from: Data(bytes))
        if let fast { #expect(fast == reference, "\(note): fast path \(fast) vs JSONDecoder \(String(describing: reference))") }
    }

    @Test func signRequestsTakeTheFastPathAndMatchJSONDecoder() throws {
        var rng = SeededRandom(seed: 4242)
        var fastCount = 0
        for i in 0..<400 {
            let plain = i % 5 != 0
            let signers: [String]? = [nil, [], ["node-1", "node-3", "node-5"], [Self.text(&rng, plain: plain)]][i % 4]
            let body = SignRequestBody(walletId: Self.text(&rng, plain: plain), digest: Hex.encode(rng.bytes(32)),
                                       derivationPath: i % 3 == 0 ? "m/44'/60'/0'/0/\(i)" : "", signers: signers)
            for e in Self.encoders() {
                let bytes = Array(try e.encode(body))
                let fast = SignRequestBody(flatJSON: bytes)
                Self.sameAsJSONDecoder(SignRequestBody.self, bytes, fast: fast, "request \(i)")
                #expect(try WireBody.decode(SignRequestBody.self, bytes) == body)
                if plain, body.derivationPath.isEmpty || e.outputFormatting.contains(.withoutEscapingSlashes) {
                    #expect(fast != nil, "request \(i): a plain body must not need JSONDecoder")
                }
                if fast != nil { fastCount += 1 }
            }
        }
        #expect(fastCount > 600)
    }

    @Test func resultsTakeTheFastPathAndMatchJSONDecoder() throws {
        var rng = SeededRandom(seed: 4343)
        for i in 0..<400 {
            let plain = i % 5 != 0
            var body = ClientResultBody(requestId: Hex.encode(rng.bytes(16)))
            if i % 2 == 0 { body.code = Self.text(&rng, plain: plain); body.message = Self.text(&rng, plain: plain) }
            if i % 3 == 0 { body.walletId = Self.text(&rng, plain: plain); body.curve = Curve.allCases[i % Curve.allCases.count] }
            if i % 4 != 1 {
                body.publicKey = Hex.encode(rng.bytes(32)); body.signature = Hex.encode(rng.bytes(64))
                body.signers = ["node-2", "node-4"]; body.evidence = (0..<3).map { _ in Hex.encode(rng.bytes(40)) }
            }
            if i % 5 == 2 { body.nodes = ["node-1": true, "node-2": false, Self.text(&rng, plain: plain): i % 2 == 0] }
            if i % 6 == 3 { body.recoveryId = i % 2; body.requestsClaimed = Int(rng.bytes(1)[0]) * 1_000_003 }
            if i % 7 == 4 { body.threshold = -Int(rng.bytes(1)[0]); body.generation = UInt64(rng.bytes(1)[0]) << 40; body.discovery = "nats" }
            var encodings = try Self.encoders().map { Array(try $0.encode(body)) }
            encodings.append(body.jsonEncoded())
            for (k, bytes) in encodings.enumerated() {
                let fast = ClientResultBody(flatJSON: bytes)
                Self.sameAsJSONDecoder(ClientResultBody.self, bytes, fast: fast, "result \(i)/\(k)")
                #expect(try WireBody.decode(ClientResultBody.self, bytes) == body)
                if plain && k == encodings.count - 1 { #expect(fast != nil, "result \(i): the coordinator's own bytes must not need JSONDecoder") }
            }
        }
    }

    /// Forms the reader leaves to JSONDecoder, and forms both refuse: the answer is always JSONDecoder's.
    @Test func edgeCasesAnswerAsJSONDecoder() {
        let cases = [
            #"{"walletId":"w","digest":"ab","derivationPath":""}"#,
            #" { "walletId" : "w" , "digest" : "ab" , "derivationPath" : "" , "signers" : null } "#,
            #"{"walletId":"w","digest":"ab","derivationPath":"","signers":["a","b"]}"#,
            #"{"walletId":"w\"x","digest":"ab","derivationPath":""}"#,
            #"{"walletId":"\u0077","digest":"ab","derivationPath":""}"#,
            #"{"walletId":"é","digest":"ab","derivationPath":""}"#,
            #"{"walletId":"w","digest":"ab","derivationPath":"","walletId":"v"}"#,
            #"{"walletId":"w","digest":"ab","derivationPath":"","extra":1}"#,
            #"{"walletId":"w","digest":"ab"}"#,
            #"{"walletId":null,"digest":"ab","derivationPath":""}"#,
            #"{"walletId":1,"digest":"ab","derivationPath":""}"#,
            #"{"walletId":"w","digest":"ab","derivationPath":"","signers":[1]}"#,
            #"{"walletId":"w","digest":"ab","derivationPath":"","signers":"a"}"#,
            #"{"walletId":"w","digest":"ab","derivationPath":"",}"#,
            #"{"walletId":"w","digest":"ab","derivationPath":""} x"#,
            #"{"walletId":"w","digest":"ab","derivationPath":""}}"#,
            #"["walletId"]"#, "null", "", "{", "{}",
            "\u{FEFF}{\"walletId\":\"w\",\"digest\":\"ab\",\"derivationPath\":\"\"}",
            #"{"requestId":"r","recoveryId":1.0}"#, #"{"requestId":"r","recoveryId":1e0}"#,
            #"{"requestId":"r","recoveryId":-0}"#, #"{"requestId":"r","recoveryId":01}"#,
            #"{"requestId":"r","recoveryId":99999999999999999999}"#, #"{"requestId":"r","generation":-1}"#,
            #"{"requestId":"r","curve":"ed448"}"#, #"{"requestId":"r","curve":"ed25519"}"#,
            #"{"requestId":"r","nodes":{"a":true,"b":false}}"#, #"{"requestId":"r","nodes":{"a":1}}"#,
            #"{"requestId":"r","nodes":{"a":true,"a":false}}"#, #"{"requestId":"r","ok":true}"#,
            #"{"requestId":"r","nodes":{"a":tru}}"#, #"{"requestId":"r","signers":["a",]}"#,
        ]
        for c in cases {
            let bytes = Array(c.utf8)
            Self.sameAsJSONDecoder(SignRequestBody.self, bytes, fast: SignRequestBody(flatJSON: bytes), c)
            Self.sameAsJSONDecoder(ClientResultBody.self, bytes, fast: ClientResultBody(flatJSON: bytes), c)
            #expect((try? WireBody.decode(SignRequestBody.self, bytes)) == (try? JSONDecoder().decode(SignRequestBody.self, from: Data(bytes))), "\(c)")
            #expect((try? WireBody.decode(ClientResultBody.self, bytes)) == (try? JSONDecoder().decode(ClientResultBody.self, from: Data(bytes))), "\(c)")
        }
        #expect(SignRequestBody(flatJSON: Array(cases[1].utf8)) == SignRequestBody(walletId: "w", digest: "ab"))
        #expect(ClientResultBody(flatJSON: Array(#"{"requestId":"r","nodes":{"a":true,"b":false}}"#.utf8))?.nodes == ["a": true, "b": false])
    }

    /// A type whose fast path (deliberately) disagrees with JSONDecoder shows which one `WireBody.decode` took.
    struct Probe: FlatJSONDecodable, Equatable {
        var via: String
        init?(flatJSON bytes: [UInt8]) { guard bytes.first == UInt8(ascii: "{") else { return nil }; via = "fast" }
    }

    @Test func wireBodyDecodeTakesTheFastPathFirst() throws {
        #expect(try WireBody.decode(Probe.self, Array(#"{"via":"decoder"}"#.utf8)).via == "fast")
        #expect(try WireBody.decode(Probe.self, Array(#" {"via":"decoder"}"#.utf8)).via == "decoder")
        #expect(throws: ClusterError.self) { _ = try WireBody.decode(Probe.self, Array("junk".utf8)) }
    }

    /// Mutated bodies (a byte changed, cut short, a byte inserted) and random bytes: never a trap, and any value
    /// the fast path gives is JSONDecoder's.
    @Test func junkAndMutationsNeverDisagreeWithJSONDecoder() throws {
        var rng = SeededRandom(seed: 4444)
        let request = Array(#"{"derivationPath":"","digest":"abcd","signers":["node-1","node-2"],"walletId":"w-1"}"#.utf8)
        var result = ClientResultBody(requestId: "r1", walletId: "w", curve: .ed25519, publicKey: "aa", signature: "bb",
                                      signers: ["node-1"], nodes: ["node-1": true], evidence: ["cc"], recoveryId: 1)
        result.generation = 3
        let resultBytes = result.jsonEncoded()
        let alphabet = Array(#"{}[]":,"0123456789-.eEtrufalsn \ab"#.utf8)
        for i in 0..<3000 {
            var m = i % 2 == 0 ? request : resultBytes
            let at = Int(UInt16(rng.bytes(2)[0]) << 8 | UInt16(rng.bytes(1)[0])) % m.count
            switch i % 4 {
            case 0: m[at] = alphabet[Int(rng.bytes(1)[0]) % alphabet.count]
            case 1: m = Array(m.prefix(at))
            case 2: m.insert(alphabet[Int(rng.bytes(1)[0]) % alphabet.count], at: at)
            default: m = rng.bytes(Int(rng.bytes(1)[0] % 64))
            }
            Self.sameAsJSONDecoder(SignRequestBody.self, m, fast: SignRequestBody(flatJSON: m), "mutation \(i)")
            Self.sameAsJSONDecoder(ClientResultBody.self, m, fast: ClientResultBody(flatJSON: m), "mutation \(i)")
            _ = try? WireBody.decode(SignRequestBody.self, m)
            _ = try? WireBody.decode(ClientResultBody.self, m)
        }
    }
}
