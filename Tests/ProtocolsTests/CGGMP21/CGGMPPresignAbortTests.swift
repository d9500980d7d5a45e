import Testing
@testable import Protocols

/// Identifiable abort in the presigning rounds and message validation (identification after a failed
/// δ or χ check: CGGMPPresignIdentifyTests, CGGMPPresignChiIdentifyTests).
@Suite("CGGMP21 presign identifiable abort")
struct CGGMPPresignAbortTests {
    typealias H = CGGMPHarness
    let q = CGGMPProfile.curveOrder
    let signers: [CGGMPPartyId] = [1, 2, 3]

    func errors(_ r: [CGGMPPartyId: H.PartyResult]) -> [CGGMPPartyId: CGGMPProtocolError] {
        var out = [CGGMPPartyId: CGGMPProtocolError]()
        for (i, v) in r { if case .failed(let e) = v { out[i] = e } }
        return out
    }

    func isBadProof(_ e: CGGMPProtocolError?, culprit: CGGMPPartyId, _ kind: CGGMPProofKind, round: Int) -> Bool {
        guard case .culprits(let c)? = e, c.count == 1, case .badProof(let k, let r, _)? = c[culprit] else { return false }
        return k == kind && r == round
    }

    @Test func badMtAShareNamesItsProver() throws {
        let keys = try H.dealer(n: 3, t: 2, seed: 12)
        var adv = H.Adversary()
        adv.round2 = { m in
            guard m.from == 2, m.to == 1 else { return m }
            // D_{1,2} ⊕ enc(1): a wrong MtA share (α off by one); Π^aff-g no longer holds.
            let sk1 = try? CGGMPFixtures.paillierKey(H.profile, 0)
            guard let pk = sk1?.publicKey, let one = try? pk.encrypt(.one, nonce: BigNum(3)) else { return m }
            return PresignRound2Message(from: m.from, to: m.to, Gamma: m.Gamma, D: m.D.mulMod(one, pk.nSquared), F: m.F,
                                        Dhat: m.Dhat, Fhat: m.Fhat, psi: m.psi, psiHat: m.psiHat, psiPrime: m.psiPrime, echo: m.echo)
        }
        let errs = errors(try H.presign(keys, signers: signers, adversary: adv))
        #expect(errs.count == 1)
        #expect(isBadProof(errs[1], culprit: 2, .affG, round: 2))
    }

    /// Checklist 9: ciphertexts that are not units of Z*_{N²} (0, or a multiple of N) in rounds 1 and 2 name their
    /// sender, before any arithmetic on them, and crash nothing.
    @Test func nonUnitCiphertextsNameTheirSender() throws {
        let keys = try H.dealer(n: 3, t: 2, seed: 16)
        let pk1 = try CGGMPFixtures.paillierKey(H.profile, 0).publicKey
        let pk2 = try CGGMPFixtures.paillierKey(H.profile, 1).publicKey
        var a1 = H.Adversary()
        a1.round1 = { m in
            switch (m.from, m.to) {
            case (2, 1): PresignRound1Message(from: m.from, to: m.to, K: m.K, G: pk2.n, psi0: m.psi0)        // gcd(G, N_2) = N_2
            case (2, 3): PresignRound1Message(from: m.from, to: m.to, K: .zero, G: m.G, psi0: m.psi0)
            default: m
            }
        }
        var errs = errors(try H.presign(keys, signers: signers, adversary: a1))
        #expect(errs[1] == .culprits([2: .malformed("G not in Z*_{N²}")]), "\(String(describing: errs[1]))")
        #expect(isBadProof(errs[3], culprit: 2, .enc, round: 1), "\(String(describing: errs[3]))")
        var a2 = H.Adversary()
        a2.round2 = { m in
            switch (m.from, m.to) {
            case (2, 1):
                PresignRound2Message(from: m.from, to: m.to, Gamma: m.Gamma, D: m.D, F: m.F, Dhat: pk1.n * .two, Fhat: m.Fhat,
                                     psi: m.psi, psiHat: m.psiHat, psiPrime: m.psiPrime, echo: m.echo)
            case (2, 3):
                PresignRound2Message(from: m.from, to: m.to, Gamma: m.Gamma, D: m.D, F: .zero, Dhat: m.Dhat, Fhat: m.Fhat,
                                     psi: m.psi, psiHat: m.psiHat, psiPrime: m.psiPrime, echo: m.echo)
            default: m
            }
        }
        errs = errors(try H.presign(keys, signers: signers, adversary: a2))
        #expect(isBadProof(errs[1], culprit: 2, .affG, round: 2), "\(String(describing: errs[1]))")
        #expect(isBadProof(errs[3], culprit: 2, .affG, round: 2), "\(String(describing: errs[3]))")
        #expect(errs[2] == nil)
    }

