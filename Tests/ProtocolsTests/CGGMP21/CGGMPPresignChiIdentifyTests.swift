import Testing
@testable import Protocols

/// Identification after a failed χ check (Σ S_j ≠ δ·X with δ right): the χ part of the identification message
/// (Π^mul*, Π^aff-g with X_i, σ*_i = m*·k_i + χ_i with Π^dec, and σ*_i·Γ = m*·Δ_i + S_i). Party 2 cheats in each
/// test; the honest parties 1 and 3 must name it, and only it.
@Suite("CGGMP21 presign χ identification")
struct CGGMPPresignChiIdentifyTests {
    typealias H = CGGMPHarness
    let q = CGGMPProfile.curveOrder
    let signers: [CGGMPPartyId] = [1, 2, 3]
    let honest: [CGGMPPartyId] = [1, 3]

    /// What the adversary saw while relaying: K_j (round 1) and Γ_j (round 2).
    final class Seen: @unchecked Sendable {
        var K = [CGGMPPartyId: BigNum]()
        var Gammas = [CGGMPPartyId: Secp256k1Point]()
        var Gamma: Secp256k1Point { Gammas.values.reduce(.identity, +) }
    }

    /// Party 2 announces S_2 + shift to everyone in round 3 (δ untouched), and shifts the S_1 it receives the same
    /// way, so that its own χ check fails too and it takes part in identification, as a cheater that wants to look
    /// honest would. `shift` gets Γ (to move χ_2 by a known amount: S_2 + Γ is (χ_2 + 1)·Γ).
    func sLie(_ seen: Seen = Seen(), _ shift: @escaping (Secp256k1Point) -> Secp256k1Point) -> H.Adversary {
        var adv = H.Adversary()
        adv.round1 = { m in seen.K[m.from] = m.K; return m }
        adv.round2 = { m in seen.Gammas[m.from] = m.Gamma; return m }
        adv.round3 = { m in
            guard m.from == 2 || (m.from == 1 && m.to == 2) else { return m }
            return PresignRound3Message(from: m.from, to: m.to, delta: m.delta, Delta: m.Delta, S: m.S + shift(seen.Gamma),
                                        psiDoublePrime: m.psiDoublePrime)
        }
        return adv
    }

    func presignFailingChi(seed: UInt64, adversary: H.Adversary) throws -> [CGGMPPartyId: H.PartyResult] {
        let keys = try H.dealer(n: 3, t: 2, seed: seed)
        let results = try H.presign(keys, signers: signers, adversary: adversary)
        for i in signers {
            guard case .identify(_, let failed)? = results[i] else { throw CGGMPError.invalidInput("party \(i) did not go to identification") }
            #expect(failed == .chi, "party \(i): the δ check must hold")
        }
        return results
    }

    func chiContext() -> CGGMPProofContext {
        CGGMPProofContext(sessionId: Array("CGGMP21/presign".utf8) + Array("presign-1".utf8), proverId: [0, 2], round: 5)
    }

    /// m* of the harness session "presign-1".
    var mStar: BigNum {
        BigNum(bytes: cggmpFramedHash("CGGMP21/presign/chi-identification", [Array("presign-1".utf8)])).mod(q)
    }

    /// Party 2's message with the χ part's Ĥ or pairs replaced, σ* set to what the new K_2^{m*}·Û_2 decrypts to
    /// mod q, and Π^dec honestly re-proven for it (with party 2's Paillier key): a cheater covering S_2 + Γ.
    func reproved(_ m: PresignIdentifyMessage, chi part: PresignIdentifyMessage.Part, K2: BigNum,
                  using rng: inout SeededRandom) throws -> PresignIdentifyMessage {
        let sk2 = try CGGMPFixtures.paillierKey(H.profile, 1)
        let pk2 = sk2.publicKey
        let C = try #require(pk2.unitPow(K2, mStar)).mulMod(try #require(part.aggregate(pk: pk2)), pk2.nSquared)
        let y = try sk2.decryptSigned(C)
        let aux = try CGGMPFixtures.ringPedersen(H.profile, Int(m.to) - 1).parameters
        let dec = try PiDec.prove(.init(pk: pk2, C: C, x: y.mod(q)), y: y, rho: try #require(sk2.recoverNonce(C)),
                                  verifierAux: aux, profile: H.profile, context: chiContext(), using: &rng)
        return m.with(chi: part.with(piDec: dec), sigmaStar: y.mod(q))
    }

    func expectOnlyCheaterNamed(_ verdicts: [CGGMPPartyId: PresignIdentificationResult],
                                _ check: (CGGMPPartyId, CGGMPBlame) -> Bool) {
        H.expectOnly(2, namedBy: honest, verdicts, check)
    }

