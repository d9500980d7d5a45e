import Testing
@testable import Protocols

@Suite("CGGMP21 Paillier and ring-Pedersen")
struct CGGMPPaillierTests {
    let profile = CGGMPProfile.bits2048

    @Test func encryptDecryptRoundTrip() throws {
        let sk = try CGGMPFixtures.paillierKey(profile, 0)
        let pk = sk.publicKey
        #expect(pk.n.bitLength == 2048)
        var rng = SeededRandom(seed: 11)
        for m in [BigNum(0), BigNum(1), BigNum(123456789), pk.n - .one, CGGMPProfile.curveOrder] {
            let (c, rho) = pk.encrypt(m, using: &rng)
            #expect(try sk.decrypt(c) == m)
            #expect(try pk.encrypt(m, nonce: rho) == c)
        }
        let neg = BigNum(-987654321)
        let (c, _) = pk.encrypt(neg, using: &rng)
        #expect(try sk.decryptSigned(c) == neg)
    }

    @Test func homomorphicOperations() throws {
        let sk = try CGGMPFixtures.paillierKey(profile, 1)
        let pk = sk.publicKey
        var rng = SeededRandom(seed: 12)
        let (c1, _) = pk.encrypt(BigNum(1000), using: &rng)
        let (c2, _) = pk.encrypt(BigNum(-58), using: &rng)
        #expect(try sk.decryptSigned(pk.add(c1, c2)) == BigNum(942))
        #expect(try sk.decryptSigned(pk.multiply(c1, by: BigNum(7))) == BigNum(7000))
        #expect(try sk.decryptSigned(pk.multiply(c1, by: BigNum(-3))) == BigNum(-3000))
        #expect(try sk.decrypt(pk.multiply(c1, by: .zero)) == .zero)
    }

    @Test func rejectsInvalidCiphertextsAndNonces() throws {
        // Checklist 9: ciphertext 0, N, N², not coprime; nonces outside Z*_N.
        let sk = try CGGMPFixtures.paillierKey(profile, 0)
        let pk = sk.publicKey
        var rng = SeededRandom(seed: 13)
        let (good, _) = pk.encrypt(BigNum(5), using: &rng)
        for bad in [BigNum.zero, pk.n, pk.nSquared, pk.nSquared + .one, BigNum(-1), sk.p, sk.q * BigNum(12345)] {
            #expect(!pk.isValidCiphertext(bad))
            #expect(throws: CGGMPError.invalidCiphertext) { _ = try sk.decrypt(bad) }
            #expect(throws: CGGMPError.invalidCiphertext) { _ = try pk.add(good, bad) }
            #expect(throws: CGGMPError.invalidCiphertext) { _ = try pk.multiply(bad, by: BigNum(2)) }
        }
        for bad in [BigNum.zero, pk.n, pk.n + .one, BigNum(-1), sk.p] {
            #expect(throws: CGGMPError.invalidNonce) { _ = try pk.encrypt(BigNum(1), nonce: bad) }
        }
    }

    @Test func exactModulusBitLength() throws {
        // Checklist 6: every received N has exactly the profile's size.
        let sk = try CGGMPFixtures.paillierKey(profile, 0)
        #expect(throws: CGGMPError.modulusBitLength(expected: 2048, actual: 2047)) {
            _ = try PaillierPublicKey(n: sk.publicKey.n.shiftedRight(1).adding(.one), profile: profile)
        }
        #expect(throws: CGGMPError.modulusBitLength(expected: 3072, actual: 2048)) {
            _ = try PaillierPublicKey(n: sk.publicKey.n, profile: .bits3072)
        }
        #expect(throws: CGGMPError.invalidModulus("even modulus")) {
            _ = try PaillierPublicKey(n: sk.publicKey.n.adding(.one), profile: profile)
        }
        // A modulus with a factor below 2^ℓ but the wrong size is caught by the size check alone.
        let small = CGGMPFixtures.big(CGGMPFixtures.file?.smallFactor128)
        let ps = CGGMPFixtures.primes(profile)
        let bad = small * (ps.first ?? .one)
        #expect(throws: CGGMPError.modulusBitLength(expected: 2048, actual: bad.bitLength)) {
            _ = try PaillierPublicKey(n: bad, profile: profile)
        }
    }

    @Test func profilesAreFixed() {
        #expect(CGGMPProfile.bits2048.m == 80)
        #expect(CGGMPProfile.bits3072.m == 128)
        #expect(CGGMPProfile.default == .bits3072)
        #expect(CGGMPProfile.curveOrder.hexString == "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
        #expect(CGGMPProfile.bits3072.ell == 256 && CGGMPProfile.bits3072.epsilon == 512 && CGGMPProfile.bits3072.ellPrime == 1280)
    }

    @Test func ringPedersenValidation() throws {
        let rp = try CGGMPFixtures.ringPedersen(profile, 0)
        let prm = rp.parameters
        // s = t^λ
        #expect(prm.t.powSecret(rp.lambda, modulus: prm.n) == prm.s)
        // Checklist 6: s, t units and not ±1.
        let n = prm.n
        for (s, t) in [(BigNum.one, prm.t), (prm.s, BigNum.one), (n - .one, prm.t), (prm.s, n - .one),
                       (BigNum.zero, prm.t), (prm.s, n), (rp.p, prm.t), (prm.s, rp.q * BigNum(3))] {
            #expect(throws: CGGMPError.self) { _ = try RingPedersenParameters(n: n, s: s, t: t, profile: profile) }
        }
        #expect(throws: CGGMPError.modulusBitLength(expected: 3072, actual: 2048)) {
            _ = try RingPedersenParameters(n: n, s: prm.s, t: prm.t, profile: .bits3072)
        }
        _ = try RingPedersenParameters(n: n, s: prm.s, t: prm.t, profile: profile)
    }
}
