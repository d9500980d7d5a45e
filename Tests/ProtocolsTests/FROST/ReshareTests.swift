import Testing
@testable import Protocols

/// Resharing (SECURITY-CHECKLIST 22-23): new members and a new threshold, the same group key; every t_new
/// subset of the new committee signs under it (checked by libsodium / libsecp256k1 where the suite has an
/// independent verifier); old shares do not combine with new ones; cheating dealers are named.
@Suite struct ReshareTests {
    typealias Ids = ReshareTestKeys

    static func verifyExternally<C: FROSTCiphersuite>(_ sig: Signature<C>, key: C.Element, message: [UInt8]) throws -> Bool {
        if C.self == FROSTEd25519.self { return SigningExternalVerify.ed25519(try sig.bytes(), try key.serialized(), message) }
        if C.isBIP340 { return SigningExternalVerify.bip340(try sig.bytes(), xOnly: Array(try key.serialized().dropFirst()), message) }
        return true   // FROST(secp256k1, SHA-256) has no external verifier; SigningCoordinator verified it
    }

    /// Reshares (t_old of n_old, dealers) to (members, t_new) and checks every t_new subset signs under the old key.
    static func reshareAndSign<C: FROSTCiphersuite>(_: C.Type, tOld: Int, nOld: Int, dealers: [UInt16], members: [UInt16],
                                                   tNew: Int, seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        let old = SigningTestDealer<C>.split(t: tOld, n: nOld, rng: &rng)
        let out = try ReshareSimulation<C>().run(old: old.packages, oldPublicKeyPackage: old.publicKeyPackage,
                                                 dealers: Ids.ids(dealers), members: Ids.ids(members), threshold: tNew, seed: seed + 1)
        #expect(out.count == members.count)
        let keys = try ReshareTestKeys.keys(out)
        let digests = Set(try out.values.map { try $0.get().commitmentDigest })
        #expect(digests.count == 1, "every member computed the same digest")
        #expect(keys.publicKeyPackage.groupPublicKey == old.publicKeyPackage.groupPublicKey)
        #expect(keys.publicKeyPackage.minSigners == tNew)
        #expect(Set(keys.publicKeyPackage.verifyingShares.keys) == Set(Ids.ids(members)))
        // The new shares interpolate to the old secret (test-only reconstruction).
        let pts = keys.ids.prefix(tNew).map { (id: $0, value: keys.packages[$0]!.signingShareScalar()) }
        #expect(try Polynomial.interpolateAtZero(Array(pts)) == old.secret)
        var subsetRng = SeededRandom(seed: seed + 2)
        for (k, subset) in signingSubsets(keys.ids, tNew, limit: 12, rng: &subsetRng).enumerated() {
            let message = Hash.sha256(Array("reshare \(k)".utf8))
            let (sig, vk) = try SigningTestRun<C>.run(keys: keys, signers: subset, message: message, rng: &rng)
            // BIP-340 keys are x-only: the verifying key is the even-y point with the group key's x.
            let same = C.isBIP340 ? try vk.serialized().dropFirst() == old.publicKeyPackage.groupPublicKey.serialized().dropFirst()
                                  : vk == old.publicKeyPackage.groupPublicKey
            #expect(same, "signing key is the old group key")
            #expect(try verifyExternally(sig, key: old.publicKeyPackage.groupPublicKey, message: message), "subset \(subset.map(\.value))")
        }
        // t_new − 1 new shares do not determine the secret.
        if tNew > 1 {
            let fewer = keys.ids.prefix(tNew - 1).map { (id: $0, value: keys.packages[$0]!.signingShareScalar()) }
            #expect(try Polynomial.interpolateAtZero(Array(fewer)) != old.secret)
        }
    }

