import Testing
import Protocols
@testable import Chains

/// The `mpc sign-tx` / `sign-message` path with signatures shaped like the cluster's answers (ECDSA r‖s + recovery
/// id, 64-byte BIP-340 / Ed25519), produced here by a local libsecp256k1 key, and checked by recovery and by
/// independent eth-account / BIP-341 values.
@Suite struct ClusterSigningTests {
    static let eth: JSONValue = (try? Fixtures.json("eth-account.json")) ?? .null

    /// What the threshold-ECDSA cluster returns for a digest: 64 bytes r‖s (low-S) and the recovery id.
    static func clusterECDSA(_ digest: [UInt8], key: [UInt8]) -> (signature: [UInt8], recoveryId: Int)? {
        TestSigner.signRecoverable(digest: digest, privateKey: key).map { ($0.r + $0.s, $0.recid) }
    }

    /// Signs every task like the cluster would and assembles; `withRecoveryId: false` drops the id (it is then found
    /// by recovering the wallet key).
    static func signAndAssemble(_ req: TransactionRequest, key: WalletKey, privateKey: [UInt8], withRecoveryId: Bool = true) throws -> AssembledTransaction {
        var sigs = [GroupSignature]()
        for task in try req.signingTasks(key: key) {
            let c = try #require(clusterECDSA(task.message, key: privateKey))
            sigs.append(try GroupSignature.decode(c.signature, recoveryId: withRecoveryId ? c.recoveryId : nil, for: task, key: key))
        }
        return try req.assemble(key: key, signatures: sigs)
    }

    @Test(arguments: ["legacy-ethereum", "legacy-polygon", "legacy-bsc-zero-value", "eip2930-ethereum", "eip1559-base",
                      "eip1559-arbitrum-create", "eip1559-sepolia-user-chain", "eip4844-ethereum"])
    func everyEthereumTypeMatchesEthAccount(_ name: String) throws {
        let entry = try #require(Self.eth.at("transactions").arr.first { $0.at("name").str == name })
        let priv = hex(entry.at("signer").at("privateKey").str)
        let key = WalletKey.ecdsa(hex(entry.at("signer").at("publicKeyCompressed").str))
        let chainId = try #require(UInt64(exactly: entry.at("tx").at("chainId").int))
        let req = try TransactionJSON.decode(entry.at("tx"), chain: .evm(chainId: chainId))
        for withId in [true, false] {
            let out = try Self.signAndAssemble(req, key: key, privateKey: priv, withRecoveryId: withId)
            // RFC 6979 on both sides: the same bytes as eth-account's sign_transaction.
            #expect("0x" + Hex.encode(out.raw) == entry.at("rawSigned").str)
            #expect(out.id == entry.at("txHash").str)
            #expect(try EthereumSignedTransaction(raw: out.raw).sender().checksummed == entry.at("signer").at("address").str)
        }
        #expect(try key.address(on: .evm(chainId: chainId)).address == entry.at("signer").at("address").str)
    }

    @Test func everyEVMChainNameGivesTheEIP55Address() throws {
        let entry = try #require(Self.eth.at("transactions").arr.first)
        let key = WalletKey.ecdsa(hex(entry.at("signer").at("publicKeyUncompressed").str))
        let names = Chain.knownEVM.flatMap { [$0.name] + $0.aliases } + ["evm:11155111", "eip155:10", "324"]
        for name in names {
            let a = try key.address(on: Chain(name: name))
            #expect(a.address == entry.at("signer").at("address").str, "\(name)")
            #expect(a.scriptPubKey == nil)
        }
    }

