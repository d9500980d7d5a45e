import Testing
@testable import Protocols

/// Cheating and faulty participants (SECURITY-CHECKLIST 13–16, 26): every refusal names the exact culprits.
@Suite struct DKGAdversaryTests {
    static let p1 = try! ParticipantID(1), p2 = try! ParticipantID(2), p3 = try! ParticipantID(3)

    @Test(arguments: KeyGenSuite.allCases)
    func round1Cheats(suite: KeyGenSuite) throws {
        switch suite {
        case .ed25519: try round1Cheats(FROSTEd25519.self)
        case .secp256k1: try round1Cheats(FROSTSecp256k1.self)
        case .taproot: try round1Cheats(FROSTSecp256k1Taproot.self)
        }
    }

    @Test(arguments: KeyGenSuite.allCases)
    func round2Cheats(suite: KeyGenSuite) throws {
        switch suite {
        case .ed25519: try round2Cheats(FROSTEd25519.self)
        case .secp256k1: try round2Cheats(FROSTSecp256k1.self)
        case .taproot: try round2Cheats(FROSTSecp256k1Taproot.self)
        }
    }

    /// Runs a 3-of-4 DKG where party 1's round-1 inbox is rewritten by `tamper`; returns party 1's error.
    func round1Error<C: FROSTCiphersuite>(_: C.Type, _ tamper: @escaping (DKGInbox1<C>) -> DKGInbox1<C>) throws -> FROSTError? {
        var sim = DKGSimulation<C>()
        sim.round1Inbox = { to, inbox in to == Self.p1 ? tamper(inbox) : inbox }
        let results = try sim.run(n: 4, t: 3, seed: 77)
        return results[Self.p1]?.dkgError
    }

    func replacing<C>(_ inbox: DKGInbox1<C>, from sender: ParticipantID,
                      _ f: (DKGRound1Package<C>) -> DKGRound1Package<C>) -> DKGInbox1<C> {
        inbox.map { $0.from == sender ? (from: $0.from, package: f($0.package)) : $0 }
    }

