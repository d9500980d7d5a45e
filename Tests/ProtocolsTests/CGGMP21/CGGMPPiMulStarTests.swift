import Testing
@testable import Protocols

/// Π^mul* (multiplication, Paillier vs group) over secp256k1: the shape of the signing-phase identification,
/// Ĥ = K^x·ρ^N = enc(k·x) against X = x·G.
@Suite("CGGMP21 Π^mul*")
struct CGGMPPiMulStarTests {
    typealias G = Secp256k1Group
    let profile = CGGMPProfile.bits2048
    let ctx = CGGMPFixtures.context

    struct Setup {
        let sk: PaillierSecretKey         // the prover's Paillier key (K and Ĥ are under it)
        let aux: RingPedersenParameters   // the verifier's ring-Pedersen parameters
        let st: PiMulStar<G>.Statement
        let pi: PiMulStar<G>
        let k: BigNum, x: BigNum
    }

    /// K = enc(k), D = K^x·ρ^N, X = x·g with g = base·G; `claimedX` replaces x in X (a statement that is false).
    func setup(x: BigNum = BigNum(987654321), claimedX: BigNum? = nil, base: BigNum = .one, seed: UInt64 = 31) throws -> Setup {
        let sk = try CGGMPFixtures.paillierKey(profile, 0)
        let aux = try CGGMPFixtures.ringPedersen(profile, 1).parameters
        var rng = SeededRandom(seed: seed)
        let k = BigNum(424242)
        let (K, _) = sk.encrypt(k, using: &rng)
        let rho = BigNum.randomUnit(modulo: sk.publicKey.n, using: &rng)
        let D = try sk.publicKey.multiply(K, by: x).mulMod(sk.publicKey.encrypt(.zero, nonce: rho), sk.publicKey.nSquared)
        let g = G.multiplyGenerator(base)
        let st = PiMulStar<G>.Statement(pk: sk.publicKey, C: K, D: D, X: G.multiply(g, by: claimedX ?? x), g: g)
        let pi = try PiMulStar<G>.prove(st, x: x, rho: rho, verifierAux: aux, profile: profile, context: ctx, using: &rng)
        return Setup(sk: sk, aux: aux, st: st, pi: pi, k: k, x: x)
    }

    func v(_ s: Setup, _ pi: PiMulStar<G>, st: PiMulStar<G>.Statement? = nil, ctx: CGGMPProofContext? = nil,
           aux: RingPedersenParameters? = nil) -> CGGMPProofRejection? {
        rejection { try pi.verify(st ?? s.st, ownAux: aux ?? s.aux, profile: profile, context: ctx ?? self.ctx) }
    }

