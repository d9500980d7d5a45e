import Testing
@testable import Protocols

/// The public-value edwards25519 arithmetic agrees with libsodium's.
@Suite struct SigningEd25519VartimeTests {
    typealias V = Ed25519Vartime

    @Test func squaringAgreesWithMultiplication() {
        var rng = SeededRandom(seed: 255)
        for _ in 0..<200 {
            var b = rng.bytes(32); b[31] &= 0x7f
            let x = V.FE(bytes: b)
            #expect(x.squared() == x * x)
            let y = x + x + x   // larger limbs
            #expect(y.squared() == y * y)
        }
        let pMinus1 = V.FE(bytes: [0xec] + [UInt8](repeating: 0xff, count: 30) + [0x7f])
        #expect(pMinus1.squared() == .one)
    }

    @Test func constants() {
        #expect(V.sqrtM1 * V.sqrtM1 == -V.FE.one)
        #expect(V.FE(7) * V.FE(7).inverted() == .one)
        // The generator round-trips.
        let g = Ed25519Point.generator.encoding
        #expect(V.Point(encoding: g)?.encoding() == g)
    }

    @Test func linearCombinationMatchesLibsodium() throws {
        var rng = SeededRandom(seed: 25519)
        for n in [1, 2, 3, 7, 20] {
            let scalars = (0..<n).map { _ in Ed25519Scalar.random(using: &rng) }
            let points = (0..<n).map { _ in Ed25519Point.baseMultiply(Ed25519Scalar.random(using: &rng)) }
            let extra = (0..<n).map { _ in Ed25519Point.baseMultiply(Ed25519Scalar.random(using: &rng)) }
            var expected = Ed25519Point.identity
            for i in 0..<n { expected = expected + points[i].multiplied(by: scalars[i]) + extra[i] }
            let got = V.linearCombination(scalars: scalars.map(\.bytes), points: points.map(\.encoding), extra: extra.map(\.encoding))
            #expect(got == expected.encoding)
            #expect(FROSTEd25519.groupCommitment(hiding: extra, binding: points, bindingFactors: scalars) == expected)
        }
        // Edge scalars: 0, 1, ℓ − 1; and a sum that cancels to the identity.
        let p = Ed25519Point.baseMultiply(Ed25519Scalar(12345))
        for s in [Ed25519Scalar.zero, .one, -Ed25519Scalar.one, Ed25519Scalar(16), Ed25519Scalar(15)] {
            #expect(V.linearCombination(scalars: [s.bytes], points: [p.encoding], extra: []) == p.multiplied(by: s).encoding)
        }
        #expect(V.linearCombination(scalars: [(-Ed25519Scalar.one).bytes], points: [p.encoding], extra: [p.encoding])
                == Ed25519Point.identity.encoding)
        #expect(FROSTEd25519.groupCommitment(hiding: [p], binding: [p], bindingFactors: [-Ed25519Scalar.one]).isIdentity)
    }

    @Test func verifyEquation() {
        var rng = SeededRandom(seed: 8032)
        let x = Ed25519Scalar.random(using: &rng), k = Ed25519Scalar.random(using: &rng), c = Ed25519Scalar.random(using: &rng)
        let PK = Ed25519Point.baseMultiply(x), R = Ed25519Point.baseMultiply(k)
        #expect(FROSTEd25519.verifyEquation(R: R, z: k + c * x, PK: PK, c: c))
        #expect(!FROSTEd25519.verifyEquation(R: R, z: k + c * x + .one, PK: PK, c: c))
    }
}
