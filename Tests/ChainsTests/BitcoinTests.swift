import Testing
import Foundation
import Protocols
@testable import Chains

@Suite struct RIPEMD160Tests {
    @Test func knownAnswers() {
        #expect(Hex.encode(RIPEMD160.hash([])) == "9c1185a5c5e9fc54612808977ee8f548b2258d31")
        #expect(Hex.encode(RIPEMD160.hash(Array("abc".utf8))) == "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc")
        #expect(Hex.encode(RIPEMD160.hash(Array("message digest".utf8))) == "5d0689ef49d2fae572b881b123a85ffa21595f36")
        #expect(Hex.encode(RIPEMD160.hash(Array(String(repeating: "1234567890", count: 8).utf8))) == "9b752e45573d4b39f4dbd3323cab82bf63326bfb")
        #expect(Hex.encode(RIPEMD160.hash([UInt8](repeating: 0x61, count: 1_000_000))) == "52783243c1697bdbe16d37f97f68f08325dc1528")
    }
}

@Suite struct BIP143Tests {
    let v: [String: Any] = ((try? SharedVectors.json("bitcoin-bips_bip-0143_native-p2wpkh-example.json")) as? [String: Any]) ?? [:]
    func s(_ k: String) -> String { v[k] as? String ?? "" }

    @Test func nativeP2WPKH() throws {
        let tx = try BitcoinTransaction(raw: hex(s("unsigned_tx")))
        #expect(Hex.encode(tx.serialized) == s("unsigned_tx"))
        let pub = hex(s("public_key"))
        // scriptPubKey 0014{hash160(pub)} and its bech32 address.
        let addr = try BitcoinKeys.p2wpkhAddress(publicKey: pub, network: .mainnet)
        #expect(Hex.encode(addr.scriptPubKey) == s("input_script_pubkey"))
        let amount: UInt64 = 600_000_000  // input_amount_btc = 6
        #expect(s("input_amount_btc") == "6")
        let idx = try #require(v["input_index"] as? Int)
        let scriptCode = BIP143.p2wpkhScriptCode(keyHash: RIPEMD160.hash160(pub))
        let pre = try BIP143.preimage(tx: tx, index: idx, scriptCode: scriptCode, amount: amount)
        #expect(Hex.encode(pre) == s("preimage"))
        let sighash = try BIP143.p2wpkhSighash(tx: tx, index: idx, publicKey: pub, amount: amount)
        #expect(Hex.encode(sighash) == s("sighash"))

        // Sign with the example's key (RFC 6979, as the BIP's signature) and assemble the signed transaction.
        let sig = try #require(TestSigner.sign(digest: sighash, privateKey: hex(s("private_key"))))
        #expect(Hex.encode(try Secp256k1.derSignature(r: sig.r, s: sig.s)) == s("signature_der"))
        let expected = try BitcoinTransaction(raw: hex(s("signed_tx")))
        var signed = tx
        signed.inputs[0].scriptSig = expected.inputs[0].scriptSig  // input 0 is a P2PK spend signed outside this example
        signed.inputs[idx].witness = try BIP143.p2wpkhWitness(r: sig.r, s: sig.s, publicKey: pub)
        #expect(Hex.encode(signed.serialized) == s("signed_tx"))
        #expect(signed.txid == expected.txid)
    }

