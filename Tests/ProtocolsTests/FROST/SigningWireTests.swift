import Testing
@testable import Protocols

/// Golden hex snapshots: the wire encodings never change by accident. Inputs are the RFC 9591 vectors'
/// values (round one commitments of participants 1 and 3, message "test", their shares, final signature).
@Suite struct SigningWireTests {
    static func id(_ v: UInt16) -> ParticipantID { try! ParticipantID(v) }

    static func build<C: FROSTCiphersuite>(_: C.Type, d1: String, e1: String, d3: String, e3: String, z1: String, sig: String,
                                           tweak: TaprootTweak = .untweaked) throws
        -> (SigningCommitments<C>, SigningPackage<C>, SignatureShare<C>, Signature<C>)
    {
        let c1 = try SigningCommitments<C>(identifier: id(1), hiding: C.Element(serialized: Hex.decode(d1)!),
                                           binding: C.Element(serialized: Hex.decode(e1)!))
        let c3 = try SigningCommitments<C>(identifier: id(3), hiding: C.Element(serialized: Hex.decode(d3)!),
                                           binding: C.Element(serialized: Hex.decode(e3)!))
        let package = try SigningPackage<C>(commitments: [c3, c1], message: Array("test".utf8), tweak: tweak)
        let share = SignatureShare<C>(identifier: id(1), share: try C.Scalar(canonical: Hex.decode(z1)!))
        let signature = try Signature<C>(bytes: Hex.decode(sig)!)
        return (c1, package, share, signature)
    }

    static func roundTrip<C: FROSTCiphersuite>(_ v: (SigningCommitments<C>, SigningPackage<C>, SignatureShare<C>, Signature<C>)) throws {
        #expect(try SigningCommitments<C>(wire: v.0.serialize()) == v.0)
        #expect(try SigningPackage<C>(wire: v.1.serialize()) == v.1)
        #expect(try SignatureShare<C>(wire: v.2.serialize()) == v.2)
        #expect(try Signature<C>(wire: v.3.serialize()) == v.3)
    }

    /// Version 2, and each commitment followed by its subgroup certificates [8⁻¹ mod ℓ]D, [8⁻¹ mod ℓ]E (the
    /// certificate bytes checked independently with PyNaCl's crypto_scalarmult_ed25519_noclamp: [8]Q = D).
    @Test func ed25519Golden() throws {
        let v = try Self.build(FROSTEd25519.self,
            d1: "b5aa8ab305882a6fc69cbee9327e5a45e54c08af61ae77cb8207be3d2ce13de3",
            e1: "67e98ab55aa310c3120418e5050c9cf76cf387cb20ac9e4b6fdb6f82a469f932",
            d3: "cfbdb165bd8aad6eb79deb8d287bcc0ab6658ae57fdcc98ed12c0669e90aec91",
            e3: "7487bc41a6e712eea2f2af24681b58b1cf1da278ea11fe4e8b78398965f13552",
            z1: "001719ab5a53ee1a12095cd088fd149702c0720ce5fd2f29dbecf24b7281b603",
            sig: "36282629c383bb820a88b71cae937d41f2f2adfcc3d02e55507e2fb9e2dd3cbebd9d2b0844e49ae0f3fa935161e1419aab7b47d21a37ebeae1f17d4987b3160b")
        try Self.roundTrip(v)
        #expect(Hex.encode(v.0.serialize()) == "0201010001b5aa8ab305882a6fc69cbee9327e5a45e54c08af61ae77cb8207be3d2ce13de367e98ab55aa310c3120418e5050c9cf76cf387cb20ac9e4b6fdb6f82a469f932497f2468e37c4f1a45482a1daebfdce705a03ea0cd27edffeed8abbfd5f905a4fa670757733a5e30706ebe020341234ce04df347db67a90602e7510239dafa07")
        #expect(Hex.encode(v.1.serialize()) == "0201020000020001b5aa8ab305882a6fc69cbee9327e5a45e54c08af61ae77cb8207be3d2ce13de367e98ab55aa310c3120418e5050c9cf76cf387cb20ac9e4b6fdb6f82a469f932497f2468e37c4f1a45482a1daebfdce705a03ea0cd27edffeed8abbfd5f905a4fa670757733a5e30706ebe020341234ce04df347db67a90602e7510239dafa070003cfbdb165bd8aad6eb79deb8d287bcc0ab6658ae57fdcc98ed12c0669e90aec917487bc41a6e712eea2f2af24681b58b1cf1da278ea11fe4e8b78398965f135527a920053ecc3e9cbf313bd9157654090c8b85d5d5408f1290d25e6f1b75e553860e03a17afc2718d16676a724e05e9c80f919f5dbac0ca0a0408d367eb6e41da0000000474657374")
        #expect(Hex.encode(v.2.serialize()) == "0201030001001719ab5a53ee1a12095cd088fd149702c0720ce5fd2f29dbecf24b7281b603")
        #expect(Hex.encode(try v.3.serialize()) == "02010436282629c383bb820a88b71cae937d41f2f2adfcc3d02e55507e2fb9e2dd3cbebd9d2b0844e49ae0f3fa935161e1419aab7b47d21a37ebeae1f17d4987b3160b")
    }

