import Testing
import Protocols
@testable import Chains

@Suite struct PersonalSignTests {
    static let entries: [JSONValue] = ((try? Fixtures.json("eth-account.json")) ?? .null).at("personalSign").arr

    @Test func fixtureLoaded() { #expect(Self.entries.count == 2) }

    @Test(arguments: entries)
    func matchesEthAccount(_ e: JSONValue) throws {
        let msg = e.at("isHex").bool ? hex(e.at("message").str) : Array(e.at("message").str.utf8)
        let digest = PersonalSign.digest(message: msg)
        #expect("0x" + Hex.encode(digest) == e.at("digest").str)
        let v = e.at("v").int
        let sig = try PersonalSign.signature(r: hex(e.at("r").str), s: hex(e.at("s").str), recoveryId: v - 27)
        #expect("0x" + Hex.encode(sig) == e.at("signature").str)
        let ours = try #require(TestSigner.signRecoverable(digest: digest, privateKey: hex(e.at("signer").at("privateKey").str)))
        #expect(ours.r + ours.s + [UInt8(27 + ours.recid)] == sig)
    }
}

@Suite struct EIP712Tests {
    static let entries: [JSONValue] = ((try? Fixtures.json("eth-account.json")) ?? .null).at("typedData").arr

    @Test func fixtureLoaded() { #expect(Self.entries.count == 2) }

    @Test(arguments: entries)
    func matchesEthAccount(_ e: JSONValue) throws {
        let td = try TypedData(e.at("document"))
        #expect("0x" + Hex.encode(try td.domainSeparator()) == e.at("domainSeparator").str)
        #expect("0x" + Hex.encode(try td.messageHash()) == e.at("messageHash").str)
        #expect("0x" + Hex.encode(try td.digest()) == e.at("digest").str)
        let ours = try #require(TestSigner.signRecoverable(digest: td.digest(), privateKey: hex(e.at("signer").at("privateKey").str)))
        #expect("0x" + Hex.encode(ours.r) == e.at("r").str)
    }

    /// The example in EIP-712 itself (Mail from Cow to Bob).
    @Test func eipExample() throws {
        let doc = try #require(Self.entries.first { $0.at("name").str == "eip712-mail" })
        let td = try TypedData(doc.at("document"))
        #expect(try td.encodeType("Mail") == "Mail(Person from,Person to,string contents)Person(string name,address wallet)")
        #expect(Hex.encode(try td.typeHash("Mail")) == "a0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2")
        #expect(Hex.encode(try td.domainSeparator()) == "f2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f")
        #expect(Hex.encode(try td.digest()) == "be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
    }

    @Test func domainChainMustMatch() throws {
        let doc = try #require(Self.entries.first { $0.at("name").str == "nested-arrays" })
        let td = try TypedData(doc.at("document"))
        #expect(try td.digest(expectedChainId: 137) == td.digest())
        #expect(throws: ChainError(.chainMismatch, field: "domain.chainId", "typed data is for chain 137, the command names 1")) {
            try td.digest(expectedChainId: 1)
        }
    }

    @Test func referencedTypesAreSorted() throws {
        let doc = try #require(Self.entries.first { $0.at("name").str == "nested-arrays" })
        let td = try TypedData(doc.at("document"))
        let enc = try td.encodeType("Mail")
        #expect(enc.hasPrefix("Mail(Person from,Person[] to,"))
        #expect(enc.hasSuffix(")Group(string label,Person[] members)Person(string name,address[] wallets)"))
    }

    @Test func errorsNameTheField() throws {
        let base = #"{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"T":[{"name":"a","type":"uint8"},{"name":"b","type":"int8"}]},"primaryType":"T","domain":{"name":"x"},"message":"#
        func err(_ message: String) -> ChainError? {
            do { _ = try TypedData(json: Array((base + message + "}").utf8)).digest(); return nil } catch { return error }
        }
        #expect(err(#"{"a":256,"b":0}"#)?.field == "message.a")
        #expect(err(#"{"a":255,"b":-129}"#)?.field == "message.b")
        #expect(err(#"{"a":255,"b":128}"#)?.field == "message.b")
        #expect(err(#"{"a":-1,"b":0}"#)?.field == "message.a")
        #expect(err(#"{"b":0}"#) == ChainError(.fieldMissing, field: "message.a", "required field is missing"))
        #expect(err(#"{"a":255,"b":-128}"#) == nil)
        #expect(err(#"{"a":"0xff","b":"-128"}"#) == nil)
    }

    @Test func int8TwosComplement() throws {
        #expect(Hex.encode(try TypedData.encodeSigned(.number("-1"), bits: 8, path: "x")) == String(repeating: "ff", count: 32))
        #expect(Hex.encode(try TypedData.encodeSigned(.number("-128"), bits: 8, path: "x")) == String(repeating: "ff", count: 31) + "80")
        #expect(throws: ChainError.self) { try TypedData.encodeSigned(.number("-129"), bits: 8, path: "x") }
    }
}
