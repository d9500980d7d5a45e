import Testing
@testable import Protocols

/// Π^enc (Fig. 14), checklist items 7, 9, 11.
@Suite("CGGMP21 Π^enc")
struct CGGMPPiEncTests {
    let profile = CGGMPProfile.bits2048
    let ctx = CGGMPFixtures.context

    struct Setup {
        let pk: PaillierPublicKey
        let aux: RingPedersenParameters
        let K: BigNum
        let k: BigNum
        let rho: BigNum
        let pi: PiEnc
    }

    func setup(k: BigNum = BigNum(123456789)) throws -> Setup {
        let sk = try CGGMPFixtures.paillierKey(profile, 0)
        let aux = try CGGMPFixtures.ringPedersen(profile, 1).parameters
        var rng = SeededRandom(seed: 51)
        let (K, rho) = sk.publicKey.encrypt(k, using: &rng)
        let pi = try PiEnc.prove(pk: sk.publicKey, K: K, k: k, rho: rho, verifierAux: aux, profile: profile,
                                 context: ctx, using: &rng)
        return Setup(pk: sk.publicKey, aux: aux, K: K, k: k, rho: rho, pi: pi)
    }

    func v(_ s: Setup, _ pi: PiEnc, K: BigNum? = nil, ctx: CGGMPProofContext? = nil) -> CGGMPProofRejection? {
        rejection { try pi.verify(pk: s.pk, K: K ?? s.K, ownAux: s.aux, profile: profile, context: ctx ?? self.ctx) }
    }

    @Test func honestProofVerifies() throws {
        let s = try setup()
        #expect(v(s, s.pi) == nil)
        // A verifier holding the prover's key without its factorization (the plain path).
        let plainPK = try PaillierPublicKey(n: s.pk.n, profile: profile)
        let plainAux = try RingPedersenParameters(n: s.aux.n, s: s.aux.s, t: s.aux.t, profile: profile)
        try s.pi.verify(pk: plainPK, K: s.K, ownAux: plainAux, profile: profile, context: ctx)
        let bad = PiEnc(S: s.pi.S, A: s.pi.A, C: s.pi.C, z1: s.pi.z1, z2: s.pi.z2, z3: s.pi.z3 + .one)
        #expect(isEquationFailure(rejection { try bad.verify(pk: plainPK, K: s.K, ownAux: plainAux, profile: profile, context: ctx) }))
        // Negative plaintexts and the extremes of ±2^ℓ.
        for k in [BigNum(-5), BigNum.powerOfTwo(256), BigNum.powerOfTwo(256).negated(), CGGMPProfile.curveOrder - .one] {
            let t = try setup(k: k)
            #expect(v(t, t.pi) == nil)
        }
    }

    @Test func replayUnderOtherContextFails() throws {
        let s = try setup()
        for other in [CGGMPFixtures.otherSession, CGGMPFixtures.otherProver, CGGMPFixtures.otherRound] {
            #expect(isEquationFailure(v(s, s.pi, ctx: other)))
        }
        let aux2 = try CGGMPFixtures.ringPedersen(profile, 2).parameters
        #expect(rejection { try s.pi.verify(pk: s.pk, K: s.K, ownAux: aux2, profile: profile, context: ctx) } != nil)
    }

    @Test func tamperedResponsesFail() throws {
        let s = try setup(), pi = s.pi, one = BigNum.one
        #expect(isEquationFailure(v(s, PiEnc(S: pi.S, A: pi.A, C: pi.C, z1: pi.z1 + one, z2: pi.z2, z3: pi.z3))))
        #expect(isEquationFailure(v(s, PiEnc(S: pi.S, A: pi.A, C: pi.C, z1: pi.z1, z2: pi.z2.mulMod(BigNum(2), s.pk.n), z3: pi.z3))))
        #expect(isEquationFailure(v(s, PiEnc(S: pi.S, A: pi.A, C: pi.C, z1: pi.z1, z2: pi.z2, z3: pi.z3 + one))))
        #expect(isEquationFailure(v(s, PiEnc(S: pi.S.mulMod(BigNum(2), s.aux.n), A: pi.A, C: pi.C, z1: pi.z1, z2: pi.z2, z3: pi.z3))))
        // A different ciphertext K.
        var rng = SeededRandom(seed: 52)
        let (K2, _) = s.pk.encrypt(s.k, using: &rng)
        #expect(isEquationFailure(v(s, pi, K: K2)))
    }