    func isBadProof(_ b: CGGMPBlame, _ kind: CGGMPProofKind) -> Bool { H.isBadProof(b, kind, round: 5) }

    /// S_2 + G: party 2's honest σ*_2 (of its true χ_2) does not satisfy σ*·Γ = m*·Δ_2 + S_2 for the S_2 it announced.
    @Test func wrongSNamed() throws {
        let results = try presignFailingChi(seed: 31, adversary: sLie { _ in .generator })
        let verdicts = try H.identify(results)
        expectOnlyCheaterNamed(verdicts) { _, b in b == .inconsistent("σ* does not match the Δ_i and S_i it announced") }
        // The cheater itself was shown S_1 + G and names party 1: its verdict is its own business.
        #expect(verdicts[2].map { Set($0.culprits.keys) } == [1])
    }

    /// S_2 + Γ, i.e. χ_2 + 1, covered by σ*_2 + 1 (so the group check holds): its honest Π^dec proves σ*_2.
    @Test func coveredSigmaNamedByPiDec() throws {
        let results = try presignFailingChi(seed: 32, adversary: sLie { $0 })
        let verdicts = try H.identify(results) { m in
            guard m.from == 2 else { return m }
            return m.with(sigmaStar: (m.sigmaStar + .one).mod(CGGMPProfile.curveOrder))
        }
        expectOnlyCheaterNamed(verdicts) { _, b in isBadProof(b, .dec) }
    }

    /// S_2 + Γ covered by Ĥ_2' = Ĥ_2·enc(1), σ*_2 + 1 and Π^dec re-proven honestly for the new ciphertext: Π^mul*
    /// (Ĥ_2 must be K_2^{x_2} for the x_2 of X_2) names it.
    @Test func forgedHhatNamedByPiMulStar() throws {
        let seen = Seen()
        let results = try presignFailingChi(seed: 33, adversary: sLie(seen) { $0 })
        let pk2 = try CGGMPFixtures.paillierKey(H.profile, 1).publicKey
        var rng = SeededRandom(seed: 79)
        let round1K2 = try #require(seen.K[2])
        let verdicts = try H.identify(results) { m in
            guard m.from == 2 else { return m }
            let Hhat = m.chi.H.mulMod(try pk2.encrypt(.one, nonce: BigNum(5)), pk2.nSquared)
            let out = try reproved(m, chi: m.chi.with(H: Hhat), K2: round1K2, using: &rng)
            #expect(out.sigmaStar == (m.sigmaStar + .one).mod(CGGMPProfile.curveOrder))
            return out
        }
        expectOnlyCheaterNamed(verdicts) { _, b in isBadProof(b, .mulStar) }
    }

    /// A lie about the x-MtA it ran with party 1, covering S_2 + Γ: F̂_{1,2}' = F̂_{1,2}·enc(−1) (so Û_2 decrypts one
    /// higher and Π^dec re-proven for σ*_2 + 1 verifies). Party 1 sees a pair that is not what it received; party 3
    /// sees a Π^aff-g (X = X_2) that does not hold for the claimed pair.
    @Test func xMtaLieNamed() throws {
        let seen = Seen()
        let results = try presignFailingChi(seed: 34, adversary: sLie(seen) { $0 })
        let pk2 = try CGGMPFixtures.paillierKey(H.profile, 1).publicKey
        let round1K2 = try #require(seen.K[2])
        var rng = SeededRandom(seed: 80)
        let verdicts = try H.identify(results) { m in
            guard m.from == 2, let pair = m.chi.sent[1] else { return m }
            var sent = m.chi.sent
            sent[1] = .init(D: pair.D, F: pair.F.mulMod(try pk2.encrypt(pk2.n - .one, nonce: BigNum(7)), pk2.nSquared))
            let out = try reproved(m, chi: m.chi.with(sent: sent), K2: round1K2, using: &rng)
            #expect(out.sigmaStar == (m.sigmaStar + .one).mod(CGGMPProfile.curveOrder))
            return out
        }
        expectOnlyCheaterNamed(verdicts) { i, b in
            if i == 1, case .inconsistent("the MtA pair it sent us differs from round 2") = b { return true }
            return i == 3 && isBadProof(b, .affG)
        }
    }

