import Testing
import Protocols
@testable import Chains

/// The single signing path: tasks → group signatures → verified, assembled network transaction.
@Suite struct SigningPlanTests {
    static let eth: JSONValue = (try? Fixtures.json("eth-account.json")) ?? .null
    static let sol: JSONValue = (try? Fixtures.json("solana.json")) ?? .null

    @Test func ethereumEndToEnd() throws {
        let entry = try #require(Self.eth.at("transactions").arr.first { $0.at("name").str == "eip1559-base" })
        let key = hex(entry.at("signer").at("privateKey").str)
        let pub = hex(entry.at("signer").at("publicKeyCompressed").str)
        let req = try TransactionJSON.decode(entry.at("tx"), chain: Chain(name: "base"))
        let tasks = try req.signingTasks(publicKey: pub)
        #expect(tasks.count == 1 && tasks[0].scheme == .ecdsaSecp256k1)
        let sig = try #require(TestSigner.signRecoverable(digest: tasks[0].message, privateKey: key))
        let out = try req.assemble(publicKey: pub, signatures: [.ecdsa(r: sig.r, s: sig.s, recoveryId: sig.recid)])
        #expect("0x" + Hex.encode(out.raw) == entry.at("rawSigned").str)
        #expect(out.id == entry.at("txHash").str)
        // A signature from another key (or the wrong recovery id) never reaches the network.
        let other = try #require(TestSigner.signRecoverable(digest: tasks[0].message, privateKey: [UInt8](repeating: 0x11, count: 32)))
        #expect { try req.assemble(publicKey: pub, signatures: [.ecdsa(r: other.r, s: other.s, recoveryId: other.recid)]) } throws: {
            ($0 as? ChainError)?.code == .signerMismatch
        }
        #expect(throws: ChainError.self) { try req.assemble(publicKey: pub, signatures: [.ecdsa(r: sig.r, s: sig.s, recoveryId: 1 - sig.recid)]) }
        #expect(throws: ChainError.self) { try req.assemble(publicKey: pub, signatures: []) }
    }

    @Test func ethereumFromMustBeTheWallet() throws {
        let json = Array(#"{"type":0,"chainId":1,"nonce":0,"gas":21000,"gasPrice":1,"to":"0x3535353535353535353535353535353535353535","from":"0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"}"#.utf8)
        let req = try TransactionJSON.decode(json, chain: .evm(chainId: 1))
        let key46 = try #require(TestSigner.publicKey(privateKey: [UInt8](repeating: 0x46, count: 32), compressed: true))
        #expect(try req.signingTasks(publicKey: key46).count == 1)
        let other = try #require(TestSigner.publicKey(privateKey: [UInt8](repeating: 0x11, count: 32), compressed: true))
        #expect { try req.signingTasks(publicKey: other) } throws: { ($0 as? ChainError)?.field == "from" }
    }

    @Test func bitcoinP2WPKHEndToEnd() throws {
        let key = hex("619c335025c7f4012e556c2a58b2506e30b8511b53ade95ea316fd8c3286feb9")
        let pub = hex("025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee6357")
        let req = try TransactionJSON.decode(Examples.json("tx/bitcoin-p2wpkh.json"), chain: .bitcoin(.mainnet))
        let tasks = try req.signingTasks(publicKey: pub)
        #expect(tasks.map(\.scheme) == [.ecdsaSecp256k1])
        let sig = try #require(TestSigner.sign(digest: tasks[0].message, privateKey: key))
        let out = try req.assemble(publicKey: pub, signatures: [.ecdsa(r: sig.r, s: sig.s, recoveryId: 0)])
        let tx = try BitcoinTransaction(raw: out.raw)
        #expect(tx.txid == out.id)
        #expect(tx.inputs[0].witness.last == pub)
        // A signature over another digest is refused.
        let wrong = try #require(TestSigner.sign(digest: [UInt8](repeating: 9, count: 32), privateKey: key))
        #expect(throws: ChainError.self) { try req.assemble(publicKey: pub, signatures: [.ecdsa(r: wrong.r, s: wrong.s, recoveryId: 0)]) }
        #expect(throws: ChainError.self) { try req.assemble(publicKey: pub, signatures: [.bytes([UInt8](repeating: 1, count: 64))]) }
    }

    @Test func bitcoinTaprootEndToEnd() throws {
        // BIP-341 vector key: internal key d6889c…, tweaked private key 2405b9… (keyPathSpending input 0).
        let internalKey = hex("d6889cb081036e0faefa3a35157ad71086b123b2b144b649798b494c300a961d")
        let tweakedPrivate = hex("2405b971772ad26915c8dcdf10f238753a9b837e5f8e6a86fd7c0cce5b7296d9")
        let req = try TransactionJSON.decode(Examples.json("tx/bitcoin-p2tr.json"), chain: .bitcoin(.mainnet))
        let tasks = try req.signingTasks(publicKey: internalKey)
        #expect(tasks.map(\.scheme) == [.schnorrTaproot(tweak: hex("b86e7be8f39bab32a6f2c0443abbc210f0edac0e2c53d501b36b64437d9c6c70"))])
        let sig = try #require(TestSigner.signSchnorr(message: tasks[0].message, privateKey: tweakedPrivate))
        let out = try req.assemble(publicKey: internalKey, signatures: [.bytes(sig)])
        let tx = try BitcoinTransaction(raw: out.raw)
        #expect(tx.inputs[0].witness == [sig])  // SIGHASH_DEFAULT: bare 64-byte signature
        // Signed with the untweaked key: does not verify under the output key.
        let untweaked = hex("6b973d88838f27366ed61c9ad6367663045cb456e28335c109e30717ae0c6baa")
        let bad = try #require(TestSigner.signSchnorr(message: tasks[0].message, privateKey: untweaked))
        #expect(throws: ChainError.self) { try req.assemble(publicKey: internalKey, signatures: [.bytes(bad)]) }
    }

    @Test func solanaEndToEnd() throws {
        let c = try #require(Self.sol.at("cases").arr.first)
        let pub = hex(Self.sol.at("publicKey").str)
        let req = try TransactionJSON.decode(Examples.json("tx/solana-transfer.json"), chain: .solana)
        let tasks = try req.signingTasks(publicKey: pub)
        #expect(tasks == [SigningTask(scheme: .ed25519, message: hex(c.at("message").str))])
        let out = try req.assemble(publicKey: pub, signatures: [.bytes(hex(c.at("signature").str))])
        #expect(Hex.encode(out.raw) == c.at("signedTx").str)
        #expect(out.id == c.at("txId").str)
        #expect(throws: ChainError.self) { try req.signingTasks(publicKey: [UInt8](repeating: 3, count: 32)) }
    }
}
