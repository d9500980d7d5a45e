import Testing
@testable import Protocols

/// Π^prm (Fig. 17), checklist items 4, 5, 6, 7, 11.
@Suite("CGGMP21 Π^prm")
struct CGGMPPiPrmTests {
    let profile = CGGMPProfile.bits2048
    let ctx = CGGMPFixtures.context

    func proof() throws -> (RingPedersenSecret, PiPrm) {
        let rp = try CGGMPFixtures.ringPedersen(profile, 0)
        var rng = SeededRandom(seed: 31)
        return (rp, try PiPrm.prove(secret: rp, profile: profile, context: ctx, using: &rng))
    }

    @Test func honestProofVerifies() throws {
        let (rp, pi) = try proof()
        #expect(pi.A.count == 80)
        try pi.verify(rp.parameters, profile: profile, context: ctx)
        // Both challenge bit values occur (distinct challenge per repetition).
        let e = PiPrm.challenges(rp.parameters, A: pi.A, context: ctx)
        #expect(e.contains(true) && e.contains(false))
    }

    @Test func replayUnderOtherContextFails() throws {
        let (rp, pi) = try proof()
        for other in [CGGMPFixtures.otherSession, CGGMPFixtures.otherProver, CGGMPFixtures.otherRound] {
            #expect(isEquationFailure(rejection { try pi.verify(rp.parameters, profile: profile, context: other) }))
        }
    }

    @Test func tamperedAndOutOfRangeResponsesFail() throws {
        let (rp, pi) = try proof()
        let prm = rp.parameters
        var z = pi.z; z[7] = z[7] + .one
        #expect(isEquationFailure(rejection { try PiPrm(A: pi.A, z: z).verify(prm, profile: profile, context: ctx) }))
        var A = pi.A; A[0] = A[0].mulMod(prm.t, prm.n)
        #expect(isEquationFailure(rejection { try PiPrm(A: A, z: pi.z).verify(prm, profile: profile, context: ctx) }))
        // z_i + φ(N̂)·k and z_i - φ(N̂) satisfy the equation but are out of range.
        var zBig = pi.z; zBig[2] = zBig[2] + rp.phi * BigNum(2)
        #expect(isOutOfRange(rejection { try PiPrm(A: pi.A, z: zBig).verify(prm, profile: profile, context: ctx) }))
        var zNeg = pi.z; zNeg[2] = zNeg[2] - rp.phi
        #expect(isOutOfRange(rejection { try PiPrm(A: pi.A, z: zNeg).verify(prm, profile: profile, context: ctx) }))
        var aZero = pi.A; aZero[1] = .zero
        #expect(isOutOfRange(rejection { try PiPrm(A: aZero, z: pi.z).verify(prm, profile: profile, context: ctx) }))
    }

    @Test func tooFewRepetitionsRejected() throws {
        let (rp, pi) = try proof()
        let one = PiPrm(A: [pi.A[0]], z: [pi.z[0]])
        #expect(rejection { try one.verify(rp.parameters, profile: profile, context: ctx) } == .malformed("expected 80 repetitions"))
    }

    /// Checklist 5 for the 128-bit profile: 3072-bit parameters need m = 128 repetitions; 80 or 127 are refused.
    @Test func profile3072DemandsOneHundredTwentyEightRepetitions() throws {
        let rp3072 = try CGGMPFixtures.ringPedersen(.bits3072, 0).parameters
        let (_, pi) = try proof()
        for k in [80, 127] {
            let cut = PiPrm(A: Array((pi.A + pi.A).prefix(k)), z: Array((pi.z + pi.z).prefix(k)))
            #expect(rejection { try cut.verify(rp3072, profile: .bits3072, context: ctx) } == .malformed("expected 128 repetitions"))
        }
    }

    @Test func degenerateParametersRejected() throws {
        // Checklist 6: s or t = 1 (or -1) are rejected even with a "valid" proof.
        let (rp, pi) = try proof()
        let n = rp.parameters.n
        for (s, t) in [(BigNum.one, rp.parameters.t), (rp.parameters.s, BigNum.one), (n - .one, rp.parameters.t)] {
            let bad = RingPedersenParameters(unchecked: n, s: s, t: t)
            #expect(isInvalidStatement(rejection { try pi.verify(bad, profile: profile, context: ctx) }))
        }
        // s = t = 1 with the trivial proof (A_i = 1, z_i = 0) is still rejected.
        let trivial = PiPrm(A: Array(repeating: .one, count: 80), z: Array(repeating: .zero, count: 80))
        let ones = RingPedersenParameters(unchecked: n, s: .one, t: .one)
        #expect(isInvalidStatement(rejection { try trivial.verify(ones, profile: profile, context: ctx) }))
        // Wrong size.
        #expect(isInvalidStatement(rejection { try pi.verify(rp.parameters, profile: .bits3072, context: ctx) }))
    }
}

@Suite("CGGMP21 Π^prm / Π^enc soundness")
struct CGGMPSoundnessTests {
    let profile = CGGMPProfile.bits2048
    let ctx = CGGMPFixtures.context

    @Test func prmWithoutDiscreteLogFails() throws {
        // s chosen independently of t (λ unknown): a prover using a wrong λ is caught on e_i = 1.
        let rp = try CGGMPFixtures.ringPedersen(profile, 0)
        var rng = SeededRandom(seed: 33)
        let s = BigNum.randomUnit(modulo: rp.parameters.n, using: &rng)
        let fake = RingPedersenSecret(parameters: RingPedersenParameters(unchecked: rp.parameters.n, s: s, t: rp.parameters.t),
                                      lambda: BigNum.random(below: rp.phi, using: &rng), p: rp.p, q: rp.q, phi: rp.phi)
        let pi = try PiPrm.prove(secret: fake, profile: profile, context: ctx, using: &rng)
        #expect(isEquationFailure(rejection { try pi.verify(fake.parameters, profile: profile, context: ctx) }))
    }

    @Test func encWithWrongWitnessFails() throws {
        // K encrypts k, the prover claims k + 1 (or uses a wrong nonce): rejected.
        let sk = try CGGMPFixtures.paillierKey(profile, 0)
        let aux = try CGGMPFixtures.ringPedersen(profile, 1).parameters
        var rng = SeededRandom(seed: 34)
        let k = BigNum(1000)
        let (K, rho) = sk.encrypt(k, using: &rng)
        let wrongK = try PiEnc.prove(pk: sk.publicKey, K: K, k: k + .one, rho: rho, verifierAux: aux, profile: profile, context: ctx, using: &rng)
        #expect(isEquationFailure(rejection { try wrongK.verify(pk: sk.publicKey, K: K, ownAux: aux, profile: profile, context: ctx) }))
        let otherRho = BigNum.randomUnit(modulo: sk.publicKey.n, using: &rng)
        let wrongRho = try PiEnc.prove(pk: sk.publicKey, K: K, k: k, rho: otherRho, verifierAux: aux, profile: profile, context: ctx, using: &rng)
        #expect(isEquationFailure(rejection { try wrongRho.verify(pk: sk.publicKey, K: K, ownAux: aux, profile: profile, context: ctx) }))
    }
}
