import Testing
@testable import Protocols

/// Π^mod (Fig. 16), checklist items 1, 3, 4, 5, 6, 7, 11.
@Suite("CGGMP21 Π^mod")
struct CGGMPPiModTests {
    let profile = CGGMPProfile.bits2048
    let ctx = CGGMPFixtures.context

    func proof(_ index: Int = 0) throws -> (PaillierSecretKey, PiMod) {
        let sk = try CGGMPFixtures.paillierKey(profile, index)
        var rng = SeededRandom(seed: 21)
        return (sk, try PiMod.prove(secretKey: sk, profile: profile, context: ctx, using: &rng))
    }

    @Test func honestProofVerifies() throws {
        let (sk, pi) = try proof()
        #expect(pi.x.count == 80)
        try pi.verify(n: sk.publicKey.n, profile: profile, context: ctx)
        // Checklist 4: every repetition has its own challenge.
        let ys = PiMod.challenges(n: sk.publicKey.n, w: pi.w, m: profile.m, context: ctx)
        #expect(Set(ys.map(\.hexString)).count == profile.m)
    }

    @Test func replayUnderOtherContextFails() throws {
        // Checklist 11.
        let (sk, pi) = try proof()
        for other in [CGGMPFixtures.otherSession, CGGMPFixtures.otherProver, CGGMPFixtures.otherRound] {
            #expect(isEquationFailure(rejection { try pi.verify(n: sk.publicKey.n, profile: profile, context: other) }))
        }
        // And a proof for one modulus does not verify for another.
        let other = try CGGMPFixtures.paillierKey(profile, 1)
        #expect(rejection { try pi.verify(n: other.publicKey.n, profile: profile, context: ctx) } != nil)
    }

    @Test func tamperedResponsesFail() throws {
        let (sk, pi) = try proof()
        let n = sk.publicKey.n
        func with(x: [BigNum]? = nil, a: [Bool]? = nil, b: [Bool]? = nil, z: [BigNum]? = nil, w: BigNum? = nil) -> PiMod {
            PiMod(w: w ?? pi.w, x: x ?? pi.x, a: a ?? pi.a, b: b ?? pi.b, z: z ?? pi.z)
        }
        var x = pi.x; x[5] = x[5].adding(.one).mod(n)
        #expect(isEquationFailure(rejection { try with(x: x).verify(n: n, profile: profile, context: ctx) }))
        var z = pi.z; z[79] = z[79].adding(.one).mod(n)
        #expect(isEquationFailure(rejection { try with(z: z).verify(n: n, profile: profile, context: ctx) }))
        var a = pi.a; a[0].toggle()
        #expect(isEquationFailure(rejection { try with(a: a).verify(n: n, profile: profile, context: ctx) }))
        var b = pi.b; b[1].toggle()
        #expect(isEquationFailure(rejection { try with(b: b).verify(n: n, profile: profile, context: ctx) }))
        // Out-of-range values that still satisfy the equations mod N are rejected by range checks.
        var zBig = pi.z; zBig[3] = zBig[3] + n
        #expect(isOutOfRange(rejection { try with(z: zBig).verify(n: n, profile: profile, context: ctx) }))
        var xBig = pi.x; xBig[3] = xBig[3] + n
        #expect(isOutOfRange(rejection { try with(x: xBig).verify(n: n, profile: profile, context: ctx) }))
        var xZero = pi.x; xZero[0] = .zero
        #expect(isOutOfRange(rejection { try with(x: xZero).verify(n: n, profile: profile, context: ctx) }))
        // w: out of range, not coprime to N, Jacobi +1.
        #expect(isOutOfRange(rejection { try with(w: pi.w + n).verify(n: n, profile: profile, context: ctx) }))
        #expect(isOutOfRange(rejection { try with(w: sk.p).verify(n: n, profile: profile, context: ctx) }))
        #expect(isInvalidStatement(rejection { try with(w: BigNum(4)).verify(n: n, profile: profile, context: ctx) }))
    }