    @Test(arguments: KeyGenSuite.allCases)
    func twoOfThreeToThreeOfFive(suite: KeyGenSuite) throws {
        switch suite {
        case .ed25519: try Self.reshareAndSign(FROSTEd25519.self, tOld: 2, nOld: 3, dealers: [1, 3], members: [1, 2, 3, 4, 5], tNew: 3, seed: 10)
        case .secp256k1: try Self.reshareAndSign(FROSTSecp256k1.self, tOld: 2, nOld: 3, dealers: [2, 3], members: [1, 2, 3, 4, 5], tNew: 3, seed: 11)
        case .taproot: try Self.reshareAndSign(FROSTSecp256k1Taproot.self, tOld: 2, nOld: 3, dealers: [1, 2], members: [1, 2, 3, 4, 5], tNew: 3, seed: 12)
        }
    }

    @Test(arguments: KeyGenSuite.allCases)
    func threeOfFiveToTwoOfThreeRemovingMembers(suite: KeyGenSuite) throws {
        // Old 1..5, dealers 2,4,5; new committee 1,3,5: members 2 and 4 are removed (after dealing).
        switch suite {
        case .ed25519: try Self.reshareAndSign(FROSTEd25519.self, tOld: 3, nOld: 5, dealers: [2, 4, 5], members: [1, 3, 5], tNew: 2, seed: 20)
        case .secp256k1: try Self.reshareAndSign(FROSTSecp256k1.self, tOld: 3, nOld: 5, dealers: [2, 4, 5], members: [1, 3, 5], tNew: 2, seed: 21)
        case .taproot: try Self.reshareAndSign(FROSTSecp256k1Taproot.self, tOld: 3, nOld: 5, dealers: [2, 4, 5], members: [1, 3, 5], tNew: 2, seed: 22)
        }
    }

    @Test(arguments: KeyGenSuite.allCases)
    func disjointCommittees(suite: KeyGenSuite) throws {
        switch suite {
        case .ed25519: try Self.reshareAndSign(FROSTEd25519.self, tOld: 2, nOld: 3, dealers: [1, 2, 3], members: [4, 5, 6, 7], tNew: 3, seed: 30)
        case .secp256k1: try Self.reshareAndSign(FROSTSecp256k1.self, tOld: 2, nOld: 3, dealers: [1, 3], members: [4, 5, 6, 7], tNew: 3, seed: 31)
        case .taproot: try Self.reshareAndSign(FROSTSecp256k1Taproot.self, tOld: 2, nOld: 3, dealers: [2, 3], members: [4, 5, 6, 7], tNew: 3, seed: 32)
        }
    }

    /// A Taproot wallet from the DKG holds the tweaked output key Q = P + H_TapTweak(P)·G; resharing the stored
    /// shares keeps Q, so the new committee signs for the same BIP-341 output key (libsecp256k1 verifies).
    @Test func taprootDKGWalletKeepsItsOutputKey() throws {
        typealias TR = FROSTSecp256k1Taproot
        let dkg = try DKGSimulation<TR>().run(n: 3, t: 2, seed: 99)
        var old: [ParticipantID: KeyPackage<TR>] = [:]
        for (id, r) in dkg { old[id] = try r.get().keyPackage }
        let first = try #require(dkg.values.first).get()
        let P = try #require(first.taprootInternalKey)
        let (_, qx, _) = try BIP341.outputKey(internalKey: P, merkleRoot: [])
        #expect(try first.publicKeyPackage.groupPublicKey.xOnly() == qx)
        let out = try ReshareSimulation<TR>().run(old: old, oldPublicKeyPackage: first.publicKeyPackage, dealers: Ids.ids([1, 3]),
                                                  members: Ids.ids([2, 3, 4, 5]), threshold: 3, seed: 98)
        let keys = try ReshareTestKeys.keys(out)
        var rng = SeededRandom(seed: 97)
        for subset in [[2, 3, 4], [3, 4, 5], [2, 4, 5]] as [[UInt16]] {
            let sighash = Hash.sha256(Array("taproot reshare \(subset)".utf8))
            let (sig, vk) = try SigningTestRun<TR>.run(keys: keys, signers: Ids.ids(subset), message: sighash, rng: &rng)
            #expect(try vk.xOnly() == qx)
            #expect(SigningExternalVerify.bip340(try sig.bytes(), xOnly: qx, sighash), "libsecp256k1: signature under the output key")
        }
    }

