import Testing
@testable import Protocols

/// The combine step's low-S normalisation and recovery id, on many nonces (both parity cases),
/// against libsecp256k1's verify and recover; no MPC needed: one "signer" holding k and χ = k·x.
@Suite("CGGMP21 sign low-S and recovery id")
struct CGGMPSignLowSTests {
    typealias H = CGGMPHarness
    typealias G = Secp256k1Group

    @Test func lowSAndRecoveryOnManyNonces() throws {
        var rng = SeededRandom(seed: 2024)
        let q = CGGMPProfile.curveOrder
        let x = BigNum.random(below: q, using: &rng)
        let X = G.multiplyGenerator(x)
        var flipped = 0
        for i in 0..<24 {
            let k = BigNum.random(below: q, using: &rng)
            let gamma = BigNum.random(below: q, using: &rng)
            let delta = (k * gamma).mod(q)
            let Gamma = G.multiplyGenerator(gamma)
            let R = G.multiply(Gamma, by: try #require(delta.inverse(modulus: q)))
            let chi = (k * x).mod(q)
            let pd = CGGMPPresignaturePublic(signers: [1], R: R, Gamma: Gamma, Delta: [1: G.multiply(Gamma, by: k)],
                                             S: [1: G.multiply(Gamma, by: chi)], publicKey: X)
            let presig = CGGMPPresignature(id: 1, publicData: pd, k: k, chi: chi)
            let digest = Hash.sha256([UInt8(i)])
            let share = try presig.sign(digest: digest)
            let (r, _) = try CGGMPSignMath.rAndRecovery(R)
            let m = BigNum(bytes: digest).mod(q)
            let rawS = (k * (m + r * x)).mod(q)
            if rawS > q.shiftedRight(1) { flipped += 1 }
            let sig = try pd.combine([share], digest: digest)
            #expect(BigNum(bytes: sig.s) <= q.shiftedRight(1))
            #expect(H.verify(sig, digest: digest, publicKey: X))
            #expect(H.recover(sig, digest: digest) == (try X.serialized()))
        }
        #expect(flipped > 0 && flipped < 24)
    }
}