    @Test func secp256k1Golden() throws {
        let v = try Self.build(FROSTSecp256k1.self,
            d1: "03c699af97d26bb4d3f05232ec5e1938c12f1e6ae97643c8f8f11c9820303f1904",
            e1: "02fa2aaccd51b948c9dc1a325d77226e98a5a3fe65fe9ba213761a60123040a45e",
            d3: "03077507ba327fc074d2793955ef3410ee3f03b82b4cdc2370f71d865beb926ef6",
            e3: "02ad53031ddfbbacfc5fbda3d3b0c2445c8e3e99cbc4ca2db2aa283fa68525b135",
            z1: "c4fce1775a1e141fb579944166eab0d65eefe7b98d480a569bbbfcb14f91c197",
            sig: "0205b6d04d3774c8929413e3c76024d54149c372d57aae62574ed74319b5ea14d0c65dde8492a7471437e6c2fe3da49b90d23f642b5c6dbe7e36089f096dd97324")
        try Self.roundTrip(v)
        #expect(Hex.encode(v.0.serialize()) == "010201000103c699af97d26bb4d3f05232ec5e1938c12f1e6ae97643c8f8f11c9820303f190402fa2aaccd51b948c9dc1a325d77226e98a5a3fe65fe9ba213761a60123040a45e")
        #expect(Hex.encode(v.1.serialize()) == "010202000002000103c699af97d26bb4d3f05232ec5e1938c12f1e6ae97643c8f8f11c9820303f190402fa2aaccd51b948c9dc1a325d77226e98a5a3fe65fe9ba213761a60123040a45e000303077507ba327fc074d2793955ef3410ee3f03b82b4cdc2370f71d865beb926ef602ad53031ddfbbacfc5fbda3d3b0c2445c8e3e99cbc4ca2db2aa283fa68525b1350000000474657374")
        #expect(Hex.encode(v.2.serialize()) == "0102030001c4fce1775a1e141fb579944166eab0d65eefe7b98d480a569bbbfcb14f91c197")
        #expect(Hex.encode(try v.3.serialize()) == "0102040205b6d04d3774c8929413e3c76024d54149c372d57aae62574ed74319b5ea14d0c65dde8492a7471437e6c2fe3da49b90d23f642b5c6dbe7e36089f096dd97324")
    }

    @Test func taprootGolden() throws {
        let v = try Self.build(FROSTSecp256k1Taproot.self,
            d1: "024e34ab3a7ad6b4563dbfe97e9f1206b3378cceb2502491ed0fb709765e1e5ba8",
            e1: "03d4b1f3a61dc67e64dfb4abfccabb712f1f6914a6ec9b67749d171370453192cb",
            d3: "02d768658a1b94225645401a1512b803657770c7a21bf9ccccccfa09930a44951b",
            e3: "034570a4e5217ee8770a28401185f50b4fce4d3f3933a3af9df7ab39b42381d0eb",
            z1: "2ffc305d1694fd84108b84d98306a1af807c6ad9bc3a2d8e448a09643202a15b",
            sig: "0c776a9516a77808b70a31e74f1464814a6fcf897fb3a6bd84c7a9a9a7a5bcb8d8bfc2b385379c093bcc0579abc5f6f696e8f2c0c01f28ff7b5ef55397fc3c9a",
            tweak: .scriptTree(merkleRoot: [UInt8](repeating: 0xab, count: 32)))
        try Self.roundTrip(v)
        #expect(Hex.encode(v.0.serialize()) == "0103010001024e34ab3a7ad6b4563dbfe97e9f1206b3378cceb2502491ed0fb709765e1e5ba803d4b1f3a61dc67e64dfb4abfccabb712f1f6914a6ec9b67749d171370453192cb")
        #expect(Hex.encode(v.1.serialize()) == "01030202abababababababababababababababababababababababababababababababab00020001024e34ab3a7ad6b4563dbfe97e9f1206b3378cceb2502491ed0fb709765e1e5ba803d4b1f3a61dc67e64dfb4abfccabb712f1f6914a6ec9b67749d171370453192cb000302d768658a1b94225645401a1512b803657770c7a21bf9ccccccfa09930a44951b034570a4e5217ee8770a28401185f50b4fce4d3f3933a3af9df7ab39b42381d0eb0000000474657374")
        #expect(Hex.encode(v.2.serialize()) == "01030300012ffc305d1694fd84108b84d98306a1af807c6ad9bc3a2d8e448a09643202a15b")
        #expect(Hex.encode(try v.3.serialize()) == "0103040c776a9516a77808b70a31e74f1464814a6fcf897fb3a6bd84c7a9a9a7a5bcb8d8bfc2b385379c093bcc0579abc5f6f696e8f2c0c01f28ff7b5ef55397fc3c9a")
    }