    /// A member's old share (generation 0) combined with new shares neither interpolates to the key nor signs.
    @Test func oldSharesDoNotCombineWithNewOnes() throws {
        typealias C = FROSTEd25519
        var rng = SeededRandom(seed: 40)
        let old = SigningTestDealer<C>.split(t: 2, n: 3, rng: &rng)
        let out = try ReshareSimulation<C>().run(old: old.packages, oldPublicKeyPackage: old.publicKeyPackage,
                                                 dealers: Ids.ids([1, 2]), members: Ids.ids([1, 2, 3]), threshold: 2, seed: 41)
        var keys = try ReshareTestKeys.keys(out)
        let one = try ParticipantID(1), two = try ParticipantID(2)
        #expect(try Polynomial.interpolateAtZero([(one, old.packages[one]!.signingShareScalar()),
                                                  (two, keys.packages[two]!.signingShareScalar())]) != old.secret)
        #expect(try Polynomial.interpolateAtZero([(one, keys.packages[one]!.signingShareScalar()),
                                                  (two, keys.packages[two]!.signingShareScalar())]) == old.secret)
        var packages = keys.packages
        packages[one] = old.packages[one]
        keys = SigningTestDealer<C>.Keys(secret: .zero, packages: packages, publicKeyPackage: keys.publicKeyPackage)
        do {
            _ = try SigningTestRun<C>.run(keys: keys, signers: [one, two], message: Array("mixed".utf8), rng: &rng)
            Issue.record("an old share signed together with a new one")
        } catch let e as FROSTError {
            #expect(e.culprits == [one], "the holder of the old share is named")
        }
    }

    // MARK: cheating dealers

    static func oldKeys(seed: UInt64) -> SigningTestDealer<FROSTSecp256k1>.Keys {
        var rng = SeededRandom(seed: seed)
        return SigningTestDealer<FROSTSecp256k1>.split(t: 2, n: 3, rng: &rng)
    }

    @Test func aBadSubShareNamesItsDealer() throws {
        let old = Self.oldKeys(seed: 50)
        var sim = ReshareSimulation<FROSTSecp256k1>()
        sim.tamper = { from, to, m in
            guard from.value == 2, to.value == 4, case .subShare = m else { return m }
            return .subShare(DKGRound2Package(share: Secp256k1Scalar(7)))
        }
        let out = try sim.run(old: old.packages, oldPublicKeyPackage: old.publicKeyPackage, dealers: Ids.ids([1, 2]),
                              members: Ids.ids([3, 4, 5]), threshold: 2, seed: 51)
        let e = try #require(out[try ParticipantID(4)]?.dkgError)
        #expect(e.culprits == Ids.ids([2]))
        #expect(e.code == "FROST_PARTY_MISBEHAVED")
        // The others got honest sub-shares; they finish the dealing check but never see member 4's echo.
        let three = try ParticipantID(3), five = try ParticipantID(5)
        #expect(out[three] == nil && out[five] == nil)
    }

    @Test func aDealerWhoseSecretIsNotItsWeightedShareIsNamed() throws {
        let old = Self.oldKeys(seed: 60)
        var sim = ReshareSimulation<FROSTSecp256k1>()
        // Dealer 3 deals some other secret (valid proof of knowledge, consistent sub-shares): the constant terms
        // would no longer sum to the group key.
        sim.dealerPackage = { kp in
            guard kp.identifier.value == 3 else { return kp }
            let s = kp.signingShareScalar() + Secp256k1Scalar(1)
            return KeyPackage(identifier: kp.identifier, signingShare: s, verifyingShare: .baseMultiply(s),
                              groupPublicKey: kp.groupPublicKey, minSigners: kp.minSigners)
        }
        let out = try sim.run(old: old.packages, oldPublicKeyPackage: old.publicKeyPackage, dealers: Ids.ids([1, 3]),
                              members: Ids.ids([1, 2, 3, 4]), threshold: 3, seed: 61)
        for m in Ids.ids([1, 2, 4]) {
            let e = try #require(out[m]?.dkgError, "member \(m.value)")
            guard case .misbehaving(let list) = e else { Issue.record("\(e)"); continue }
            #expect(list.map(\.party) == Ids.ids([3]))
            #expect(list.first?.reason.contains("weighted old verifying share") == true)
        }
    }

    @Test func aBadProofOfKnowledgeIsNamed() throws {
        let old = Self.oldKeys(seed: 70)
        var sim = ReshareSimulation<FROSTSecp256k1>()
        sim.tamper = { from, _, m in
            guard from.value == 1, case .dealing(let p) = m else { return m }
            let bad = DKGProofOfKnowledge<FROSTSecp256k1>(R: p.proofOfKnowledge.R, mu: p.proofOfKnowledge.mu + Secp256k1Scalar(1))
            return .dealing(DKGRound1Package(commitment: p.commitment, proofOfKnowledge: bad))
        }
        let out = try sim.run(old: old.packages, oldPublicKeyPackage: old.publicKeyPackage, dealers: Ids.ids([1, 2]),
                              members: Ids.ids([2, 3, 4]), threshold: 2, seed: 71)
        for m in Ids.ids([2, 3, 4]) {
            let e = try #require(out[m]?.dkgError)
            guard case .misbehaving(let list) = e else { Issue.record("\(e)"); continue }
            #expect(list.map(\.party) == Ids.ids([1]))
            #expect(list.first?.reason.contains("proof of knowledge") == true)
        }
    }

    /// A DKG round-1 proof (same dealer, same secret) is not accepted as a resharing proof: the challenge is
    /// bound to the resharing session.
    @Test func aProofIsBoundToTheResharingSession() throws {
        let old = Self.oldKeys(seed: 80)
        let params = try ReshareParameters<FROSTSecp256k1>(dealers: Ids.ids([1, 2]), members: Ids.ids([1, 2, 3]), newThreshold: 2,
                                                           oldPublicKeyPackage: old.publicKeyPackage, sessionID: [1, 2, 3])
        var rng = SeededRandom(seed: 81)
        let dealing = try Reshare<FROSTSecp256k1>.deal(keyPackage: old.packages[try ParticipantID(1)]!, parameters: params, using: &rng)
        let phi0 = try VSSCommitment(dealing.commitment.commitment).constantTerm
        #expect(dealing.commitment.proofOfKnowledge.verify(identifier: try ParticipantID(1), phi0: phi0, session: params.proofSession))
        #expect(!dealing.commitment.proofOfKnowledge.verify(identifier: try ParticipantID(1), phi0: phi0, session: [1, 2, 3]))
        #expect(!dealing.commitment.proofOfKnowledge.verify(identifier: try ParticipantID(2), phi0: phi0, session: params.proofSession))
    }

    @Test func parametersAreValidatedUpFront() throws {
        let old = Self.oldKeys(seed: 90)
        let pkp = old.publicKeyPackage
        #expect(throws: FROSTError.self) {   // fewer dealers than the old threshold
            try ReshareParameters(dealers: Ids.ids([1]), members: Ids.ids([1, 2, 3]), newThreshold: 2, oldPublicKeyPackage: pkp, sessionID: [])
        }
        #expect(throws: FROSTError.self) {   // a dealer without an old share
            try ReshareParameters(dealers: Ids.ids([1, 9]), members: Ids.ids([1, 2, 3]), newThreshold: 2, oldPublicKeyPackage: pkp, sessionID: [])
        }
        #expect(throws: FROSTError.self) {   // new threshold above the new committee
            try ReshareParameters(dealers: Ids.ids([1, 2]), members: Ids.ids([1, 2]), newThreshold: 3, oldPublicKeyPackage: pkp, sessionID: [])
        }
        #expect(throws: FROSTError.self) {   // threshold 1
            try ReshareParameters(dealers: Ids.ids([1, 2]), members: Ids.ids([1, 2]), newThreshold: 1, oldPublicKeyPackage: pkp, sessionID: [])
        }
    }
}

