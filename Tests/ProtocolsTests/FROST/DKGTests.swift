import Testing
@testable import Protocols

/// Pedersen DKG with proofs of knowledge: honest runs (seeded property tests) on every suite.
@Suite struct DKGTests {
    static let shapes: [(t: Int, n: Int)] = [(2, 3), (3, 5), (4, 7), (10, 15)]

    @Test(arguments: KeyGenSuite.allCases)
    func honestRunsAgreeAndInterpolate(suite: KeyGenSuite) throws {
        switch suite {
        case .ed25519: try honestRuns(FROSTEd25519.self)
        case .secp256k1: try honestRuns(FROSTSecp256k1.self)
        case .taproot: try honestRuns(FROSTSecp256k1Taproot.self)
        }
    }

    func honestRuns<C: FROSTCiphersuite>(_: C.Type) throws {
        for (index, shape) in Self.shapes.enumerated() {
            let results = try DKGSimulation<C>().run(n: shape.n, t: shape.t, seed: 100 + UInt64(index))
            let outputs = results.values.compactMap(\.dkgOutput)
            try #require(outputs.count == shape.n, "every party finishes: \(results.values.compactMap(\.dkgError))")
            let reference = try #require(outputs.first).publicKeyPackage
            #expect(reference.verifyingShares.count == shape.n)
            #expect(reference.minSigners == shape.t)
            for out in outputs {
                // The same group key and public key package everywhere.
                #expect(out.publicKeyPackage.groupPublicKey == reference.groupPublicKey)
                #expect(out.publicKeyPackage.verifyingShares == reference.verifyingShares)
                #expect(out.publicKeyPackage.minSigners == shape.t)
                #expect(out.commitmentDigest == outputs[0].commitmentDigest)
                #expect(out.commitmentDigest.count == 32)
                let kp = out.keyPackage
                #expect(kp.groupPublicKey == reference.groupPublicKey)
                #expect(kp.minSigners == shape.t)
                #expect(kp.verifyingShare == C.Element.baseMultiply(kp.signingShareScalar()))
                #expect(reference.verifyingShares[kp.identifier] == kp.verifyingShare)
            }
            // Several t-subsets interpolate to the same secret x with x·G = PK; t−1 shares do not.
            let shares = outputs.map { (id: $0.keyPackage.identifier, value: $0.keyPackage.signingShareScalar()) }
                .sorted { $0.id < $1.id }
            let subsets = [Array(shares.prefix(shape.t)), Array(shares.suffix(shape.t)),
                           stride(from: 0, to: shares.count, by: 2).map { shares[$0] }.prefix(shape.t).map { $0 }]
            var secrets: [C.Scalar] = []
            for subset in subsets where subset.count == shape.t {
                let x: C.Scalar = try Polynomial.interpolateAtZero(subset)
                #expect(C.Element.baseMultiply(x) == reference.groupPublicKey)
                secrets.append(x)
            }
            #expect(secrets.count >= 2)
            #expect(Set(secrets.map(\.bytes)).count == 1)
            let tooFew: C.Scalar = try Polynomial.interpolateAtZero(Array(shares.prefix(shape.t - 1)))
            #expect(C.Element.baseMultiply(tooFew) != reference.groupPublicKey)
        }
    }

    /// post_dkg: Q = P + H_TapTweak(x(P))·G with P the even-y sum of the φ_{ℓ0}; other suites have no internal key.
    @Test func taprootOutputKeyIsTheTweakedEvenInternalKey() throws {
        var sawOdd = false
        for seed in UInt64(1)...8 {
            let results = try DKGSimulation<FROSTSecp256k1Taproot>().run(n: 3, t: 2, seed: seed)
            let out = try #require(results[try ParticipantID(1)]?.dkgOutput)
            let P = try #require(out.taprootInternalKey)
            #expect(try P.hasEvenY())
            let t = Secp256k1Scalar(reducing32: Hash.taggedSHA256(tag: "TapTweak", [try P.xOnly()]))
            #expect(out.publicKeyPackage.groupPublicKey == P + Secp256k1Point.baseMultiply(t))
            if !(try out.publicKeyPackage.groupPublicKey.hasEvenY()) { sawOdd = true }
        }
        #expect(sawOdd)   // the output key itself is not normalised (as in the reference vectors: 03…)
        let plain = try DKGSimulation<FROSTSecp256k1>().run(n: 3, t: 2, seed: 1)
        #expect(plain[try ParticipantID(1)]?.dkgOutput?.taprootInternalKey == nil)
    }

    @Test func dkgParametersAreValidated() throws {
        #expect(throws: FROSTError.self) { try ParticipantID(0) }
        #expect(throws: FROSTError.self) { try KeyGenParameters(count: 3, threshold: 1) }
        #expect(throws: FROSTError.self) { try KeyGenParameters(count: 3, threshold: 4) }
        #expect(throws: FROSTError.self) { try KeyGenParameters(count: 1, threshold: 1) }
        #expect(throws: FROSTError.self) { try KeyGenParameters(count: 65536, threshold: 2) }
        let one = try ParticipantID(1), two = try ParticipantID(2)
        #expect(throws: FROSTError.self) { try KeyGenParameters(participants: [one, two, two], threshold: 2) }
        let ok = try KeyGenParameters(participants: [two, one, try ParticipantID(9)], threshold: 2)
        #expect(ok.participants.map(\.value) == [1, 2, 9])
        // A participant outside the set cannot start.
        var rng = SeededRandom(seed: 1)
        #expect(throws: FROSTError.self) {
            _ = try DKG<FROSTEd25519>.round1(identifier: try ParticipantID(5), parameters: ok, using: &rng)
        }
    }

    @Test func nonConsecutiveIdentifiersWork() throws {
        typealias C = FROSTSecp256k1
        let ids = try [7, 300, 65535].map { try ParticipantID(UInt16($0)) }
        let params = try KeyGenParameters(participants: ids, threshold: 2)
        var rng = SeededRandom(seed: 5)
        var packages: [ParticipantID: DKGRound1Package<C>] = [:]
        var slots: [ParticipantID: DKGSlot<DKGRound1State<C>>] = [:]
        for id in ids {
            let step = try DKG<C>.round1(identifier: id, parameters: params, using: &rng)
            packages[id] = step.package
            slots[id] = DKGSlot(step.state)
        }
        var sent: [ParticipantID: [ParticipantID: DKGRound2Package<C>]] = [:]
        var slots2: [ParticipantID: DKGSlot<DKGRound2State<C>>] = [:]
        for id in ids {
            let inbox = ids.filter { $0 != id }.map { (from: $0, package: packages[$0]!) }
            guard let state = slots[id]?.take() else { Issue.record("no state"); return }
            let step = try state.round2(inbox)
            sent[id] = step.packages
            slots2[id] = DKGSlot(step.state)
        }
        var keys: [C.Element] = []
        var shares: [(id: ParticipantID, value: C.Scalar)] = []
        for id in ids {
            let inbox = ids.filter { $0 != id }.map { (from: $0, package: sent[$0]![id]!) }
            guard let state = slots2[id]?.take() else { Issue.record("no state"); return }
            let out = try state.finalize(inbox)
            keys.append(out.publicKeyPackage.groupPublicKey)
            shares.append((id, out.keyPackage.signingShareScalar()))
        }
        #expect(Set(try keys.map { try $0.serialized() }).count == 1)
        let x: C.Scalar = try Polynomial.interpolateAtZero(Array(shares.suffix(2)))
        #expect(C.Element.baseMultiply(x) == keys[0])
    }
}