    @Test func badProofsNameTheirProvers() throws {
        let keys = try H.dealer(n: 3, t: 2, seed: 13)
        // Π^enc (round 1).
        var a1 = H.Adversary()
        a1.round1 = { m in
            guard m.from == 3, m.to == 2 else { return m }
            let p = m.psi0
            return PresignRound1Message(from: m.from, to: m.to, K: m.K, G: m.G,
                                        psi0: PiEnc(S: p.S, A: p.A, C: p.C, z1: p.z1 + .one, z2: p.z2, z3: p.z3))
        }
        var errs = errors(try H.presign(keys, signers: signers, adversary: a1))
        #expect(errs.count == 1 && isBadProof(errs[2], culprit: 3, .enc, round: 1))
        // Γ_i replaced (round 2): Π^aff-g on X = Γ fails first.
        var a2 = H.Adversary()
        a2.round2 = { m in
            guard m.from == 1, m.to == 3 else { return m }
            return PresignRound2Message(from: m.from, to: m.to, Gamma: m.Gamma + .generator, D: m.D, F: m.F, Dhat: m.Dhat,
                                        Fhat: m.Fhat, psi: m.psi, psiHat: m.psiHat, psiPrime: m.psiPrime, echo: m.echo)
        }
        errs = errors(try H.presign(keys, signers: signers, adversary: a2))
        #expect(errs.count == 1 && isBadProof(errs[3], culprit: 1, .affG, round: 2))
        // Π^log* for Γ_i tampered (round 2).
        var a3 = H.Adversary()
        a3.round2 = { m in
            guard m.from == 1, m.to == 2 else { return m }
            let p = m.psiPrime
            let bad = PiLogStar<Secp256k1Group>(S: p.S, A: p.A, Y: p.Y + .generator, D: p.D, z1: p.z1, z2: p.z2, z3: p.z3)
            return PresignRound2Message(from: m.from, to: m.to, Gamma: m.Gamma, D: m.D, F: m.F, Dhat: m.Dhat,
                                        Fhat: m.Fhat, psi: m.psi, psiHat: m.psiHat, psiPrime: bad, echo: m.echo)
        }
        errs = errors(try H.presign(keys, signers: signers, adversary: a3))
        #expect(errs.count == 1 && isBadProof(errs[2], culprit: 1, .logStar, round: 2))
        // Δ_i replaced (round 3): Π^log* in base Γ fails.
        var a4 = H.Adversary()
        a4.round3 = { m in
            guard m.from == 2, m.to == 3 else { return m }
            return PresignRound3Message(from: m.from, to: m.to, delta: m.delta, Delta: m.Delta + .generator, S: m.S,
                                        psiDoublePrime: m.psiDoublePrime)
        }
        errs = errors(try H.presign(keys, signers: signers, adversary: a4))
        #expect(errs.count == 1 && isBadProof(errs[3], culprit: 2, .logStar, round: 3))
        // S_i replaced (round 3): Σ S_j ≠ δ·X at the parties shown it: they go to identification (the χ check
        // failed; CGGMPPresignChiIdentifyTests name the culprit), party 2 itself saw nothing wrong.
        var a5 = H.Adversary()
        a5.round3 = { m in
            guard m.from == 2 else { return m }
            return PresignRound3Message(from: m.from, to: m.to, delta: m.delta, Delta: m.Delta, S: m.S + .generator,
                                        psiDoublePrime: m.psiDoublePrime)
        }
        let r5 = try H.presign(keys, signers: signers, adversary: a5)
        for i: CGGMPPartyId in [1, 3] {
            guard case .identify(_, let failed)? = r5[i] else { Issue.record("party \(i) did not go to identification"); continue }
            #expect(failed == .chi)
        }
        guard case .presignature? = r5[2] else { Issue.record("party 2 saw consistent values"); return }
    }

