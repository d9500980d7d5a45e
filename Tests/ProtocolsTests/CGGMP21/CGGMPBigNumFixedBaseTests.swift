import Testing
@testable import Protocols

/// `ConstantTimeFixedBase` (Sources/CGMP/fixed_base.h over mpn_sec_*) against GMP's plain `mpz_powm`
/// (`BigNum.pow`, which takes negative exponents through the inverse), and the ring-Pedersen tables built on it.
@Suite("CGGMP21 BigNum constant-time fixed base")
struct CGGMPBigNumFixedBaseTests {
    static func fixtureModulus() throws -> BigNum {
        let p = CGGMPFixtures.primes(.bits2048)
        return p[0] * p[1]
    }

    @Test func unsignedExponentsMatchPowm() throws {
        var rng = SeededRandom(seed: 91)
        let n = try Self.fixtureModulus()
        let base = BigNum.randomUnit(modulo: n, using: &rng)
        let table = try #require(ConstantTimeFixedBase(base: base, modulus: n, maxBits: 1024, signedExponents: false))
        #expect(table.maxExponentLimbs == 16)
        let top = BigNum.powerOfTwo(1024) - .one // the range bound: 16 full limbs
        var exponents: [BigNum] = [.zero, .one, .two, .powerOfTwo(63), .powerOfTwo(64) - .one, .powerOfTwo(64), top, n.shiftedRight(1024)]
        for bits in [1, 4, 5, 6, 64, 65, 300, 1000, 1023, 1024] {
            for _ in 0..<3 { exponents.append(BigNum.random(below: .powerOfTwo(bits), using: &rng)) }
        }
        for e in exponents {
            #expect(table.pow(e) == base.pow(e, modulus: n), "exponent of \(e.bitLength) bits")
        }
        // Outside the table: one limb more, or negative without offsets: nil (callers fall back).
        #expect(table.pow(.powerOfTwo(1024)) == nil)
        #expect(table.pow(BigNum(-5)) == nil)
    }

    @Test func signedExponentsMatchPowmThroughTheInverse() throws {
        var rng = SeededRandom(seed: 92)
        let n = try Self.fixtureModulus()
        let base = BigNum.randomUnit(modulo: n, using: &rng)
        // 64·29 + 1 bits: |e| of up to 29 limbs (the s table of the 2048-bit profile).
        let table = try #require(ConstantTimeFixedBase(base: base, modulus: n, maxBits: 64 * 29 + 1, signedExponents: true))
        #expect(table.maxExponentLimbs == 29)
        let bound = BigNum.powerOfTwo(64 * 29) - .one
        var exponents: [BigNum] = [.zero, .one, BigNum(-1), .two, BigNum(-2), bound, bound.negated(),
                                   .powerOfTwo(64), BigNum.powerOfTwo(64).negated(), .powerOfTwo(64) - .one,
                                   (BigNum.powerOfTwo(64) - .one).negated(), .powerOfTwo(1792), BigNum.powerOfTwo(1792).negated()]
        for bits in [1, 5, 63, 64, 65, 256, 768, 1280, 1792, 1856] {
            for _ in 0..<3 { exponents.append(BigNum.randomSigned(magnitude: .powerOfTwo(bits), using: &rng)) }
        }
        for e in exponents {
            #expect(table.pow(e) == base.pow(e, modulus: n), "exponent \(e.sign < 0 ? "-" : "+")\(e.bitLength) bits")
        }
        #expect(table.pow(.powerOfTwo(64 * 29)) == nil)
        #expect(table.pow(BigNum.powerOfTwo(64 * 29).negated()) == nil)
    }

    @Test func twoBasesShareOneAccumulator() throws {
        var rng = SeededRandom(seed: 93)
        let n = try Self.fixtureModulus()
        let a = BigNum.randomUnit(modulo: n, using: &rng), b = BigNum.randomUnit(modulo: n, using: &rng)
        let ta = try #require(ConstantTimeFixedBase(base: a, modulus: n, maxBits: 1793, signedExponents: true))
        let tb = try #require(ConstantTimeFixedBase(base: b, modulus: n, maxBits: 2881, signedExponents: true))
        for _ in 0..<8 {
            let x = BigNum.randomSigned(magnitude: .powerOfTwo(1700), using: &rng)
            let y = BigNum.randomSigned(magnitude: .powerOfTwo(2816), using: &rng)
            let expected = try #require(a.pow(x, modulus: n)).mulMod(try #require(b.pow(y, modulus: n)), n)
            #expect(ConstantTimeFixedBase.pow2(ta, x, tb, y) == expected)
        }
        #expect(ConstantTimeFixedBase.pow2(ta, .zero, tb, .zero) == .one)
        // Tables over different moduli, or of different signedness, are refused.
        let other = try #require(ConstantTimeFixedBase(base: .two, modulus: n + .two, maxBits: 64, signedExponents: true))
        #expect(ConstantTimeFixedBase.pow2(ta, .one, other, .one) == nil)
        let unsigned = try #require(ConstantTimeFixedBase(base: b, modulus: n, maxBits: 64, signedExponents: false))
        #expect(ConstantTimeFixedBase.pow2(ta, .one, unsigned, .one) == nil)
    }

