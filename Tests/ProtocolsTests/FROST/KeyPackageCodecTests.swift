import Testing
@testable import Protocols

/// Fixed key material (no randomness) from which every golden encoding is built.
struct KeyGenCodecFixtures<C: FROSTCiphersuite> {
    static func point(_ k: UInt64) -> C.Element {
        let P = C.Element.baseMultiply(C.Scalar(k))
        // Taproot proofs need an even R; use −P when P is odd.
        return DKGSuiteRules<C>.hasOddY(P) ? C.Element.identity - P : P
    }

    static func keyPackage() throws -> KeyPackage<C> {
        let sk = C.Scalar(0x0102_0304_0506_0708)
        return KeyPackage(identifier: try ParticipantID(3), signingShare: sk, verifyingShare: C.Element.baseMultiply(sk),
                          groupPublicKey: C.Element.baseMultiply(C.Scalar(42)), minSigners: 2)
    }

    static func publicKeyPackage() throws -> PublicKeyPackage<C> {
        var shares: [ParticipantID: C.Element] = [:]
        for i in [5, 1, 2] as [UInt16] { shares[try ParticipantID(i)] = C.Element.baseMultiply(C.Scalar(42 + 10 * UInt64(i))) }   // f(x) = 42 + 10x
        return PublicKeyPackage(verifyingShares: shares, groupPublicKey: C.Element.baseMultiply(C.Scalar(42)), minSigners: 2)
    }

    static func round1() -> DKGRound1Package<C> {
        DKGRound1Package(commitment: [C.Element.baseMultiply(C.Scalar(5)), C.Element.baseMultiply(C.Scalar(6))],
                         proofOfKnowledge: DKGProofOfKnowledge(R: point(7), mu: C.Scalar(8)))
    }

    static func round2() -> DKGRound2Package<C> { DKGRound2Package(share: C.Scalar(9)) }

    static func dealerShare() throws -> DealerShare<C> {
        DealerShare(identifier: try ParticipantID(2), share: C.Scalar(10),
                    commitment: try VSSCommitment([C.Element.baseMultiply(C.Scalar(5)), C.Element.baseMultiply(C.Scalar(6))]))
    }

    /// Every encoding, by name.
    static func encodings() throws -> [(String, [UInt8])] {
        [("keyPackage", try KeyPackageCodec.encode(try keyPackage())),
         ("publicKeyPackage", try KeyPackageCodec.encode(try publicKeyPackage())),
         ("round1", try round1().serialized()),
         ("round2", round2().serialized()),
         ("dealerShare", try dealerShare().serialized())]
    }

    /// Decodes `bytes` as the record type `name`; throws what the decoder throws.
    static func decode(_ name: String, _ bytes: [UInt8]) throws(FROSTError) {
        switch name {
        case "keyPackage": _ = try KeyPackageCodec.decodeKeyPackage(bytes, as: C.self)
        case "publicKeyPackage": _ = try KeyPackageCodec.decodePublicKeyPackage(bytes, as: C.self)
        case "round1": _ = try DKGRound1Package<C>(serialized: bytes)
        case "round2": _ = try DKGRound2Package<C>(serialized: bytes)
        default: _ = try DealerShare<C>(serialized: bytes)
        }
    }
}

