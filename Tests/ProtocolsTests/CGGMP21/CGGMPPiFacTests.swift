import Testing
@testable import Protocols

/// Π^fac (Fig. 28), checklist items 1, 2, 7, 11.
@Suite("CGGMP21 Π^fac")
struct CGGMPPiFacTests {
    let profile = CGGMPProfile.bits2048
    let ctx = CGGMPFixtures.context

    /// Prover = party 0 (Paillier key), verifier = party 1 (its own ring-Pedersen parameters).
    func setup() throws -> (PaillierSecretKey, RingPedersenParameters, PiFac) {
        let sk = try CGGMPFixtures.paillierKey(profile, 0)
        let aux = try CGGMPFixtures.ringPedersen(profile, 1).parameters
        var rng = SeededRandom(seed: 41)
        let pi = try PiFac.prove(secretKey: sk, verifierAux: aux, profile: profile, context: ctx, using: &rng)
        return (sk, aux, pi)
    }

    @Test func honestProofVerifies() throws {
        let (sk, aux, pi) = try setup()
        try pi.verify(n0: sk.publicKey.n, ownAux: aux, profile: profile, context: ctx)
    }

    @Test func proofForAnotherVerifierFails() throws {
        // Checklist 2: made against verifier 1's parameters, it does not convince verifier 2.
        let (sk, _, pi) = try setup()
        let aux2 = try CGGMPFixtures.ringPedersen(profile, 2).parameters
        #expect(rejection { try pi.verify(n0: sk.publicKey.n, ownAux: aux2, profile: profile, context: ctx) } != nil)
    }

    @Test func replayUnderOtherContextFails() throws {
        let (sk, aux, pi) = try setup()
        for other in [CGGMPFixtures.otherSession, CGGMPFixtures.otherProver, CGGMPFixtures.otherRound] {
            #expect(isEquationFailure(rejection { try pi.verify(n0: sk.publicKey.n, ownAux: aux, profile: profile, context: other) }))
        }
    }

    @Test func tamperedResponsesFail() throws {
        let (sk, aux, pi) = try setup()
        let n0 = sk.publicKey.n
        func v(_ f: PiFac) -> CGGMPProofRejection? { rejection { try f.verify(n0: n0, ownAux: aux, profile: profile, context: ctx) } }
        let one = BigNum.one
        #expect(isEquationFailure(v(PiFac(P: pi.P, Q: pi.Q, A: pi.A, B: pi.B, T: pi.T, sigma: pi.sigma, z1: pi.z1 + one, z2: pi.z2, w1: pi.w1, w2: pi.w2, v: pi.v))))
        #expect(isEquationFailure(v(PiFac(P: pi.P, Q: pi.Q, A: pi.A, B: pi.B, T: pi.T, sigma: pi.sigma, z1: pi.z1, z2: pi.z2 + one, w1: pi.w1, w2: pi.w2, v: pi.v))))
        #expect(isEquationFailure(v(PiFac(P: pi.P, Q: pi.Q, A: pi.A, B: pi.B, T: pi.T, sigma: pi.sigma, z1: pi.z1, z2: pi.z2, w1: pi.w1 + one, w2: pi.w2, v: pi.v))))
        #expect(isEquationFailure(v(PiFac(P: pi.P, Q: pi.Q, A: pi.A, B: pi.B, T: pi.T, sigma: pi.sigma, z1: pi.z1, z2: pi.z2, w1: pi.w1, w2: pi.w2 - one, v: pi.v))))
        #expect(isEquationFailure(v(PiFac(P: pi.P, Q: pi.Q, A: pi.A, B: pi.B, T: pi.T, sigma: pi.sigma, z1: pi.z1, z2: pi.z2, w1: pi.w1, w2: pi.w2, v: pi.v + one))))
        #expect(isEquationFailure(v(PiFac(P: pi.P, Q: pi.Q, A: pi.A, B: pi.B, T: pi.T, sigma: pi.sigma + one, z1: pi.z1, z2: pi.z2, w1: pi.w1, w2: pi.w2, v: pi.v))))
        // Commitments outside Z*_N̂.
        #expect(isOutOfRange(v(PiFac(P: .zero, Q: pi.Q, A: pi.A, B: pi.B, T: pi.T, sigma: pi.sigma, z1: pi.z1, z2: pi.z2, w1: pi.w1, w2: pi.w2, v: pi.v))))
        #expect(isOutOfRange(v(PiFac(P: pi.P, Q: pi.Q, A: pi.A, B: pi.B, T: pi.T + aux.n, sigma: pi.sigma, z1: pi.z1, z2: pi.z2, w1: pi.w1, w2: pi.w2, v: pi.v))))
        // Out-of-range responses.
        let huge = BigNum.powerOfTwo(profile.ell + profile.epsilon + profile.primeBits + 1)
        #expect(isOutOfRange(v(PiFac(P: pi.P, Q: pi.Q, A: pi.A, B: pi.B, T: pi.T, sigma: pi.sigma, z1: huge, z2: pi.z2, w1: pi.w1, w2: pi.w2, v: pi.v))))
        #expect(isOutOfRange(v(PiFac(P: pi.P, Q: pi.Q, A: pi.A, B: pi.B, T: pi.T, sigma: pi.sigma, z1: pi.z1, z2: huge.negated(), w1: pi.w1, w2: pi.w2, v: pi.v))))
    }

