import Testing
@testable import Protocols

/// Happy paths on both profiles, with a quick timing of each operation (printed; run alone with
/// `swift test --filter CGGMPTimingTests` for meaningful numbers — suites run in parallel).
@Suite("CGGMP21 timings", .serialized)
struct CGGMPTimingTests {
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
        let (c, rho) = Self.time("\(name) Paillier encrypt", 20) { pk.encrypt(k, using: &rng) }
        _ = Self.time("\(name) Paillier encrypt, own key (CRT)", 20) { sk.encrypt(k, using: &rng) }
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
    }
}