    @Test func tooFewRepetitionsRejected() throws {
        // Checklist 5: the verifier demands m = 80 (2048) repetitions, never 1.
        let (sk, pi) = try proof()
        let short = PiMod(w: pi.w, x: [pi.x[0]], a: [pi.a[0]], b: [pi.b[0]], z: [pi.z[0]])
        #expect(rejection { try short.verify(n: sk.publicKey.n, profile: profile, context: ctx) } == .malformed("expected 80 repetitions"))
        let prefix = PiMod(w: pi.w, x: Array(pi.x.prefix(79)), a: Array(pi.a.prefix(79)), b: Array(pi.b.prefix(79)), z: Array(pi.z.prefix(79)))
        #expect(rejection { try prefix.verify(n: sk.publicKey.n, profile: profile, context: ctx) } != nil)
    }

    /// Checklist 5 for the 128-bit profile: a 3072-bit modulus needs m = 128 repetitions; 80 (the 2048 profile's) or
    /// 127 are refused.
    @Test func profile3072DemandsOneHundredTwentyEightRepetitions() throws {
        let n3072 = try CGGMPFixtures.paillierKey(.bits3072, 0).publicKey.n
        let (_, pi) = try proof()
        #expect(rejection { try pi.verify(n: n3072, profile: .bits3072, context: ctx) } == .malformed("expected 128 repetitions"))
        func take(_ k: Int) -> PiMod {
            PiMod(w: pi.w, x: Array((pi.x + pi.x).prefix(k)), a: Array((pi.a + pi.a).prefix(k)), b: Array((pi.b + pi.b).prefix(k)),
                  z: Array((pi.z + pi.z).prefix(k)))
        }
        #expect(rejection { try take(127).verify(n: n3072, profile: .bits3072, context: ctx) } == .malformed("expected 128 repetitions"))
    }

    @Test func invalidModuliRejected() throws {
        let (sk, pi) = try proof()
        let n = sk.publicKey.n
        // Checklist 3, 6: N even, N prime, wrong size.
        #expect(isInvalidStatement(rejection { try pi.verify(n: n + .one, profile: profile, context: ctx) }))
        var rng = SeededRandom(seed: 77)
        var prime2048 = BigNum.random(below: .powerOfTwo(2047), using: &rng) + .powerOfTwo(2047)
        if !prime2048.isOdd { prime2048 = prime2048 + .one }
        while !prime2048.isProbablePrime { prime2048 = prime2048 + .two }
        #expect(rejection { try pi.verify(n: prime2048, profile: profile, context: ctx) } == .invalidStatement("N prime"))
        #expect(isInvalidStatement(rejection { try pi.verify(n: n.shiftedRight(1), profile: profile, context: ctx) }))
    }

    @Test func nonBlumModulusFails() throws {
        // N = pq with p ≡ q ≡ 1 mod 4: the prover's fourth roots do not exist; the proof is rejected.
        let hex = CGGMPFixtures.file?.nonBlum1024 ?? []
        let ps = hex.compactMap { BigNum(hex: $0) }
        try #require(ps.count == 2)
        let n = ps[0] * ps[1]
        #expect(n.bitLength == 2048)
        let sk = try PaillierSecretKey(p: ps[0], q: ps[1], publicKey: PaillierPublicKey(uncheckedN: n))
        var rng = SeededRandom(seed: 22)
        let pi = try PiMod.prove(secretKey: sk, profile: profile, context: ctx, using: &rng)
        #expect(isEquationFailure(rejection { try pi.verify(n: n, profile: profile, context: ctx) }))
        // The honest constructor refuses non-Blum primes outright.
        #expect(throws: CGGMPError.self) { _ = try PaillierSecretKey(p: ps[0], q: ps[1], profile: profile) }
    }
}
