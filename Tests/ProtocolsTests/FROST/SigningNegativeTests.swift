import Testing
@testable import Protocols

/// SECURITY-CHECKLIST items 13-16, 24, 25: malformed or malicious inputs are refused, cheaters named exactly.
@Suite struct SigningNegativeTests {
    typealias Ed = FROSTEd25519
    typealias K1 = FROSTSecp256k1
    typealias TR = FROSTSecp256k1Taproot

    /// A 3-of-5 setup with round 1 done by parties 1, 2, 4 and the coordinator holding the package.
    struct Setup<C: FROSTCiphersuite> {
        let keys: SigningTestDealer<C>.Keys
        let coordinator: SigningCoordinator<C>
        let sessions: [ParticipantID: SignerSession<C>]
        let package: SigningPackage<C>

        init(seed: UInt64 = 9, rng: inout SeededRandom) throws {
            keys = SigningTestDealer<C>.split(t: 3, n: 5, rng: &rng)
            let signers = try [1, 2, 4].map { try ParticipantID($0) }
            coordinator = try SigningCoordinator<C>(publicKeyPackage: keys.publicKeyPackage, signers: signers,
                                                    message: Array("negative".utf8))
            var s = [ParticipantID: SignerSession<C>]()
            var pkg: SigningPackage<C>?
            for id in signers {
                let session = SignerSession<C>(keyPackage: keys.packages[id]!)
                s[id] = session
                if case .sendSigningPackage(let p) = try coordinator.receive(try session.round1(using: &rng)) { pkg = p }
            }
            sessions = s
            package = pkg!
        }
    }

    static func id(_ v: UInt16) -> ParticipantID { try! ParticipantID(v) }

    // MARK: item 13: identifiers

    @Test func zeroIdentifierRefused() throws {
        #expect(throws: FROSTError.invalidParameters("participant identifier 0")) { _ = try ParticipantID(0) }
        var rng = SeededRandom(seed: 1)
        let s = try Setup<Ed>(rng: &rng)
        var wire = s.package.commitments[0].serialize()
        wire[3] = 0; wire[4] = 0                       // identifier field
        #expect(throws: FROSTError.self) { _ = try SigningCommitments<Ed>(wire: wire) }
    }

