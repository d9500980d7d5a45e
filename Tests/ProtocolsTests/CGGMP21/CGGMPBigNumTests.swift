import Testing
@testable import Protocols

@Suite("CGGMP21 BigNum")
struct CGGMPBigNumTests {
    @Test func arithmeticAndBytes() throws {
        let a = BigNum(123456789), b = BigNum(-1000)
        #expect((a + b) == BigNum(123455789))
        #expect((a - b) == BigNum(123457789))
        #expect((a * b) == BigNum(-123456789000))
        #expect(b.mod(BigNum(7)) == BigNum(1)) // non-negative remainder
        #expect(BigNum(91).divExact(BigNum(7)) == BigNum(13))
        let bytes: [UInt8] = [0x00, 0x01, 0x02, 0xff]
        let x = BigNum(bytes: bytes)
        #expect(x == BigNum(0x0102ff))
        #expect(x.magnitudeBytes == [0x01, 0x02, 0xff])
        #expect(x.bytes(width: 6) == [0, 0, 0, 0x01, 0x02, 0xff])
        #expect(x.bytes(width: 2) == nil)
        #expect(BigNum(hex: "-0x10") == BigNum(-16))
        #expect(BigNum(hex: "xyz") == nil)
        #expect(BigNum.zero.magnitudeBytes.isEmpty)
        #expect(x.bitLength == 17)
        #expect("\(x)" == "BigNum(17 bits)") // never prints the value
    }

    @Test func modularOperations() throws {
        let m = BigNum(1000003) // prime
        let a = BigNum(12345)
        let inv = try #require(a.inverse(modulus: m))
        #expect(a.mulMod(inv, m) == .one)
        #expect(BigNum(6).inverse(modulus: BigNum(9)) == nil)
        let e = BigNum(65537)
        #expect(a.pow(e, modulus: m) == a.powSecret(e, modulus: m))
        #expect(a.powSecret(.zero, modulus: m) == .one)
        // Negative exponents use the inverse, for both variants.
        #expect(a.pow(BigNum(-3), modulus: m) == inv.pow(BigNum(3), modulus: m))
        #expect(a.powSecret(BigNum(-3), modulus: m) == inv.pow(BigNum(3), modulus: m))
        #expect(BigNum(12).gcd(BigNum(18)) == BigNum(6))
        #expect(BigNum(2).jacobi(BigNum(7)) == 1)
        #expect(BigNum(3).jacobi(BigNum(7)) == -1)
        #expect(m.isProbablePrime)
        #expect(!BigNum(1000001).isProbablePrime)
        var rng = SeededRandom(seed: 1)
        #expect(m.isProbablePrime(rounds: 10, using: &rng))
        #expect(!BigNum(561).isProbablePrime(rounds: 10, using: &rng)) // Carmichael
    }

    @Test func randomSampling() {
        var rng = SeededRandom(seed: 7)
        let bound = BigNum(1000)
        var seenHigh = false
        for _ in 0..<500 {
            let r = BigNum.random(below: bound, using: &rng)
            #expect(r.sign >= 0 && r < bound)
            if r > BigNum(900) { seenHigh = true }
        }
        #expect(seenHigh)
        let n = BigNum(35)
        for _ in 0..<200 { #expect(BigNum.randomUnit(modulo: n, using: &rng).isUnit(modulo: n)) }
        var seenNegative = false
        for _ in 0..<200 {
            let s = BigNum.randomSigned(magnitude: BigNum(10), using: &rng)
            #expect(s.isInSymmetricRange(BigNum(10)))
            if s.isNegative { seenNegative = true }
        }
        #expect(seenNegative)
        // Same seed, same stream: reproducible.
        var r1 = SeededRandom(seed: 9), r2 = SeededRandom(seed: 9)
        #expect(BigNum.random(below: .powerOfTwo(300), using: &r1) == BigNum.random(below: .powerOfTwo(300), using: &r2))
    }
}

@Suite("CGGMP21 safe primes")
struct CGGMPSafePrimeTests {
    @Test func generatesSmallSafePrime() throws {
        var rng = SeededRandom(seed: 42)
        var calls = 0, last = 0
        let p = try SafePrime.generate(bits: 256, using: &rng) { n in calls += 1; last = n }
        #expect(p.bitLength == 256)
        #expect(p.testBit(254)) // top two bits set
        #expect(p.mod(small: 4) == 3)
        #expect(calls > 0 && last > 0)
        var check = SeededRandom(seed: 1)
        #expect(SafePrime.isSafePrime(p, using: &check))
    }

    @Test func givesUpAfterBudget() {
        var rng = SeededRandom(seed: 3)
        #expect(throws: CGGMPError.primeGenerationExhausted) {
            _ = try SafePrime.generate(bits: 512, using: &rng, maxCandidates: 3)
        }
    }

    @Test func fixturesAreSafePrimes() throws {
        var rng = SeededRandom(seed: 5)
        for profile in [CGGMPProfile.bits2048, .bits3072] {
            let ps = CGGMPFixtures.primes(profile)
            #expect(ps.count >= 12)
            for p in ps {
                #expect(p.bitLength == profile.primeBits)
                #expect(SafePrime.isSafePrime(p, rounds: 2, using: &rng))
            }
        }
    }
}