@Suite struct KeyPackageCodecTests {
    /// Pinned encodings (version 1). A change here is a format change: bump the version instead.
    static let golden: [KeyGenSuite: [String: String]] = [
        .ed25519: [
            "dealerShare":
                "01210100020a000000000000000000000000000000000000000000000000000000000000000002edc876d6831fd2105d" +
                "0b4389ca2e283166469289146e2ce06faefe98b22548dff47e49f9d07ad2c1606b4d94067c41f9777d4ffda709b71da1" +
                "d88628fce34d85",
            "keyPackage":
                "010101000300020807060504030201000000000000000000000000000000000000000000000000f8d56452348bbe1a35" +
                "c7b4313474aa2749db88981d05da46a2bd5ec592cdd59bce1a32994e835c193e2bf33909f44373ae2cf94ddef0fd9220" +
                "35c483670637c2",
            "publicKeyPackage":
                "0102010002ce1a32994e835c193e2bf33909f44373ae2cf94ddef0fd922035c483670637c200030001dc4da7ec42b2af" +
                "b4a480459d5ded5e71401a91b5584972233061a999019bb463000295774f35788a5223db356c18593d1c5c710b519450" +
                "c4a90583a601a9d3d0c70900059129ea8e70dbad8c4b57299e0e5535619e1f6dbd8ed979bcd588c0b52964dfab",
            "round1":
                "0111010002edc876d6831fd2105d0b4389ca2e283166469289146e2ce06faefe98b22548dff47e49f9d07ad2c1606b4d" +
                "94067c41f9777d4ffda709b71da1d88628fce34d85b862409fb5c4c4123df2abf7462b88f041ad36dd6864ce872fd547" +
                "2be363c5b10800000000000000000000000000000000000000000000000000000000000000",
            "round2":
                "0112010900000000000000000000000000000000000000000000000000000000000000",
        ],
        .secp256k1: [
            "dealerShare":
                "0121020002000000000000000000000000000000000000000000000000000000000000000a0002022f8bde4d1a072093" +
                "55b4a7250a5c5128e88b84bddc619ab7cba8d569b240efe403fff97bd5755eeea420453a14355235d382f6472f8568a1" +
                "8b2f057a1460297556",
            "keyPackage":
                "01010200030002000000000000000000000000000000000000000000000000010203040506070803dcf42b10106748e2" +
                "58c241bd738e289026fc3395e629903214eff0b75c272baf02fe8d1eb1bcb3432b1db5833ff5f2226d9cb5e65cee4305" +
                "58c18ed3a3c86ce1af",
            "publicKeyPackage":
                "010202000202fe8d1eb1bcb3432b1db5833ff5f2226d9cb5e65cee430558c18ed3a3c86ce1af00030001032b22efda32" +
                "491a9e0294339ca3da761f7d36cfc8814c1b29ca731921025ff695000203108443b948d1553584a271333f7fbd043c4d" +
                "66a91706edecbf07f6894c04f299000503de1d35cbc6308cc5b435db84a21605a7d3a6172d6511c68bf6639d49c87048" +
                "18",
            "round1":
                "0111020002022f8bde4d1a07209355b4a7250a5c5128e88b84bddc619ab7cba8d569b240efe403fff97bd5755eeea420" +
                "453a14355235d382f6472f8568a18b2f057a1460297556025cbdf0646e5db4eaa398f365f2ea7a0e3d419b7e0330e39c" +
                "e92bddedcac4f9bc0000000000000000000000000000000000000000000000000000000000000008",
            "round2":
                "0112020000000000000000000000000000000000000000000000000000000000000009",
        ],
        .taproot: [
            "dealerShare":
                "0121030002000000000000000000000000000000000000000000000000000000000000000a0002022f8bde4d1a072093" +
                "55b4a7250a5c5128e88b84bddc619ab7cba8d569b240efe403fff97bd5755eeea420453a14355235d382f6472f8568a1" +
                "8b2f057a1460297556",
            "keyPackage":
                "01010300030002000000000000000000000000000000000000000000000000010203040506070803dcf42b10106748e2" +
                "58c241bd738e289026fc3395e629903214eff0b75c272baf02fe8d1eb1bcb3432b1db5833ff5f2226d9cb5e65cee4305" +
                "58c18ed3a3c86ce1af",
            "publicKeyPackage":
                "010203000202fe8d1eb1bcb3432b1db5833ff5f2226d9cb5e65cee430558c18ed3a3c86ce1af00030001032b22efda32" +
                "491a9e0294339ca3da761f7d36cfc8814c1b29ca731921025ff695000203108443b948d1553584a271333f7fbd043c4d" +
                "66a91706edecbf07f6894c04f299000503de1d35cbc6308cc5b435db84a21605a7d3a6172d6511c68bf6639d49c87048" +
                "18",
            "round1":
                "0111030002022f8bde4d1a07209355b4a7250a5c5128e88b84bddc619ab7cba8d569b240efe403fff97bd5755eeea420" +
                "453a14355235d382f6472f8568a18b2f057a14602975565cbdf0646e5db4eaa398f365f2ea7a0e3d419b7e0330e39ce9" +
                "2bddedcac4f9bc0000000000000000000000000000000000000000000000000000000000000008",
            "round2":
                "0112030000000000000000000000000000000000000000000000000000000000000009",
        ],
    ]