    func round1Cheats<C: FROSTCiphersuite>(_ suite: C.Type) throws {
        let G = C.Element.generator
        // Commitment vector of t+1 entries: would silently raise the threshold (checklist 14).
        var e = try round1Error(suite) { inbox in
            self.replacing(inbox, from: Self.p2) { DKGRound1Package(commitment: $0.commitment + [G], proofOfKnowledge: $0.proofOfKnowledge) }
        }
        #expect(e?.culprits == [Self.p2])
        #expect(e?.code == "FROST_PARTY_MISBEHAVED")
        if case .misbehaving(let list)? = e { #expect(list.first?.reason.contains("entries") == true) }
        // t−1 entries.
        e = try round1Error(suite) { inbox in
            self.replacing(inbox, from: Self.p3) { DKGRound1Package(commitment: Array($0.commitment.dropLast()), proofOfKnowledge: $0.proofOfKnowledge) }
        }
        #expect(e?.culprits == [Self.p3])
        // Both at once: both named, in order.
        e = try round1Error(suite) { inbox in
            let a = self.replacing(inbox, from: Self.p2) { DKGRound1Package(commitment: $0.commitment + [G], proofOfKnowledge: $0.proofOfKnowledge) }
            return self.replacing(a, from: Self.p3) { DKGRound1Package(commitment: [], proofOfKnowledge: $0.proofOfKnowledge) }
        }
        #expect(e?.culprits == [Self.p2, Self.p3])
        // A bad proof of knowledge (μ + 1).
        e = try round1Error(suite) { inbox in
            self.replacing(inbox, from: Self.p2) {
                DKGRound1Package(commitment: $0.commitment,
                                 proofOfKnowledge: DKGProofOfKnowledge(R: $0.proofOfKnowledge.R, mu: $0.proofOfKnowledge.mu + .one))
            }
        }
        #expect(e?.culprits == [Self.p2])
        if case .misbehaving(let list)? = e { #expect(list.first?.reason == "invalid proof of knowledge") }
        // A proof replayed under another identity: party 3 re-broadcasts party 2's package (rogue key / replay).
        e = try round1Error(suite) { inbox in
            guard let copied = inbox.first(where: { $0.from == Self.p2 })?.package else { return inbox }
            return self.replacing(inbox, from: Self.p3) { _ in copied }
        }
        #expect(e?.culprits == [Self.p3])
        // A rogue key without a proof: φ_0 replaced by another point (the proof no longer verifies).
        e = try round1Error(suite) { inbox in
            self.replacing(inbox, from: Self.p4) {
                DKGRound1Package(commitment: [G + G] + $0.commitment.dropFirst(), proofOfKnowledge: $0.proofOfKnowledge)
            }
        }
        #expect(e?.culprits == [Self.p4])
        // The identity inside a commitment, and as the proof's R.
        e = try round1Error(suite) { inbox in
            self.replacing(inbox, from: Self.p2) {
                var c = $0.commitment; c[1] = C.Element.identity
                return DKGRound1Package(commitment: c, proofOfKnowledge: $0.proofOfKnowledge)
            }
        }
        #expect(e?.culprits == [Self.p2])
        e = try round1Error(suite) { inbox in
            self.replacing(inbox, from: Self.p2) {
                DKGRound1Package(commitment: $0.commitment, proofOfKnowledge: DKGProofOfKnowledge(R: .identity, mu: $0.proofOfKnowledge.mu))
            }
        }
        #expect(e?.culprits == [Self.p2])
        // Senders: an unknown party, oneself, twice, or missing.
        e = try round1Error(suite) { inbox in inbox + [(from: try! ParticipantID(9), package: inbox[0].package)] }
        #expect(e?.culprits == [try ParticipantID(9)])
        e = try round1Error(suite) { inbox in inbox + [(from: Self.p1, package: inbox[0].package)] }
        #expect(e?.code == "FROST_INVALID_PARAMETERS")
        #expect(e?.culprits == [])
        e = try round1Error(suite) { inbox in inbox + [inbox[1]] }
        #expect(e?.culprits == [inbox1Sender(1)])
        e = try round1Error(suite) { inbox in Array(inbox.dropLast()) }
        #expect(e?.code == "FROST_INVALID_PARAMETERS")
    }

    static let p4 = try! ParticipantID(4)
    func inbox1Sender(_ index: Int) -> ParticipantID { [Self.p2, Self.p3, Self.p4][index] }

    func round2Cheats<C: FROSTCiphersuite>(_ suite: C.Type) throws {
        func run(_ tamper: @escaping (DKGInbox2<C>) -> DKGInbox2<C>) throws -> [ParticipantID: Result<DKGOutput<C>, FROSTError>] {
            var sim = DKGSimulation<C>()
            sim.round2Inbox = { to, inbox in to == Self.p1 ? tamper(inbox) : inbox }
            return try sim.run(n: 4, t: 3, seed: 78)
        }
        func shifted(_ p: DKGRound2Package<C>) -> DKGRound2Package<C> { DKGRound2Package(share: p.shareScalar() + .one) }
        // A tampered share: the sender is named; the other parties are unaffected.
        var results = try run { inbox in inbox.map { $0.from == Self.p3 ? (from: $0.from, package: shifted($0.package)) : $0 } }
        #expect(results[Self.p1]?.dkgError?.culprits == [Self.p3])
        #expect(results[Self.p2]?.dkgOutput != nil && results[Self.p4]?.dkgOutput != nil)
        // Two tampered shares, even ones whose errors would cancel in a sum of the wrong kind: both named.
        results = try run { inbox in
            inbox.map { item -> (from: ParticipantID, package: DKGRound2Package<C>) in
                if item.from == Self.p2 { return (item.from, shifted(item.package)) }
                if item.from == Self.p4 { return (item.from, DKGRound2Package(share: item.package.shareScalar() + .one + .one)) }
                return item
            }
        }
        #expect(results[Self.p1]?.dkgError?.culprits == [Self.p2, Self.p4])
        // A share that is not on the sender's committed polynomial at all.
        results = try run { inbox in inbox.map { $0.from == Self.p2 ? (from: $0.from, package: DKGRound2Package(share: .one)) : $0 } }
        #expect(results[Self.p1]?.dkgError?.culprits == [Self.p2])
        // Senders.
        results = try run { inbox in inbox + [(from: try! ParticipantID(7), package: inbox[0].package)] }
        #expect(results[Self.p1]?.dkgError?.culprits == [try ParticipantID(7)])
        results = try run { inbox in inbox + [(from: Self.p1, package: inbox[0].package)] }
        #expect(results[Self.p1]?.dkgError?.code == "FROST_INVALID_PARAMETERS")
        results = try run { inbox in inbox + [inbox[0]] }
        #expect(results[Self.p1]?.dkgError?.culprits == [Self.p2])   // the inbox is in sender order: p2 first
        results = try run { inbox in Array(inbox.dropFirst()) }
        #expect(results[Self.p1]?.dkgError?.code == "FROST_INVALID_PARAMETERS")
    }

    /// A party that shows party 1 a different (valid) higher-degree commitment than the others: with t = 2,
    /// changing φ_{ℓ1} and the share to match goes unnoticed by party 1 alone; the commitment digest differs.
    @Test func equivocationShowsInTheCommitmentDigest() throws {
        typealias C = FROSTSecp256k1
        // Party 2 equivocates towards party 1: φ_21 + G, and the share for party 1 raised by 1 (id 1 → 1·1).
        var sim = DKGSimulation<C>()
        sim.round1Inbox = { to, inbox in
            guard to == Self.p1 else { return inbox }
            return inbox.map { item in
                guard item.from == Self.p2 else { return item }
                var c = item.package.commitment
                c[1] = c[1] + .generator
                return (from: item.from, package: DKGRound1Package(commitment: c, proofOfKnowledge: item.package.proofOfKnowledge))
            }
        }
        sim.round2Inbox = { to, inbox in
            guard to == Self.p1 else { return inbox }
            return inbox.map { $0.from == Self.p2 ? (from: $0.from, package: DKGRound2Package(share: $0.package.shareScalar() + .one)) : $0 }
        }
        let results = try sim.run(n: 3, t: 2, seed: 31)
        let outs = results.values.compactMap(\.dkgOutput)
        try #require(outs.count == 3)
        let d1 = try #require(results[Self.p1]?.dkgOutput?.commitmentDigest)
        let d3 = try #require(results[Self.p3]?.dkgOutput?.commitmentDigest)
        #expect(d1 != d3)
        #expect(results[Self.p2]?.dkgOutput?.commitmentDigest == d3)
    }

    /// A round-1 package recorded in one run and replayed into another is refused when runs carry session
    /// ids (SECURITY-CHECKLIST 11); with session ids the honest run still succeeds.
    @Test(arguments: KeyGenSuite.allCases)
    func replayAcrossSessionsIsRefused(suite: KeyGenSuite) throws {
        switch suite {
        case .ed25519: try replay(FROSTEd25519.self)
        case .secp256k1: try replay(FROSTSecp256k1.self)
        case .taproot: try replay(FROSTSecp256k1Taproot.self)
        }
    }

    func replay<C: FROSTCiphersuite>(_ suite: C.Type) throws {
        let withSessions = try replayedError(suite, recordIn: Array("session-A".utf8), replayIn: Array("session-B".utf8))
        #expect(withSessions?.culprits == [Self.p2])
        #expect(reason(withSessions) == "invalid proof of knowledge")
        // Without session ids the replayed proof verifies; only the later share check catches party 2.
        let without = try replayedError(suite, recordIn: [], replayIn: [])
        #expect(without?.culprits == [Self.p2])
        #expect(reason(without) == "round-2 share does not match its commitment")
    }

    /// Records party 2's round-1 package in one run and shows it to party 1 in another; party 1's error.
    func replayedError<C: FROSTCiphersuite>(_: C.Type, recordIn a: [UInt8], replayIn b: [UInt8]) throws -> FROSTError? {
        var recorded: DKGRound1Package<C>?
        var first = DKGSimulation<C>()
        first.sessionID = a
        first.round1Inbox = { to, inbox in
            if to == Self.p1 { recorded = inbox.first { $0.from == Self.p2 }?.package }
            return inbox
        }
        #expect(try first.run(n: 3, t: 2, seed: 90).values.compactMap(\.dkgOutput).count == 3)
        let old = try #require(recorded)
        var second = DKGSimulation<C>()
        second.sessionID = b
        second.round1Inbox = { to, inbox in
            to == Self.p1 ? inbox.map { $0.from == Self.p2 ? (from: Self.p2, package: old) : $0 } : inbox
        }
        return try second.run(n: 3, t: 2, seed: 91)[Self.p1]?.dkgError
    }

    func reason(_ e: FROSTError?) -> String? {
        if case .misbehaving(let list)? = e { return list.first?.reason }
        return nil
    }

    @Test func taprootProofWithOddRIsRefused() throws {
        typealias C = FROSTSecp256k1Taproot
        let e = try round1Error(C.self) { inbox in
            self.replacing(inbox, from: Self.p2) {
                // (−R, −k + a·c) would satisfy the plain Schnorr equation for a challenge over −R; the Taproot
                // proof must carry an even R, so a negated R is refused before anything else.
                DKGRound1Package(commitment: $0.commitment,
                                 proofOfKnowledge: DKGProofOfKnowledge(R: C.Element.identity - $0.proofOfKnowledge.R, mu: $0.proofOfKnowledge.mu))
            }
        }
        #expect(e?.culprits == [Self.p2])
        // Every honest Taproot proof has an even R and encodes in 64 bytes.
        var rng = SeededRandom(seed: 9)
        let params = try KeyGenParameters(count: 3, threshold: 2)
        for _ in 0..<16 {
            let step = try DKG<C>.round1(identifier: Self.p1, parameters: params, using: &rng)
            #expect(try step.package.proofOfKnowledge.R.hasEvenY())
            #expect(try step.package.serialized().count == 3 + 2 + 2 * 33 + 64)
        }
    }
}