    @Test(arguments: [("ethereum-legacy.json", "ethereum"), ("ethereum-eip2930.json", "polygon"),
                      ("ethereum-eip1559.json", "base"), ("ethereum-eip4844.json", "ethereum")])
    func examplesSignAndRecoverToTheWallet(_ c: (String, String)) throws {
        let priv = [UInt8](repeating: 0x46, count: 32)
        let pub = try #require(TestSigner.publicKey(privateKey: priv, compressed: true))
        let req = try TransactionJSON.decode(Examples.json("tx/" + c.0), chain: Chain(name: c.1))
        let out = try Self.signAndAssemble(req, key: .ecdsa(pub), privateKey: priv)
        let decoded = try EthereumSignedTransaction(raw: out.raw)
        #expect(try decoded.sender() == EthereumAddress(publicKey: pub))
        #expect("0x" + Hex.encode(decoded.hash) == out.id)
        guard case .ethereum(let r) = req else { Issue.record("family"); return }
        #expect(decoded.transaction == r.transaction)
        // Another key's signature for the same digest never assembles for this wallet.
        let other = try #require(Self.clusterECDSA(r.transaction.signingDigest, key: [UInt8](repeating: 0x11, count: 32)))
        let task = try #require(try req.signingTasks(key: .ecdsa(pub)).first)
        #expect(throws: ChainError.self) {
            try req.assemble(key: .ecdsa(pub), signatures: [GroupSignature.decode(other.signature, recoveryId: other.recoveryId, for: task, key: .ecdsa(pub))])
        }
        #expect { try GroupSignature.decode(other.signature, recoveryId: nil, for: task, key: .ecdsa(pub)) } throws: {
            ($0 as? ChainError)?.code == .signerMismatch
        }
    }

    @Test func p2wpkhExampleWithClusterShapedSignature() throws {
        let priv = hex("619c335025c7f4012e556c2a58b2506e30b8511b53ade95ea316fd8c3286feb9")
        let pub = hex("025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee6357")
        let doc = try Examples.json("tx/bitcoin-p2wpkh.json")
        let req = try TransactionJSON.decode(doc, chain: .bitcoin(.mainnet))
        let out = try Self.signAndAssemble(req, key: .ecdsa(pub), privateKey: priv, withRecoveryId: false)
        let tx = try BitcoinTransaction(raw: out.raw)
        #expect(tx.txid == out.id)
        #expect(tx.inputs[0].witness.count == 2 && tx.inputs[0].witness[1] == pub)
        // The wallet's P2WPKH address pays to the scriptPubKey the example spends (values from the BIP-173 reference code).
        let spent = hex(doc.at("inputs").arr.first?.at("scriptPubKey").str ?? "")
        let expected: [(BitcoinNetwork, String)] = [(.mainnet, "bc1qr583w2swedy2acd7rung055k8t3n7udp7vyzyg"),
                                                     (.testnet, "tb1qr583w2swedy2acd7rung055k8t3n7udp52l3lm"),
                                                     (.regtest, "bcrt1qr583w2swedy2acd7rung055k8t3n7udpkrxugj")]
        for (network, address) in expected {
            let a = try WalletKey.ecdsa(pub).address(on: .bitcoin(network))
            #expect(a.address == address && a.scriptPubKey == spent)
        }
    }

    /// Cluster `secp256k1-taproot` wallets hand out the output key Q (the DKG already applied the TapTweak): the plan
    /// takes Q as is. A key given untweaked still goes through the tweak. Both reach the same digest and witness.
    @Test func taprootOutputKeyAndInternalKeyPaths() throws {
        let internalKey = hex("d6889cb081036e0faefa3a35157ad71086b123b2b144b649798b494c300a961d")
        let tweakedPrivate = hex("2405b971772ad26915c8dcdf10f238753a9b837e5f8e6a86fd7c0cce5b7296d9")
        let outputKey = hex("53a1f6e454df1aa2776a2814a721372d6258050de330b3c6d10ee8f4e0dda343")
        let req = try TransactionJSON.decode(Examples.json("tx/bitcoin-p2tr.json"), chain: .bitcoin(.mainnet))

        let viaOutput = try req.signingTasks(key: .taprootOutput(outputKey))
        let viaInternal = try req.signingTasks(key: .taprootInternal(internalKey))
        #expect(viaOutput.map(\.scheme) == [.schnorrTaproot(tweak: nil)])
        #expect(viaInternal.map(\.scheme) == [.schnorrTaproot(tweak: hex("b86e7be8f39bab32a6f2c0443abbc210f0edac0e2c53d501b36b64437d9c6c70"))])
        #expect(viaOutput.map(\.message) == viaInternal.map(\.message))

        let sig = try #require(TestSigner.signSchnorr(message: viaOutput[0].message, privateKey: tweakedPrivate))
        let task = viaOutput[0]
        let a = try req.assemble(key: .taprootOutput(outputKey), signatures: [GroupSignature.decode(sig, recoveryId: nil, for: task, key: .taprootOutput(outputKey))])
        let b = try req.assemble(key: .taprootInternal(internalKey), signatures: [.bytes(sig)])
        #expect(a == b)
        #expect(try BitcoinTransaction(raw: a.raw).inputs[0].witness == [sig])

        // The output key taken for an internal key would be tweaked twice: it does not own the input.
        #expect { try req.signingTasks(key: .taprootInternal(outputKey)) } throws: {
            ($0 as? ChainError)?.code == .signerMismatch && ($0 as? ChainError)?.field == "inputs[0].scriptPubKey"
        }
        // Another output key does not own it either, and a signature by the untweaked key does not verify under Q.
        #expect { try req.signingTasks(key: .taprootOutput(internalKey)) } throws: { ($0 as? ChainError)?.code == .signerMismatch }
        let untweaked = try #require(TestSigner.signSchnorr(message: task.message, privateKey: hex("6b973d88838f27366ed61c9ad6367663045cb456e28335c109e30717ae0c6baa")))
        #expect { try req.assemble(key: .taprootOutput(outputKey), signatures: [.bytes(untweaked)]) } throws: { ($0 as? ChainError)?.code == .invalidSignature }

        // Both key forms give the address the BIP-350 reference code computes for Q.
        for key in [WalletKey.taprootOutput(outputKey), .taprootInternal(internalKey)] {
            let addr = try key.address(on: .bitcoin(.mainnet))
            #expect(addr.address == "bc1p2wsldez5mud2yam29q22wgfh9439spgduvct83k3pm50fcxa5dps59h4z5")
            #expect(addr.scriptPubKey == [0x51, 0x20] + outputKey)
        }
        #expect(throws: ChainError.self) { try WalletKey.taprootOutput([UInt8](repeating: 0xff, count: 32)).address(on: .bitcoin(.mainnet)) }
    }

    @Test func solanaAddressAndEd25519Tasks() throws {
        let sol = try Fixtures.json("solana.json")
        let pub = hex(sol.at("publicKey").str)
        #expect(try WalletKey.ed25519(pub).address(on: .solana).address == sol.at("address").str)
        let req = try TransactionJSON.decode(Examples.json("tx/solana-transfer.json"), chain: .solana)
        let task = try #require(try req.signingTasks(key: .ed25519(pub)).first)
        let c = try #require(sol.at("cases").arr.first)
        let sig = try GroupSignature.decode(hex(c.at("signature").str), recoveryId: nil, for: task, key: .ed25519(pub))
        #expect(try req.assemble(key: .ed25519(pub), signatures: [sig]).id == c.at("txId").str)
    }

    @Test func aChainTheWalletCannotServeIsNamed() throws {
        let ecdsa = WalletKey.ecdsa(hex("025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee6357"))
        let taproot = WalletKey.taprootOutput(hex("53a1f6e454df1aa2776a2814a721372d6258050de330b3c6d10ee8f4e0dda343"))
        let ed = WalletKey.ed25519(hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
        let refused: [(WalletKey, Chain)] = [(ed, .evm(chainId: 1)), (taproot, .evm(chainId: 137)), (ed, .bitcoin(.mainnet)),
                                             (ecdsa, .solana), (taproot, .solana)]
        for (key, chain) in refused {
            #expect { try key.address(on: chain) } throws: { ($0 as? ChainError)?.code == .walletKeyUnsupported }
        }
        let eth = try TransactionJSON.decode(Examples.json("tx/ethereum-legacy.json"), chain: .evm(chainId: 1))
        #expect { try eth.signingTasks(key: taproot) } throws: { ($0 as? ChainError)?.code == .walletKeyUnsupported }
        let wpkh = try TransactionJSON.decode(Examples.json("tx/bitcoin-p2wpkh.json"), chain: .bitcoin(.mainnet))
        #expect { try wpkh.signingTasks(key: taproot) } throws: {
            ($0 as? ChainError)?.code == .walletKeyUnsupported && ($0 as? ChainError)?.field == "inputs[0].scriptPubKey"
        }
        let sol = try TransactionJSON.decode(Examples.json("tx/solana-transfer.json"), chain: .solana)
        #expect { try sol.signingTasks(key: ecdsa) } throws: { ($0 as? ChainError)?.code == .walletKeyUnsupported }
    }

    @Test func clusterSignatureBytesAreChecked() throws {
        let priv = [UInt8](repeating: 0x46, count: 32)
        let pub = try #require(TestSigner.publicKey(privateKey: priv, compressed: true))
        let task = SigningTask(scheme: .ecdsaSecp256k1, message: [UInt8](repeating: 7, count: 32))
        let c = try #require(Self.clusterECDSA(task.message, key: priv))
        #expect(try GroupSignature.decode(c.signature, recoveryId: nil, for: task, key: .ecdsa(pub))
                == .ecdsa(r: Array(c.signature[0..<32]), s: Array(c.signature[32...]), recoveryId: c.recoveryId))
        #expect { try GroupSignature.decode(Array(c.signature.prefix(63)), recoveryId: 0, for: task, key: .ecdsa(pub)) } throws: {
            ($0 as? ChainError)?.code == .invalidSignature
        }
        #expect { try GroupSignature.decode(c.signature, recoveryId: 2, for: task, key: .ecdsa(pub)) } throws: { ($0 as? ChainError)?.field == "recoveryId" }
        // s replaced by n - s (the high-S twin of a valid signature) is refused.
        let s = Array(c.signature[32...])
        let highS = Array(c.signature[0..<32]) + bigEndianDifference(Secp256k1.order, s)
        #expect { try GroupSignature.decode(highS, recoveryId: nil, for: task, key: .ecdsa(pub)) } throws: { ($0 as? ChainError)?.code == .highS }
    }

    @Test func personalAndTypedDataSignaturesMatchEthAccount() throws {
        for group in ["personalSign", "typedData"] {
            for entry in Self.eth.at(group).arr {
                let priv = hex(entry.at("signer").at("privateKey").str)
                let signer = try EthereumAddress(parsing: entry.at("signer").at("address").str)
                let message: EthereumMessage
                if group == "typedData" {
                    message = .typedData(try TypedData(entry.at("document")))
                } else {
                    let text = entry.at("message").str
                    message = .personal(entry.at("isHex").bool ? hex(String(text.dropFirst(2))) : Array(text.utf8))
                }
                let chainId = group == "typedData" ? try #require(UInt64(exactly: entry.at("document").at("domain").at("chainId").int)) : 1
                let digest = try message.digest(chainId: chainId)
                #expect("0x" + Hex.encode(digest) == entry.at("digest").str)
                let c = try #require(Self.clusterECDSA(digest, key: priv))
                let r = Array(c.signature[0..<32]), s = Array(c.signature[32...])
                let sig = try EthereumMessage.signature(digest: digest, r: r, s: s, recoveryId: c.recoveryId, expectedSigner: signer)
                #expect("0x" + Hex.encode(sig) == entry.at("signature").str)
                #expect { try EthereumMessage.signature(digest: digest, r: r, s: s, recoveryId: 1 - c.recoveryId, expectedSigner: signer) } throws: {
                    ($0 as? ChainError)?.code == .signerMismatch
                }
                if group == "typedData" {
                    #expect { try message.digest(chainId: chainId + 1) } throws: { ($0 as? ChainError)?.field == "domain.chainId" }
                }
            }
        }
    }

    @Test func mailExampleIsTheEIP712Example() throws {
        let doc = try TypedData(Examples.json("typed-data/mail.json"))
        let entry = try #require(Self.eth.at("typedData").arr.first { $0.at("name").str == "eip712-mail" })
        #expect("0x" + Hex.encode(try EthereumMessage.typedData(doc).digest(chainId: 1)) == entry.at("digest").str)
    }
}
