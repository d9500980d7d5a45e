import Testing
@testable import Protocols

/// Checklist 1 and 2: a peer's N, s, t become usable only through Π^mod, Π^prm and Π^fac.
@Suite("CGGMP21 peer aux info")
struct CGGMPPeerAuxInfoTests {
    let profile = CGGMPProfile.bits2048
    let ctx = CGGMPFixtures.context

    /// Peer 0 proves to verifier 1.
    struct Material {
        let sk: PaillierSecretKey
        let rp: RingPedersenSecret
        let own: RingPedersenParameters
        let piMod: PiMod
        let piPrm: PiPrm
        let piFac: PiFac
    }

    func material() throws -> Material {
        let sk = try CGGMPFixtures.paillierKey(profile, 0)
        let rp = try CGGMPFixtures.ringPedersen(profile, 0)
        let own = try CGGMPFixtures.ringPedersen(profile, 1).parameters
        var rng = SeededRandom(seed: 71)
        return Material(sk: sk, rp: rp, own: own,
                        piMod: try PiMod.prove(secretKey: sk, profile: profile, context: ctx, using: &rng),
                        piPrm: try PiPrm.prove(secret: rp, profile: profile, context: ctx, using: &rng),
                        piFac: try PiFac.prove(secretKey: sk, verifierAux: own, profile: profile, context: ctx, using: &rng))
    }

    @Test func verifiedPeerAuxInfo() throws {
        let m = try material()
        let prm = m.rp.parameters
        let peer = try VerifiedPeerAuxInfo.verify(n: prm.n, s: prm.s, t: prm.t, piMod: m.piMod, piPrm: m.piPrm,
                                                  piFac: m.piFac, ownAux: m.own, profile: profile, context: ctx)
        #expect(peer.paillier == m.sk.publicKey)
        #expect(peer.ringPedersen == prm)
    }

    @Test func rejectedWithoutValidProofs() throws {
        let m = try material()
        let prm = m.rp.parameters
        // Π^fac made for verifier 1 does not convince verifier 2 (checklist 2).
        let own2 = try CGGMPFixtures.ringPedersen(profile, 2).parameters
        #expect(throws: CGGMPError.self) {
            _ = try VerifiedPeerAuxInfo.verify(n: prm.n, s: prm.s, t: prm.t, piMod: m.piMod, piPrm: m.piPrm,
                                               piFac: m.piFac, ownAux: own2, profile: profile, context: ctx)
        }
        // Π^mod of another modulus.
        let other = try CGGMPFixtures.paillierKey(profile, 3)
        var rng = SeededRandom(seed: 72)
        let otherMod = try PiMod.prove(secretKey: other, profile: profile, context: ctx, using: &rng)
        #expect(throws: CGGMPError.self) {
            _ = try VerifiedPeerAuxInfo.verify(n: prm.n, s: prm.s, t: prm.t, piMod: otherMod, piPrm: m.piPrm,
                                               piFac: m.piFac, ownAux: m.own, profile: profile, context: ctx)
        }
        // s = 1 rejected before any proof.
        #expect(throws: CGGMPError.invalidRingPedersen("s is ±1")) {
            _ = try VerifiedPeerAuxInfo.verify(n: prm.n, s: .one, t: prm.t, piMod: m.piMod, piPrm: m.piPrm,
                                               piFac: m.piFac, ownAux: m.own, profile: profile, context: ctx)
        }
        // Wrong profile size.
        #expect(throws: CGGMPError.modulusBitLength(expected: 3072, actual: 2048)) {
            _ = try VerifiedPeerAuxInfo.verify(n: prm.n, s: prm.s, t: prm.t, piMod: m.piMod, piPrm: m.piPrm,
                                               piFac: m.piFac, ownAux: m.own, profile: .bits3072, context: ctx)
        }
    }

    @Test func ownKeyEncryptionMatchesPublicEncryption() throws {
        let sk = try CGGMPFixtures.paillierKey(profile, 2)
        var rng = SeededRandom(seed: 73)
        let plain = try PaillierPublicKey(n: sk.publicKey.n, profile: profile)
        #expect(plain.accelerator == nil && sk.publicKey.accelerator != nil && plain == sk.publicKey)
        for m in [BigNum(0), BigNum(-7), CGGMPProfile.curveOrder] {
            let rho = BigNum.randomUnit(modulo: sk.publicKey.n, using: &rng)
            #expect(try sk.encrypt(m, nonce: rho) == plain.encrypt(m, nonce: rho))
            let (c, _) = sk.encrypt(m, using: &rng)
            #expect(try sk.decryptSigned(c) == m)
        }
        #expect(throws: CGGMPError.invalidNonce) { _ = try sk.encrypt(.one, nonce: sk.p) }
    }
}