    @Test func honestProofVerifiesAndDEncryptsTheProduct() throws {
        let s = try setup()
        #expect(v(s, s.pi) == nil)
        #expect(try s.sk.decryptSigned(s.st.D) == s.k * s.x)
        // Without CRT acceleration (key and parameters as received from the wire).
        let plain = PiMulStar<G>.Statement(pk: try PaillierPublicKey(n: s.st.pk.n, profile: profile), C: s.st.C, D: s.st.D,
                                           X: s.st.X, g: s.st.g)
        let plainAux = try RingPedersenParameters(n: s.aux.n, s: s.aux.s, t: s.aux.t, profile: profile)
        #expect(v(s, s.pi, st: plain, aux: plainAux) == nil)
        // A negative witness, and another base point g (as Γ in presigning).
        let neg = try setup(x: BigNum(-5555))
        #expect(v(neg, neg.pi) == nil)
        let otherBase = try setup(base: BigNum(7))
        #expect(v(otherBase, otherBase.pi) == nil)
        // The same proof does not verify with X and g both taken from the generator's statement.
        #expect(isEquationFailure(v(otherBase, otherBase.pi, st: PiMulStar<G>.Statement(pk: otherBase.st.pk, C: otherBase.st.C,
            D: otherBase.st.D, X: G.multiplyGenerator(otherBase.x), g: G.multiplyGenerator(.one)))))
    }

    @Test func falseStatementsFail() throws {
        // X for another x than the one D was made with: the prover's proof cannot hold.
        let s = try setup(claimedX: BigNum(987654322))
        #expect(isEquationFailure(v(s, s.pi)))
        // The honest proof against another D (one more encryption of 1 multiplied in) or another X.
        let h = try setup()
        let otherD = h.st.D.mulMod(try h.st.pk.encrypt(.one, nonce: BigNum(7)), h.st.pk.nSquared)
        #expect(isEquationFailure(v(h, h.pi, st: PiMulStar<G>.Statement(pk: h.st.pk, C: h.st.C, D: otherD, X: h.st.X, g: h.st.g))))
        let otherX = G.add(h.st.X, G.multiplyGenerator(.one))
        #expect(isEquationFailure(v(h, h.pi, st: PiMulStar<G>.Statement(pk: h.st.pk, C: h.st.C, D: h.st.D, X: otherX, g: h.st.g))))
        // Checked against another verifier's ring-Pedersen parameters.
        let otherAux = try CGGMPFixtures.ringPedersen(profile, 2).parameters
        #expect(isEquationFailure(v(h, h.pi, aux: otherAux)))
    }

    @Test func tamperedReplayedAndOutOfRangeFail() throws {
        let s = try setup(), p = s.pi, one = BigNum.one
        func mk(A: BigNum? = nil, Bx: G.Point? = nil, E: BigNum? = nil, S: BigNum? = nil, z1: BigNum? = nil, z2: BigNum? = nil,
                w: BigNum? = nil) -> PiMulStar<G> {
            PiMulStar(A: A ?? p.A, Bx: Bx ?? p.Bx, E: E ?? p.E, S: S ?? p.S, z1: z1 ?? p.z1, z2: z2 ?? p.z2, w: w ?? p.w)
        }
        #expect(isEquationFailure(v(s, mk(z1: p.z1 + one))))
        #expect(isEquationFailure(v(s, mk(z2: p.z2 + one))))
        #expect(isEquationFailure(v(s, mk(w: p.w.mulMod(BigNum(3), s.st.pk.n)))))
        #expect(isEquationFailure(v(s, mk(A: p.A.mulMod(BigNum(2), s.st.pk.nSquared)))))
        #expect(isEquationFailure(v(s, mk(Bx: G.add(p.Bx, G.multiplyGenerator(one))))))
        #expect(isEquationFailure(v(s, mk(E: p.E.mulMod(BigNum(4), s.aux.n)))))
        #expect(isEquationFailure(v(s, mk(S: p.S.mulMod(BigNum(4), s.aux.n)))))
        // Bound to session, prover and round (checklist 11).
        for other in [CGGMPFixtures.otherSession, CGGMPFixtures.otherProver, CGGMPFixtures.otherRound] {
            #expect(isEquationFailure(v(s, p, ctx: other)))
        }
        // Ranges before equations (checklist 7): w + N0 would pass the equation modulo N0.
        #expect(v(s, mk(w: p.w + s.st.pk.n)) == .outOfRange("w"))
        #expect(v(s, mk(z1: .powerOfTwo(profile.ell + profile.epsilon) + one)) == .outOfRange("z1"))
        #expect(v(s, mk(z2: BigNum.powerOfTwo(profile.ell + profile.epsilon + 1) * s.aux.n + one)) == .outOfRange("z2"))
        #expect(v(s, mk(A: .zero)) == .outOfRange("A"))
        #expect(v(s, mk(E: .zero)) == .outOfRange("E"))
        // Checklist 9: a statement ciphertext outside Z*_{N0²}.
        let bad = PiMulStar<G>.Statement(pk: s.st.pk, C: s.st.C, D: s.st.pk.n, X: s.st.X, g: s.st.g)
        #expect(v(s, p, st: bad) == .invalidStatement("ciphertext not in Z*_{N0²}"))
    }

    @Test func proverRefusesAnOutOfRangeWitness() throws {
        #expect(throws: CGGMPError.proverFailed(proof: .mulStar, "x out of range")) {
            _ = try setup(x: .powerOfTwo(profile.ell + 1))
        }
    }
}
