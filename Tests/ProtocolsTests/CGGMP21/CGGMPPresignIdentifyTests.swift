import Testing
@testable import Protocols

/// Identification after a failed δ check (eprint 2021/060, Fig. 7, Output, error step): Π^mul, Π^aff-g,
/// Π^dec. Party 2 cheats in each test; the honest parties 1 and 3 must name it, and only it.
@Suite("CGGMP21 presign identification")
struct CGGMPPresignIdentifyTests {
    typealias H = CGGMPHarness
    let q = CGGMPProfile.curveOrder
    let signers: [CGGMPPartyId] = [1, 2, 3]
    let honest: [CGGMPPartyId] = [1, 3]

    /// Party 2 announces δ_2 + shift to everyone in round 3. (The δ_1 it receives is shifted as well, so
    /// that its own check fails too and it takes part in identification, as a cheater that wants to
    /// look honest would.)
    func deltaLie(_ shift: BigNum) -> H.Adversary {
        var adv = H.Adversary()
        adv.round3 = { m in
            guard m.from == 2 || m.to == 2 else { return m }
            return PresignRound3Message(from: m.from, to: m.to, delta: (m.delta + shift).mod(CGGMPProfile.curveOrder),
                                        Delta: m.Delta, S: m.S, psiDoublePrime: m.psiDoublePrime)
        }
        return adv
    }

    func presignFailingDelta(seed: UInt64, shift: BigNum) throws -> [CGGMPPartyId: H.PartyResult] {
        let keys = try H.dealer(n: 3, t: 2, seed: seed)
        let results = try H.presign(keys, signers: signers, adversary: deltaLie(shift))
        for i in signers {
            guard case .identify? = results[i] else { throw CGGMPError.invalidInput("party \(i) did not go to identification") }
        }
        return results
    }

    func proofContext() -> CGGMPProofContext {
        CGGMPProofContext(sessionId: Array("CGGMP21/presign".utf8) + Array("presign-1".utf8), proverId: [0, 2], round: 4)
    }

    /// Party 2's message `m` with H_2 and the sent pairs replaced, and Π^dec honestly re-proven (with party 2's
    /// Paillier key) for the resulting U_2 and its decryption mod q: what a cheater covering a wrong δ_2 sends.
    func reproved(_ m: PresignIdentifyMessage, H newH: BigNum, sent: [CGGMPPartyId: PresignIdentifyMessage.MtA],
                  using rng: inout SeededRandom) throws -> PresignIdentifyMessage {
        let sk2 = try CGGMPFixtures.paillierKey(H.profile, 1)
        let pk2 = sk2.publicKey
        let lying = m.delta.with(H: newH, sent: sent)
        let U = try #require(lying.aggregate(pk: pk2))
        let y = try sk2.decryptSigned(U)
        let aux = try CGGMPFixtures.ringPedersen(H.profile, Int(m.to) - 1).parameters
        let dec = try PiDec.prove(.init(pk: pk2, C: U, x: y.mod(q)), y: y, rho: try #require(sk2.recoverNonce(U)),
                                  verifierAux: aux, profile: H.profile, context: proofContext(), using: &rng)
        return m.with(delta: lying.with(piDec: dec))
    }

    /// Asserts that each honest party names exactly party 2, and `check` accepts the blame.
    func expectOnlyCheaterNamed(_ verdicts: [CGGMPPartyId: PresignIdentificationResult],
                                _ check: (CGGMPPartyId, CGGMPBlame) -> Bool) {
        H.expectOnly(2, namedBy: honest, verdicts, check)
    }

    func isBadProof(_ b: CGGMPBlame, _ kind: CGGMPProofKind) -> Bool { H.isBadProof(b, kind, round: 4) }

    /// A wrong δ_2: its honest Π^dec proves the true δ_2, which is not what it announced.
    @Test func wrongDeltaNamedByPiDec() throws {
        let results = try presignFailingDelta(seed: 21, shift: .one)
        let verdicts = try H.identify(results)
        expectOnlyCheaterNamed(verdicts) { _, b in isBadProof(b, .dec) }
    }

