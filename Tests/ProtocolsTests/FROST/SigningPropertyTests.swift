import Testing
import CSodium
import CSecp256k1
@testable import Protocols

enum SigningSuite: String, CaseIterable, Sendable { case ed25519, secp256k1, taproot }

/// Independent verifiers: libsodium for Ed25519, libsecp256k1 BIP-340 for Taproot, the RFC equation for secp256k1.
enum SigningExternalVerify {
    static func ed25519(_ sig: [UInt8], _ pk: [UInt8], _ msg: [UInt8]) -> Bool {
        _ = sodium_init()
        return sig.count == 64 && pk.count == 32 && crypto_sign_verify_detached(sig, msg, UInt64(msg.count), pk) == 0
    }

    static func bip340(_ sig: [UInt8], xOnly pk: [UInt8], _ msg: [UInt8]) -> Bool {
        guard sig.count == 64, pk.count == 32,
              let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else { return false }
        defer { secp256k1_context_destroy(ctx) }
        var key = secp256k1_xonly_pubkey()
        guard secp256k1_xonly_pubkey_parse(ctx, &key, pk) == 1 else { return false }
        return secp256k1_schnorrsig_verify(ctx, sig, msg, msg.count, &key) == 1
    }
}

/// Property tests (seeded): every t-subset signs validly under the same key; t−1 cannot.
@Suite struct SigningPropertyTests {
    static let shapes: [(Int, Int)] = [(2, 3), (3, 5), (4, 6), (5, 8), (7, 10), (10, 15)]

    @Test(arguments: SigningSuite.allCases)
    func everyThresholdSubsetSigns(suite: SigningSuite) throws {
        switch suite {
        case .ed25519: try Self.everySubset(FROSTEd25519.self, suite: suite)
        case .secp256k1: try Self.everySubset(FROSTSecp256k1.self, suite: suite)
        case .taproot: try Self.everySubset(FROSTSecp256k1Taproot.self, suite: suite)
        }
    }

    static func everySubset<C: FROSTCiphersuite>(_: C.Type, suite: SigningSuite) throws {
        var rng = SeededRandom(seed: 0xF05 &+ UInt64(C.suiteID))
        // The fixed shapes plus three drawn at random (2 ≤ t ≤ 10, t ≤ n ≤ 15).
        var drawn = shapes
        for _ in 0..<3 {
            let b = rng.bytes(2)
            let t = 2 + Int(b[0]) % 9
            drawn.append((t, t + Int(b[1]) % (16 - t)))
        }
        for (t, n) in drawn {
            let keys = SigningTestDealer<C>.split(t: t, n: n, rng: &rng)
            let message = rng.bytes(Int(rng.bytes(1)[0]))
            let limit = t >= 7 ? 3 : 12
            var verifyingKeys = [C.Element]()
            for signers in signingSubsets(keys.ids, t, limit: limit, rng: &rng) {
                let (sig, vk) = try SigningTestRun<C>.run(keys: keys, signers: signers, message: message, rng: &rng)
                verifyingKeys.append(vk)
                #expect(FROSTSigning<C>.verify(signature: sig, groupPublicKey: keys.publicKeyPackage.groupPublicKey, message: message),
                        "\(suite) \(t)-of-\(n) \(signers)")
                let bytes = try sig.bytes()
                #expect(bytes.count == C.signatureByteCount)
                switch suite {
                case .ed25519:
                    #expect(SigningExternalVerify.ed25519(bytes, try vk.serialized(), message), "libsodium rejects \(t)-of-\(n) \(signers)")
                case .taproot:
                    let x = Array(try vk.serialized().dropFirst())
                    #expect(SigningExternalVerify.bip340(bytes, xOnly: x, message), "libsecp256k1 rejects \(t)-of-\(n) \(signers)")
                case .secp256k1:
                    #expect(bytes.count == 65)
                }
            }
            #expect(!verifyingKeys.isEmpty)
            #expect(Set(verifyingKeys.map { (try? $0.serialized()) ?? [] }).count == 1, "one public key for every subset")
        }
    }

    @Test(arguments: SigningSuite.allCases)
    func fewerThanThresholdCannotSign(suite: SigningSuite) throws {
        switch suite {
        case .ed25519: try Self.belowThreshold(FROSTEd25519.self)
        case .secp256k1: try Self.belowThreshold(FROSTSecp256k1.self)
        case .taproot: try Self.belowThreshold(FROSTSecp256k1Taproot.self)
        }
    }

    static func belowThreshold<C: FROSTCiphersuite>(_: C.Type) throws {
        var rng = SeededRandom(seed: 77)
        for (t, n) in [(2, 3), (3, 5), (5, 8)] {
            let keys = SigningTestDealer<C>.split(t: t, n: n, rng: &rng)
            let few = Array(keys.ids.prefix(t - 1))
            let message = Array("t-1".utf8)
            // The coordinator refuses fewer than t signers.
            #expect(throws: FROSTError.self) {
                _ = try SigningCoordinator<C>(publicKeyPackage: keys.publicKeyPackage, signers: few, message: message)
            }
            // A signer refuses a package with fewer than t commitments.
            let sessions = few.map { SignerSession<C>(keyPackage: keys.packages[$0]!) }
            let commitments = try sessions.map { try $0.round1(using: &rng) }
            let package = try SigningPackage<C>(commitments: commitments, message: message)
            for s in sessions { #expect(throws: FROSTError.self) { _ = try s.round2(package) } }
            // Forged: shares computed past the guards (threshold lowered to t−1) do not verify.
            var forged = [SignatureShare<C>]()
            var kept: [(KeyPackage<C>, SigningCommitments<C>, C.Scalar, C.Scalar)] = []
            for id in few {
                let kp = SigningTestDealer<C>.lowered(keys.packages[id]!, minSigners: t - 1)
                let d = C.Scalar.random(using: &rng), e = C.Scalar.random(using: &rng)
                let c = try SigningCommitments<C>(identifier: id, hiding: C.Element.baseMultiply(d), binding: C.Element.baseMultiply(e))
                kept.append((kp, c, d, e))
            }
            let forgedPackage = try SigningPackage<C>(commitments: kept.map(\.1), message: message)
            for (kp, c, d, e) in kept {
                let nonces = try SigningNonces<C>(hiding: d, binding: e, identifier: c.identifier)
                forged.append(try FROSTSigning<C>.sign(package: forgedPackage, nonces: nonces, keyPackage: kp))
            }
            let shares = forged
            let lowPKP = PublicKeyPackage<C>(verifyingShares: keys.publicKeyPackage.verifyingShares,
                                             groupPublicKey: keys.publicKeyPackage.groupPublicKey, minSigners: t - 1)
            let ctx = try FROSTSigning<C>.Context(package: forgedPackage,
                                                  groupPublicKey: try FROSTSigning<C>.verifyingKey(publicKeyPackage: lowPKP, tweak: .untweaked))
            let z = shares.reduce(C.Scalar.zero) { $0 + $1.share }
            let sig = Signature<C>(R: try ctx.groupCommitment(), z: z)
            #expect(!FROSTSigning<C>.verify(signature: sig, groupPublicKey: keys.publicKeyPackage.groupPublicKey, message: message))
            // And the aggregator, even with the threshold lowered, finds the result invalid.
            #expect(throws: FROSTError.self) {
                _ = try FROSTSigning<C>.aggregate(package: forgedPackage, shares: shares, publicKeyPackage: lowPKP)
            }
        }
    }
}