    @Test func duplicateIdentifiersRefused() throws {
        var rng = SeededRandom(seed: 2)
        let s = try Setup<K1>(rng: &rng)
        let c = s.package.commitments[0]
        #expect(throws: FROSTError.self) { _ = try SigningPackage<K1>(commitments: [c, c] + s.package.commitments.dropFirst(), message: []) }
        #expect(throws: FROSTError.self) {
            _ = try SigningCoordinator<K1>(publicKeyPackage: s.keys.publicKeyPackage, signers: [Self.id(1), Self.id(1), Self.id(2)], message: [])
        }
        #expect(throws: FROSTError.self) {
            _ = try FROSTSigning<K1>.deriveInterpolatingValue(participants: [Self.id(1), Self.id(1), Self.id(2)], x: Self.id(1))
        }
        #expect(throws: FROSTError.self) {
            _ = try FROSTSigning<K1>.deriveInterpolatingValue(participants: [Self.id(1), Self.id(2)], x: Self.id(3))
        }
        // A second commitment from the same signer is named.
        let fresh = try SigningCoordinator<K1>(publicKeyPackage: s.keys.publicKeyPackage, signers: [Self.id(1), Self.id(2), Self.id(4)], message: [])
        _ = try fresh.receive(c)
        #expect(throws: FROSTError.misbehaving([.init(party: c.identifier, reason: "second set of commitments")])) {
            _ = try fresh.receive(c)
        }
        // An encoded package with a repeated or unsorted list is not canonical.
        var wire = s.package.serialize()
        let entry = 2 + 2 * 33
        let listStart = 3 + 1 + 2
        let first = Array(wire[listStart..<listStart + entry]), second = Array(wire[listStart + entry..<listStart + 2 * entry])
        wire.replaceSubrange(listStart..<listStart + 2 * entry, with: second + first)
        #expect(throws: FROSTError.self) { _ = try SigningPackage<K1>(wire: wire) }
    }

    @Test func thresholdBoundsAndSignerSet() throws {
        var rng = SeededRandom(seed: 3)
        let s = try Setup<Ed>(rng: &rng)
        let pkp = s.keys.publicKeyPackage
        #expect(throws: FROSTError.self) { _ = try SigningCoordinator<Ed>(publicKeyPackage: pkp, signers: [Self.id(1), Self.id(2)], message: []) }
        #expect(throws: FROSTError.self) {
            _ = try SigningCoordinator<Ed>(publicKeyPackage: pkp, signers: (1...6).map { Self.id($0) }, message: [])
        }
        #expect(throws: FROSTError.self) { _ = try SigningCoordinator<Ed>(publicKeyPackage: pkp, signers: [Self.id(1), Self.id(2), Self.id(9)], message: []) }
        // Commitments and shares from a party outside the chosen set are refused, naming it.
        let outsider = SignerSession<Ed>(keyPackage: s.keys.packages[Self.id(3)]!)
        let c3 = try outsider.round1(using: &rng)
        let coord = try SigningCoordinator<Ed>(publicKeyPackage: pkp, signers: [Self.id(1), Self.id(2), Self.id(4)], message: [])
        #expect(throws: FROSTError.self) { _ = try coord.receive(c3) }
        do { _ = try coord.receive(c3) } catch { #expect(error.culprits == [Self.id(3)]) }
        #expect(throws: FROSTError.self) { _ = try s.coordinator.receive(SignatureShare<Ed>(identifier: Self.id(3), share: .one)) }
        // A share before the package exists is refused.
        #expect(throws: FROSTError.self) { _ = try coord.receive(SignatureShare<Ed>(identifier: Self.id(1), share: .one)) }
    }

    // MARK: item 15-16: points, scalars, encodings

    @Test func identityAndOffCurveCommitmentsRefused() throws {
        #expect(throws: FROSTError.self) { _ = try SigningCommitments<Ed>(identifier: Self.id(1), hiding: .identity, binding: .generator) }
        #expect(throws: FROSTError.self) { _ = try SigningCommitments<K1>(identifier: Self.id(1), hiding: .generator, binding: .identity) }
        var rng = SeededRandom(seed: 4)
        let ed = try Setup<Ed>(rng: &rng).package.commitments[0].serialize()
        var identity = ed
        identity.replaceSubrange(5..<37, with: [1] + [UInt8](repeating: 0, count: 31))   // Ed25519 identity (0, 1)
        #expect(throws: FROSTError.self) { _ = try SigningCommitments<Ed>(wire: identity) }
        var offCurve = ed
        offCurve.replaceSubrange(5..<37, with: [2] + [UInt8](repeating: 0, count: 31))   // y = 2: not on the curve
        #expect(throws: FROSTError.self) { _ = try SigningCommitments<Ed>(wire: offCurve) }
        let k1 = try Setup<K1>(rng: &rng).package.commitments[0].serialize()
        var badX = k1
        badX.replaceSubrange(5..<38, with: [2] + [UInt8](repeating: 0, count: 31) + [7])   // x = 7: x³+7 is not a square
        #expect(throws: FROSTError.self) { _ = try SigningCommitments<K1>(wire: badX) }
        var badPrefix = k1
        badPrefix[5] = 0x04
        #expect(throws: FROSTError.self) { _ = try SigningCommitments<K1>(wire: badPrefix) }
    }

    @Test func nonCanonicalShareScalarsRefused() throws {
        let n = Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")!
        let k1 = [WireFormat.version, K1.suiteID, 3, 0, 1] + n
        #expect(throws: FROSTError.malformed(from: Self.id(1), "non-canonical scalar")) { _ = try SignatureShare<K1>(wire: k1) }
        let l = Ed25519Scalar.order
        let ed = [WireFormat.version(Ed.self), Ed.suiteID, 3, 0, 2] + l
        #expect(throws: FROSTError.malformed(from: Self.id(2), "non-canonical scalar")) { _ = try SignatureShare<Ed>(wire: ed) }
        let high = [WireFormat.version(Ed.self), Ed.suiteID, 3, 0, 2] + [UInt8](repeating: 0xff, count: 32)
        #expect(throws: FROSTError.self) { _ = try SignatureShare<Ed>(wire: high) }
    }

    @Test func wrongLengthsTrailingBytesVersionsAndSuitesRefused() throws {
        var rng = SeededRandom(seed: 5)
        let s = try Setup<TR>(rng: &rng)
        let share = SignatureShare<TR>(identifier: Self.id(1), share: .one)
        let sig = Signature<TR>(R: .generator, z: .one)
        let encodings: [([UInt8], ([UInt8]) throws -> Void)] = [
            (s.package.commitments[0].serialize(), { _ = try SigningCommitments<TR>(wire: $0) }),
            (s.package.serialize(), { _ = try SigningPackage<TR>(wire: $0) }),
            (share.serialize(), { _ = try SignatureShare<TR>(wire: $0) }),
            (try sig.serialize(), { _ = try Signature<TR>(wire: $0) }),
        ]
        for (good, decode) in encodings {
            try decode(good)                                                       // the canonical form decodes
            #expect(throws: FROSTError.self) { try decode(good + [0]) }            // trailing byte
            #expect(throws: FROSTError.self) { try decode(Array(good.dropLast())) } // truncated
            #expect(throws: FROSTError.self) { try decode([]) }
            var v = good; v[0] = 2
            #expect(throws: FROSTError.self) { try decode(v) }                     // unknown version
            var suite = good; suite[1] = K1.suiteID
            #expect(throws: FROSTError.self) { try decode(suite) }                 // another suite
            var type = good; type[2] ^= 0x07
            #expect(throws: FROSTError.self) { try decode(type) }                  // another message type
        }
        // The package's message length field must match exactly.
        var longer = s.package.serialize()
        let lenAt = longer.count - s.package.message.count - 1
        longer[lenAt] &+= 1
        #expect(throws: FROSTError.self) { _ = try SigningPackage<TR>(wire: longer) }
    }

    // MARK: item 25: identifiable abort

    @Test(arguments: SigningSuite.allCases)
    func tamperedSharesNameExactlyTheCheaters(suite: SigningSuite) throws {
        switch suite {
        case .ed25519: try Self.cheaters(Ed.self)
        case .secp256k1: try Self.cheaters(K1.self)
        case .taproot: try Self.cheaters(TR.self)
        }
    }

    static func cheaters<C: FROSTCiphersuite>(_: C.Type) throws {
        for cheatSet in [[Self.id(2)], [Self.id(1), Self.id(4)]] {
            var rng = SeededRandom(seed: 6)
            let s = try Setup<C>(rng: &rng)
            var caught: FROSTError?
            for id in s.package.participants {
                var share = try s.sessions[id]!.round2(s.package)
                if cheatSet.contains(id) { share = SignatureShare(identifier: id, share: share.share + .one) }
                do { _ = try s.coordinator.receive(share) } catch { caught = error }
            }
            #expect(caught?.culprits == cheatSet)
            #expect(caught?.code == "FROST_PARTY_MISBEHAVED")
            // The public share check agrees.
            for id in cheatSet {
                #expect(try !FROSTSigning<C>.verifySignatureShare(SignatureShare(identifier: id, share: .one), package: s.package,
                                                                  publicKeyPackage: s.keys.publicKeyPackage))
            }
        }
    }

    // MARK: the signer checks its own commitment

    @Test func packageOmittingOrAlteringOwnCommitmentRefused() throws {
        var rng = SeededRandom(seed: 7)
        let s = try Setup<K1>(rng: &rng)
        let me = Self.id(1)
        let others = s.package.commitments.filter { $0.identifier != me }
        // Omitted: replaced by party 3's commitment so the count still meets t.
        let extra = try SignerSession<K1>(keyPackage: s.keys.packages[Self.id(3)]!).round1(using: &rng)
        let omitted = try SigningPackage<K1>(commitments: others + [extra], message: s.package.message)
        #expect(throws: FROSTError.invalidParameters("the signing package omits this signer's commitment")) {
            _ = try s.sessions[me]!.round2(omitted)
        }
        // Altered: a fresh session whose commitment the coordinator swapped.
        let victim = SignerSession<K1>(keyPackage: s.keys.packages[me]!)
        let real = try victim.round1(using: &rng)
        let swapped = try SigningCommitments<K1>(identifier: me, hiding: real.binding, binding: real.hiding)
        let altered = try SigningPackage<K1>(commitments: others + [swapped], message: s.package.message)
        #expect(throws: FROSTError.invalidParameters("the signing package alters this signer's commitment")) {
            _ = try victim.round2(altered)
        }
        // Either refusal consumed the nonces: no second try.
        #expect(throws: FROSTError.nonceReuse) { _ = try victim.round2(s.package) }
    }

    // MARK: item 24: nonces

    @Test func reusedNoncesRefused() throws {
        var rng = SeededRandom(seed: 8)
        let s = try Setup<Ed>(rng: &rng)
        let session = s.sessions[Self.id(2)]!
        let share = try session.round2(s.package)
        #expect(share.identifier == Self.id(2))
        #expect(session.state == .finished)
        #expect(throws: FROSTError.nonceReuse) { _ = try session.round2(s.package) }
        #expect(throws: FROSTError.nonceReuse) { _ = try session.round1(using: &rng) }
        // Round 1 twice in one session would silently replace nonces: refused.
        let fresh = SignerSession<Ed>(keyPackage: s.keys.packages[Self.id(1)]!)
        _ = try fresh.round1(using: &rng)
        #expect(throws: FROSTError.self) { _ = try fresh.round1(using: &rng) }
        #expect(throws: FROSTError.self) { _ = try SignerSession<Ed>(keyPackage: s.keys.packages[Self.id(1)]!).round2(s.package) }
    }

    @Test func noncesMixInTheSecretAndFreshRandomness() throws {
        // RFC 9591 nonce_generate: same randomness, different secrets -> different nonces; and vice versa.
        let r = [UInt8](repeating: 7, count: 32)
        let a = FROSTSigning<K1>.nonceGenerate(secret: Secp256k1Scalar(1), randomBytes: r)
        let b = FROSTSigning<K1>.nonceGenerate(secret: Secp256k1Scalar(2), randomBytes: r)
        #expect(a != b)
        var rng = SeededRandom(seed: 10)
        let keys = SigningTestDealer<K1>.split(t: 2, n: 3, rng: &rng)
        let kp = keys.packages[Self.id(1)]!
        let n1 = FROSTSigning<K1>.commit(keyPackage: kp, using: &rng)
        let n2 = FROSTSigning<K1>.commit(keyPackage: kp, using: &rng)
        #expect(n1.commitments != n2.commitments)
        #expect(n1.commitments.hiding != n1.commitments.binding)
    }

    @Test func bindingFactorsDependOnTheGroupPublicKey() throws {
        var rng = SeededRandom(seed: 11)
        for suite in SigningSuite.allCases {
            switch suite {
            case .ed25519: try Self.bindingPK(Ed.self, &rng)
            case .secp256k1: try Self.bindingPK(K1.self, &rng)
            case .taproot: try Self.bindingPK(TR.self, &rng)
            }
        }
    }

    static func bindingPK<C: FROSTCiphersuite>(_: C.Type, _ rng: inout SeededRandom) throws {
        let s = try Setup<C>(rng: &rng)
        let pk = s.keys.publicKeyPackage.groupPublicKey
        let other = C.Element.baseMultiply(C.Scalar.random(using: &rng))
        let a = try FROSTSigning<C>.computeBindingFactors(groupPublicKey: pk, list: s.package.commitments, message: s.package.message)
        let b = try FROSTSigning<C>.computeBindingFactors(groupPublicKey: other, list: s.package.commitments, message: s.package.message)
        for (x, y) in zip(a, b) {
            #expect(x.factor != y.factor)
            #expect(x.input.prefix(C.Element.byteCount) == ArraySlice(try pk.serialized()))
        }
    }
}