    @Test func witnessRejectsHighS() throws {
        let sighash = hex(s("sighash"))
        let sig = try #require(TestSigner.sign(digest: sighash, privateKey: hex(s("private_key"))))
        // n - s: same signature, high-S form, non-standard under BIP-146.
        var high = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for i in stride(from: 31, through: 0, by: -1) {
            var d = Int(Secp256k1.order[i]) - Int(sig.s[i]) - borrow
            borrow = d < 0 ? 1 : 0
            if d < 0 { d += 256 }
            high[i] = UInt8(d)
        }
        #expect { try BIP143.p2wpkhWitness(r: sig.r, s: high, publicKey: hex(s("public_key"))) } throws: {
            ($0 as? ChainError)?.code == .highS
        }
        #expect(try BitcoinKeys.derSignature(r: sig.r, s: sig.s, sighash: .all) == hex(s("signature_der")) + [0x01])
    }

    @Test func rejectsHostileRawTransactions() {
        let raw = hex(s("unsigned_tx"))
        #expect(throws: ChainError.self) { try BitcoinTransaction(raw: Array(raw.dropLast())) }
        #expect(throws: ChainError.self) { try BitcoinTransaction(raw: raw + [0]) }
        #expect(throws: ChainError.self) { try BitcoinTransaction(raw: [1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) }
        #expect(throws: ChainError.self) { try BitcoinTransaction(raw: []) }
    }
}

@Suite struct BIP341Tests {
    let v: [String: Any] = ((try? SharedVectors.json("bitcoin-bips_bip-0341_wallet-test-vectors.json")) as? [String: Any]) ?? [:]

    @Test func scriptPubKeys() throws {
        let cases = try #require(v["scriptPubKey"] as? [[String: Any]])
        #expect(cases.count == 7)
        for c in cases {
            let given = c["given"] as? [String: Any] ?? [:]
            let inter = c["intermediary"] as? [String: Any] ?? [:]
            let expected = c["expected"] as? [String: Any] ?? [:]
            let internalKey = hex(given["internalPubkey"] as? String ?? "")
            let root = (inter["merkleRoot"] as? String).map(hex)
            #expect(Hex.encode(try Taproot.tweak(internalKey: internalKey, merkleRoot: root)) == inter["tweak"] as? String)
            let q = try Taproot.outputKey(internalKey: internalKey, merkleRoot: root)
            #expect(Hex.encode(q.key) == inter["tweakedPubkey"] as? String)
            #expect(Hex.encode(Taproot.scriptPubKey(outputKey: q.key)) == expected["scriptPubKey"] as? String)
            let addr = try BitcoinKeys.p2trAddress(internalKey: internalKey, merkleRoot: root, network: .mainnet)
            #expect(addr.string == expected["bip350Address"] as? String)
            #expect(try SegwitAddress(parsing: addr.string, expectedHRP: "bc") == addr)
        }
    }

    @Test func keyPathSighashes() throws {
        let kps = try #require((v["keyPathSpending"] as? [[String: Any]])?.first)
        let given = try #require(kps["given"] as? [String: Any])
        let tx = try BitcoinTransaction(raw: hex(given["rawUnsignedTx"] as? String ?? ""))
        let utxos = try #require(given["utxosSpent"] as? [[String: Any]])
        let spent = utxos.map { BIP341.SpentOutput(amount: UInt64($0["amountSats"] as? Int ?? -1), scriptPubKey: hex($0["scriptPubKey"] as? String ?? "")) }
        let inputs = try #require(kps["inputSpending"] as? [[String: Any]])
        #expect(inputs.count == 7)
        for input in inputs {
            let g = input["given"] as? [String: Any] ?? [:]
            let i = input["intermediary"] as? [String: Any] ?? [:]
            let index = g["txinIndex"] as? Int ?? -1
            let type = SighashType(rawValue: UInt8(g["hashType"] as? Int ?? 0xff))
            let msg = try BIP341.signatureMessage(tx: tx, index: index, spent: spent, sighash: type)
            #expect(Hex.encode(msg) == i["sigMsg"] as? String, "sigMsg input \(index)")
            #expect(Hex.encode(try BIP341.sighash(tx: tx, index: index, spent: spent, sighash: type)) == i["sigHash"] as? String)
            let root = (g["merkleRoot"] as? String).map(hex)
            let internalKey = hex(i["internalPubkey"] as? String ?? "")
            #expect(Hex.encode(try Taproot.tweak(internalKey: internalKey, merkleRoot: root)) == i["tweak"] as? String)
            // The witness shape: 64-byte signature, + sighash byte unless DEFAULT.
            let expectedWitness = ((input["expected"] as? [String: Any])?["witness"] as? [String]) ?? []
            let sigBytes = hex(expectedWitness.first ?? "")
            let w = try BIP341.keyPathWitness(signature: Array(sigBytes.prefix(64)), sighash: type)
            #expect(w.map { Hex.encode($0) } == expectedWitness)
        }
        // Intermediary hashes are what the message embeds.
        let inter = try #require(kps["intermediary"] as? [String: Any])
        let msg0 = Hex.encode(try BIP341.signatureMessage(tx: tx, index: 0, spent: spent, sighash: .all))
        for k in ["hashPrevouts", "hashAmounts", "hashScriptPubkeys", "hashSequences", "hashOutputs"] {
            #expect(msg0.contains(inter[k] as? String ?? "missing"), "\(k)")
        }
        // Fully signed transaction round-trips through the parser.
        let aux = try #require(kps["auxiliary"] as? [String: Any])
        let full = aux["fullySignedTx"] as? String ?? ""
        #expect(Hex.encode(try BitcoinTransaction(raw: hex(full)).serialized) == full)
    }

