import Testing
@testable import Protocols

/// The helpers behind the concurrent rounds: `CGGMPConcurrent.map` (order, errors, forked streams) and
/// `FixedBasePowers` (Π^prm verification), checked against GMP's `mpz_powm` through `BigNum.pow`.
@Suite("CGGMP21 concurrency and fixed-base powers")
struct CGGMPConcurrencyTests {
    struct Failed: Error, Equatable { let index: Int }

    @Test func mapKeepsIndexOrder() {
        let squares = CGGMPConcurrent.map(200) { (i: Int) in i * i }
        #expect(squares == (0..<200).map { $0 * $0 })
        #expect(CGGMPConcurrent.map(0) { (i: Int) in i }.isEmpty)
    }

    @Test func mapReportsTheLowestFailingIndex() {
        // Tasks 7, 30 and 101 fail; whatever the scheduling, the error of index 7 comes back.
        for _ in 0..<20 {
            #expect(throws: Failed(index: 7)) {
                _ = try CGGMPConcurrent.map(150) { (i: Int) throws(Failed) -> Int in
                    if [7, 30, 101].contains(i) { throw Failed(index: i) }
                    return i
                }
            }
        }
    }

    @Test func forkedStreamsAreReproducibleAndDistinct() {
        func draw(seed: UInt64) -> [[UInt8]] {
            var rng = SeededRandom(seed: seed)
            return CGGMPConcurrent.map(16, using: &rng) { (_: Int, r: inout ForkedRandom) in r.bytes(32) + r.bytes(32) }
        }
        let a = draw(seed: 11), b = draw(seed: 11), c = draw(seed: 12)
        #expect(a == b)                       // same seed, same bytes in every task, whatever ran first
        #expect(a != c)
        #expect(Set(a).count == a.count)      // no two tasks share a stream
        for x in a { #expect(x[0..<32] != x[32..<64]) } // successive calls do not repeat
        // The parent advanced by exactly one 32-byte key per task.
        var parent = SeededRandom(seed: 11), replay = SeededRandom(seed: 11)
        _ = CGGMPConcurrent.map(16, using: &parent) { (_: Int, r: inout ForkedRandom) in r.bytes(1) }
        for _ in 0..<16 { _ = replay.bytes(32) }
        #expect(parent.bytes(32) == replay.bytes(32))
    }

    @Test func fixedBasePowersMatchPowm() {
        var rng = SeededRandom(seed: 5)
        let fixture = CGGMPFixtures.primes(.bits2048)
        let n = fixture[0] * fixture[1]
        #expect(n.bitLength == 2048)
        let base = BigNum.randomUnit(modulo: n, using: &rng)
        let table = FixedBasePowers(base: base, modulus: n, maxBits: n.bitLength)
        var exponents: [BigNum] = [.zero, .one, .two, BigNum(63), BigNum(64), n - .one, n, .powerOfTwo(2047), .powerOfTwo(2048) - .one]
        for bits in [1, 5, 6, 7, 100, 1023, 2040, 2048] {
            for _ in 0..<3 { exponents.append(BigNum.random(below: .powerOfTwo(bits), using: &rng)) }
        }
        // Longer than the table: falls back to mpz_powm, still correct.
        exponents.append(BigNum.random(below: .powerOfTwo(3000), using: &rng))
        for e in exponents {
            #expect(table.pow(e) == base.pow(e, modulus: n), "exponent of \(e.bitLength) bits")
        }
        // A small modulus where every value can be checked by hand: 3^e mod 1000003.
        let small = FixedBasePowers(base: BigNum(3), modulus: BigNum(1000003), maxBits: 20)
        for e in 0..<300 { #expect(small.pow(BigNum(e)) == BigNum(3).pow(BigNum(e), modulus: BigNum(1000003))) }
    }

    /// Round 1 of presigning proves Π^enc for every peer concurrently: with a seeded source the proofs are
    /// the same on every run (seeded and vector tests keep reproducing), and each verifies for its recipient.
    @Test func concurrentPresignRoundIsReproducible() throws {
        let keys = try CGGMPHarness.dealer(n: 4, t: 3, seed: 21)
        let signers: [CGGMPPartyId] = [1, 2, 3]
        guard let share = keys.shares[1], let aux = keys.aux[1] else { throw CGGMPError.invalidInput("fixture") }
        func start(seed: UInt64) throws -> [PresignRound1Message] {
            var rng = SeededRandom(seed: seed)
            return try CGGMPPresign.start(keyShare: share, aux: aux, signers: signers, sessionId: [7],
                                          profile: CGGMPHarness.profile, using: &rng).messages
        }
        let a = try start(seed: 1), b = try start(seed: 1), c = try start(seed: 2)
        #expect(a.map(\.to) == [2, 3])
        #expect(a.map(\.psi0) == b.map(\.psi0))
        #expect(a[0].psi0 != c[0].psi0)
        #expect(a[0].psi0 != a[1].psi0)   // each recipient's proof has its own masks
        for m in a {
            guard let verifier = keys.aux[m.to], let prover = verifier.peers[1] else { throw CGGMPError.invalidInput("fixture") }
            let ctx = CGGMPProofContext(sessionId: Array("CGGMP21/presign".utf8) + [7], proverId: [0, 1], round: 1)
            try m.psi0.verify(pk: prover.paillier, K: m.K, ownAux: verifier.ringPedersen, profile: CGGMPHarness.profile, context: ctx)
        }
    }

    /// ρ^N mod N² with our own key (CRT, b^{pq} mod p² from b^q mod p) equals GMP's plain mpz_powm mod N²,
    /// and encryption under our key equals encryption under the same key seen as a peer's (no accelerator).
    @Test func ownKeyNthPowerMatchesPowm() throws {
        var rng = SeededRandom(seed: 31)
        for index in 0..<3 {
            let sk = try CGGMPFixtures.paillierKey(.bits2048, index)
            let peerView = try PaillierPublicKey(n: sk.publicKey.n, profile: .bits2048)
            let n = peerView.n, n2 = peerView.nSquared
            for _ in 0..<4 {
                let rho = BigNum.randomUnit(modulo: n, using: &rng)
                let expected = rho.pow(n, modulus: n2)
                #expect(sk.publicKey.nthPower(rho) == expected)
                #expect(peerView.nthPower(rho) == expected)
                // Bases in [N, N²) (z values of proofs are < N, ciphertext-sized bases too).
                let big = BigNum.random(below: n2, using: &rng)
                if big.gcd(n) == .one { #expect(sk.publicKey.nthPower(big) == big.pow(n, modulus: n2)) }
                let m = BigNum.random(below: CGGMPProfile.curveOrder, using: &rng)
                #expect(try sk.encrypt(m, nonce: rho) == peerView.encrypt(m, nonce: rho))
            }
        }
    }
}
