import Testing
import Protocols
@testable import Chains

/// Every validation error carries a stable code and names the offending field.
@Suite struct EthereumJSONValidationTests {
    static let base: [String: String] = [
        "type": "2", "chainId": "1", "nonce": "0", "gas": "21000", "to": "\"0x3535353535353535353535353535353535353535\"",
        "value": "\"1000000000000000000\"", "maxFeePerGas": "\"0x4a817c800\"", "maxPriorityFeePerGas": "1000000000",
    ]

    static func doc(_ changes: [String: String?]) -> [UInt8] {
        var d = base
        for (k, v) in changes { d[k] = v }
        return Array(("{" + d.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}").utf8)
    }

    static func error(_ changes: [String: String?], chain: UInt64 = 1) -> ChainError? {
        do { _ = try EthereumTransactionJSON.decode(doc(changes), expectedChainId: chain); return nil } catch { return error }
    }

    @Test func baseDocumentIsValid() throws {
        #expect(Self.error([:]) == nil)
        // The three quantity spellings decode to the same transaction.
        let a = try EthereumTransactionJSON.decode(Self.doc(["value": "1000000000000000000"]), expectedChainId: 1)
        let b = try EthereumTransactionJSON.decode(Self.doc(["value": "\"0xde0b6b3a7640000\""]), expectedChainId: 1)
        let c = try EthereumTransactionJSON.decode(Self.doc([:]), expectedChainId: 1)
        #expect(a == b && b == c)
    }

    @Test(arguments: [
        // (changes, code, field)
        (["nonce": nil], ChainError.Code.fieldMissing, "nonce"),
        (["gas": nil], .fieldMissing, "gas"),
        (["chainId": nil], .fieldMissing, "chainId"),
        (["maxFeePerGas": nil], .fieldMissing, "maxFeePerGas"),
        (["type": "0", "maxFeePerGas": nil, "maxPriorityFeePerGas": nil], .fieldMissing, "gasPrice"),
        (["type": nil], .fieldMissing, "type"),
        (["type": "7"], .unsupportedType, "type"),
        (["value": "\"115792089237316195423570985008687907853269984665640564039457584007913129639936\""], .outOfRange, "value"),
        (["value": "\"0x10000000000000000000000000000000000000000000000000000000000000000\""], .outOfRange, "value"),
        (["value": "115792089237316195423570985008687907853269984665640564039457584007913129639936"], .outOfRange, "value"),
        (["value": "-1"], .outOfRange, "value"),
        (["value": "\"-5\""], .outOfRange, "value"),
        (["value": "\"0xzz\""], .fieldInvalid, "value"),
        (["value": "\"12ab\""], .fieldInvalid, "value"),
        (["value": "1.5"], .fieldInvalid, "value"),
        (["value": "1e18"], .fieldInvalid, "value"),
        (["value": "true"], .fieldInvalid, "value"),
        (["nonce": "\"18446744073709551616\""], .outOfRange, "nonce"),
        (["chainId": "137"], .chainMismatch, "chainId"),
        (["chainId": "0"], .outOfRange, "chainId"),
        (["to": "\"0x3535353535353535353535353535353535353535aa\""], .invalidAddress, "to"),
        (["to": "\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD\""], .checksumMismatch, "to"),
        (["data": "\"0xabc\""], .fieldInvalid, "data"),
        (["maxFeePerGass": "1"], .fieldInvalid, "maxFeePerGass"),
        (["gasPrice": "1"], .fieldInvalid, "gasPrice"),
        (["maxPriorityFeePerGas": "\"0x4a817c801\""], .outOfRange, "maxPriorityFeePerGas"),
        (["accessList": "[{\"address\":\"0x3535353535353535353535353535353535353535\",\"storageKeys\":[\"0x00\"]}]"], .fieldInvalid, "accessList[0].storageKeys[0]"),
        (["accessList": "[{\"storageKeys\":[]}]"], .fieldMissing, "accessList[0].address"),
        (["type": "3"], .fieldMissing, "maxFeePerBlobGas"),
        (["type": "3", "maxFeePerBlobGas": "1", "blobVersionedHashes": "[\"0x01\(String(repeating: "00", count: 31))\", \"0x02\(String(repeating: "00", count: 31))\"]"], .fieldInvalid, "blobVersionedHashes[1]"),
        (["type": "3", "to": nil, "maxFeePerBlobGas": "1", "blobVersionedHashes": "[\"0x01\(String(repeating: "00", count: 31))\"]"], .fieldMissing, "to"),
        (["type": "3", "maxFeePerBlobGas": "1", "blobVersionedHashes": "[]"], .fieldInvalid, "blobVersionedHashes"),
    ] as [([String: String?], ChainError.Code, String)])
    func errorNamesField(_ c: ([String: String?], ChainError.Code, String)) {
        let e = Self.error(c.0)
        #expect(e?.code == c.1, "\(String(describing: e))")
        #expect(e?.field == c.2, "\(String(describing: e))")
    }

    @Test func stableCodes() {
        #expect(ChainError.Code.fieldMissing.rawValue == "CHAIN_FIELD_MISSING")
        #expect(ChainError.Code.outOfRange.rawValue == "CHAIN_VALUE_OUT_OF_RANGE")
        #expect(ChainError.Code.chainMismatch.rawValue == "CHAIN_ID_MISMATCH")
        #expect(ChainError.missing("nonce").description == "CHAIN_FIELD_MISSING [nonce]: required field is missing")
    }

    @Test func topLevelChainMustAgree() throws {
        let json = Array(#"{"chain":"Polygon","type":0,"chainId":137,"nonce":1,"gas":21000,"gasPrice":1,"to":"0x3535353535353535353535353535353535353535"}"#.utf8)
        guard case .ethereum(let r) = try TransactionJSON.decode(json, chain: try Chain(name: "polygon")) else { Issue.record("family"); return }
        #expect(r.transaction.chainId == 137)
        #expect { try TransactionJSON.decode(json, chain: .evm(chainId: 1)) } throws: { ($0 as? ChainError)?.field == "chain" }
        #expect { try TransactionJSON.decode(json, chain: .bitcoin(.mainnet)) } throws: { ($0 as? ChainError)?.code == .chainMismatch }
    }

    @Test func malformedJSONRejected() throws {
        for bad in ["", "{", "{\"a\":1,}", "[1 2]", "{\"a\":1}{}", "{\"a\":\"\\x\"}", "{\"a\":1,\"a\":2}", "{\"a\":01}", String(repeating: "[", count: 100)] {
            #expect(throws: ChainError.self, "\(bad)") { try JSONValue.parse(bad) }
        }
        #expect(try JSONValue.parse(#"{"s":"\u00e9\ud83d\ude00","n":-0.5e+3}"#) == .object(["s": .string("é😀"), "n": .number("-0.5e+3")]))
    }
}

@Suite struct BitcoinJSONTests {
    // BIP-143 example key (P2WPKH) and the BIP-341 vector's first internal key (P2TR, no script tree).
    let wpkhPub = hex("025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee6357")
    let wpkhKey = hex("619c335025c7f4012e556c2a58b2506e30b8511b53ade95ea316fd8c3286feb9")
    let trInternal = hex("d6889cb081036e0faefa3a35157ad71086b123b2b144b649798b494c300a961d")

    func spend(_ inputs: String, _ outputs: String, extra: String = "") -> [UInt8] {
        Array(#"{"inputs":[\#(inputs)],"outputs":[\#(outputs)]\#(extra)}"#.utf8)
    }
    let txid = String(repeating: "ab", count: 32)
    var wpkhInput: String { #"{"txid":"\#(txid)","vout":1,"amount":"600000000","scriptPubKey":"00141d0f172a0ecb48aee1be1f2687d2963ae33f71a1"}"# }
    var trInput: String { #"{"txid":"\#(txid)","vout":0,"amount":420000000,"scriptPubKey":"512053a1f6e454df1aa2776a2814a721372d6258050de330b3c6d10ee8f4e0dda343"}"# }
    let payTR = #"{"address":"bc1p2wsldez5mud2yam29q22wgfh9439spgduvct83k3pm50fcxa5dps59h4z5","amount":100000}"#
    let payLegacy = #"{"address":"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2","amount":"0x2710"}"#

    @Test func p2wpkhSpendSignsAndAssembles() throws {
        let req = try BitcoinTransactionJSON.decode(JSONValue.parse(spend(wpkhInput, payTR + "," + payLegacy)), network: .mainnet)
        #expect(req.sighashType == .all)
        #expect(Hex.encode(req.transaction.inputs[0].prevTxid.reversed()) == txid)
        #expect(req.transaction.inputs[0].sequence == 0xffff_fffd)
        #expect(Hex.encode(req.transaction.outputs[1].scriptPubKey) == "76a91477bff20c60e522dfaa3350c39b030a5d004e839a88ac")
        let digests = try req.sighashes(publicKey: wpkhPub)
        #expect(digests == [try BIP143.p2wpkhSighash(tx: req.transaction, index: 0, publicKey: wpkhPub, amount: 600_000_000)])
        let sig = try #require(TestSigner.sign(digest: digests[0], privateKey: wpkhKey))
        let raw = try req.signedRaw(witnesses: [BIP143.p2wpkhWitness(r: sig.r, s: sig.s, publicKey: wpkhPub)])
        let parsed = try BitcoinTransaction(raw: raw)
        #expect(parsed.inputs[0].witness.count == 2)
        #expect(parsed.legacySerialization == req.transaction.legacySerialization)
        // A different key does not own the input.
        #expect { try req.sighashes(publicKey: hex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")) } throws: {
            ($0 as? ChainError)?.field == "inputs[0].scriptPubKey"
        }
    }

    @Test func outpointStringForm() throws {
        let a = try BitcoinTransactionJSON.decode(JSONValue.parse(spend(wpkhInput, payTR)), network: .mainnet)
        let alt = #"{"outpoint":"\#(txid):1","amount":"600000000","scriptPubKey":"00141d0f172a0ecb48aee1be1f2687d2963ae33f71a1"}"#
        let b = try BitcoinTransactionJSON.decode(JSONValue.parse(spend(alt, payTR)), network: .mainnet)
        #expect(a == b)
        for bad in ["\(txid)", "\(txid):", "\(txid):-1", "\(txid):4294967296", "abcd:1"] {
            let doc = spend(#"{"outpoint":"\#(bad)","amount":1,"scriptPubKey":"00141d0f172a0ecb48aee1be1f2687d2963ae33f71a1"}"#, payTR)
            #expect(performing: { try BitcoinTransactionJSON.decode(JSONValue.parse(doc), network: .mainnet) },
                    throws: { ($0 as? ChainError)?.field == "inputs[0].outpoint" })
        }
    }

    @Test func p2trSpendUsesDefaultSighash() throws {
        let req = try BitcoinTransactionJSON.decode(JSONValue.parse(spend(trInput, payTR)), network: .mainnet)
        #expect(req.sighashType == .default)
        let d = try req.sighashes(publicKey: trInternal)
        #expect(d == [try BIP341.sighash(tx: req.transaction, index: 0, spent: req.spent, sighash: .default)])
    }

    @Test(arguments: [
        ("inputs-missing", ChainError.Code.fieldMissing, "inputs"),
        ("amount-missing", .fieldMissing, "inputs[0].amount"),
        ("amount-too-big", .outOfRange, "inputs[0].amount"),
        ("txid-short", .fieldInvalid, "inputs[0].txid"),
        ("vout-negative", .outOfRange, "inputs[0].vout"),
        ("unsupported-script", .fieldInvalid, "inputs[0].scriptPubKey"),
        ("testnet-address", .invalidAddress, "outputs[0].address"),
        ("bad-checksum-address", .checksumMismatch, "outputs[0].address"),
        ("overspend", .outOfRange, "outputs[0].amount"),
        ("unknown-sighash", .fieldInvalid, "sighashType"),
        ("default-on-segwit-v0", .fieldInvalid, "sighashType"),
        ("output-without-destination", .fieldMissing, "outputs[0].address"),
    ])
    func errorsNameTheField(_ c: (String, ChainError.Code, String)) {
        let docs: [String: [UInt8]] = [
            "inputs-missing": Array(#"{"outputs":[]}"#.utf8),
            "amount-missing": spend(#"{"txid":"\#(txid)","vout":0,"scriptPubKey":"00141d0f172a0ecb48aee1be1f2687d2963ae33f71a1"}"#, payTR),
            "amount-too-big": spend(wpkhInput.replacingOccurrences(of: "\"600000000\"", with: "2100000000000001"), payTR),
            "txid-short": spend(wpkhInput.replacingOccurrences(of: txid, with: "abcd"), payTR),
            "vout-negative": spend(wpkhInput.replacingOccurrences(of: "\"vout\":1", with: "\"vout\":-1"), payTR),
            "unsupported-script": spend(wpkhInput.replacingOccurrences(of: "00141d0f", with: "76a91d0f"), payTR),
            "testnet-address": spend(wpkhInput, #"{"address":"tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx","amount":1}"#),
            "bad-checksum-address": spend(wpkhInput, #"{"address":"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5","amount":1}"#),
            "overspend": spend(wpkhInput, #"{"address":"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4","amount":600000001}"#),
            "unknown-sighash": spend(wpkhInput, payTR, extra: #","sighashType":"EVERYTHING""#),
            "default-on-segwit-v0": spend(wpkhInput, payTR, extra: #","sighashType":"DEFAULT""#),
            "output-without-destination": spend(wpkhInput, #"{"amount":1}"#),
        ]
        do {
            _ = try BitcoinTransactionJSON.decode(JSONValue.parse(docs[c.0] ?? []), network: .mainnet)
            Issue.record("\(c.0) accepted")
        } catch {
            #expect(error.code == c.1, "\(c.0): \(error)")
            #expect(error.field == c.2, "\(c.0): \(error)")
        }
    }
}

@Suite struct SolanaJSONTests {
    static let fx: JSONValue = (try? Fixtures.json("solana.json")) ?? .null

    @Test func hexAndBase64() throws {
        let msgHex = try #require(Self.fx.at("cases").arr.first).at("message").str
        let a = try SolanaTransactionJSON.decode(JSONValue.parse(#"{"message":"0x\#(msgHex)"}"#))
        let b = try SolanaTransactionJSON.decode(JSONValue.parse(#"{"message":"\#(msgHex)","encoding":"hex"}"#))
        let b64 = base64(hex(msgHex))
        let c = try SolanaTransactionJSON.decode(JSONValue.parse(#"{"message":"\#(b64)"}"#))
        #expect(a == b && b == c)
        guard case .solana(let m) = try TransactionJSON.decode(Array(#"{"chain":"SOL","message":"\#(b64)"}"#.utf8), chain: .solana) else {
            Issue.record("family"); return
        }
        #expect(m == a)
    }

    @Test func errorsNameTheField() {
        for (doc, field) in [(#"{}"#, "message"), (#"{"message":"!!!!"}"#, "message"), (#"{"message":"AAAA"}"#, "message"),
                             (#"{"message":"AAAA","encoding":"rot13"}"#, "encoding"), (#"{"message":"AAAA","extra":1}"#, "extra")] {
            #expect(performing: { try SolanaTransactionJSON.decode(JSONValue.parse(doc)) }, throws: { ($0 as? ChainError)?.field == field })
        }
    }

    func base64(_ b: [UInt8]) -> String {
        let t = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var s = ""
        var i = 0
        while i < b.count {
            let n = Int(b[i]) << 16 | (i + 1 < b.count ? Int(b[i + 1]) << 8 : 0) | (i + 2 < b.count ? Int(b[i + 2]) : 0)
            s.append(t[(n >> 18) & 63]); s.append(t[(n >> 12) & 63])
            s.append(i + 1 < b.count ? t[(n >> 6) & 63] : "="); s.append(i + 2 < b.count ? t[n & 63] : "=")
            i += 3
        }
        return s
    }
}

@Suite struct ChainTableTests {
    @Test func namesAndIds() throws {
        let table: [(String, UInt64)] = [("ethereum", 1), ("Polygon", 137), ("ARBITRUM", 42161), ("optimism", 10), ("base", 8453),
                                        ("avalanche", 43114), ("bsc", 56), ("BNB", 56), ("eip155:11155111", 11155111), ("324", 324)]
        for (name, id) in table { #expect(try Chain(name: name) == .evm(chainId: id), "\(name)") }
        #expect(try Chain(name: "bitcoin") == .bitcoin(.mainnet))
        #expect(try Chain(name: "Bitcoin-Testnet") == .bitcoin(.testnet))
        #expect(try Chain(name: "regtest") == .bitcoin(.regtest))
        #expect(try Chain(name: "Solana") == .solana)
        #expect(try Chain(name: "polygon").name == "polygon")
        #expect(Chain.evm(chainId: 5000).name == "evm:5000")
        #expect(Chain.bitcoin(.regtest).name == "bitcoin-regtest")
        for bad in ["", "dogecoin", "evm:0", "evm:abc", "99999999999999999999999"] {
            #expect(performing: { try Chain(name: bad) }, throws: { ($0 as? ChainError)?.code == .unknownChain })
        }
    }
}

/// The documented example inputs for `mpc sign-tx --tx FILE.json` (examples/tx) all decode.
@Suite struct TransactionExampleTests {
    @Test(arguments: [
        ("ethereum-legacy.json", "ethereum"), ("ethereum-eip2930.json", "polygon"), ("ethereum-eip1559.json", "base"),
        ("ethereum-eip4844.json", "ethereum"), ("bitcoin-p2wpkh.json", "bitcoin"), ("bitcoin-p2tr.json", "bitcoin"),
        ("solana-transfer.json", "solana"),
    ])
    func decodes(_ c: (String, String)) throws {
        let doc = try Examples.json("tx/" + c.0)
        let chain = try Chain(name: c.1)
        let req = try TransactionJSON.decode(doc, chain: chain)
        switch req {
        case .ethereum(let r): #expect(chain == .evm(chainId: r.transaction.chainId))
        case .bitcoin(let b): #expect(!b.transaction.inputs.isEmpty)
        case .solana(let m): #expect(m.numRequiredSignatures == 1)
        }
    }

    @Test func legacyExampleIsTheEIP155Example() throws {
        guard case .ethereum(let r) = try TransactionJSON.decode(Examples.json("tx/ethereum-legacy.json"), chain: .evm(chainId: 1)) else {
            Issue.record("family"); return
        }
        #expect(Hex.encode(r.transaction.signingDigest) == "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53")
    }
}