    @Test(arguments: KeyGenSuite.allCases)
    func goldenEncodingsAndRoundTrips(suite: KeyGenSuite) throws {
        switch suite {
        case .ed25519: try golden(FROSTEd25519.self, suite)
        case .secp256k1: try golden(FROSTSecp256k1.self, suite)
        case .taproot: try golden(FROSTSecp256k1Taproot.self, suite)
        }
    }

    func golden<C: FROSTCiphersuite>(_: C.Type, _ suite: KeyGenSuite) throws {
        typealias F = KeyGenCodecFixtures<C>
        let pinned = try #require(Self.golden[suite])
        for (name, bytes) in try F.encodings() {
            #expect(Hex.encode(bytes) == pinned[name], "\(suite) \(name)")
        }
        // Decoding gives back the same values.
        let kp = try KeyPackageCodec.decodeKeyPackage(try KeyPackageCodec.encode(try F.keyPackage()), as: C.self)
        let kp0 = try F.keyPackage()
        #expect(kp.identifier == kp0.identifier && kp.signingShare == kp0.signingShare && kp.minSigners == kp0.minSigners)
        #expect(kp.verifyingShare == kp0.verifyingShare && kp.groupPublicKey == kp0.groupPublicKey)
        let pkp = try KeyPackageCodec.decodePublicKeyPackage(try KeyPackageCodec.encode(try F.publicKeyPackage()), as: C.self)
        let pkp0 = try F.publicKeyPackage()
        #expect(pkp.verifyingShares == pkp0.verifyingShares && pkp.groupPublicKey == pkp0.groupPublicKey && pkp.minSigners == 2)
        #expect(try DKGRound1Package<C>(serialized: try F.round1().serialized()) == F.round1())
        #expect(try DKGRound2Package<C>(serialized: F.round2().serialized()) == F.round2())
        #expect(try DealerShare<C>(serialized: try F.dealerShare().serialized()) == F.dealerShare())
    }

    @Test(arguments: KeyGenSuite.allCases)
    func malformedEncodingsAreRejected(suite: KeyGenSuite) throws {
        switch suite {
        case .ed25519: try malformed(FROSTEd25519.self)
        case .secp256k1: try malformed(FROSTSecp256k1.self)
        case .taproot: try malformed(FROSTSecp256k1Taproot.self)
        }
    }

