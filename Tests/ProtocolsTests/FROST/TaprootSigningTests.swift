import Testing
import CSecp256k1
@testable import Protocols

/// BIP-340 / BIP-341 threshold signing: x-only keys, even-y normalisation of the key and of R, the key-path
/// tweak applied once with parity handled. Every signature is checked with libsecp256k1's schnorrsig_verify.
@Suite struct TaprootSigningTests {
    typealias TR = FROSTSecp256k1Taproot

    static func xOnly(_ e: Secp256k1Point) throws -> [UInt8] { try e.xOnly() }

    /// Q's x coordinate computed by libsecp256k1 (xonly_pubkey_tweak_add), independently of our code.
    static func libsecpOutputKey(internalX: [UInt8], merkleRoot: [UInt8]) -> [UInt8]? {
        guard let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else { return nil }
        defer { secp256k1_context_destroy(ctx) }
        var internalKey = secp256k1_xonly_pubkey(), output = secp256k1_pubkey()
        let t = Hash.taggedSHA256(tag: "TapTweak", [internalX, merkleRoot])
        guard secp256k1_xonly_pubkey_parse(ctx, &internalKey, internalX) == 1,
              secp256k1_xonly_pubkey_tweak_add(ctx, &output, &internalKey, t) == 1 else { return nil }
        var out = [UInt8](repeating: 0, count: 33), len = 33
        _ = secp256k1_ec_pubkey_serialize(ctx, &out, &len, &output, UInt32(SECP256K1_EC_COMPRESSED))
        return Array(out.dropFirst())
    }

    @Test func untweakedSignaturesVerifyUnderTheXOnlyKeyForBothParities() throws {
        var rng = SeededRandom(seed: 340)
        var parities = Set<Bool>(), rParities = Set<Bool>()
        for k in 0..<10 {
            let keys = SigningTestDealer<TR>.split(t: 2, n: 3, rng: &rng)
            let pk = keys.publicKeyPackage.groupPublicKey
            parities.insert(try pk.hasEvenY())
            let message = Array("taproot untweaked \(k)".utf8)
            let (sig, vk) = try SigningTestRun<TR>.run(keys: keys, signers: [keys.ids[0], keys.ids[2]], message: message, rng: &rng)
            rParities.insert(try sig.R.hasEvenY())
            #expect(try Signature<TR>(wire: try sig.serialize()) == sig)   // also when R had odd y
            #expect(try Self.xOnly(vk) == Self.xOnly(pk))
            #expect(SigningExternalVerify.bip340(try sig.bytes(), xOnly: try Self.xOnly(pk), message))
            #expect(BIP340.verify(publicKey: try Self.xOnly(pk), message: message, signature: try sig.bytes()))
        }
        #expect(parities == [true, false], "both parities of the group key exercised")
        #expect(rParities == [true, false], "both parities of the group commitment R exercised")
    }

    @Test(arguments: [TaprootTweak.keyPathOnly, .scriptTree(merkleRoot: Hash.sha256(Array("tapscript".utf8)))])
    func tweakedSignaturesVerifyUnderTheOutputKey(tweak: TaprootTweak) throws {
        var rng = SeededRandom(seed: 341)
        var qParities = Set<Bool>()
        for k in 0..<10 {
            let keys = SigningTestDealer<TR>.split(t: 3, n: 5, rng: &rng)
            let P = keys.publicKeyPackage.groupPublicKey
            let root = tweak.merkleRoot ?? []
            let (Q, qx, odd) = try BIP341.outputKey(internalKey: P, merkleRoot: root)
            qParities.insert(odd)
            #expect(Self.libsecpOutputKey(internalX: try Self.xOnly(P), merkleRoot: root) == qx)
            let message = Hash.sha256(Array("sighash \(k)".utf8))
            let (sig, vk) = try SigningTestRun<TR>.run(keys: keys, signers: [keys.ids[0], keys.ids[2], keys.ids[4]],
                                                    message: message, tweak: tweak, rng: &rng)
            #expect(try Self.xOnly(vk) == qx)
            #expect(try Self.xOnly(Q) == qx)
            #expect(SigningExternalVerify.bip340(try sig.bytes(), xOnly: qx, message), "libsecp256k1 rejects the tweaked signature")
            #expect(!SigningExternalVerify.bip340(try sig.bytes(), xOnly: try Self.xOnly(P), message), "must not verify under the internal key")
        }
        #expect(qParities == [true, false], "both parities of the output key Q exercised")
    }

