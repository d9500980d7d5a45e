import Testing
@testable import Protocols

/// Aux info + key refresh (Fig. 6, threshold form) and presigning with the refreshed material.
@Suite("CGGMP21 aux info and key refresh")
struct CGGMPAuxRefreshTests {
    typealias H = CGGMPHarness
    let q = CGGMPProfile.curveOrder

    struct Adversary {
        var round1: (AuxRefreshRound1Message, CGGMPPartyId) -> AuxRefreshRound1Message = { m, _ in m }
        var round2: (AuxRefreshRound2Message, CGGMPPartyId) -> AuxRefreshRound2Message = { m, _ in m }
        var round3: (AuxRefreshRound3Message) -> AuxRefreshRound3Message = { $0 }
    }

    /// Runs the refresh for all parties; new Paillier keys are fixtures n..2n−1.
    func refresh(_ keys: H.Keys, adversary: Adversary = Adversary(), seed: UInt64 = 5)
        throws -> [CGGMPPartyId: Result<CGGMPAuxRefreshOutput, CGGMPProtocolError>] {
        var rng = SeededRandom(seed: seed)
        let ids = keys.shares.keys.sorted()
        let n = ids.count
        var s1 = [CGGMPPartyId: CGGMPSlot<AuxRefreshRound1State>](), m1 = [AuxRefreshRound1Message]()
        for i in ids {
            let sk = try CGGMPFixtures.paillierKey(H.profile, n + Int(i) - 1)
            let rp = try CGGMPFixtures.ringPedersen(H.profile, n + Int(i) - 1)
            let step = try CGGMPAuxRefresh.start(keyShare: try #require(keys.shares[i]), paillier: sk, ringPedersen: rp,
                                                 sessionId: Array("refresh-1".utf8), profile: H.profile, using: &rng)
            m1 += step.messages
            s1[i] = CGGMPSlot(step.state)
        }
        var results = [CGGMPPartyId: Result<CGGMPAuxRefreshOutput, CGGMPProtocolError>]()
        var s2 = [CGGMPPartyId: CGGMPSlot<AuxRefreshRound2State>](), m2 = [AuxRefreshRound2Message]()
        for i in ids {
            guard let st = s1[i]?.take() else { continue }
            let inbox = m1.filter { $0.from != i }.map { adversary.round1($0, i) }
            do { let step = try st.receive(inbox); m2 += step.messages; s2[i] = CGGMPSlot(step.state) }
            catch { results[i] = .failure(error) }
        }
        var s3 = [CGGMPPartyId: CGGMPSlot<AuxRefreshRound3State>](), m3 = [AuxRefreshRound3Message]()
        for i in ids {
            guard let st = s2[i]?.take() else { continue }
            let inbox = m2.filter { $0.from != i }.map { adversary.round2($0, i) }
            do { let step = try st.receive(inbox, using: &rng); m3 += step.messages.map(adversary.round3); s3[i] = CGGMPSlot(step.state) }
            catch { results[i] = .failure(error) }
        }
        guard results.isEmpty else { return results }
        for i in ids {
            guard let st = s3[i]?.take() else { continue }
            do { results[i] = .success(try st.receive(m3.filter { $0.to == i })) } catch { results[i] = .failure(error) }
        }
        return results
    }

    func failure(_ r: Result<CGGMPAuxRefreshOutput, CGGMPProtocolError>?) -> CGGMPProtocolError? {
        if case .failure(let e)? = r { return e }
        return nil
    }

    @Test func refreshKeepsKeyChangesSharesAndSigns() throws {
        let keys = try H.dealer(n: 3, t: 2, seed: 41)
        let results = try refresh(keys)
        var shares = [CGGMPPartyId: CGGMPKeyShare](), aux = [CGGMPPartyId: CGGMPAuxInfo]()
        for (i, r) in results { let o = try r.get(); shares[i] = o.keyShare; aux[i] = o.aux }
        try #require(shares.count == 3)
        for i: CGGMPPartyId in [1, 2, 3] {
            let new = try #require(shares[i]), old = try #require(keys.shares[i])
            #expect(new.publicKey == keys.publicKey)
            #expect(new.secretShare != old.secretShare)
            #expect(new.publicShares == (try #require(shares[1])).publicShares)
            #expect(try #require(aux[i]).peers.count == 2)
        }
        // New shares interpolate to the secret; old and new mixed do not.
        func interpolate(_ a: (CGGMPPartyId, BigNum), _ b: (CGGMPPartyId, BigNum)) -> BigNum {
            let la = CGGMPLagrange.coefficient(for: a.0, among: [a.0, b.0]) ?? .zero
            let lb = CGGMPLagrange.coefficient(for: b.0, among: [a.0, b.0]) ?? .zero
            return (la * a.1 + lb * b.1).mod(q)
        }
        let n1 = try #require(shares[1]).secretShare, n2 = try #require(shares[2]).secretShare
        let o1 = try #require(keys.shares[1]).secretShare
        #expect(interpolate((1, n1), (2, n2)) == keys.secret)
        #expect(interpolate((1, o1), (2, n2)) != keys.secret)
        // Presign and sign with the refreshed shares and aux info.
        let refreshed = H.Keys(shares: shares, aux: aux, secret: keys.secret, publicKey: keys.publicKey)
        let ps = try H.presign(refreshed, signers: [1, 3])
        var sigShares = [CGGMPSignatureShare](), pd: CGGMPPresignaturePublic?
        let digest = Hash.sha256(Array("after refresh".utf8))
        for (_, r) in ps {
            guard case .presignature(let slot) = r, let p = slot.take() else { Issue.record("no presignature"); return }
            pd = p.publicData
            sigShares.append(try p.sign(digest: digest))
        }
        let sig = try #require(pd).combine(sigShares, digest: digest)
        #expect(H.verify(sig, digest: digest, publicKey: keys.publicKey))
    }