/// The session's guards: one start, strangers refused without effect, equivocation named, nothing after the end.
@Suite struct ReshareSessionTests {
    typealias C = FROSTEd25519
    typealias Ids = ReshareTestKeys

    static func setup() throws -> (SigningTestDealer<C>.Keys, ReshareParameters<C>) {
        var rng = SeededRandom(seed: 500)
        let old = SigningTestDealer<C>.split(t: 2, n: 3, rng: &rng)
        let params = try ReshareParameters<C>(dealers: Ids.ids([1, 2]), members: Ids.ids([2, 3, 4]), newThreshold: 2,
                                              oldPublicKeyPackage: old.publicKeyPackage, sessionID: [9])
        return (old, params)
    }

    @Test func startsOnceAndRefusesStrangers() throws {
        let (old, params) = try Self.setup()
        var rng = SeededRandom(seed: 501)
        var member = try ReshareSession<C>(identifier: try ParticipantID(3), parameters: params, oldKeyPackage: nil)
        #expect(member.isMember && !member.isDealer)
        _ = member.start(using: &rng)
        guard case .refused = member.start(using: &rng).first else { Issue.record("second start accepted"); return }
        let dealing = try Reshare<C>.deal(keyPackage: old.packages[try ParticipantID(1)]!, parameters: params, using: &rng)
        // Party 5 is no dealer: its dealing is refused and changes nothing; the real dealing still counts.
        guard case .refused(let e) = member.receive(.dealing(dealing.commitment), from: try ParticipantID(5)).first else {
            Issue.record("stranger accepted"); return
        }
        #expect(e.culprits == Ids.ids([5]))
        #expect(member.receive(.dealing(dealing.commitment), from: try ParticipantID(1)).isEmpty)
        #expect(member.receive(.dealing(dealing.commitment), from: try ParticipantID(1)).isEmpty, "a retransmission is harmless")
        // A dealer without its key package cannot be a dealer; a non-participant cannot have a session.
        #expect(throws: FROSTError.self) { try ReshareSession<C>(identifier: try ParticipantID(1), parameters: params, oldKeyPackage: nil) }
        #expect(throws: FROSTError.self) { try ReshareSession<C>(identifier: try ParticipantID(5), parameters: params, oldKeyPackage: nil) }
    }