    @Test func tweakedSigningNamesACheater() throws {
        var rng = SeededRandom(seed: 343)
        for k in 0..<4 {   // several keys: both parities of P, Q and R occur
            let keys = SigningTestDealer<TR>.split(t: 2, n: 3, rng: &rng)
            let signers = [keys.ids[0], keys.ids[2]]
            let coordinator = try SigningCoordinator<TR>(publicKeyPackage: keys.publicKeyPackage, signers: signers,
                                                         message: Array("cheat \(k)".utf8), tweak: .keyPathOnly)
            let sessions = signers.map { SignerSession<TR>(keyPackage: keys.packages[$0]!) }
            var package: SigningPackage<TR>?
            for s in sessions {
                if case .sendSigningPackage(let p) = try coordinator.receive(try s.round1(using: &rng)) { package = p }
            }
            let honest = try sessions[0].round2(package!)
            let cheat = try sessions[1].round2(package!)
            #expect(try FROSTSigning<TR>.verifySignatureShare(honest, package: package!, publicKeyPackage: keys.publicKeyPackage))
            #expect(try FROSTSigning<TR>.verifySignatureShare(cheat, package: package!, publicKeyPackage: keys.publicKeyPackage))
            _ = try coordinator.receive(honest)
            #expect(throws: FROSTError.misbehaving([.init(party: signers[1], reason: "invalid signature share")])) {
                _ = try coordinator.receive(SignatureShare<TR>(identifier: cheat.identifier, share: -cheat.share))
            }
        }
    }

    @Test func tweakIsRefusedForOtherSuites() throws {
        var rng = SeededRandom(seed: 3)
        let keys = SigningTestDealer<FROSTSecp256k1>.split(t: 2, n: 3, rng: &rng)
        #expect(throws: FROSTError.self) {
            _ = try SigningCoordinator<FROSTSecp256k1>(publicKeyPackage: keys.publicKeyPackage, signers: keys.ids, message: [], tweak: .keyPathOnly)
        }
        #expect(throws: FROSTError.self) {
            _ = try SigningPackage<TR>(commitments: [], message: [], tweak: .scriptTree(merkleRoot: [1, 2, 3]))
        }
    }

    /// BIP-341 wallet vectors: our tweak and output key for every scriptPubKey case, and a 2-of-3 threshold
    /// key-path spend of every keyPathSpending input (the internal private key split, the sighash signed,
    /// verified under the vector's tweaked key).
    @Test func bip341WalletVectors() throws {
        let json = try JSONValue.parse(try SharedVectors.load("bitcoin-bips_bip-0341_wallet-test-vectors.json"))
        let spks = try #require(json["scriptPubKey"]?.array)
        #expect(spks.count == 7)
        for v in spks {
            let internalX = try #require(v["given"]?["internalPubkey"]?.text.flatMap(Hex.decode))
            let root = v["intermediary"]?["merkleRoot"]?.text.flatMap(Hex.decode) ?? []
            let P = try Secp256k1Point(liftX: internalX)
            #expect(try BIP341.tweakScalar(internalKey: P, merkleRoot: root).bytes == v["intermediary"]?["tweak"]?.text.flatMap(Hex.decode))
            #expect(try BIP341.outputKey(internalKey: P, merkleRoot: root).xOnly == v["intermediary"]?["tweakedPubkey"]?.text.flatMap(Hex.decode))
        }
        var rng = SeededRandom(seed: 342)
        var spent = 0
        for tx in json["keyPathSpending"]?.array ?? [] {
            for input in tx["inputSpending"]?.array ?? [] {
                let sk = try Secp256k1Scalar(canonical: try #require(input["given"]?["internalPrivkey"]?.text.flatMap(Hex.decode)))
                let root = input["given"]?["merkleRoot"]?.text.flatMap(Hex.decode)
                let tweakedSK = try Secp256k1Scalar(canonical: try #require(input["intermediary"]?["tweakedPrivkey"]?.text.flatMap(Hex.decode)))
                let qx = try Secp256k1Point.baseMultiply(tweakedSK).xOnly()
                let sighash = try #require(input["intermediary"]?["sigHash"]?.text.flatMap(Hex.decode))
                let keys = SigningTestDealer<TR>.split(secret: sk, t: 2, n: 3, rng: &rng)
                let tweak: TaprootTweak = root.map { .scriptTree(merkleRoot: $0) } ?? .keyPathOnly
                let (sig, vk) = try SigningTestRun<TR>.run(keys: keys, signers: [keys.ids[1], keys.ids[2]], message: sighash, tweak: tweak, rng: &rng)
                #expect(try vk.xOnly() == qx)
                #expect(SigningExternalVerify.bip340(try sig.bytes(), xOnly: qx, sighash))
                spent += 1
            }
        }
        #expect(spent == 7)
    }
}