    @Test func equivocatedCommitmentCaughtByEcho() throws {
        let keys = try H.dealer(n: 3, t: 2, seed: 42)
        var adv = Adversary()
        adv.round1 = { m, to in m.from == 1 && to == 3 ? AuxRefreshRound1Message(from: 1, V: [UInt8](repeating: 7, count: 32)) : m }
        let r = try refresh(keys, adversary: adv)
        #expect(failure(r[3]) == CGGMPProtocolError.echoMismatch([1, 2]))
        #expect(failure(r[2]) == CGGMPProtocolError.echoMismatch([3]))
    }

    @Test func badDecommitmentAndBadShareAreNamed() throws {
        let keys = try H.dealer(n: 3, t: 2, seed: 43)
        var adv = Adversary()
        adv.round2 = { m, to in
            guard m.from == 2, to == 1 else { return m }
            var rid = m.rid; rid[0] ^= 1
            return AuxRefreshRound2Message(from: m.from, A: m.A, N: m.N, s: m.s, t: m.t, rid: rid, u: m.u, echo: m.echo)
        }
        var r = try refresh(keys, adversary: adv)
        #expect(failure(r[1])
                == CGGMPProtocolError.culprits([2: .badOpening("decommitment does not match V")]))
        // A wrong share of zero (encrypted under the recipient's key) is named.
        var adv2 = Adversary()
        let sk3 = try CGGMPFixtures.paillierKey(H.profile, 5)
        adv2.round3 = { m in
            guard m.from == 1, m.to == 3 else { return m }
            var rng = SeededRandom(seed: 1)
            let (C, _) = sk3.publicKey.encrypt(BigNum(12345), using: &rng)
            return AuxRefreshRound3Message(from: m.from, to: m.to, psiMod: m.psiMod, psiPrm: m.psiPrm, psiFac: m.psiFac, C: C)
        }
        r = try refresh(keys, adversary: adv2)
        #expect(failure(r[3])
                == CGGMPProtocolError.culprits([1: .badOpening("share of zero does not match its Feldman commitments")]))
        if case .success = r[1] {} else { Issue.record("party 1 should finish") }
    }
}

extension CGGMPAuxRefreshTests {
    /// A Π^mod made for another modulus (party 1's, replayed by party 2 to party 3) names party 2.
    @Test func badPiModIsNamed() throws {
        let keys = try H.dealer(n: 3, t: 2, seed: 44)
        final class Captured: @unchecked Sendable { var mod: PiMod? }
        let captured = Captured()
        var adv = Adversary()
        adv.round3 = { m in
            if m.from == 1, captured.mod == nil { captured.mod = m.psiMod }
            guard m.from == 2, m.to == 3, let other = captured.mod else { return m }
            return AuxRefreshRound3Message(from: m.from, to: m.to, psiMod: other, psiPrm: m.psiPrm, psiFac: m.psiFac, C: m.C)
        }
        let r = try refresh(keys, adversary: adv)
        guard case .culprits(let c)? = failure(r[3]), case .badProof(.mod, 3, _)? = c[2], c.count == 1 else {
            Issue.record("party 3 should name party 2 for Π^mod: \(String(describing: failure(r[3])))"); return
        }
    }

    /// Checklist 1-2: a Π^fac that is not for the sender's modulus (party 1's proof to party 3, relayed by party 2 as
    /// its own) and a Π^prm for other parameters (party 1's) name the sender, party 2, at the verifier.
    @Test func badPiFacAndPiPrmAreNamed() throws {
        let keys = try H.dealer(n: 3, t: 2, seed: 45)
        final class Captured: @unchecked Sendable { var fac: PiFac?; var prm: PiPrm? }
        let captured = Captured()
        var adv = Adversary()
        adv.round3 = { m in
            if m.from == 1, m.to == 3 { captured.fac = m.psiFac; captured.prm = m.psiPrm }
            if m.from == 2, m.to == 3, let fac = captured.fac {
                return AuxRefreshRound3Message(from: m.from, to: m.to, psiMod: m.psiMod, psiPrm: m.psiPrm, psiFac: fac, C: m.C)
            }
            if m.from == 2, m.to == 1, let prm = captured.prm {
                return AuxRefreshRound3Message(from: m.from, to: m.to, psiMod: m.psiMod, psiPrm: prm, psiFac: m.psiFac, C: m.C)
            }
            return m
        }
        let r = try refresh(keys, adversary: adv)
        guard case .culprits(let c3)? = failure(r[3]), case .badProof(.fac, 3, _)? = c3[2], c3.count == 1 else {
            Issue.record("party 3 should name party 2 for Π^fac: \(String(describing: failure(r[3])))"); return
        }
        guard case .culprits(let c1)? = failure(r[1]), case .badProof(.prm, 3, _)? = c1[2], c1.count == 1 else {
            Issue.record("party 1 should name party 2 for Π^prm: \(String(describing: failure(r[1])))"); return
        }
    }
}