    /// Rebuilds the vector's fully signed transaction from the key-path witnesses and checks each signature
    /// verifies under the tweaked output key (the check `assemble` makes before broadcast).
    @Test func fullySignedTransaction() throws {
        let kps = try #require((v["keyPathSpending"] as? [[String: Any]])?.first)
        let given = try #require(kps["given"] as? [String: Any])
        let aux = try #require(kps["auxiliary"] as? [String: Any])
        let full = try BitcoinTransaction(raw: hex(aux["fullySignedTx"] as? String ?? ""))
        let utxos = try #require(given["utxosSpent"] as? [[String: Any]])
        let spent = utxos.map { BIP341.SpentOutput(amount: UInt64($0["amountSats"] as? Int ?? -1), scriptPubKey: hex($0["scriptPubKey"] as? String ?? "")) }
        var tx = try BitcoinTransaction(raw: hex(given["rawUnsignedTx"] as? String ?? ""))
        var keyPathInputs = Set<Int>()
        for input in kps["inputSpending"] as? [[String: Any]] ?? [] {
            let g = input["given"] as? [String: Any] ?? [:]
            let index = g["txinIndex"] as? Int ?? -1
            let type = SighashType(rawValue: UInt8(g["hashType"] as? Int ?? 0xff))
            let witness = ((input["expected"] as? [String: Any])?["witness"] as? [String] ?? []).map(hex)
            let sig = Array((witness.first ?? []).prefix(64))
            let outputKey = Array(spent[index].scriptPubKey.dropFirst(2))
            let msg = try BIP341.sighash(tx: tx, index: index, spent: spent, sighash: type)
            #expect(Secp256k1.verifySchnorr(message: msg, signature: sig, xonly: outputKey), "input \(index)")
            #expect(!Secp256k1.verifySchnorr(message: msg, signature: sig, xonly: hex((input["intermediary"] as? [String: Any])?["internalPubkey"] as? String ?? "")))
            tx.inputs[index].witness = try BIP341.keyPathWitness(signature: sig, sighash: type)
            keyPathInputs.insert(index)
        }
        // The non-key-path inputs (P2PKH, P2WPKH, script spends) are copied from the vector.
        for i in tx.inputs.indices where !keyPathInputs.contains(i) {
            tx.inputs[i].scriptSig = full.inputs[i].scriptSig
            tx.inputs[i].witness = full.inputs[i].witness
        }
        #expect(Hex.encode(tx.serialized) == aux["fullySignedTx"] as? String)
    }