    /// Checklist 12: party 1 equivocates in round 1 (a different, validly proven K_1 to party 3);
    /// the echo in round 2 catches it and the honest parties abort.
    @Test func equivocatingBroadcastCaughtByEcho() throws {
        let keys = try H.dealer(n: 3, t: 2, seed: 14)
        let profile = H.profile
        let sk1 = try CGGMPFixtures.paillierKey(profile, 0)
        let aux3 = try CGGMPFixtures.ringPedersen(profile, 2).parameters
        var adv = H.Adversary()
        adv.round1 = { m in
            guard m.from == 1, m.to == 3 else { return m }
            var rng = SeededRandom(seed: 99)
            let k = BigNum(424242)
            let (K, rho) = sk1.encrypt(k, using: &rng)
            let ctx = CGGMPProofContext(sessionId: Array("CGGMP21/presign".utf8) + Array("presign-1".utf8), proverId: [0, 1], round: 1)
            guard let pi = try? PiEnc.prove(pk: sk1.publicKey, K: K, k: k, rho: rho, verifierAux: aux3, profile: profile,
                                            context: ctx, using: &rng) else { return m }
            return PresignRound1Message(from: 1, to: 3, K: K, G: m.G, psi0: pi)
        }
        let errs = errors(try H.presign(keys, signers: signers, adversary: adv))
        #expect(errs[3] == .echoMismatch([1, 2]))
        #expect(errs[2] == .echoMismatch([3]))
        #expect(errs[1] == .echoMismatch([3]))
    }

    @Test func messageValidationBeforeArithmetic() throws {
        let keys = try H.dealer(n: 3, t: 2, seed: 15)
        var rng = SeededRandom(seed: 5)
        var msgs = [PresignRound1Message]()
        for i in signers {
            let s = try CGGMPPresign.start(keyShare: try #require(keys.shares[i]), aux: try #require(keys.aux[i]), signers: signers,
                                           sessionId: Array("v".utf8), profile: H.profile, using: &rng)
            msgs += s.messages
        }
        let to1 = msgs.filter { $0.to == 1 }
        guard let m2 = to1.first(where: { $0.from == 2 }), let m3 = to1.first(where: { $0.from == 3 }),
              let m3to2 = msgs.first(where: { $0.from == 3 && $0.to == 2 }) else { Issue.record("setup"); return }
        let fromSelf = PresignRound1Message(from: 1, to: 1, K: m2.K, G: m2.G, psi0: m2.psi0)
        let unknown = PresignRound1Message(from: 7, to: 1, K: m2.K, G: m2.G, psi0: m2.psi0)
        let cases: [([PresignRound1Message], CGGMPProtocolError)] = [
            ([m2], .wrongMessageCount(expected: 2, got: 1)),
            ([m2, m3, m3], .wrongMessageCount(expected: 2, got: 3)),
            ([m2, m2], .duplicateSender(2)),
            ([m2, unknown], .unknownSender(7)),
            ([m2, fromSelf], .messageFromSelf),
            ([m2, m3to2], .misaddressed(from: 3)),
        ]
        for (inbox, expected) in cases {
            let s = try CGGMPPresign.start(keyShare: try #require(keys.shares[1]), aux: try #require(keys.aux[1]), signers: signers,
                                           sessionId: Array("v".utf8), profile: H.profile, using: &rng)
            let state = s.state
            do { _ = try state.receive(inbox, using: &rng); Issue.record("accepted \(expected)") } catch { #expect(error == expected) }
        }
        // Bad signer sets are refused up front.
        for bad: [CGGMPPartyId] in [[1], [1, 1, 2], [2, 3], [1, 9]] {
            do {
                _ = try CGGMPPresign.start(keyShare: try #require(keys.shares[1]), aux: try #require(keys.aux[1]), signers: bad,
                                           sessionId: Array("v".utf8), profile: H.profile, using: &rng)
                Issue.record("accepted signer set \(bad)")
            } catch {}
        }
    }
}

extension CGGMPPresignAbortTests {
    /// Checklist 15: identity points in round 2 / round 3 are refused and name the sender.
    @Test func identityPointsRefused() throws {
        let keys = try H.dealer(n: 3, t: 2, seed: 16)
        var adv = H.Adversary()
        adv.round2 = { m in
            guard m.from == 3, m.to == 1 else { return m }
            return PresignRound2Message(from: m.from, to: m.to, Gamma: .identity, D: m.D, F: m.F, Dhat: m.Dhat,
                                        Fhat: m.Fhat, psi: m.psi, psiHat: m.psiHat, psiPrime: m.psiPrime, echo: m.echo)
        }
        var errs = errors(try H.presign(keys, signers: signers, adversary: adv))
        #expect(errs[1] == .culprits([3: .malformed("Γ is the identity")]))
        var adv3 = H.Adversary()
        adv3.round3 = { m in
            guard m.from == 1, m.to == 2 else { return m }
            return PresignRound3Message(from: m.from, to: m.to, delta: m.delta, Delta: m.Delta, S: .identity,
                                        psiDoublePrime: m.psiDoublePrime)
        }
        errs = errors(try H.presign(keys, signers: signers, adversary: adv3))
        #expect(errs[2] == .culprits([1: .malformed("Δ or S is the identity")]))
    }
}
