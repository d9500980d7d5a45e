import Testing
import CSecp256k1
@testable import Protocols

/// secp256k1 scalars and points, checked against libsecp256k1's own arithmetic and Python integers.
@Suite struct Secp256k1Tests {
    let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))!

    @Test func scalarArithmeticMatchesLibsecp256k1() throws {
        var rng = SeededRandom(seed: 1)
        for _ in 0..<200 {
            let a = Secp256k1Scalar.random(using: &rng), b = Secp256k1Scalar.random(using: &rng)
            var sum = a.bytes
            #expect(secp256k1_ec_seckey_tweak_add(ctx, &sum, b.bytes) == 1)
            #expect((a + b).bytes == sum)
            var product = a.bytes
            #expect(secp256k1_ec_seckey_tweak_mul(ctx, &product, b.bytes) == 1)
            #expect((a * b).bytes == product)
            var negated = a.bytes
            #expect(secp256k1_ec_seckey_negate(ctx, &negated) == 1)
            #expect((-a).bytes == negated)
            #expect((a - b) + b == a)
            #expect(try a * a.inverted() == .one)
        }
    }

    @Test func wideReductionMatchesGMP() throws {
        // Every 512-bit input reduces to its value mod n: all-ones, powers of two around the fold points,
        // n and 2n, and random wide values (against GMP).
        let n = try #require(BigNum(hex: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"))
        var inputs: [[UInt8]] = [[UInt8](repeating: 0xff, count: 64), [UInt8](repeating: 0, count: 64)]
        for k in [128, 129, 255, 256, 257, 384, 385, 511] {
            inputs.append(try #require(BigNum.powerOfTwo(k).bytes(width: 64)))
            inputs.append(try #require(BigNum.powerOfTwo(k).subtracting(.one).bytes(width: 64)))
        }
        inputs.append(try #require(n.bytes(width: 64)))
        inputs.append(try #require(n.adding(n).bytes(width: 64)))
        inputs.append(try #require(n.subtracting(.one).bytes(width: 64)))
        var rng = SeededRandom(seed: 77)
        inputs += (0..<300).map { _ in rng.bytes(64) }
        for wide in inputs {
            let expected = try #require(BigNum(bytes: wide).mod(n).bytes(width: 32))
            #expect(Secp256k1Scalar(reducingWide: wide).bytes == expected)
        }
    }

    @Test func edgeValuesWrapAroundTheOrder() throws {
        let nMinus1 = try Secp256k1Scalar(canonical: Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140")!)
        #expect(nMinus1 + .one == .zero)
        #expect(nMinus1 * nMinus1 == .one)            // (−1)² = 1
        #expect(Secp256k1Scalar.zero - .one == nMinus1)
        #expect(throws: CurveError.zeroScalar) { try Secp256k1Scalar.zero.inverted() }
        #expect(nMinus1.isHigh && !Secp256k1Scalar.one.isHigh)
    }

    @Test func rejectsNonCanonicalScalars() {
        for hex in ["fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",   // n
                    "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142",   // n + 1
                    String(repeating: "ff", count: 32)] {
            #expect(throws: CurveError.nonCanonicalScalar) { try Secp256k1Scalar(canonical: Hex.decode(hex)!) }
        }
        #expect(throws: CurveError.nonCanonicalScalar) { try Secp256k1Scalar(canonical: [1, 2, 3]) }
        #expect(throws: CurveError.nonCanonicalScalar) { try Secp256k1Scalar(canonical: [UInt8](repeating: 0, count: 33)) }
    }

    /// Expected values computed with Python's integers: int.from_bytes(w, 'big') % n.
    @Test(arguments: [
        ("1f40fc92da241694750979ee6cf582f2d5d7d28e18335de05abc54d0560e0f5302860c652bf08d560252aa5e74210546f369fbbbce8c12cfc7957b2652fe9a75",
         "853d59df67d632d47d0ec2fa8873ed86202518ef5fc5cd5266a147def34dd77a"),
        ("5267768822ee624d48fce15ec5ca79cbd602cb7f4c2157a516556991f22ef8c7b5ef7b18d1ff41c59370efb0858651d44a936c11b7b144c48fe04df3c6a3e8da",
         "87a17983491d94c010b5db544108984767633d910ac0973dbfbfb6671791a3a2"),
        (String(repeating: "ff", count: 48), "4551231950b75fc4402da1732fc9bec04551231950b75fc4402da1732fc9bebe"),
    ])
    func wideReductionMatchesPython(wide: String, expected: String) {
        #expect(Hex.encode(Secp256k1Scalar(reducingWide: Hex.decode(wide)!).bytes) == expected)
    }

    @Test func pointOperationsAgree() {
        var rng = SeededRandom(seed: 2)
        for _ in 0..<50 {
            let a = Secp256k1Scalar.random(using: &rng), b = Secp256k1Scalar.random(using: &rng)
            let A = Secp256k1Point.baseMultiply(a)
            #expect(Secp256k1Point.baseMultiply(a) + Secp256k1Point.baseMultiply(b) == Secp256k1Point.baseMultiply(a + b))
            #expect(A.multiplied(by: b) == Secp256k1Point.baseMultiply(a * b))
            #expect(A.multipliedPublic(by: b) == A.multiplied(by: b))
            #expect(A - A == .identity)
            #expect(A + .identity == A && Secp256k1Point.identity + A == A)
            #expect(A.multiplied(by: .zero) == .identity)
        }
        #expect(Secp256k1Point.baseMultiply(.zero).isIdentity)
    }

    @Test func rejectsInvalidPointEncodings() throws {
        let g = try Secp256k1Point.generator.serialized()
        #expect(Hex.encode(g) == "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
        #expect(try Secp256k1Point(serialized: g) == .generator)
        // Uncompressed, hybrid, wrong prefix, x = p (not a field element), x with no curve point, wrong length.
        let bad: [[UInt8]] = [
            try Secp256k1Point.generator.uncompressed(),
            [0x04] + Array(g.dropFirst()),
            [0x05] + Array(g.dropFirst()),
            Hex.decode("02fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f")!,
            Hex.decode("020000000000000000000000000000000000000000000000000000000000000005")!,
            Array(g.dropLast()),
            [UInt8](repeating: 0, count: 33),
        ]
        for encoding in bad {
            #expect(throws: CurveError.self) { try Secp256k1Point(serialized: encoding) }
        }
        #expect(throws: CurveError.identityElement) { try Secp256k1Point.identity.serialized() }
    }
}
