import Testing
import CSodium
@testable import Protocols

/// The point-halving subgroup check (`Ed25519Vartime.isTorsionFree`, Ed25519Subgroup.swift) against the
/// [ℓ]P = O reference (`isTorsionFreeByOrder`) and libsodium's `crypto_core_ed25519_is_valid_point`: random
/// subgroup points P, P + T for each of the eight 8-torsion points T, the torsion points alone, [8]Q for random
/// curve points Q, and thousands of random 32-byte strings that decode. Plus the square-root classes it uses.
@Suite struct Ed25519SubgroupTests {
    typealias V = Ed25519Vartime

    /// The eight torsion points: multiples of an order-8 point.
    static func torsion() throws -> [V.Point] {
        let t8 = try #require(V.Point(encoding: Hex.decode("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05") ?? []))
        var torsion = [V.Point.identity]
        for _ in 1..<8 { torsion.append(torsion.last! + t8) }
        #expect((torsion[7] + t8).isIdentity && !torsion[4].isIdentity)   // order exactly 8
        return torsion
    }

    static func sodiumValid(_ enc: [UInt8]) -> Bool { crypto_core_ed25519_is_valid_point(enc) == 1 }

    /// Both checks and libsodium on one point; libsodium also refuses the identity (small order), which
    /// `Ed25519Point(serialized:)` refuses before its subgroup check.
    static func expectAgreement(_ p: V.Point, expected: Bool? = nil, _ note: String) {
        let halving = V.isTorsionFree(p), order = V.isTorsionFreeByOrder(p)
        let enc = p.encoding()
        let sodium = sodiumValid(enc) || p.isIdentity
        #expect(halving == order && halving == sodium, "\(note): halving \(halving), [ℓ]P \(order), libsodium \(sodium)")
        if let expected { #expect(halving == expected, "\(note)") }
        // Through the public decoder too: accepted iff in the subgroup and not the identity.
        #expect(((try? Ed25519Point(serialized: enc)) != nil) == (halving && !p.isIdentity), "\(note)")
    }

    @Test func everyTorsionOffsetOfRandomSubgroupPoints() throws {
        let torsion = try Self.torsion()
        var rng = SeededRandom(seed: 2551910)
        for i in 0..<100 {
            let P = Ed25519Point.baseMultiply(.random(using: &rng)).point
            for (k, T) in torsion.enumerated() {
                Self.expectAgreement(P + T, expected: k == 0, "P\(i) + T\(k)")
                // Not only affine inputs (Z = 1): the sum's own projective coordinates.
                #expect(V.isTorsionFree(P + T) == (k == 0), "P\(i) + T\(k), projective")
            }
        }
        for (k, T) in torsion.enumerated() {
            Self.expectAgreement(T, expected: k == 0, "T\(k)")
        }
    }

    /// Random 32-byte strings that decode (about half do): mostly outside the subgroup (7 in 8), plus [8]Q of
    /// each, which is inside.
    @Test func randomEncodingsThatDecode() {
        var rng = SeededRandom(seed: 2551911)
        var decoded = 0, inside = 0
        for i in 0..<3000 {
            let enc = rng.bytes(32)
            guard let Q = V.Point(encoding: enc) else {
                #expect(!Self.sodiumValid(enc), "string \(i) does not decode but libsodium accepts it")
                continue
            }
            decoded += 1
            #expect(V.isTorsionFree(Q) == V.isTorsionFreeByOrder(Q), "string \(i)")
            #expect(V.isTorsionFree(Q) == Self.sodiumValid(enc), "string \(i) against libsodium")
            if V.isTorsionFree(Q) { inside += 1 }
            if i % 4 == 0 {
                Self.expectAgreement(Q.doubled().doubled().doubled(), expected: true, "[8]Q, string \(i)")
            }
        }
        #expect(decoded > 1200)
        #expect(inside > 100 && inside < decoded / 4, "about 1 in 8 decoded points is in the subgroup: \(inside) of \(decoded)")
    }

    /// `FE.squareRoot()`: a root for squares, the right class (c² = ±√−1·z) for non-squares.
    @Test func squareRootClasses() {
        typealias FE = V.FE
        var rng = SeededRandom(seed: 2551912)
        var seen = [0, 0, 0]
        for _ in 0..<300 {
            let x = FE(bytes: rng.bytes(32))
            let z = x.squared(), nz = z * FE(2)             // 2 is not a square mod p (p ≡ 5 mod 8)
            guard case .root(let r) = z.squareRoot() else { Issue.record("a square without a root"); continue }
            #expect(r.squared() == z)
            seen[0] += 1
            switch nz.squareRoot() {
            case .root: Issue.record("2·x² has a root")
            case .timesSqrtM1(let c): #expect(c.squared() == nz * V.sqrtM1); seen[1] += 1
            case .timesMinusSqrtM1(let c): #expect(c.squared() == -(nz * V.sqrtM1)); seen[2] += 1
            }
        }
        #expect(seen[1] > 50 && seen[2] > 50, "both non-square classes occur: \(seen)")
        if case .root(let r) = FE.zero.squareRoot() { #expect(r.isZero) } else { Issue.record("0 is a square") }
        #expect(V.halvingRootConstant.squared() == V.sqrtM1 * V.d * FE(16))
        #expect(V.halvingBPrime == (V.minusMontA.squared() - V.aMinusD.squared() * FE(4)))   // A² − 4B = −16d
    }
}