    /// A whole signing in which every message crosses the wire as bytes (encode, then decode on receipt).
    @Test(arguments: SigningSuite.allCases)
    func wholeSigningOverTheWire(suite: SigningSuite) throws {
        switch suite {
        case .ed25519: try Self.overTheWire(FROSTEd25519.self, tweak: .untweaked)
        case .secp256k1: try Self.overTheWire(FROSTSecp256k1.self, tweak: .untweaked)
        case .taproot: try Self.overTheWire(FROSTSecp256k1Taproot.self, tweak: .keyPathOnly)
        }
    }

    static func overTheWire<C: FROSTCiphersuite>(_: C.Type, tweak: TaprootTweak) throws {
        var rng = SeededRandom(seed: 4242)
        let keys = SigningTestDealer<C>.split(t: 3, n: 4, rng: &rng)
        let signers = [id(1), id(3), id(4)]
        let message = Array("over the wire".utf8)
        let coordinator = try SigningCoordinator<C>(publicKeyPackage: keys.publicKeyPackage, signers: signers, message: message, tweak: tweak)
        let sessions = signers.map { SignerSession<C>(keyPackage: keys.packages[$0]!) }
        var packageBytes: [UInt8]?
        for s in sessions {
            let wire = try s.round1(using: &rng).serialize()
            if case .sendSigningPackage(let p) = try coordinator.receive(try SigningCommitments<C>(wire: wire)) {
                packageBytes = p.serialize()
            }
        }
        let received = try SigningPackage<C>(wire: try #require(packageBytes))
        var signatureBytes: [UInt8]?
        for s in sessions {
            let wire = try s.round2(received).serialize()
            if case .finished(let sig) = try coordinator.receive(try SignatureShare<C>(wire: wire)) {
                signatureBytes = try sig.serialize()
            }
        }
        let signature = try Signature<C>(wire: try #require(signatureBytes))
        #expect(FROSTSigning<C>.verify(signature: signature, groupPublicKey: try coordinator.verifyingKey(), message: message))
    }
}

/// A signer finds its own commitments in a package without decoding points, and decoding a package with its
/// own commitments known gives the same package; commitments that differ from the known ones are decoded
/// and validated as any other.
@Suite struct SigningPackageOwnCommitmentTests {
    @Test func ownCommitmentsAreFoundAndKnownOnesSkipOnlyTheirExactBytes() throws {
        var rng = SeededRandom(seed: 9591)
        func commitments(_ id: UInt16) throws -> SigningCommitments<FROSTEd25519> {
            try SigningCommitments(identifier: try ParticipantID(id), hiding: .baseMultiply(.random(using: &rng)),
                                   binding: .baseMultiply(.random(using: &rng)))
        }
        let c1 = try commitments(1), c2 = try commitments(2), c4 = try commitments(4)
        let package = try SigningPackage<FROSTEd25519>(commitments: [c4, c1, c2], message: Array("m".utf8))
        let wire = package.serialize()
        for c in [c1, c2, c4] {
            #expect(SigningPackage<FROSTEd25519>.encodedCommitments(of: c.identifier, inWire: wire) == c.serialize())
        }
        #expect(SigningPackage<FROSTEd25519>.encodedCommitments(of: try ParticipantID(3), inWire: wire) == nil)
        #expect(SigningPackage<FROSTEd25519>.encodedCommitments(of: try ParticipantID(1), inWire: Array(wire.prefix(20))) == nil)
        #expect(SigningPackage<FROSTEd25519>.encodedCommitments(of: try ParticipantID(1), inWire: c1.serialize()) == nil)
        #expect(try SigningPackage<FROSTEd25519>(wire: wire, known: c2) == package)
        // known commitments of participant 2 that the package does not carry: the package's own are decoded
        let other = try commitments(2)
        #expect(try SigningPackage<FROSTEd25519>(wire: wire, known: other) == package)
        // a torsion point in another participant's commitment is still refused with the known one present
        var bad = wire
        let offset = 3 + 1 + 2 + (2 + 64 + 64) * 2 + 2    // participant 4's hiding commitment (bodies carry certificates)
        let order2: [UInt8] = [0xec] + [UInt8](repeating: 0xff, count: 30) + [0x7f]
        bad.replaceSubrange(offset..<offset + 32, with: order2)
        #expect(throws: FROSTError.self) { try SigningPackage<FROSTEd25519>(wire: bad, known: c1) }
    }
}
