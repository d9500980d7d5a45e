import Testing
@testable import Protocols

/// Trusted-dealer split of an imported key (RFC 9591 Appendix C).
@Suite struct DealerTests {
    @Test(arguments: KeyGenSuite.allCases)
    func splitInterpolatesBackToTheSecret(suite: KeyGenSuite) throws {
        switch suite {
        case .ed25519: try split(FROSTEd25519.self)
        case .secp256k1: try split(FROSTSecp256k1.self)
        case .taproot: try split(FROSTSecp256k1Taproot.self)
        }
    }

    func split<C: FROSTCiphersuite>(_: C.Type) throws {
        var rng = SeededRandom(seed: 21)
        for (t, n) in [(2, 3), (3, 5), (10, 15)] {
            let secret = C.Scalar.random(using: &rng)
            let params = try KeyGenParameters(count: n, threshold: t)
            let out = try TrustedDealer<C>.split(secret: secret, parameters: params, using: &rng)
            #expect(out.shares.map(\.identifier) == params.participants)
            #expect(out.commitment.threshold == t)
            // The imported key is kept as it is, for every suite (no Taproot tweak on import).
            #expect(out.publicKeyPackage.groupPublicKey == C.Element.baseMultiply(secret))
            #expect(out.publicKeyPackage.minSigners == t)
            var points: [(id: ParticipantID, value: C.Scalar)] = []
            for share in out.shares {
                let kp = try share.verify()   // vss_verify by each participant
                #expect(kp.groupPublicKey == out.publicKeyPackage.groupPublicKey)
                #expect(kp.verifyingShare == out.publicKeyPackage.verifyingShares[share.identifier])
                #expect(kp.minSigners == t)
                points.append((kp.identifier, kp.signingShareScalar()))
            }
            for subset in [Array(points.prefix(t)), Array(points.suffix(t))] {
                #expect(try Polynomial.interpolateAtZero(subset) == secret)
            }
            #expect(try Polynomial.interpolateAtZero(Array(points.prefix(t - 1))) != secret)
        }
        // From encoded bytes, as an import would give them.
        let s = C.Scalar(123_456_789)
        let out = try TrustedDealer<C>.split(secretKey: SecretBytes(s.bytes),
                                             parameters: try KeyGenParameters(count: 3, threshold: 2), using: &rng)
        #expect(out.publicKeyPackage.groupPublicKey == C.Element.baseMultiply(s))
    }

    @Test(arguments: [[2, 4, 6], [2, 5, 9, 40], [1, 2, 3, 4, 5, 6, 7], [65_535, 1, 30_000]])
    func verifyingSharesForAnyIdentifierSet(ids: [Int]) throws {
        typealias C = FROSTEd25519
        var rng = SeededRandom(seed: UInt64(ids.reduce(0, +)))
        let params = try KeyGenParameters(participants: ids.map { try ParticipantID(UInt16($0)) }, threshold: 3)
        let out = try TrustedDealer<C>.generate(parameters: params, using: &rng)
        #expect(out.publicKeyPackage.verifyingShares.count == ids.count)
        for share in out.shares {
            let kp = try share.verify()
            #expect(out.publicKeyPackage.verifyingShares[kp.identifier] == kp.verifyingShare)
        }
        #expect(KeyPackageCodec.isConsistent(out.publicKeyPackage))
    }

    @Test func rejectsBadInputs() throws {
        typealias C = FROSTEd25519
        var rng = SeededRandom(seed: 22)
        let params = try KeyGenParameters(count: 3, threshold: 2)
        #expect(throws: FROSTError.self) { try TrustedDealer<C>.split(secret: .zero, parameters: params, using: &rng) }
        #expect(throws: FROSTError.self) {
            try TrustedDealer<C>.split(secretKey: SecretBytes([UInt8](repeating: 0, count: 32)), parameters: params, using: &rng)
        }
        #expect(throws: FROSTError.self) {   // ≥ ℓ
            try TrustedDealer<C>.split(secretKey: SecretBytes([UInt8](repeating: 0xff, count: 32)), parameters: params, using: &rng)
        }
        #expect(throws: FROSTError.self) {   // wrong length
            try TrustedDealer<C>.split(secretKey: SecretBytes([1, 2, 3]), parameters: params, using: &rng)
        }
        // t < 2, t > n, n > 65535 are refused by the parameters.
        #expect(throws: FROSTError.self) { try KeyGenParameters(count: 5, threshold: 1) }
        #expect(throws: FROSTError.self) { try KeyGenParameters(count: 5, threshold: 6) }
        #expect(throws: FROSTError.self) { try KeyGenParameters(count: 65_536, threshold: 2) }
    }

    @Test func tamperedShareOrCommitmentFailsVerification() throws {
        typealias C = FROSTSecp256k1
        var rng = SeededRandom(seed: 23)
        let out = try TrustedDealer<C>.generate(parameters: try KeyGenParameters(count: 4, threshold: 3), using: &rng)
        let share = try #require(out.shares.first)
        let bumped = DealerShare<C>(identifier: share.identifier, share: share.shareScalar() + .one, commitment: share.commitment)
        #expect(throws: FROSTError.self) { try bumped.verify() }
        // The right share under another identifier.
        let moved = DealerShare<C>(identifier: try ParticipantID(9), share: share.shareScalar(), commitment: share.commitment)
        #expect(throws: FROSTError.self) { try moved.verify() }
        // A commitment with a changed entry.
        var phis = share.commitment.coefficients
        phis[2] = phis[2] + .generator
        let forged = DealerShare<C>(identifier: share.identifier, share: share.shareScalar(), commitment: try VSSCommitment(phis))
        #expect(throws: FROSTError.self) { try forged.verify() }
        #expect(throws: CurveError.self) { try VSSCommitment<Secp256k1Point>([.generator, .identity]) }
        #expect(throws: CurveError.self) { try VSSCommitment<Secp256k1Point>([]) }
        // Through the wire.
        let decoded = try DealerShare<C>(serialized: try share.serialized())
        #expect(try decoded.verify().signingShare == share.verify().signingShare)
    }

    @Test func polynomialHelpers() throws {
        typealias S = Secp256k1Scalar
        // f(x) = 3 + 5x + 7x², evaluated by Horner.
        let f: [S] = [S(3), S(5), S(7)]
        #expect(Polynomial.evaluate(f, at: S(2)) == S(3 + 10 + 28))
        #expect(Polynomial.evaluate(f, at: S(0)) == S(3))
        let ids = try [1, 2, 4].map { try ParticipantID(UInt16($0)) }
        let points = ids.map { (id: $0, value: Polynomial.evaluate(f, at: $0.scalar() as S)) }
        #expect(try Polynomial.interpolateAtZero(points) == S(3))
        // Σ λ_i = 1 (interpolating the constant polynomial 1).
        var sum = S.zero
        for id in ids { sum = sum + (try Polynomial.lagrangeCoefficientAtZero(for: id, in: ids, as: S.self)) }
        #expect(sum == .one)
        #expect(throws: FROSTError.self) { try Polynomial.lagrangeCoefficientAtZero(for: try ParticipantID(3), in: ids, as: S.self) }
        #expect(throws: FROSTError.self) { try Polynomial.lagrangeCoefficientAtZero(for: ids[0], in: ids + [ids[0]], as: S.self) }
        // Feldman: share·G == Σ φ_k·i^k.
        let commitment = try VSSCommitment<Secp256k1Point>(Polynomial.commit(f))
        for p in points { #expect(commitment.verify(share: p.value, for: p.id)) }
        #expect(!commitment.verify(share: points[0].value + .one, for: points[0].id))
    }
}
