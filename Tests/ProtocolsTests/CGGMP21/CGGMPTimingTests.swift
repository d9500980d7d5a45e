import Foundation
import Testing
@testable import Protocols

/// Happy paths on both profiles, with a quick timing of each operation (printed; run alone with
/// `swift test --filter CGGMPTimingTests` for meaningful numbers — suites run in parallel).
@Suite("CGGMP21 timings", .serialized)
struct CGGMPTimingTests {
    /// Our own generator on production sizes; slow, so only with CGGMP_SLOW=1 in the environment.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CGGMP_SLOW"] != nil))
    func safePrimeGenerationProductionSizes() throws {
        var rng = SystemRandom()
        for bits in [1024, 1536] {
            var tried = 0
            let p = try Self.time("SafePrime.generate(\(bits))") { try SafePrime.generate(bits: bits, using: &rng) { tried = $0 } }
            print("[cggmp21 timing] \(bits)-bit safe prime after \(tried) candidates")
            #expect(p.bitLength == bits)
        }
    }

    static func time<T>(_ label: String, _ reps: Int = 1, _ body: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        var out: T?
        let d = try clock.measure { for _ in 0..<reps { out = try body() } }
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        print(String(format: "[cggmp21 timing] %@: %.2f ms", label, ms / Double(reps)))
        return out!
    }

    @Test(arguments: [CGGMPProfile.bits2048, CGGMPProfile.bits3072])
    func proofsOnProfile(_ profile: CGGMPProfile) throws {
        let sk = try CGGMPFixtures.paillierKey(profile, 0)
        let rp = try CGGMPFixtures.ringPedersen(profile, 0)
        let verifierAux = try CGGMPFixtures.ringPedersen(profile, 1).parameters
        let ctx = CGGMPFixtures.context
        let name = profile.name
        var rng = SeededRandom(seed: 61)
        let pk = sk.publicKey

        let k = BigNum(424242)
        let peerView = try PaillierPublicKey(n: pk.n, profile: profile) // no factorization
        _ = Self.time("\(name) Paillier encrypt, peer's key", 20) { peerView.encrypt(k, using: &rng) }
        let (c, rho) = Self.time("\(name) Paillier encrypt, own key (CRT)", 20) { sk.encrypt(k, using: &rng) }
        _ = try Self.time("\(name) Paillier C^x (x secret, 256 bits, powm_sec mod N²)", 20) { try peerView.multiply(c, by: CGGMPProfile.curveOrder - .one) }
        let m = try Self.time("\(name) Paillier decrypt (CRT, powm_sec)", 20) { try sk.decrypt(c) }
        #expect(m == k)

        let piMod = try Self.time("\(name) Π^mod prove (m=\(profile.m))") { try PiMod.prove(secretKey: sk, profile: profile, context: ctx, using: &rng) }
        try Self.time("\(name) Π^mod verify") { try piMod.verify(n: pk.n, profile: profile, context: ctx) }

        let piPrm = try Self.time("\(name) Π^prm prove (m=\(profile.m))") { try PiPrm.prove(secret: rp, profile: profile, context: ctx, using: &rng) }
        try Self.time("\(name) Π^prm verify") { try piPrm.verify(rp.parameters, profile: profile, context: ctx) }

        let piFac = try Self.time("\(name) Π^fac prove") { try PiFac.prove(secretKey: sk, verifierAux: verifierAux, profile: profile, context: ctx, using: &rng) }
        try Self.time("\(name) Π^fac verify") { try piFac.verify(n0: pk.n, ownAux: verifierAux, profile: profile, context: ctx) }

        let piEnc = try Self.time("\(name) Π^enc prove") { try PiEnc.prove(pk: pk, K: c, k: k, rho: rho, verifierAux: verifierAux, profile: profile, context: ctx, using: &rng) }
        try Self.time("\(name) Π^enc verify") { try piEnc.verify(pk: pk, K: c, ownAux: verifierAux, profile: profile, context: ctx) }

        typealias G = Secp256k1Group
        let g = G.multiplyGenerator(.one), X = G.multiplyGenerator(k)
        let piLog = try Self.time("\(name) Π^log* prove") { try PiLogStar<G>.prove(pk: pk, C: c, X: X, g: g, x: k, rho: rho, verifierAux: verifierAux, profile: profile, context: ctx, using: &rng) }
        try Self.time("\(name) Π^log* verify") { try piLog.verify(pk: pk, C: c, X: X, g: g, ownAux: verifierAux, profile: profile, context: ctx) }

        // Π^aff-g in the MtA shape: verifier 1 sent C under N0; prover 0 answers with x, y.
        let sk0 = try CGGMPFixtures.paillierKey(profile, 1)
        let (C0, _) = sk0.encrypt(BigNum(31337), using: &rng)
        let x = CGGMPProfile.curveOrder - BigNum(12345), y = BigNum.powerOfTwo(profile.ellPrime - 1)
        let rho0 = BigNum.randomUnit(modulo: sk0.publicKey.n, using: &rng)
        let D = try sk0.publicKey.multiply(C0, by: x).mulMod(sk0.publicKey.encrypt(y, nonce: rho0), sk0.publicKey.nSquared)
        let (Y, rhoY) = sk.encrypt(y, using: &rng)
        let st = PiAffG<G>.Statement(pk0: sk0.publicKey, pk1: pk, C: C0, D: D, Y: Y, X: G.multiplyGenerator(x), g: g)
        let piAff = try Self.time("\(name) Π^aff-g prove") { try PiAffG<G>.prove(st, x: x, y: y, rho: rho0, rhoY: rhoY, verifierAux: verifierAux, profile: profile, context: ctx, using: &rng) }
        try Self.time("\(name) Π^aff-g verify") { try piAff.verify(st, ownAux: verifierAux, profile: profile, context: ctx) }
    }
}
