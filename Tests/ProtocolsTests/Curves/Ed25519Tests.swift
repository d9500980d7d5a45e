import Testing
import CSodium
@testable import Protocols

/// Ed25519 scalars and points, checked against libsodium's signing key derivation (RFC 8032 §5.1.5).
@Suite struct Ed25519Tests {
    @Test func baseMultiplicationMatchesRFC8032KeyDerivation() throws {
        var rng = SeededRandom(seed: 3)
        for _ in 0..<20 {
            let seed = rng.bytes(32)
            var pk = [UInt8](repeating: 0, count: 32), sk = [UInt8](repeating: 0, count: 64)
            _ = crypto_sign_seed_keypair(&pk, &sk, seed)
            // s = clamp(SHA-512(seed)[0..<32]); A = s·B. Clamping gives a value below 2^255, reduce it.
            var h = Hash.sha512(seed)
            h[0] &= 248; h[31] &= 127; h[31] |= 64
            let s = Ed25519Scalar(reducingWide: Array(h[0..<32]))
            #expect(try Ed25519Point.baseMultiply(s).serialized() == pk)
        }
    }

    @Test func groupLaws() throws {
        var rng = SeededRandom(seed: 4)
        for _ in 0..<50 {
            let a = Ed25519Scalar.random(using: &rng), b = Ed25519Scalar.random(using: &rng)
            let A = Ed25519Point.baseMultiply(a)
            #expect(A + Ed25519Point.baseMultiply(b) == Ed25519Point.baseMultiply(a + b))
            #expect(A.multiplied(by: b) == Ed25519Point.baseMultiply(a * b))
            #expect(A - A == .identity)
            #expect((a - b) + b == a)
            #expect(try a * a.inverted() == .one)
            #expect(-a + a == .zero)
        }
    }

    /// The variable-time public paths agree with libsodium's constant-time ladder.
    @Test func publicProductsMatchTheConstantTimeLadder() {
        var rng = SeededRandom(seed: 5)
        for count in [1, 2, 3, 7] {
            let terms = (0..<count).map { _ in
                (Ed25519Scalar.random(using: &rng), Ed25519Point.baseMultiply(.random(using: &rng)))
            }
            let expected = terms.reduce(Ed25519Point.identity) { $0 + $1.1.multiplied(by: $1.0) }
            #expect(Ed25519Point.publicSum(terms) == expected)
            #expect(terms[0].1.multipliedPublic(by: terms[0].0) == terms[0].1.multiplied(by: terms[0].0))
        }
        let P = Ed25519Point.baseMultiply(.random(using: &rng))
        #expect(P.multipliedPublic(by: .zero) == .identity)
        #expect(Ed25519Point.identity.multipliedPublic(by: .one) == .identity)
        #expect(Ed25519Point.publicSum([(.one, P), (-Ed25519Scalar.one, P)]) == .identity)
    }

    @Test func rejectsNonCanonicalScalars() {
        let order = Ed25519Scalar.order
        var orderPlusOne = order; orderPlusOne[0] += 1
        for bytes in [order, orderPlusOne, [UInt8](repeating: 0xff, count: 32), [1, 2]] {
            #expect(throws: CurveError.nonCanonicalScalar) { try Ed25519Scalar(canonical: bytes) }
        }
        var orderMinusOne = order; orderMinusOne[0] -= 1
        #expect((try? Ed25519Scalar(canonical: orderMinusOne)) != nil)
    }

    @Test func rejectsInvalidPoints() {
        // The identity, a small-order point (order 4: (0, −1) is not; order 2: y = −1), an off-curve y,
        // a non-canonical y = p, and a wrong length.
        let identity = [1] + [UInt8](repeating: 0, count: 31)
        var minusOne = [UInt8](repeating: 0xff, count: 32); minusOne[0] = 0xec; minusOne[31] = 0x7f
        var yEqualsP = [UInt8](repeating: 0xff, count: 32); yEqualsP[0] = 0xed; yEqualsP[31] = 0x7f
        var offCurve = [UInt8](repeating: 0, count: 32); offCurve[0] = 2
        #expect(throws: CurveError.identityElement) { try Ed25519Point(serialized: identity) }
        for bytes in [minusOne, yEqualsP, offCurve, [UInt8](repeating: 0, count: 31)] {
            #expect(throws: CurveError.self) { try Ed25519Point(serialized: bytes) }
        }
        #expect(throws: CurveError.identityElement) { try Ed25519Point.identity.serialized() }
    }
}