    @Test func outOfRangeValuesRejected() throws {
        let s = try setup(), pi = s.pi
        // z2 + N0 still satisfies z2^{N0} mod N0² (binomial), so only the range check stops it.
        #expect(rejection { try PiEnc(S: pi.S, A: pi.A, C: pi.C, z1: pi.z1, z2: pi.z2 + s.pk.n, z3: pi.z3)
            .verify(pk: s.pk, K: s.K, ownAux: s.aux, profile: profile, context: ctx) } == .outOfRange("z2"))
        #expect(isOutOfRange(v(s, PiEnc(S: .zero, A: pi.A, C: pi.C, z1: pi.z1, z2: pi.z2, z3: pi.z3))))
        #expect(isOutOfRange(v(s, PiEnc(S: pi.S, A: pi.A, C: pi.C + s.aux.n, z1: pi.z1, z2: pi.z2, z3: pi.z3))))
        #expect(isOutOfRange(v(s, PiEnc(S: pi.S, A: s.pk.n, C: pi.C, z1: pi.z1, z2: pi.z2, z3: pi.z3))))
        #expect(isOutOfRange(v(s, PiEnc(S: pi.S, A: pi.A, C: pi.C, z1: pi.z1, z2: pi.z2, z3: .powerOfTwo(4000)))))
        // A cheating prover with k far outside ±2^ℓ: every equation holds, z1 is out of range.
        let sk = try CGGMPFixtures.paillierKey(profile, 0)
        var rng = SeededRandom(seed: 53)
        let bigK = BigNum.powerOfTwo(profile.ell + profile.epsilon + 8)
        let (K, rho) = sk.publicKey.encrypt(bigK, using: &rng)
        #expect(throws: CGGMPError.proverFailed(proof: .enc, "k out of range")) {
            _ = try PiEnc.prove(pk: sk.publicKey, K: K, k: bigK, rho: rho, verifierAux: s.aux, profile: profile, context: ctx, using: &rng)
        }
        let forged = try forgeEnc(pk: sk.publicKey, K: K, k: bigK, rho: rho, aux: s.aux, rng: &rng)
        #expect(rejection { try forged.verify(pk: sk.publicKey, K: K, ownAux: s.aux, profile: profile, context: ctx) } == .outOfRange("z1"))
    }

    @Test func invalidCiphertextStatementRejected() throws {
        // Checklist 9: K = 0, N0, or not coprime to N0.
        let s = try setup()
        let sk = try CGGMPFixtures.paillierKey(profile, 0)
        for bad in [BigNum.zero, s.pk.n, sk.p, s.pk.nSquared] {
            #expect(isInvalidStatement(v(s, s.pi, K: bad)))
        }
    }

    /// Runs Fig. 14 without the prover's range guard (a cheating prover).
    func forgeEnc(pk: PaillierPublicKey, K: BigNum, k: BigNum, rho: BigNum, aux: RingPedersenParameters,
                  rng: inout SeededRandom) throws -> PiEnc {
        let twoL = BigNum.powerOfTwo(profile.ell), twoLE = BigNum.powerOfTwo(profile.ell + profile.epsilon)
        let alpha = BigNum.randomSigned(magnitude: twoLE, using: &rng)
        let mu = BigNum.randomSigned(magnitude: twoL * aux.n, using: &rng)
        let r = BigNum.randomUnit(modulo: pk.n, using: &rng)
        let gamma = BigNum.randomSigned(magnitude: twoLE * aux.n, using: &rng)
        let S = aux.commit(k, mu), A = try pk.encrypt(alpha, nonce: r), C = aux.commit(alpha, gamma)
        let e = PiEnc.challenge(pk: pk, K: K, aux: aux, S: S, A: A, C: C, context: ctx)
        let z2 = r.mulMod(try #require(rho.pow(e, modulus: pk.n)), pk.n)
        return PiEnc(S: S, A: A, C: C, z1: alpha + e * k, z2: z2, z3: gamma + e * mu)
    }
}
