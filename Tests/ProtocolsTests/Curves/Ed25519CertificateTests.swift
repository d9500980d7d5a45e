import Testing
import CSodium
@testable import Protocols

/// Subgroup certificates (`Ed25519Point.init(serialized:certificate:)`): Q = [8⁻¹ mod ℓ]P travels with P and the
/// receiver checks [8]Q = P instead of a subgroup test. With a certificate of P the accepted set is exactly
/// DeserializeElement's (`init(serialized:)`, itself checked against libsodium in Ed25519SubgroupTests); a
/// point outside the subgroup has no certificate at all; a wrong certificate refuses; commitments on the wire
/// carry them and a tampered one is refused.
@Suite struct Ed25519CertificateTests {
    typealias V = Ed25519Vartime

    @Test func secretAndPublicCertificatesAgreeAndAreAccepted() throws {
        var rng = SeededRandom(seed: 8_8888)
        for i in 0..<60 {
            let s = Ed25519Scalar.random(using: &rng)
            let P = Ed25519Point.baseMultiply(s)
            let (element, fromSecret) = Ed25519Point.certifiedBaseMultiply(s)
            #expect(element == P && element.encoding == P.encoding, "point \(i)")
            #expect(fromSecret == P.subgroupCertificate(), "point \(i)")
            // [8]Q = P, independently through libsodium.
            var eight = [UInt8](repeating: 0, count: 32); eight[0] = 8
            var back = [UInt8](repeating: 0, count: 32)
            #expect(crypto_scalarmult_ed25519_noclamp(&back, eight, fromSecret) == 0 && back == P.encoding, "point \(i)")
            let decoded = try Ed25519Point(serialized: P.encoding, certificate: fromSecret)
            #expect(decoded == P && decoded.encoding == P.encoding)
        }
    }

    /// Ten random subgroup points P with their certificates Q, decoded.
    static func certifiedPoints(seed: UInt64) throws -> [(P: Ed25519Point, Q: V.Point)] {
        var rng = SeededRandom(seed: seed)
        return try (0..<10).map { _ in
            let P = Ed25519Point.baseMultiply(.random(using: &rng))
            return (P, try #require(V.Point(encoding: P.subgroupCertificate())))
        }
    }

    /// Every Q + T (T one of the eight torsion points) is a certificate of P: [8](Q + T) = P.
    @Test func everyTorsionVariantOfTheCertificateCertifiesTheSamePoint() throws {
        let torsion = try Ed25519SubgroupTests.torsion()
        for (P, Q) in try Self.certifiedPoints(seed: 8_8889) {
            for T in torsion {
                #expect(try Ed25519Point(serialized: P.encoding, certificate: (Q + T).encoding()) == P)
            }
        }
    }

    /// P + T for T ≠ O is outside the subgroup: refused with its "certificate" [8⁻¹]·(P + T), with P's own
    /// certificate and its torsion variants, and with random points.
    @Test func pointsOutsideTheSubgroupHaveNoCertificate() throws {
        let torsion = try Ed25519SubgroupTests.torsion()
        var rng = SeededRandom(seed: 8_8890)
        for (P, Q) in try Self.certifiedPoints(seed: 8_8891) {
            for T in torsion.dropFirst() {
                let bad = (P.point + T).encoding()
                let naive = V.multiscalar(scalars: [Ed25519Point.inverseOfEight.bytes], points: [P.point + T]).encoding()
                for candidate in [naive, Q.encoding(), (Q + T).encoding(), (Q + torsion[1]).encoding(),
                                  Ed25519Point.baseMultiply(.random(using: &rng)).encoding] {
                    #expect(throws: CurveError.self) { _ = try Ed25519Point(serialized: bad, certificate: candidate) }
                }
            }
        }
        // The torsion points themselves (the identity among them) and their certificates.
        for T in torsion {
            for U in torsion {
                #expect(throws: CurveError.self) { _ = try Ed25519Point(serialized: T.encoding(), certificate: U.encoding()) }
            }
        }
    }

    @Test func wrongMalformedAndMissingCertificatesAreRefused() throws {
        var rng = SeededRandom(seed: 8_8891)
        let P = Ed25519Point.baseMultiply(.random(using: &rng))
        let good = P.subgroupCertificate()
        var flipped = good; flipped[3] ^= 0x10
        let other = Ed25519Point.baseMultiply(.random(using: &rng)).subgroupCertificate()
        let offCurve = [2] + [UInt8](repeating: 0, count: 31)                       // y = 2 does not decode
        let nonCanonical = [0xee] + [UInt8](repeating: 0xff, count: 30) + [0x7f]    // y = p + 1
        for cert in [flipped, other, offCurve, nonCanonical, Array(good.prefix(31)), good + [0], []] {
            #expect(throws: CurveError.self) { _ = try Ed25519Point(serialized: P.encoding, certificate: cert) }
        }
        #expect(throws: CurveError.self) { _ = try Ed25519Point(serialized: Ed25519Point.identity.encoding, certificate: Ed25519Point.identity.encoding) }
        // A group without cofactor takes no certificate.
        #expect(Secp256k1Point.subgroupCertificateByteCount == 0 && Secp256k1Point.generator.subgroupCertificate().isEmpty)
        #expect(throws: CurveError.self) { _ = try Secp256k1Point(serialized: try Secp256k1Point.generator.serialized(), certificate: [1]) }
        #expect(try Secp256k1Point(serialized: try Secp256k1Point.generator.serialized(), certificate: []) == .generator)
    }

    /// Nonce commitments carry their certificates on the wire: a tampered certificate refuses the commitments
    /// (and the package), the honest ones round-trip, and they are those of the committed points.
    @Test func commitmentsOnTheWireCarryAndCheckCertificates() throws {
        var rng = SeededRandom(seed: 8_8892)
        let keys = SigningTestDealer<FROSTEd25519>.split(t: 2, n: 3, rng: &rng)
        let nonces = FROSTSigning<FROSTEd25519>.commit(keyPackage: keys.packages[try ParticipantID(1)]!, using: &rng)
        let c = nonces.commitments
        #expect(c.certificates == c.hiding.subgroupCertificate() + c.binding.subgroupCertificate())
        let wire = c.serialize()
        #expect(wire.count == 3 + 2 + 64 + 64 && wire[0] == 2)
        #expect(try SigningCommitments<FROSTEd25519>(wire: wire) == c)
        for at in [3 + 2 + 64, 3 + 2 + 64 + 32, wire.count - 1] {
            var bad = wire; bad[at] ^= 0x01
            #expect(throws: FROSTError.self) { _ = try SigningCommitments<FROSTEd25519>(wire: bad) }
        }
        var swapped = wire   // D's and E's certificates exchanged
        swapped.replaceSubrange(69..<101, with: wire[101..<133]); swapped.replaceSubrange(101..<133, with: wire[69..<101])
        #expect(throws: FROSTError.self) { _ = try SigningCommitments<FROSTEd25519>(wire: swapped) }
        let other = FROSTSigning<FROSTEd25519>.commit(keyPackage: keys.packages[try ParticipantID(2)]!, using: &rng).commitments
        let package = try SigningPackage<FROSTEd25519>(commitments: [c, other], message: Array("m".utf8))
        #expect(try SigningPackage<FROSTEd25519>(wire: package.serialize()) == package)
        var badPackage = package.serialize()
        badPackage[3 + 1 + 2 + 2 + 64 + 5] ^= 0x01   // inside participant 1's hiding certificate
        #expect(throws: FROSTError.self) { _ = try SigningPackage<FROSTEd25519>(wire: badPackage) }
    }
}