    /// Round 3 has no echo: party 2 shows party 1 a wrong δ_2 and party 3 a wrong S_2. Party 1's δ check fails,
    /// party 3's χ check fails; as every party proves both values, each honest party names party 2 from its own view.
    @Test func splitRound3LieNamedByBoth() throws {
        let keys = try H.dealer(n: 3, t: 2, seed: 35)
        var adv = H.Adversary()
        adv.round3 = { m in
            switch (m.from, m.to) {
            case (2, 1), (3, 2):
                PresignRound3Message(from: m.from, to: m.to, delta: (m.delta + .one).mod(CGGMPProfile.curveOrder), Delta: m.Delta,
                                     S: m.S, psiDoublePrime: m.psiDoublePrime)
            case (2, 3):
                PresignRound3Message(from: m.from, to: m.to, delta: m.delta, Delta: m.Delta, S: m.S + .generator,
                                     psiDoublePrime: m.psiDoublePrime)
            default: m
            }
        }
        let results = try H.presign(keys, signers: signers, adversary: adv)
        guard case .identify(_, let f1)? = results[1], case .identify(_, let f3)? = results[3], case .identify? = results[2] else {
            Issue.record("every party must go to identification"); return
        }
        #expect(f1 == .delta && f3 == .chi)
        let verdicts = try H.identify(results)
        #expect(verdicts[1]?.culprits.keys.sorted() == [2])
        if let b = verdicts[1]?.culprits[2] { #expect(H.isBadProof(b, .dec, round: 4), "\(b)") }
        #expect(verdicts[3]?.culprits == [2: .inconsistent("σ* does not match the Δ_i and S_i it announced")])
    }

    /// Two colluding cheaters among four signers: party 2 lies about S_2, party 3 about δ_3 (each also shifts one value
    /// it receives, to take part). The δ check fails at the honest parties 1 and 4; identification names both cheaters,
    /// each for its own lie, and never an honest party.
    @Test func twoCheatersBothNamed() throws {
        let four: [CGGMPPartyId] = [1, 2, 3, 4]
        let keys = try H.dealer(n: 4, t: 3, seed: 38)
        var adv = H.Adversary()
        adv.round3 = { m in
            if m.from == 2 || (m.from == 1 && m.to == 2) {
                return PresignRound3Message(from: m.from, to: m.to, delta: m.delta, Delta: m.Delta, S: m.S + .generator,
                                            psiDoublePrime: m.psiDoublePrime)
            }
            if m.from == 3 || (m.from == 1 && m.to == 3) {
                return PresignRound3Message(from: m.from, to: m.to, delta: (m.delta + .one).mod(CGGMPProfile.curveOrder), Delta: m.Delta,
                                            S: m.S, psiDoublePrime: m.psiDoublePrime)
            }
            return m
        }
        let results = try H.presign(keys, signers: four, adversary: adv)
        for i: CGGMPPartyId in [1, 4] {
            guard case .identify(_, let failed)? = results[i] else { Issue.record("party \(i) did not go to identification"); return }
            #expect(failed == .delta)
        }
        let verdicts = try H.identify(results)
        for i: CGGMPPartyId in [1, 4] {
            let culprits = verdicts[i]?.culprits ?? [:]
            #expect(Set(culprits.keys) == [2, 3], "party \(i) named \(culprits)")
            #expect(culprits[2] == .inconsistent("σ* does not match the Δ_i and S_i it announced"), "party \(i): \(String(describing: culprits[2]))")
            if let b = culprits[3] { #expect(H.isBadProof(b, .dec, round: 4), "party \(i): \(b)") }
            #expect(verdicts[i]?.disputes.isEmpty == true)
        }
    }

    /// Hostile χ parts (checklist 9): σ* ≥ q, Ĥ not a unit, a missing Π^aff-g, a Π^mul* proven in the δ part's context
    /// (round 4): each is refused with a blame and never crashes.
    @Test func hostileChiPartsNamed() throws {
        let results = try presignFailingChi(seed: 36, adversary: sLie { _ in .generator })
        let verdicts = try H.identify(results) { m in
            switch (m.from, m.to) {
            case (2, 1): return m.with(sigmaStar: CGGMPProfile.curveOrder)
            case (2, 3): return m.with(chi: m.chi.with(H: .zero))
            case (3, 1): return m.with(chi: m.chi.with(affG: [:]))
            default: return m
            }
        }
        #expect(verdicts[1]?.culprits == [2: .malformed("σ* not in [0, q)"), 3: .malformed("identification: wrong entries")])
        #expect(verdicts[3]?.culprits == [2: .malformed("H not in Z*_{N²}")])
    }

    /// The χ part's proofs are bound to their context: party 3's honest message with its χ part's Π^dec swapped for
    /// the δ part's (both against party 1's parameters) is refused.
    @Test func partsAreNotInterchangeable() throws {
        let results = try presignFailingChi(seed: 37, adversary: sLie { _ in .generator })
        let verdicts = try H.identify(results) { m in
            guard m.from == 3, m.to == 1 else { return m }
            return m.with(chi: m.chi.with(piDec: m.delta.piDec))
        }
        #expect(verdicts[1].map { Set($0.culprits.keys) } == [2, 3])
        if let b = verdicts[1]?.culprits[3] { #expect(isBadProof(b, .dec), "\(b)") }
    }
}