    /// The verdict follows the δ_j each verifier was announced: the cheater (party 2) was shown δ_1 + 1 and
    /// δ_3 + 1, so the honest Π^dec of parties 1 and 3 fail for it, while the honest parties never name 1 or 3.
    @Test func verdictFollowsAnnouncedDelta() throws {
        let results = try presignFailingDelta(seed: 22, shift: .one)
        let verdicts = try H.identify(results)
        for i in honest { #expect(verdicts[i].map { Set($0.culprits.keys) } == [2]) }
        #expect(verdicts[2].map { Set($0.culprits.keys) } == [1, 3])
    }

    /// A wrong δ_2 covered in identification by H_2' = H_2·enc(1), with Π^dec re-proven honestly for the
    /// announced δ_2 + 1: Π^mul (H_2 must be enc(k_2·γ_2)) names it.
    @Test func forgedHNamedByPiMul() throws {
        let results = try presignFailingDelta(seed: 23, shift: .one)
        let pk2 = try CGGMPFixtures.paillierKey(H.profile, 1).publicKey
        var rng = SeededRandom(seed: 77)
        let verdicts = try H.identify(results) { m in
            guard m.from == 2 else { return m }
            let H2 = m.delta.H.mulMod(try pk2.encrypt(.one, nonce: BigNum(5)), pk2.nSquared)
            return try reproved(m, H: H2, sent: m.delta.sent, using: &rng)
        }
        expectOnlyCheaterNamed(verdicts) { _, b in isBadProof(b, .mul) }
    }

    /// A forged Π^dec for the announced δ_2 + 1: z1 is moved so that z1 ≡ γ + e'·(δ_2 + 1) mod q holds for
    /// the verifier's challenge e'; the Paillier equation still names it.
    @Test func forgedPiDecNamed() throws {
        let results = try presignFailingDelta(seed: 24, shift: .one)
        let sk2 = try CGGMPFixtures.paillierKey(H.profile, 1)
        let verdicts = try H.identify(results) { m in
            guard m.from == 2 else { return m }
            let U = try #require(m.delta.aggregate(pk: sk2.publicKey))
            let y = try sk2.decryptSigned(U)
            let aux = try CGGMPFixtures.ringPedersen(H.profile, Int(m.to) - 1).parameters
            let p = m.delta.piDec
            let e = PiDec.challenge(.init(pk: sk2.publicKey, C: U, x: y.mod(q)), aux: aux, p.S, p.T, p.A, p.gamma, context: proofContext())
            let lied = (y + .one).mod(q)
            let e2 = PiDec.challenge(.init(pk: sk2.publicKey, C: U, x: lied), aux: aux, p.S, p.T, p.A, p.gamma, context: proofContext())
            let z1 = p.z1 + (e2 - e) * y + e2
            #expect(z1.mod(q) == (p.gamma + e2 * lied).mod(q))
            let forged = PiDec(S: p.S, T: p.T, A: p.A, gamma: p.gamma, z1: z1, z2: p.z2, w: p.w)
            return m.with(delta: m.delta.with(piDec: forged))
        }
        expectOnlyCheaterNamed(verdicts) { _, b in
            if case .badProof(.dec, 4, .equationFailed(let eq)) = b { return eq.hasPrefix("(1+N0)^z1") }
            return false
        }
    }

    /// A lie about the MtA it ran with party 1: party 2 announces δ_2 − 1 and claims F_{1,2}' = F_{1,2}·enc(1)
    /// (so U_2 decrypts to y − 1 and its Π^dec verifies). Party 1 sees a pair that is not what it received;
    /// party 3 sees a Π^aff-g that does not hold for the claimed pair.
    @Test func mtaLieNamed() throws {
        let results = try presignFailingDelta(seed: 25, shift: q - .one)
        let pk2 = try CGGMPFixtures.paillierKey(H.profile, 1).publicKey
        var rng = SeededRandom(seed: 78)
        let verdicts = try H.identify(results) { m in
            guard m.from == 2, let pair = m.delta.sent[1] else { return m }
            var sent = m.delta.sent
            sent[1] = .init(D: pair.D, F: pair.F.mulMod(try pk2.encrypt(.one, nonce: BigNum(7)), pk2.nSquared))
            return try reproved(m, H: m.delta.H, sent: sent, using: &rng)
        }
        expectOnlyCheaterNamed(verdicts) { i, b in
            if i == 1, case .inconsistent = b { return true }
            return i == 3 && isBadProof(b, .affG)
        }
    }

    /// Hostile identification messages (checklist 9: values from the network): a ciphertext that is not a unit and
    /// a message without its Π^aff-g entries are refused with a blame, before any proof arithmetic, and never crash.
    @Test func hostileIdentificationMessagesNamed() throws {
        let results = try presignFailingDelta(seed: 27, shift: .one)
        let verdicts = try H.identify(results) { m in
            switch (m.from, m.to) {
            case (2, 1):
                return m.with(delta: m.delta.with(H: .zero))
            case (3, 1):
                return m.with(chi: m.chi.with(affG: [:]))
            default: return m
            }
        }
        #expect(verdicts[1]?.culprits == [2: .malformed("H not in Z*_{N²}"), 3: .malformed("identification: wrong entries")])
        #expect(verdicts[3].map { Set($0.culprits.keys) } == [2])
    }

    /// Identification messages survive their encoding; a flipped byte or a trailing byte is refused or
    /// makes the proof fail.
    @Test func identifyMessageWire() throws {
        let results = try presignFailingDelta(seed: 26, shift: .one)
        var captured = [PresignIdentifyMessage]()
        _ = try H.identify(results) { m in captured.append(m); return m }
        #expect(captured.count == 6)
        for m in captured {
            let bytes = try m.encoded(profile: H.profile)
            #expect(try PresignIdentifyMessage(encoded: bytes, profile: H.profile) == m)
            #expect(throws: CGGMPError.self) { try PresignIdentifyMessage(encoded: bytes + [0], profile: H.profile) }
            #expect(throws: CGGMPError.self) { try PresignIdentifyMessage(encoded: Array(bytes.dropLast()), profile: H.profile) }
        }
        // Every message to party 1 carries Π^aff-g for exactly the third party, Π^dec against party 1's parameters.
        for m in captured where m.to == 1 {
            #expect(Set(m.delta.affG.keys) == Set(signers).subtracting([1, m.from]))
            #expect(Set(m.chi.affG.keys) == Set(signers).subtracting([1, m.from]))
        }
    }
}
