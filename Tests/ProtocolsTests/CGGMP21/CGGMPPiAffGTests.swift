import Testing
@testable import Protocols

/// Π^aff-g (Fig. 15) over secp256k1 (libsecp256k1 through `Secp256k1Group`).
@Suite("CGGMP21 Π^aff-g")
struct CGGMPPiAffGTests {
    typealias G = Secp256k1Group
    let profile = CGGMPProfile.bits2048
    let ctx = CGGMPFixtures.context

    struct Setup {
        let sk0: PaillierSecretKey       // verifier's Paillier key (N0)
        let aux: RingPedersenParameters  // verifier's ring-Pedersen parameters
        let st: PiAffG<G>.Statement
        let pi: PiAffG<G>
        let k: BigNum, x: BigNum, y: BigNum
    }

    /// The MtA shape of presigning: the verifier sent C = enc_0(k); the prover answers
    /// D = C^x · enc_0(y; ρ), Y = enc_1(y; ρ_y), X = x·G.
    func setup(x: BigNum = BigNum(1234567), y: BigNum = .powerOfTwo(1000) + BigNum(99), cheat: Bool = false) throws -> Setup {
        let sk0 = try CGGMPFixtures.paillierKey(profile, 1)
        let sk1 = try CGGMPFixtures.paillierKey(profile, 0)
        let aux = try CGGMPFixtures.ringPedersen(profile, 1).parameters
        var rng = SeededRandom(seed: 91)
        let k = BigNum(55555)
        let (C, _) = sk0.encrypt(k, using: &rng)
        let rho = BigNum.randomUnit(modulo: sk0.publicKey.n, using: &rng)
        let D = try sk0.publicKey.multiply(C, by: x).mulMod(sk0.publicKey.encrypt(y, nonce: rho), sk0.publicKey.nSquared)
        let (Y, rhoY) = sk1.encrypt(y, using: &rng)
        let st = PiAffG<G>.Statement(pk0: sk0.publicKey, pk1: sk1.publicKey, C: C, D: D, Y: Y,
                                     X: G.multiplyGenerator(x), g: G.multiplyGenerator(.one))
        let pi = try PiAffG<G>.prove(st, x: x, y: y, rho: rho, rhoY: rhoY, verifierAux: aux, profile: profile,
                                     context: ctx, using: &rng)
        return Setup(sk0: sk0, aux: aux, st: st, pi: pi, k: k, x: x, y: y)
    }

    func v(_ s: Setup, _ pi: PiAffG<G>, ctx: CGGMPProofContext? = nil) -> CGGMPProofRejection? {
        rejection { try pi.verify(s.st, ownAux: s.aux, profile: profile, context: ctx ?? self.ctx) }
    }

    @Test func honestProofVerifiesAndMtAIsCorrect() throws {
        let s = try setup()
        #expect(v(s, s.pi) == nil)
        // Without CRT acceleration (keys and parameters as received from the wire).
        let plainSt = PiAffG<G>.Statement(pk0: try PaillierPublicKey(n: s.st.pk0.n, profile: profile),
                                          pk1: try PaillierPublicKey(n: s.st.pk1.n, profile: profile),
                                          C: s.st.C, D: s.st.D, Y: s.st.Y, X: s.st.X, g: s.st.g)
        let plainAux = try RingPedersenParameters(n: s.aux.n, s: s.aux.s, t: s.aux.t, profile: profile)
        try s.pi.verify(plainSt, ownAux: plainAux, profile: profile, context: ctx)
        #expect(try s.sk0.decryptSigned(s.st.D) == s.k * s.x + s.y)
        let neg = try setup(x: BigNum(-77), y: BigNum(-5))
        #expect(v(neg, neg.pi) == nil)
    }

    @Test func tamperedAndReplayedFail() throws {
        let s = try setup(), p = s.pi, one = BigNum.one
        func mk(z1: BigNum? = nil, z2: BigNum? = nil, z3: BigNum? = nil, z4: BigNum? = nil, w: BigNum? = nil,
                wy: BigNum? = nil, Bx: G.Point? = nil) -> PiAffG<G> {
            PiAffG(A: p.A, Bx: Bx ?? p.Bx, By: p.By, E: p.E, S: p.S, F: p.F, T: p.T, z1: z1 ?? p.z1, z2: z2 ?? p.z2,
                   z3: z3 ?? p.z3, z4: z4 ?? p.z4, w: w ?? p.w, wy: wy ?? p.wy)
        }
        #expect(isEquationFailure(v(s, mk(z1: p.z1 + one))))
        #expect(isEquationFailure(v(s, mk(z2: p.z2 + one))))
        #expect(isEquationFailure(v(s, mk(z3: p.z3 + one))))
        #expect(isEquationFailure(v(s, mk(z4: p.z4 + one))))
        #expect(isEquationFailure(v(s, mk(w: p.w.mulMod(BigNum(3), s.st.pk0.n)))))
        #expect(isEquationFailure(v(s, mk(wy: p.wy.mulMod(BigNum(3), s.st.pk1.n)))))
        #expect(isEquationFailure(v(s, mk(Bx: G.add(p.Bx, G.multiplyGenerator(one))))))
        for other in [CGGMPFixtures.otherSession, CGGMPFixtures.otherProver, CGGMPFixtures.otherRound] {
            #expect(isEquationFailure(v(s, p, ctx: other)))
        }
        // Out of range (equations would hold modulo N for w + N0, wy + N1).
        #expect(v(s, mk(w: p.w + s.st.pk0.n)) == .outOfRange("w"))
        #expect(v(s, mk(wy: p.wy + s.st.pk1.n)) == .outOfRange("wy"))
        #expect(v(s, mk(z1: .powerOfTwo(profile.ell + profile.epsilon) + one)) == .outOfRange("z1"))
        #expect(v(s, mk(z2: .powerOfTwo(profile.ellPrime + profile.epsilon) + one)) == .outOfRange("z2"))
    }

    @Test func proverRefusesOutOfRangeWitness() throws {
        #expect(throws: CGGMPError.proverFailed(proof: .affG, "y out of range")) {
            _ = try setup(y: .powerOfTwo(profile.ellPrime + 1))
        }
        #expect(throws: CGGMPError.proverFailed(proof: .affG, "x out of range")) {
            _ = try setup(x: .powerOfTwo(profile.ell + 1))
        }
    }
}