    @Test func aDealerSendingTwoDifferentDealingsIsNamedAndTheSessionEnds() throws {
        let (old, params) = try Self.setup()
        var rng = SeededRandom(seed: 502)
        var member = try ReshareSession<C>(identifier: try ParticipantID(4), parameters: params, oldKeyPackage: nil)
        _ = member.start(using: &rng)
        let one = try ParticipantID(1)
        let a = try Reshare<C>.deal(keyPackage: old.packages[one]!, parameters: params, using: &rng)
        let b = try Reshare<C>.deal(keyPackage: old.packages[one]!, parameters: params, using: &rng)
        #expect(member.receive(.dealing(a.commitment), from: one).isEmpty)
        guard case .abort(let e) = member.receive(.dealing(b.commitment), from: one).first else { Issue.record("equivocation accepted"); return }
        #expect(e.culprits == [one])
        guard case .refused = member.receive(.subShare(a.subShares[try ParticipantID(4)]!), from: one).first else {
            Issue.record("input accepted after the abort"); return
        }
    }

    /// A dealer that leaves the committee is done once it has dealt; it deals to every new member but itself.
    @Test func aLeavingDealerDealsAndIsDone() throws {
        let (old, params) = try Self.setup()
        var rng = SeededRandom(seed: 503)
        let one = try ParticipantID(1)
        var dealer = try ReshareSession<C>(identifier: one, parameters: params, oldKeyPackage: old.packages[one]!)
        let actions = dealer.start(using: &rng)
        #expect(actions.count == 3)
        guard case .sendEach(let subs) = actions[1], case .dealt = actions[2] else { Issue.record("\(actions)"); return }
        #expect(Set(subs.keys) == Set(Ids.ids([2, 3, 4])))
    }
}