    @Test func invalidSighashTypesRejected() throws {
        let kps = try #require((v["keyPathSpending"] as? [[String: Any]])?.first)
        let given = try #require(kps["given"] as? [String: Any])
        let tx = try BitcoinTransaction(raw: hex(given["rawUnsignedTx"] as? String ?? ""))
        let spent = (given["utxosSpent"] as? [[String: Any]] ?? []).map { BIP341.SpentOutput(amount: UInt64($0["amountSats"] as? Int ?? 0), scriptPubKey: []) }
        #expect(throws: ChainError.self) { try BIP341.signatureMessage(tx: tx, index: 0, spent: spent, sighash: SighashType(rawValue: 0x04)) }
        #expect(throws: ChainError.self) { try BIP341.signatureMessage(tx: tx, index: 5, spent: spent, sighash: .single) }
        #expect(throws: ChainError.self) { try BIP341.signatureMessage(tx: tx, index: 99, spent: spent) }
        #expect(throws: ChainError.self) { try BIP341.signatureMessage(tx: tx, index: 0, spent: Array(spent.dropLast())) }
    }
}

@Suite struct Bech32Tests {
    static let validBech32 = [
        "A12UEL5L", "a12uel5l",
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "11" + String(repeating: "q", count: 82) + "c8247j",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", "?1ezyfcl",
    ]
    static let validBech32m = [
        "A1LQFN3A", "a1lqfn3a",
        "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
        "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
        "11" + String(repeating: "l", count: 82) + "ludsr8",
        "split1checkupstagehandshakeupstreamerranterredcaperredlc445v", "?1v759aa",
    ]

    @Test func validStrings() throws {
        for s in Self.validBech32 { #expect(try Bech32.decode(s).variant == .bech32, "\(s)") }
        for s in Self.validBech32m { #expect(try Bech32.decode(s).variant == .bech32m, "\(s)") }
    }

    @Test func invalidStrings() {
        let invalid = [
            "\u{20}1xj0phk", "\u{7f}1g6xzxy", "\u{80}1vctc34",
            "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
            "qyrz8wqd2c9m", "1qyrz8wqd2c9m", "y1b0jsk6g", "lt1igcx5c0", "in1muywd", "mm1crxm3i", "au1s5cgom",
            "M1VUXWEZ", "16plkw9", "1p2gdwpf",
            "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
            "pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "A1G7SGD8", "10a06t8", "1qzzfhee",
        ]
        for s in invalid { #expect(throws: ChainError.self, "\(s)") { try Bech32.decode(s) } }
    }

    @Test func validSegwitAddresses() throws {
        let cases = [
            ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"),
            ("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"),
            ("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"),
            ("BC1SW50QGDZ25J", "6002751e"),
            ("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"),
            ("tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"),
            ("tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"),
            ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
        ]
        for (addr, spk) in cases {
            let a = try SegwitAddress(parsing: addr)
            #expect(Hex.encode(a.scriptPubKey) == spk, "\(addr)")
            #expect(a.string == addr.lowercased())
        }
    }

    @Test func invalidSegwitAddresses() {
        let invalid = [
            "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
            "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
            "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
            "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
            "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
            "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
            "bc1pw5dgrnzv",
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
            "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
            "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
            "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
            "bc1gmk9yu",
        ]
        for s in invalid {
            // "tc1…" has a valid checksum: it is rejected only because the hrp is not a Bitcoin network.
            #expect(throws: ChainError.self, "\(s)") { try SegwitAddress(parsing: s, expectedHRP: s.lowercased().hasPrefix("tb") ? "tb" : "bc") }
        }
    }

    @Test func networksUseTheirHRP() throws {
        let pub = hex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
        #expect(try BitcoinKeys.p2wpkhAddress(publicKey: pub, network: .mainnet).string == "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
        #expect(try BitcoinKeys.p2wpkhAddress(publicKey: pub, network: .testnet).string.hasPrefix("tb1q"))
        #expect(try BitcoinKeys.p2wpkhAddress(publicKey: pub, network: .regtest).string.hasPrefix("bcrt1q"))
    }
}