/// Aggregation with its package-only part computed beforehand (`prepareAggregation`, as the cluster's coordinator
/// does while the signers work) gives the same signature, still names every cheater, and is ignored when it was
/// prepared for another package.
@Suite struct PreparedAggregationTests {
    typealias Setup = SigningNegativeTests.Setup

    @Test(arguments: SigningSuite.allCases)
    func preparedAggregationMatchesAndStillNamesCheaters(suite: SigningSuite) throws {
        switch suite {
        case .ed25519: try Self.check(FROSTEd25519.self)
        case .secp256k1: try Self.check(FROSTSecp256k1.self)
        case .taproot: try Self.check(FROSTSecp256k1Taproot.self)
        }
    }

    static func check<C: FROSTCiphersuite>(_: C.Type) throws {
        var rng = SeededRandom(seed: 91)
        let s = try Setup<C>(rng: &rng)
        let shares = try s.package.participants.map { try s.sessions[$0]!.round2(s.package) }
        let prepared = try FROSTSigning<C>.prepareAggregation(package: s.package, publicKeyPackage: s.keys.publicKeyPackage)
        let direct = try FROSTSigning<C>.aggregate(package: s.package, shares: shares, publicKeyPackage: s.keys.publicKeyPackage)
        #expect(try FROSTSigning<C>.aggregate(shares: shares, prepared: prepared) == direct)
        var tampered = shares
        tampered[1] = SignatureShare(identifier: tampered[1].identifier, share: tampered[1].share + .one)
        #expect(throws: FROSTError.self) { try FROSTSigning<C>.aggregate(shares: tampered, prepared: prepared) }
        do { _ = try FROSTSigning<C>.aggregate(shares: tampered, prepared: prepared) } catch {
            #expect(error.culprits == [tampered[1].identifier])
        }
        // Through the coordinator: the prepared part is used for its own package only.
        var other = SeededRandom(seed: 92)
        let unrelated = try Setup<C>(rng: &other)
        let foreign = try FROSTSigning<C>.prepareAggregation(package: unrelated.package, publicKeyPackage: unrelated.keys.publicKeyPackage)
        s.coordinator.use(foreign)
        var action: SigningCoordinator<C>.Action = .wait
        for share in shares { action = try s.coordinator.receive(share) }
        guard case .finished(let signature) = action else { Issue.record("no signature"); return }
        #expect(signature == direct)
    }
}