    func rejects<C: FROSTCiphersuite>(_: C.Type, _ name: String, _ bytes: [UInt8], _ why: String,
                                      sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: FROSTError.self, "\(name): \(why)", sourceLocation: sourceLocation) {
            try KeyGenCodecFixtures<C>.decode(name, bytes)
        }
    }

    func malformed<C: FROSTCiphersuite>(_ suite: C.Type) throws {
        let Ns = C.Scalar.byteCount, Ne = C.Element.byteCount
        let badScalar = [UInt8](repeating: 0xff, count: Ns)                       // above the order
        let badPoint = C.Element.byteCount == 32 ? [UInt8](repeating: 0xff, count: 32)   // y ≥ p
                                                 : [0x02] + [UInt8](repeating: 0xff, count: 32)  // x ≥ p
        let otherSuite: UInt8 = C.suiteID == 1 ? 2 : 1
        for (name, good) in try KeyGenCodecFixtures<C>.encodings() {
            #expect(throws: Never.self) { try KeyGenCodecFixtures<C>.decode(name, good) }
            for cut in 0..<good.count { rejects(suite, name, Array(good.prefix(cut)), "truncated to \(cut)") }
            rejects(suite, name, good + [0], "trailing byte")
            var b = good; b[0] = 2; rejects(suite, name, b, "unknown version")
            b = good; b[0] = 0; rejects(suite, name, b, "version 0")
            b = good; b[1] ^= 0x40; rejects(suite, name, b, "other record type")
            b = good; b[2] = otherSuite; rejects(suite, name, b, "other suite")
            b = good; b[2] = 0xee; rejects(suite, name, b, "unknown suite")
        }
        // KeyPackage: hdr | id | t | sk | Y | PK
        let kp = try KeyPackageCodec.encode(try KeyGenCodecFixtures<C>.keyPackage())
        let sk = 7, Y = 7 + Ns, PK = 7 + Ns + Ne
        func patched(_ base: [UInt8], _ at: Int, _ with: [UInt8]) -> [UInt8] {
            var b = base; b.replaceSubrange(at..<(at + with.count), with: with); return b
        }
        rejects(suite, "keyPackage", patched(kp, 3, [0, 0]), "identifier 0")
        rejects(suite, "keyPackage", patched(kp, 5, [0, 1]), "threshold 1")
        rejects(suite, "keyPackage", patched(kp, 5, [0, 0]), "threshold 0")
        rejects(suite, "keyPackage", patched(kp, sk, badScalar), "non-canonical share")
        rejects(suite, "keyPackage", patched(kp, sk, [UInt8](repeating: 0, count: Ns)), "zero share")
        rejects(suite, "keyPackage", patched(kp, Y, badPoint), "invalid verifying share")
        rejects(suite, "keyPackage", patched(kp, PK, badPoint), "invalid group key")
        rejects(suite, "keyPackage", patched(kp, Y, try C.Element.baseMultiply(C.Scalar(99)).serialized()),
                "verifying share not sk·G")
        rejects(suite, "keyPackage", patched(kp, sk, C.Scalar(99).bytes), "share changed under its verifying share")
        // PublicKeyPackage: hdr | t | PK | n | (id | Y)*; entries at 5 + Ne + 2.
        let pkp = try KeyPackageCodec.encode(try KeyGenCodecFixtures<C>.publicKeyPackage())
        let first = 5 + Ne + 2, entry = 2 + Ne
        rejects(suite, "publicKeyPackage", patched(pkp, first, [0, 0]), "identifier 0")
        rejects(suite, "publicKeyPackage", patched(pkp, first + entry, [0, 1]), "duplicate identifier")
        rejects(suite, "publicKeyPackage", patched(pkp, first, [0, 9]), "identifiers out of order")
        rejects(suite, "publicKeyPackage", patched(pkp, 3, [0, 4]), "threshold above the participant count")
        rejects(suite, "publicKeyPackage", patched(pkp, 3, [0, 1]), "threshold 1")
        rejects(suite, "publicKeyPackage", patched(pkp, 5 + Ne, [0, 4]), "count larger than the entries")
        rejects(suite, "publicKeyPackage", patched(pkp, first + 2, badPoint), "invalid verifying share")
        rejects(suite, "publicKeyPackage", patched(pkp, 5, badPoint), "invalid group key")
        let offCurve = try C.Element.baseMultiply(C.Scalar(93)).serialized()   // f(5) = 92
        rejects(suite, "publicKeyPackage", patched(pkp, first + 2 * entry + 2, offCurve), "share not on the polynomial")
        rejects(suite, "publicKeyPackage", patched(pkp, 5, try C.Element.baseMultiply(C.Scalar(43)).serialized()),
                "group key not on the polynomial")
        #expect(KeyPackageCodec.isConsistent(try KeyGenCodecFixtures<C>.publicKeyPackage()))
        // Round 1: hdr | t | φ* | proof.
        let r1 = try KeyGenCodecFixtures<C>.round1().serialized()
        rejects(suite, "round1", patched(r1, 3, [0, 0]), "empty commitment")
        rejects(suite, "round1", patched(r1, 3, [0, 3]), "t larger than the entries")
        rejects(suite, "round1", patched(r1, 3, [0, 1]), "t smaller than the entries (trailing)")
        rejects(suite, "round1", patched(r1, 5, badPoint), "invalid commitment entry")
        rejects(suite, "round1", patched(r1, r1.count - Ns, badScalar), "non-canonical μ")
        let rAt = 5 + 2 * Ne
        if DKGSuiteRules<C>.isTaproot {
            rejects(suite, "round1", patched(r1, rAt, [UInt8](repeating: 0xff, count: 32)), "R.x ≥ p")
        } else {
            rejects(suite, "round1", patched(r1, rAt, badPoint), "invalid R")
        }
        if C.Element.byteCount == 32 {
            let identity = [1] + [UInt8](repeating: 0, count: 31)
            rejects(suite, "round1", patched(r1, 5, identity), "identity in the commitment")
            rejects(suite, "round1", patched(r1, rAt, identity), "identity R")
            // A small-order point (order 2: y = −1).
            let order2: [UInt8] = [0xec] + [UInt8](repeating: 0xff, count: 30) + [0x7f]
            rejects(suite, "round1", patched(r1, 5, order2), "small-order point")
        }
        // Round 2: hdr | share.
        let r2 = KeyGenCodecFixtures<C>.round2().serialized()
        rejects(suite, "round2", patched(r2, 3, [UInt8](repeating: 0, count: Ns)), "zero share")
        rejects(suite, "round2", patched(r2, 3, badScalar), "non-canonical share")
        // A decoding failure names the sender when it is known.
        let sender = try ParticipantID(4)
        do { _ = try DKGRound2Package<C>(serialized: patched(r2, 3, badScalar), from: sender); Issue.record("accepted") }
        catch { #expect(error.culprits == [sender]) }
        do { _ = try DKGRound1Package<C>(serialized: patched(r1, 5, badPoint), from: sender); Issue.record("accepted") }
        catch { #expect(error.culprits == [sender]) }
        // Dealer share: hdr | id | s | t | φ*.
        let ds = try KeyGenCodecFixtures<C>.dealerShare().serialized()
        rejects(suite, "dealerShare", patched(ds, 3, [0, 0]), "identifier 0")
        rejects(suite, "dealerShare", patched(ds, 5, [UInt8](repeating: 0, count: Ns)), "zero share")
        rejects(suite, "dealerShare", patched(ds, 5 + Ns, [0, 1]), "threshold 1")
    }

    @Test func encodingRefusesWhatItCouldNotDecode() throws {
        typealias C = FROSTSecp256k1
        let kp = KeyPackage<C>(identifier: try ParticipantID(1), signingShare: .one, verifyingShare: .generator,
                               groupPublicKey: .identity, minSigners: 2)
        #expect(throws: FROSTError.self) { try KeyPackageCodec.encode(kp) }
        let low = KeyPackage<C>(identifier: try ParticipantID(1), signingShare: .one, verifyingShare: .generator,
                                groupPublicKey: .generator, minSigners: 1)
        #expect(throws: FROSTError.self) { try KeyPackageCodec.encode(low) }
    }

    @Test func dkgOutputsRoundTrip() throws {
        typealias C = FROSTSecp256k1Taproot
        let results = try DKGSimulation<C>().run(n: 5, t: 3, seed: 11)
        for out in results.values.compactMap(\.dkgOutput) {
            let kp = try KeyPackageCodec.decodeKeyPackage(try KeyPackageCodec.encode(out.keyPackage), as: C.self)
            #expect(kp.signingShare == out.keyPackage.signingShare && kp.groupPublicKey == out.keyPackage.groupPublicKey)
            let pkp = try KeyPackageCodec.decodePublicKeyPackage(try KeyPackageCodec.encode(out.publicKeyPackage), as: C.self)
            #expect(pkp.verifyingShares == out.publicKeyPackage.verifyingShares)
            #expect(try KeyPackageCodec.encode(pkp) == KeyPackageCodec.encode(out.publicKeyPackage))
        }
    }
}