    @Test func smallFactorModulusRejected() throws {
        // BitForge (checklist 1): N0 = p·q of the right size (2048 bits) with p < 2^ℓ (128 bits).
        // The honest algorithm on these primes produces z2 = β + e·q far outside ±√N0·2^{ℓ+ε}.
        let p = CGGMPFixtures.big(CGGMPFixtures.file?.smallFactor128)
        let q = CGGMPFixtures.big(CGGMPFixtures.file?.bigFactor1920)
        let n0 = p * q
        #expect(n0.bitLength == 2048 && p.bitLength == 128)
        _ = try PaillierPublicKey(n: n0, profile: profile) // the size check alone does not catch it
        let sk = try PaillierSecretKey(p: p, q: q, publicKey: PaillierPublicKey(uncheckedN: n0))
        let aux = try CGGMPFixtures.ringPedersen(profile, 1).parameters
        var rng = SeededRandom(seed: 42)
        let pi = try PiFac.prove(secretKey: sk, verifierAux: aux, profile: profile, context: ctx, using: &rng)
        #expect(isOutOfRange(rejection { try pi.verify(n0: n0, ownAux: aux, profile: profile, context: ctx) }))
        // Swapping the roles of p and q is caught the same way (on z1).
        let sk2 = try PaillierSecretKey(p: q, q: p, publicKey: PaillierPublicKey(uncheckedN: n0))
        let pi2 = try PiFac.prove(secretKey: sk2, verifierAux: aux, profile: profile, context: ctx, using: &rng)
        #expect(rejection { try pi2.verify(n0: n0, ownAux: aux, profile: profile, context: ctx) } == .outOfRange("z1"))
        // A small-factor modulus of the wrong size is caught before the proof.
        #expect(isInvalidStatement(rejection { try pi.verify(n0: n0.shiftedRight(3), ownAux: aux, profile: profile, context: ctx) }))
    }
}

/// The verifier's CRT fast path (own ring-Pedersen parameters) agrees with the plain path.
@Suite("CGGMP21 verifier CRT acceleration")
struct CGGMPAcceleratedVerifierTests {
    let profile = CGGMPProfile.bits2048
    let ctx = CGGMPFixtures.context

    @Test func acceleratedAndPlainVerifiersAgree() throws {
        let sk = try CGGMPFixtures.paillierKey(profile, 0)
        let own = try CGGMPFixtures.ringPedersen(profile, 1).parameters
        #expect(own.accelerator != nil)
        let plain = try RingPedersenParameters(n: own.n, s: own.s, t: own.t, profile: profile)
        #expect(plain.accelerator == nil && plain == own)
        var rng = SeededRandom(seed: 43)
        let fac = try PiFac.prove(secretKey: sk, verifierAux: plain, profile: profile, context: ctx, using: &rng)
        try fac.verify(n0: sk.publicKey.n, ownAux: own, profile: profile, context: ctx)
        try fac.verify(n0: sk.publicKey.n, ownAux: plain, profile: profile, context: ctx)
        let bad = PiFac(P: fac.P, Q: fac.Q, A: fac.A, B: fac.B, T: fac.T, sigma: fac.sigma, z1: fac.z1, z2: fac.z2,
                        w1: fac.w1, w2: fac.w2, v: fac.v - .one)
        #expect(isEquationFailure(rejection { try bad.verify(n0: sk.publicKey.n, ownAux: own, profile: profile, context: ctx) }))
        #expect(isEquationFailure(rejection { try bad.verify(n0: sk.publicKey.n, ownAux: plain, profile: profile, context: ctx) }))
        // Negative exponents through the CRT path.
        let x = BigNum.powerOfTwo(700).negated(), y = BigNum(-12345)
        #expect(own.commitPublic(x, y) == plain.commitPublic(x, y))
        #expect(own.commitPublic(x, y) == plain.commit(x, y))
    }
}