    @Test func smallModuliEveryWindowAndExponent() throws {
        let m = BigNum(1000003), base = BigNum(3)
        for w in 1...8 {
            let signed = try #require(ConstantTimeFixedBase(base: base, modulus: m, maxBits: 129, window: w, signedExponents: true))
            for e in -300...300 { #expect(signed.pow(BigNum(e)) == base.pow(BigNum(e), modulus: m), "w \(w) e \(e)") }
            let unsigned = try #require(ConstantTimeFixedBase(base: base, modulus: m, maxBits: 64, window: w, signedExponents: false))
            for e in [0, 1, 2, 1000, 65535] { #expect(unsigned.pow(BigNum(e)) == base.pow(BigNum(e), modulus: m)) }
        }
        // Two limbs, a modulus just above 2^64, bases 0 and 1 (no offsets needed for 0).
        let m2 = BigNum.powerOfTwo(64) + BigNum(13)
        let zero = try #require(ConstantTimeFixedBase(base: .zero, modulus: m2, maxBits: 128, signedExponents: false))
        #expect(zero.pow(.zero) == .one)
        #expect(zero.pow(BigNum(7)) == .zero)
        let one = try #require(ConstantTimeFixedBase(base: .one, modulus: m2, maxBits: 128, signedExponents: true))
        #expect(one.pow(BigNum(-12345)) == .one)
        let big = BigNum.powerOfTwo(64) + BigNum(5)
        let t2 = try #require(ConstantTimeFixedBase(base: big, modulus: m2, maxBits: 129, signedExponents: true))
        for e in [BigNum(-99), .powerOfTwo(64) - .one, (BigNum.powerOfTwo(64) - .one).negated(), BigNum(12345678)] {
            #expect(t2.pow(e) == big.pow(e, modulus: m2))
        }
    }

    @Test func refusesBadParameters() throws {
        let p = CGGMPFixtures.primes(.bits2048)
        let n = p[0] * p[1]
        #expect(ConstantTimeFixedBase(base: .two, modulus: n + .one, maxBits: 64, signedExponents: false) == nil) // even
        #expect(ConstantTimeFixedBase(base: .two, modulus: .one, maxBits: 64, signedExponents: false) == nil)
        #expect(ConstantTimeFixedBase(base: n, modulus: n, maxBits: 64, signedExponents: false) == nil)          // base ≥ m
        #expect(ConstantTimeFixedBase(base: BigNum(-2), modulus: n, maxBits: 64, signedExponents: false) == nil)
        #expect(ConstantTimeFixedBase(base: p[0], modulus: n, maxBits: 64, signedExponents: true) == nil)        // no inverse
        #expect(ConstantTimeFixedBase(base: .two, modulus: n, maxBits: 0, signedExponents: false) == nil)
        #expect(ConstantTimeFixedBase(base: .two, modulus: n, maxBits: 64, window: 9, signedExponents: false) == nil)
    }

    /// Ring-Pedersen commitments with tables equal those without, on both sides, for every exponent size the
    /// proofs use, and beyond the tables (fallback to powm_sec).
    @Test func ringPedersenTablesGiveTheSameCommitments() throws {
        var rng = SeededRandom(seed: 94)
        let profile = CGGMPProfile.bits2048
        let own = try CGGMPFixtures.ringPedersen(profile, 0).parameters
        let peer = try RingPedersenParameters(n: own.n, s: own.s, t: own.t, profile: profile) // no CRT: a peer's view
        let prover = peer.withProverTables(profile: profile), verifier = own.withVerifierTables()
        #expect(prover.tables?.proverS != nil && verifier.tables?.verifier != nil)
        #expect(prover == peer && verifier == own)
        let nHat = own.n, twoLE = BigNum.powerOfTwo(profile.ell + profile.epsilon)
        var pairs: [(BigNum, BigNum)] = [(.zero, .zero), (.one, BigNum(-1)),
                                         (.powerOfTwo(profile.ellPrime + profile.epsilon), (twoLE * nHat).negated()),
                                         (BigNum.powerOfTwo(profile.ellPrime + profile.epsilon).negated(), twoLE * nHat),
                                         (.powerOfTwo(4000), .powerOfTwo(5000))] // beyond the tables
        for _ in 0..<4 {
            pairs.append((.randomSigned(magnitude: .powerOfTwo(profile.ell), using: &rng), .randomSigned(magnitude: .powerOfTwo(profile.ell) * nHat, using: &rng)))
            pairs.append((.randomSigned(magnitude: .powerOfTwo(profile.ellPrime + profile.epsilon), using: &rng), .randomSigned(magnitude: twoLE * nHat, using: &rng)))
        }
        for (x, y) in pairs {
            let expected = try #require(own.s.pow(x, modulus: nHat)).mulMod(try #require(own.t.pow(y, modulus: nHat)), nHat)
            #expect(prover.commit(x, y) == expected)
            #expect(peer.commit(x, y) == expected)
            #expect(verifier.commitPublic(x, y) == expected)
            #expect(own.commitPublic(x, y) == expected)
        }
        // Verifier tables need our primes: a peer's parameters stay without them.
        #expect(peer.withVerifierTables().tables == nil)
    }
}

/// Presigning with `CGGMPAuxInfo.withPresignTables` sends byte-for-byte the messages it sends without tables
/// (same seed: the tables change how s^x t^y is computed, never its value), and its presignatures sign.
@Suite("CGGMP21 presign tables")
struct CGGMPPresignTablesTests {
    final class Log: @unchecked Sendable { var bytes: [[UInt8]] = [] }

    @Test func sameMessagesAndAValidSignature() throws {
        let profile = CGGMPHarness.profile
        let keys = try CGGMPHarness.dealer(n: 4, t: 3, seed: 41)
        let tabled = CGGMPHarness.Keys(shares: keys.shares, aux: keys.aux.mapValues { $0.withPresignTables(profile: profile) },
                                       secret: keys.secret, publicKey: keys.publicKey)
        let aux1 = try #require(tabled.aux[1])
        #expect(aux1.ringPedersen.tables?.verifier != nil)
        #expect(aux1.peers.values.allSatisfy { $0.ringPedersen.tables?.proverS != nil && $0.ringPedersen.tables?.proverT != nil })
        #expect(keys.aux[1]?.peers[2]?.ringPedersen.tables == nil)
        let signers: [CGGMPPartyId] = [1, 2, 4]
        func run(_ k: CGGMPHarness.Keys) throws -> ([[UInt8]], [CGGMPPartyId: CGGMPHarness.PartyResult]) {
            let log = Log()
            var adversary = CGGMPHarness.Adversary()
            adversary.round1 = { m in log.bytes.append((try? m.encoded(profile: profile)) ?? []); return m }
            adversary.round2 = { m in log.bytes.append((try? m.encoded(profile: profile)) ?? []); return m }
            adversary.round3 = { m in log.bytes.append((try? m.encoded(profile: profile)) ?? []); return m }
            let results = try CGGMPHarness.presign(k, signers: signers, seed: 5, adversary: adversary)
            return (log.bytes, results)
        }
        let (plain, _) = try run(keys)
        let (withTables, results) = try run(tabled)
        #expect(plain.count == 3 * 2 * 3 && plain.allSatisfy { !$0.isEmpty })
        #expect(plain == withTables)
        // The presignatures made with tables sign; libsecp256k1 verifies the signature.
        let digest = Hash.sha256([Array("presign tables".utf8)])
        var shares = [CGGMPSignatureShare]()
        var pub: CGGMPPresignaturePublic?
        for i in signers {
            guard case .presignature(let slot) = results[i], let p = slot.take() else { Issue.record("party \(i): no presignature"); return }
            pub = p.publicData
            shares.append(try p.sign(digest: digest))
        }
        let sig = try #require(pub).combine(shares, digest: digest)
        #expect(CGGMPHarness.verify(sig, digest: digest, publicKey: keys.publicKey))
    }
}

/// Own-key Paillier nonces through generators of Z*_p, Z*_q (`PaillierNonceGenerator`), with and without tables,
/// against GMP's plain mpz_powm: ρ^N mod N² is right, ρ ∈ Z*_N, the generators have full order, and the tables
/// change nothing but the speed.
@Suite("CGGMP21 Paillier nonce generator")
struct CGGMPPaillierNonceTests {
    @Test func noncesMatchPowmWithAndWithoutTables() throws {
        let sk = try CGGMPFixtures.paillierKey(.bits2048, 2)
        let tabled = sk.withNonceTables()
        let g = try #require(sk.publicKey.accelerator?.nonces)
        #expect(g.tables == nil && tabled.publicKey.accelerator?.nonces?.tables != nil)
        // g_p generates Z*_p: g^((p−1)/2) = −1 (a non-residue; p−1 = 2p' with p' prime), likewise g_q.
        for (gen, p) in [(g.gp, sk.p), (g.gq, sk.q)] {
            #expect(gen.pow(p.shiftedRight(1), modulus: p) == p - .one)
        }
        let n = sk.publicKey.n, n2 = sk.publicKey.nSquared
        var a = SeededRandom(seed: 61), b = SeededRandom(seed: 61)
        var seen = Set<String>()
        for _ in 0..<6 {
            let plain = sk.publicKey.randomNonce(using: &a), fast = tabled.publicKey.randomNonce(using: &b)
            #expect(plain.rho == fast.rho && plain.power == fast.power)
            #expect(fast.rho.isUnit(modulo: n))
            #expect(fast.power == fast.rho.pow(n, modulus: n2))
            seen.insert(fast.rho.hexString)
        }
        #expect(seen.count == 6)
        // Encryption with such a nonce decrypts, also under the table-carrying key.
        var r = SeededRandom(seed: 62)
        let m = BigNum(123456789)
        let (c, rho) = tabled.encrypt(m, using: &r)
        #expect(try sk.decrypt(c) == m)
        #expect(try sk.encrypt(m, nonce: rho) == c)
    }

    @Test func onlySafePrimesGetAGenerator() throws {
        let p = CGGMPFixtures.primes(.bits2048)[0]
        #expect(PaillierNonceGenerator.generator(p) != nil)
        // 2^127 − 1 is prime but (p−1)/2 = 2^126 − 1 is not: no generator (nonces fall back to rejection sampling).
        #expect(PaillierNonceGenerator.generator(.powerOfTwo(127) - .one) == nil)
        #expect(PaillierNonceGenerator.generator(BigNum(23)) == BigNum(5)) // 23 = 2·11 + 1: 2, 3, 4 are squares mod 23
    }
}

/// The verifier's public-exponent powers under our own key / parameters (CRT, `CRTModulus.powPublic`): a short
/// exponent is not reduced modulo the secret orders (a negative one goes through the inverse of the result),
/// a long one is; both equal GMP's plain mpz_powm modulo N² / N̂.
@Suite("CGGMP21 BigNum public powers by CRT")
struct CGGMPBigNumPublicPowTests {
    @Test func ownKeyAndOwnParametersMatchPowm() throws {
        var rng = SeededRandom(seed: 71)
        let sk = try CGGMPFixtures.paillierKey(.bits2048, 1)
        let rp = try CGGMPFixtures.ringPedersen(.bits2048, 1).parameters
        let n2 = sk.publicKey.nSquared, nHat = rp.n
        var exponents: [BigNum] = [.zero, .one, BigNum(-1), CGGMPProfile.curveOrder, CGGMPProfile.curveOrder.negated(),
                                   .powerOfTwo(1023), BigNum.powerOfTwo(1023).negated(), .powerOfTwo(1100), BigNum.powerOfTwo(1100).negated(),
                                   .powerOfTwo(2047), BigNum.powerOfTwo(2047).negated(), .powerOfTwo(3000), BigNum.powerOfTwo(3000).negated()]
        for bits in [256, 768, 1792, 2816] {
            exponents.append(.randomSigned(magnitude: .powerOfTwo(bits), using: &rng))
        }
        let c = sk.publicKey.encrypt(BigNum(42), using: &rng).ciphertext
        let base = BigNum.randomUnit(modulo: nHat, using: &rng)
        for e in exponents {
            #expect(sk.publicKey.unitPow(c, e) == c.pow(e, modulus: n2), "N²: \(e.sign < 0 ? "-" : "+")\(e.bitLength) bits")
            #expect(rp.verifierPow(base, e) == base.pow(e, modulus: nHat), "N̂: \(e.sign < 0 ? "-" : "+")\(e.bitLength) bits")
        }
        #expect(sk.publicKey.accelerator != nil && rp.accelerator != nil)
    }
}
