/// Safe primes p = 2q' + 1 (q' prime), as needed for Paillier-Blum moduli (p ≡ 3 mod 4) and
/// ring-Pedersen parameters (eprint 2021/060, Section 4 / Fig. 7 "auxiliary info").
///
/// Search: draw a random odd q' with the top two bits of p set (so N = pq has exactly 2·bits bits),
/// then walk q' += 2 with an incremental sieve: q' and p = 2q'+1 must both avoid every small prime r
/// (q' ≢ 0 and q' ≢ (r-1)/2 mod r). Survivors get Baillie-PSW and Miller-Rabin on q' and then on p,
/// with bases from the injected RandomSource. Variable time (key generation only).
public enum SafePrime {
    /// Small odd primes for sieving (3 ..< 2000).
    static let smallPrimes: [UInt] = {
        var out: [UInt] = []
        var n: UInt = 3
        while n < 2000 {
            var isPrime = true
            var d: UInt = 3
            while d * d <= n { if n % d == 0 { isPrime = false; break }; d += 2 }
            if isPrime { out.append(n) }
            n += 2
        }
        return out
    }()

    /// Miller-Rabin rounds after Baillie-PSW (error ≤ 4^-rounds even for adversarial inputs).
    public static let millerRabinRounds = 40

    /// Generates a safe prime p of exactly `bits` bits with its top two bits set.
    /// - progress: called with the number of candidates tried so far (every 64 candidates and at the end).
    /// - maxCandidates: give up after this many candidates (default: effectively unbounded).
    public static func generate<R: RandomSource>(
        bits: Int, using rng: inout R, maxCandidates: Int = Int.max,
        progress: (Int) -> Void = { _ in }
    ) throws(CGGMPError) -> BigNum {
        guard bits >= 16 else { throw .invalidInput("safe prime too small") }
        var tried = 0
        let window = 1 << 14
        while tried < maxCandidates {
            // q' has bits-1 bits, top two set, odd.
            var qp = BigNum.random(below: BigNum.powerOfTwo(bits - 3), using: &rng)
                .adding(BigNum.powerOfTwo(bits - 2)).adding(BigNum.powerOfTwo(bits - 3))
            if !qp.isOdd { qp = qp.adding(.one) }
            let residues = smallPrimes.map { qp.mod(small: $0) }
            for step in 0..<window {
                if tried >= maxCandidates { break }
                tried += 1
                if tried % 64 == 0 { progress(tried) }
                // Candidate q' + 2·step: reject as soon as q' or 2q'+1 has a small factor.
                var survives = true
                for (i, r) in smallPrimes.enumerated() {
                    let res = (residues[i] + 2 * UInt(step)) % r
                    if res == 0 || res == (r - 1) / 2 { survives = false; break }
                }
                guard survives else { continue }
                let candidate = qp.adding(BigNum(2 * step))
                let p = candidate.shiftedLeft(1).adding(.one)
                guard p.bitLength == bits, p.testBit(bits - 2) else { break }
                // Cheap Fermat test on p first (base 2), then full tests on q' and p.
                guard let f = BigNum.two.pow(p.subtracting(.one), modulus: p), f == .one else { continue }
                guard candidate.isProbablePrime(rounds: millerRabinRounds, using: &rng),
                      p.isProbablePrime(rounds: millerRabinRounds, using: &rng) else { continue }
                progress(tried)
                return p
            }
        }
        throw .primeGenerationExhausted
    }

    /// Whether p is a safe prime (p and (p-1)/2 prime), with `rounds` random Miller-Rabin bases.
    public static func isSafePrime<R: RandomSource>(_ p: BigNum, rounds: Int = 20, using rng: inout R) -> Bool {
        guard p.sign > 0, p.isOdd, p.bitLength > 2 else { return false }
        let qp = p.shiftedRight(1)
        return qp.isProbablePrime(rounds: rounds, using: &rng) && p.isProbablePrime(rounds: rounds, using: &rng)
    }
}
