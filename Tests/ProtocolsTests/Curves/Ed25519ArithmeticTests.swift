import Testing
import CSodium
@testable import Protocols

/// `Ed25519Point`'s Swift extended-coordinate arithmetic against libsodium's `crypto_core_ed25519_*` on
/// random points: sums, differences, negation, the identity, encodings and what deserialisation refuses.
@Suite struct Ed25519ArithmeticTests {
    typealias V = Ed25519Vartime
    static let identityEncoding = [1] + [UInt8](repeating: 0, count: 31)

    static func sodiumAdd(_ a: [UInt8], _ b: [UInt8]) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: 32)
        return crypto_core_ed25519_add(&out, a, b) == 0 ? out : nil
    }

    static func sodiumSub(_ a: [UInt8], _ b: [UInt8]) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: 32)
        return crypto_core_ed25519_sub(&out, a, b) == 0 ? out : nil
    }

    static func randomPoint(_ rng: inout SeededRandom) -> Ed25519Point {
        Ed25519Point.baseMultiply(.random(using: &rng))
    }

    @Test func sumsAndDifferencesMatchLibsodium() throws {
        var rng = SeededRandom(seed: 2551901)
        for _ in 0..<100 {
            let P = Self.randomPoint(&rng), Q = Self.randomPoint(&rng)
            let sum = P + Q, diff = P - Q
            #expect(sum.encoding == Self.sodiumAdd(P.encoding, Q.encoding))
            #expect(diff.encoding == Self.sodiumSub(P.encoding, Q.encoding))
            #expect((P + P).encoding == Self.sodiumAdd(P.encoding, P.encoding))
            // Chains of results that were never encoded (projective Z ≠ 1) against libsodium step by step.
            let chained = sum + diff - Q
            let partial = try #require(Self.sodiumAdd(sum.encoding, diff.encoding))
            let expected = try #require(Self.sodiumSub(partial, Q.encoding))
            #expect(chained.encoding == expected)
            // Equality of unencoded results is equality of the group elements.
            #expect(P + Q == Q + P)
            #expect(sum - Q == P)
            #expect(sum != P)
            #expect(try Ed25519Point(serialized: sum.encoding) == sum)
        }
    }

    @Test func negationAndIdentity() throws {
        var rng = SeededRandom(seed: 2551902)
        let O = Ed25519Point.identity
        for _ in 0..<50 {
            let P = Self.randomPoint(&rng)
            let negP = O - P
            // −(x, y) = (−x, y): the same encoding with the sign bit flipped (x ≠ 0 for these points).
            var flipped = P.encoding; flipped[31] ^= 0x80
            #expect(negP.encoding == flipped)
            #expect(negP.encoding == Self.sodiumSub(Self.identityEncoding, P.encoding))
            #expect((P + O).encoding == P.encoding && (O + P) == P && P - O == P)
            let zero = P - P
            #expect(zero.isIdentity && zero == O && zero.encoding == Self.identityEncoding)
            #expect(throws: CurveError.identityElement) { try zero.serialized() }
            #expect((P + negP).isIdentity)
            #expect(!P.isIdentity && !(P + P).isIdentity)
        }
        #expect((O + O).isIdentity && (O + O).encoding == Self.identityEncoding)
        #expect(Ed25519Point.generator.encoding == Self.sodiumAdd(Self.identityEncoding, Ed25519Point.generator.encoding))
    }

    @Test func encodingsRoundTrip() throws {
        var rng = SeededRandom(seed: 2551903)
        var P = Self.randomPoint(&rng)
        for _ in 0..<50 {
            let Q = Self.randomPoint(&rng)
            P = P + Q   // a result with a non-trivial Z
            let enc = P.encoding
            #expect(crypto_core_ed25519_is_valid_point(enc) == 1)
            let decoded = try #require(V.Point(encoding: enc))
            #expect(decoded.encoding() == enc)
            let back = try Ed25519Point(serialized: enc)
            #expect(back == P && back.encoding == enc)
            // libsodium's constant-time ladder on a point that was computed, not deserialised.
            let s = Ed25519Scalar.random(using: &rng)
            #expect(P.multiplied(by: s) == back.multiplied(by: s))
            #expect(P.multipliedPublic(by: s) == P.multiplied(by: s))
        }
    }

    /// Random 32-byte strings: Swift decodes exactly the canonical on-curve encodings, and `Ed25519Point`
    /// accepts exactly what libsodium's `is_valid_point` accepts.
    @Test func decodingAgreesWithLibsodiumOnRandomBytes() {
        var rng = SeededRandom(seed: 2551904)
        var decodedCount = 0, acceptedCount = 0
        for _ in 0..<400 {
            let bytes = rng.bytes(32)
            let swift = V.Point(encoding: bytes)
            let sodiumValid = crypto_core_ed25519_is_valid_point(bytes) == 1
            if let swift {
                decodedCount += 1
                #expect(swift.encoding() == bytes)
            } else {
                #expect(!sodiumValid)
            }
            let accepted = (try? Ed25519Point(serialized: bytes)) != nil
            #expect(accepted == sodiumValid)
            if accepted { acceptedCount += 1 }
        }
        // About half of all y have an x, and about one in eight of those points lies in the subgroup.
        #expect(decodedCount > 120 && acceptedCount > 5 && acceptedCount < decodedCount)
    }

    @Test func rejectsNonCanonicalAndTorsionEncodings() throws {
        // y = p + k for k = 0..18 (both sign bits), and x = 0 with the sign bit set.
        for k in 0..<19 {
            for sign: UInt8 in [0, 0x80] {
                var b = [UInt8](repeating: 0xff, count: 32)
                b[0] = 0xed &+ UInt8(k); b[31] = 0x7f | sign
                #expect(V.Point(encoding: b) == nil)
                #expect(throws: CurveError.self) { try Ed25519Point(serialized: b) }
            }
        }
        var negZero = Self.identityEncoding; negZero[31] |= 0x80
        #expect(V.Point(encoding: negZero) == nil)
        #expect(throws: CurveError.self) { try Ed25519Point(serialized: negZero) }
        // Small-order points decode but are refused: (0, −1) of order 2 and the order-4 points (±√−1, 0).
        var minusOne = [UInt8](repeating: 0xff, count: 32); minusOne[0] = 0xec; minusOne[31] = 0x7f
        let order4 = [UInt8](repeating: 0, count: 32)
        for b in [minusOne, order4] {
            #expect(V.Point(encoding: b) != nil)
            #expect(throws: CurveError.self) { try Ed25519Point(serialized: b) }
        }
        // P + T (T of order 2) is on the curve, outside the prime-order subgroup.
        var rng = SeededRandom(seed: 2551905)
        let P = Self.randomPoint(&rng)
        let T = try #require(V.Point(encoding: minusOne))
        let mixed = (P.point + T).encoding()
        #expect(mixed == Self.sodiumAdd(P.encoding, minusOne))
        #expect(throws: CurveError.invalidPoint) { try Ed25519Point(serialized: mixed) }
    }

    /// The subgroup check (point halving in Swift, Ed25519Subgroup.swift) against libsodium's `is_valid_point` on P + T for each of the eight
    /// 8-torsion points T (multiples of one of order 8), and on the torsion points alone.
    @Test func subgroupCheckAgreesWithLibsodiumOnEveryTorsionOffset() throws {
        let t8 = try #require(V.Point(encoding: Hex.decode("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05") ?? []))
        var torsion = [V.Point.identity]
        for _ in 1..<8 { torsion.append(torsion.last! + t8) }
        #expect((torsion[7] + t8).isIdentity)            // order 8 exactly
        #expect(!torsion[4].isIdentity)
        var rng = SeededRandom(seed: 2551908)
        for _ in 0..<6 {
            let P = Self.randomPoint(&rng)
            for (k, T) in torsion.enumerated() {
                let enc = (P.point + T).encoding()
                let sodium = crypto_core_ed25519_is_valid_point(enc) == 1
                let ours = (try? Ed25519Point(serialized: enc)) != nil
                #expect(ours == sodium && ours == (k == 0), "k = \(k)")
            }
        }
        for T in torsion.dropFirst() {
            let enc = T.encoding()
            #expect(crypto_core_ed25519_is_valid_point(enc) == 0)
            #expect(throws: CurveError.self) { try Ed25519Point(serialized: enc) }
        }
    }

    @Test func publicProductsOnEdgeScalars() {
        var rng = SeededRandom(seed: 2551906)
        let P = Self.randomPoint(&rng), Q = Self.randomPoint(&rng)
        let edge: [Ed25519Scalar] = [.one, Ed25519Scalar(2), Ed25519Scalar(15), Ed25519Scalar(16), Ed25519Scalar(31),
                                     Ed25519Scalar(UInt64.max), -Ed25519Scalar.one, -Ed25519Scalar(16), .random(using: &rng)]
        for a in edge {
            #expect(P.multipliedPublic(by: a) == P.multiplied(by: a))
            for b in edge.prefix(4) {
                #expect(Ed25519Point.publicSum([(a, P), (b, Q)]) == P.multiplied(by: a) + Q.multiplied(by: b))
            }
        }
        #expect(Ed25519Point.publicSum([]) == .identity)
        #expect(Ed25519Point.publicSum([(.one, P), (.one, Ed25519Point.identity)]) == P)
    }

    @Test func fieldInversionAndSquareRoots() {
        var rng = SeededRandom(seed: 2551907)
        for _ in 0..<100 {
            var b = rng.bytes(32); b[31] &= 0x7f
            let x = V.FE(bytes: b)
            if x.isZero { continue }
            #expect(x * x.inverted() == .one)
            // (x^(2^252−3))^4 · x^2 = x^(2^254 − 10) = x^((p−1)/2): ±1, and +1 for a square.
            func legendre(_ y: V.FE) -> V.FE { y.pow22523().squared().squared() * y.squared() }
            #expect(legendre(x) == .one || legendre(x) == -V.FE.one)
            #expect(legendre(x.squared()) == .one)
        }
        // Values at and above p reduce to their canonical form.
        let p = V.FE(bytes: [0xed] + [UInt8](repeating: 0xff, count: 30) + [0x7f])
        #expect(p.isZero && p.bytes() == [UInt8](repeating: 0, count: 32))
        let pPlus5 = V.FE(bytes: [0xf2] + [UInt8](repeating: 0xff, count: 30) + [0x7f])
        #expect(pPlus5 == V.FE(5) && pPlus5.bytes() == V.FE(5).bytes())
    }
}
