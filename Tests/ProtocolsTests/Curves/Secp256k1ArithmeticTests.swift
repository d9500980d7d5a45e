import Testing
import CSecp256k1
@testable import Protocols

/// `Secp256k1Point`'s Swift Jacobian arithmetic and variable-time multi-scalar products against libsecp256k1
/// called directly (`ec_pubkey_combine`, `ec_pubkey_tweak_mul`, `ec_pubkey_negate`, `ec_pubkey_serialize`),
/// and its field GF(p) against GMP.
@Suite struct Secp256k1ArithmeticTests {
    typealias FE = Secp256k1Vartime.FE
    static var ctx: OpaquePointer { Secp256k1Context.shared.raw }
    static let p = BigNum(hex: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f")!
    static let nMinus1 = try! Secp256k1Scalar(canonical: Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140")!)

    // MARK: libsecp256k1 called directly, on 33-byte compressed encodings

    static func parse(_ enc: [UInt8]) -> secp256k1_pubkey? {
        var pk = secp256k1_pubkey()
        return secp256k1_ec_pubkey_parse(ctx, &pk, enc, enc.count) == 1 ? pk : nil
    }

    static func serialize(_ pk: secp256k1_pubkey) -> [UInt8] {
        var pk = pk, len = 33
        var out = [UInt8](repeating: 0, count: 33)
        _ = secp256k1_ec_pubkey_serialize(ctx, &out, &len, &pk, UInt32(SECP256K1_EC_COMPRESSED))
        return out
    }

    /// Σ of the points with `ec_pubkey_combine`; nil when the sum is the point at infinity.
    static func combine(_ encs: [[UInt8]]) -> [UInt8]? {
        let keys = encs.map { parse($0)! }
        var out = secp256k1_pubkey()
        let ptrs = keys.map { k -> UnsafeMutablePointer<secp256k1_pubkey> in
            let m = UnsafeMutablePointer<secp256k1_pubkey>.allocate(capacity: 1); m.initialize(to: k); return m
        }
        defer { ptrs.forEach { $0.deallocate() } }
        var ins: [UnsafePointer<secp256k1_pubkey>?] = ptrs.map { UnsafePointer($0) }
        return secp256k1_ec_pubkey_combine(ctx, &out, &ins, ins.count) == 1 ? serialize(out) : nil
    }

    /// s·P with `ec_pubkey_tweak_mul` (which refuses s = 0).
    static func tweakMul(_ enc: [UInt8], _ s: Secp256k1Scalar) -> [UInt8]? {
        guard var pk = parse(enc) else { return nil }
        return secp256k1_ec_pubkey_tweak_mul(ctx, &pk, s.bytes) == 1 ? serialize(pk) : nil
    }

    static func negate(_ enc: [UInt8]) -> [UInt8] {
        var pk = parse(enc)!
        _ = secp256k1_ec_pubkey_negate(ctx, &pk)
        return serialize(pk)
    }

    static func randomPoint(_ rng: inout SeededRandom) -> Secp256k1Point {
        Secp256k1Point.baseMultiply(.random(using: &rng))
    }

    // MARK: Field

    static func big(_ a: FE) -> BigNum { BigNum(bytes: a.bytes()) }

    @Test func fieldArithmeticMatchesGMP() {
        var rng = SeededRandom(seed: 2561)
        let p = Self.p
        // Random values, values in [p, 2^256) (not reduced), and values next to 0, p and 2^256.
        var values: [[UInt8]] = (0..<60).map { _ in rng.bytes(32) }
        values += [[UInt8](repeating: 0xff, count: 32), p.bytes(width: 32)!, p.subtracting(.one).bytes(width: 32)!,
                   p.adding(.one).bytes(width: 32)!, [UInt8](repeating: 0, count: 32), [UInt8](repeating: 0, count: 31) + [1],
                   [UInt8](repeating: 0xff, count: 31) + [0xfe]]
        for (i, ab) in values.enumerated() {
            let bb = values[(i * 7 + 3) % values.count]
            let a = FE(bigEndian: ab), b = FE(bigEndian: bb)
            let A = BigNum(bytes: ab), B = BigNum(bytes: bb)
            #expect(Self.big(a) == A.mod(p))
            #expect(Self.big(a + b) == A.adding(B).mod(p))
            #expect(Self.big(a - b) == A.subtracting(B).mod(p))
            #expect(Self.big(-a) == A.negated().mod(p))
            #expect(Self.big(a * b) == A.mulMod(B, p))
            #expect(Self.big(a.squared()) == A.mulMod(A, p))
            #expect(a.isZero == A.mod(p).isZero)
            if !A.mod(p).isZero {
                #expect(Self.big(a.inverted()) == A.inverse(modulus: p)!)
                #expect(a * a.inverted() == .one)
            }
            // Chains of unreduced results stay correct.
            let chain = (a * b + a - b) * (b - a) - a.squared()
            let expected = A.mulMod(B, p).adding(A).subtracting(B).mulMod(B.subtracting(A), p).subtracting(A.mulMod(A, p)).mod(p)
            #expect(Self.big(chain) == expected)
        }
    }

    // MARK: Points

    @Test func sumsDifferencesAndDoublingMatchLibsecp256k1() throws {
        var rng = SeededRandom(seed: 2562)
        for _ in 0..<60 {
            let P = Self.randomPoint(&rng), Q = Self.randomPoint(&rng)
            let pe = try P.serialized(), qe = try Q.serialized()
            #expect(try (P + Q).serialized() == Self.combine([pe, qe]))
            #expect(try (P - Q).serialized() == Self.combine([pe, Self.negate(qe)]))
            #expect(try (P + P).serialized() == Self.combine([pe, pe]))
            #expect(try (-P).serialized() == Self.negate(pe))
            // Chains of results that were never normalised (Z ≠ 1), step by step against libsecp256k1.
            let chained = (P + Q) + (P - Q) - Q + (P + P)
            let expected = try #require(Self.combine([pe, qe, pe, Self.negate(qe), Self.negate(qe), pe, pe]))
            #expect(try chained.serialized() == expected)
            #expect(try (-(P + Q)).serialized() == Self.negate(try #require(Self.combine([pe, qe]))))
            // Equality of unnormalised results is equality of the group elements.
            #expect(P + Q == Q + P)
            #expect((P + Q) - Q == P)
            #expect(P + Q != P)
            #expect(try Secp256k1Point(serialized: chained.serialized()) == chained)
            #expect(try (P + Q).uncompressed() == Secp256k1Point(sec1: (P + Q).uncompressed()).uncompressed())
        }
    }

    @Test func identityAndCancellation() throws {
        var rng = SeededRandom(seed: 2563)
        let O = Secp256k1Point.identity
        for _ in 0..<30 {
            let P = Self.randomPoint(&rng), Q = Self.randomPoint(&rng)
            #expect(Self.combine([try P.serialized(), Self.negate(try P.serialized())]) == nil)
            #expect((P + (-P)).isIdentity && (P - P) == O && (P + Q) - (Q + P) == O)
            #expect(((P + Q) - (P + Q)).isIdentity)
            #expect(P + O == P && O + P == P && P - O == P && (O - P) == -P)
            #expect(throws: CurveError.identityElement) { try (P - P).serialized() }
            #expect(throws: CurveError.identityElement) { try (P - P).xOnly() }
            #expect(O.multipliedPublic(by: .random(using: &rng)).isIdentity)
            #expect(P.multipliedPublic(by: .zero).isIdentity)
            #expect(Secp256k1Point.publicSum([(.one, P), (.one, -P)]).isIdentity)
            #expect(Secp256k1Point.publicSum([]).isIdentity)
            // −P is P with the other y: the same x, the other parity.
            let pe = try P.serialized(), ne = try (-(P + Q - Q)).serialized()
            #expect(Array(pe.dropFirst()) == Array(ne.dropFirst()) && pe[0] ^ ne[0] == 1)
        }
        #expect(O == Secp256k1Point.identity && O != Secp256k1Point.generator)
    }

    @Test func publicProductsMatchTweakMul() throws {
        var rng = SeededRandom(seed: 2564)
        var scalars: [Secp256k1Scalar] = [.one, Secp256k1Scalar(2), Secp256k1Scalar(3), Secp256k1Scalar(15),
                                          Secp256k1Scalar(16), Secp256k1Scalar(17), Self.nMinus1, Self.nMinus1 - .one,
                                          Secp256k1Scalar(UInt64.max)]
        scalars += (0..<30).map { _ in .random(using: &rng) }
        for s in scalars {
            let P = Self.randomPoint(&rng)
            let expected = try #require(Self.tweakMul(try P.serialized(), s))
            #expect(try P.multipliedPublic(by: s).serialized() == expected)
            // On a point that was never normalised too.
            let Q = Self.randomPoint(&rng), PQ = P + Q - Q
            #expect(try PQ.multipliedPublic(by: s).serialized() == expected)
            // And against the constant-time product (ECDH ladder) and the generator multiplication.
            #expect(P.multipliedPublic(by: s) == P.multiplied(by: s))
            #expect(Secp256k1Point.generator.multipliedPublic(by: s) == Secp256k1Point.baseMultiply(s))
        }
        // (n − 1)·P = −P.
        let P = Self.randomPoint(&rng)
        #expect(P.multipliedPublic(by: Self.nMinus1) == -P)
        #expect(try P.multipliedPublic(by: Self.nMinus1).serialized() == Self.negate(try P.serialized()))
    }

    @Test func publicSumsMatchLibsecp256k1() throws {
        var rng = SeededRandom(seed: 2565)
        for count in [1, 2, 3, 5, 6, 14, 20] {
            var terms = [(Secp256k1Scalar, Secp256k1Point)]()
            var products = [[UInt8]]()
            for i in 0..<count {
                // Mix full-size, small (the hiding commitments' 1) and edge scalars.
                let s: Secp256k1Scalar = i % 3 == 1 ? .one : (i % 5 == 4 ? Self.nMinus1 : .random(using: &rng))
                let P = Self.randomPoint(&rng)
                terms.append((s, P))
                products.append(try #require(Self.tweakMul(try P.serialized(), s)))
            }
            let expected = try #require(Self.combine(products))
            #expect(try Secp256k1Point.publicSum(terms).serialized() == expected)
            #expect(Secp256k1Point.publicSum(terms) == terms.reduce(.identity) { $0 + $1.1.multiplied(by: $1.0) })
        }
        // The same point twice with opposite scalars cancels; zero scalars and identity points are skipped.
        let P = Self.randomPoint(&rng), s = Secp256k1Scalar.random(using: &rng)
        #expect(Secp256k1Point.publicSum([(s, P), (-s, P)]).isIdentity)
        #expect(Secp256k1Point.publicSum([(s, P), (.zero, Self.randomPoint(&rng)), (s, .identity)]) == P.multiplied(by: s))
    }

    @Test func encodingsRoundTrip() throws {
        var rng = SeededRandom(seed: 2566)
        for _ in 0..<40 {
            let P = Self.randomPoint(&rng), Q = Self.randomPoint(&rng)
            for R in [P, P + Q, P - Q, (P + Q).multipliedPublic(by: .random(using: &rng))] {
                let c = try R.serialized(), u = try R.uncompressed()
                let pk = try #require(Self.parse(c))
                #expect(Self.serialize(pk) == c)
                var pk2 = pk, len = 65
                var out = [UInt8](repeating: 0, count: 65)
                _ = secp256k1_ec_pubkey_serialize(Self.ctx, &out, &len, &pk2, UInt32(SECP256K1_EC_UNCOMPRESSED))
                #expect(out == u)
                #expect(try Secp256k1Point(serialized: c) == R && Secp256k1Point(sec1: u) == R)
                #expect(try R.xOnly() == Array(c.dropFirst()) && R.hasEvenY() == (c[0] == 0x02))
                #expect(try Secp256k1Point(liftX: R.xOnly()).xOnly() == R.xOnly())
            }
        }
        // An x that is not on the curve and an off-curve uncompressed point are still refused (libsecp256k1 decides).
        var offCurve = try Secp256k1Point.generator.uncompressed(); offCurve[64] ^= 1
        #expect(throws: CurveError.self) { try Secp256k1Point(sec1: offCurve) }
    }

    @Test func glvEndomorphismAndSplit() throws {
        typealias GLV = Secp256k1Vartime.GLV
        // β is a non-trivial cube root of unity mod p, λ one mod n.
        #expect(GLV.beta * GLV.beta * GLV.beta == .one && !(GLV.beta == .one))
        #expect(GLV.lambda.pow(BigNum(3), modulus: GLV.n) == BigNum.one && GLV.lambda != BigNum.one)
        let lambda = try Secp256k1Scalar(canonical: try #require(GLV.lambda.bytes(width: 32)))
        var rng = SeededRandom(seed: 2567)
        for _ in 0..<10 {
            // φ(P) = λ·P, against libsecp256k1's tweak_mul, on a normalised and an unnormalised point.
            let P = Self.randomPoint(&rng), Q = Self.randomPoint(&rng)
            let phiP = Secp256k1Point(point: GLV.phi((P + Q - Q).point))
            #expect(try phiP.serialized() == Self.tweakMul(try P.serialized(), lambda))
        }
        // k ≡ k1 + k2·λ (mod n) with |k1|, |k2| < 2^129, on random and edge scalars.
        var scalars: [Secp256k1Scalar] = [.zero, .one, Self.nMinus1, lambda, -lambda, Secp256k1Scalar(UInt64.max)]
        scalars += (0..<200).map { _ in .random(using: &rng) }
        for k in scalars {
            let (k1, neg1, k2, neg2) = GLV.split(k)
            #expect(k1[2] >> 1 == 0 && k1[3] == 0 && k2[2] >> 1 == 0 && k2[3] == 0)
            func scalar(_ w: SIMD4<UInt64>, _ negative: Bool) throws -> Secp256k1Scalar {
                var bytes = [UInt8]()
                for i in (0..<4).reversed() { for j in (0..<8).reversed() { bytes.append(UInt8(truncatingIfNeeded: w[i] >> (8 * j))) } }
                let v = try Secp256k1Scalar(canonical: bytes)
                return negative ? -v : v
            }
            #expect(try scalar(k1, neg1) + scalar(k2, neg2) * lambda == k)
        }
    }

    @Test func mixedAdditionAndBatchNormalisation() throws {
        var rng = SeededRandom(seed: 2568)
        for _ in 0..<20 {
            let P = Self.randomPoint(&rng), Q = Self.randomPoint(&rng)
            let (qx, qy) = try #require(Q.affine())
            let jP = (P + Q - Q).point   // Z ≠ 1
            #expect(Secp256k1Point(point: jP.adding(x: qx, y: qy)) == P + Q)
            #expect(try Secp256k1Point(point: jP.adding(x: qx, y: qy)).serialized() == Self.combine([try P.serialized(), try Q.serialized()]))
            // Equal operands double; opposite operands cancel; the identity plus (x, y) is (x, y).
            let (px, py) = try #require(P.affine())
            #expect(Secp256k1Point(point: jP.adding(x: px, y: py)) == P + P)
            #expect(jP.adding(x: px, y: -py).isIdentity)
            #expect(Secp256k1Point(point: Secp256k1Vartime.Point.identity.adding(x: px, y: py)) == P)
            // Batch normalisation (one inversion) against one inversion each; infinite entries are skipped.
            let points = [(P + Q).point, .identity, (P - Q).point, jP]
            let (xs, ys) = Secp256k1Vartime.affineBatch(points)
            for (i, pt) in points.enumerated() where !pt.isIdentity {
                let (x, y) = try #require(pt.affine())
                #expect(xs[i] == x && ys[i] == y)
            }
        }
    }
}
