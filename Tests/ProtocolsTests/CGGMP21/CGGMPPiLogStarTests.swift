import Testing
@testable import Protocols

/// Π^log* (Fig. 25) over secp256k1 (libsecp256k1 through `Secp256k1Group`).
@Suite("CGGMP21 Π^log*")
struct CGGMPPiLogStarTests {
    typealias G = Secp256k1Group
    let profile = CGGMPProfile.bits2048
    let ctx = CGGMPFixtures.context

    struct Setup {
        let pk: PaillierPublicKey
        let aux: RingPedersenParameters
        let C: BigNum
        let X: G.Point
        let g: G.Point
        let pi: PiLogStar<G>
    }

    func setup(x: BigNum = BigNum(987654321)) throws -> Setup {
        let sk = try CGGMPFixtures.paillierKey(profile, 0)
        let aux = try CGGMPFixtures.ringPedersen(profile, 1).parameters
        var rng = SeededRandom(seed: 81)
        let g = G.multiplyGenerator(BigNum(7)) // a base other than the generator
        let (C, rho) = sk.encrypt(x, using: &rng)
        let X = G.multiply(g, by: x)
        let pi = try PiLogStar<G>.prove(pk: sk.publicKey, C: C, X: X, g: g, x: x, rho: rho, verifierAux: aux,
                                        profile: profile, context: ctx, using: &rng)
        return Setup(pk: sk.publicKey, aux: aux, C: C, X: X, g: g, pi: pi)
    }

    func v(_ s: Setup, _ pi: PiLogStar<G>, X: G.Point? = nil, ctx: CGGMPProofContext? = nil) -> CGGMPProofRejection? {
        rejection { try pi.verify(pk: s.pk, C: s.C, X: X ?? s.X, g: s.g, ownAux: s.aux, profile: profile, context: ctx ?? self.ctx) }
    }

    @Test func honestProofVerifies() throws {
        let s = try setup()
        #expect(v(s, s.pi) == nil)
        let neg = try setup(x: BigNum(-31337))
        #expect(v(neg, neg.pi) == nil)
    }

    @Test func tamperedAndReplayedFail() throws {
        let s = try setup(), pi = s.pi, one = BigNum.one
        #expect(isEquationFailure(v(s, PiLogStar(S: pi.S, A: pi.A, Y: pi.Y, D: pi.D, z1: pi.z1 + one, z2: pi.z2, z3: pi.z3))))
        #expect(isEquationFailure(v(s, PiLogStar(S: pi.S, A: pi.A, Y: G.add(pi.Y, G.multiplyGenerator(one)), D: pi.D, z1: pi.z1, z2: pi.z2, z3: pi.z3))))
        #expect(isEquationFailure(v(s, PiLogStar(S: pi.S, A: pi.A, Y: pi.Y, D: pi.D, z1: pi.z1, z2: pi.z2, z3: pi.z3 - one))))
        #expect(isEquationFailure(v(s, pi, X: G.multiplyGenerator(BigNum(5)))))
        for other in [CGGMPFixtures.otherSession, CGGMPFixtures.otherProver, CGGMPFixtures.otherRound] {
            #expect(isEquationFailure(v(s, pi, ctx: other)))
        }
        // Range checks.
        #expect(rejection { try PiLogStar<G>(S: pi.S, A: pi.A, Y: pi.Y, D: pi.D, z1: pi.z1, z2: pi.z2 + s.pk.n, z3: pi.z3)
            .verify(pk: s.pk, C: s.C, X: s.X, g: s.g, ownAux: s.aux, profile: profile, context: ctx) } == .outOfRange("z2"))
        #expect(isOutOfRange(v(s, PiLogStar(S: .zero, A: pi.A, Y: pi.Y, D: pi.D, z1: pi.z1, z2: pi.z2, z3: pi.z3))))
        #expect(isOutOfRange(v(s, PiLogStar(S: pi.S, A: pi.A, Y: pi.Y, D: pi.D, z1: .powerOfTwo(800), z2: pi.z2, z3: pi.z3))))
    }

    @Test func proverRefusesOutOfRangeWitness() throws {
        let sk = try CGGMPFixtures.paillierKey(profile, 0)
        let aux = try CGGMPFixtures.ringPedersen(profile, 1).parameters
        var rng = SeededRandom(seed: 82)
        let x = BigNum.powerOfTwo(300)
        let (C, rho) = sk.encrypt(x, using: &rng)
        #expect(throws: CGGMPError.proverFailed(proof: .logStar, "x out of range")) {
            _ = try PiLogStar<G>.prove(pk: sk.publicKey, C: C, X: G.multiplyGenerator(x), g: G.multiplyGenerator(.one), x: x,
                                       rho: rho, verifierAux: aux, profile: profile, context: ctx, using: &rng)
        }
    }
}
