import Testing
@testable import Protocols

/// The inversion-free Lagrange coefficients agree with the textbook form, and interpolate correctly.
@Suite struct SigningLagrangeTests {
    static func ids(_ v: [UInt16]) -> [ParticipantID] { v.map { try! ParticipantID($0) } }

    static func check<C: FROSTCiphersuite>(_: C.Type) throws {
        var rng = SeededRandom(seed: 21)
        let sets: [[UInt16]] = [[1, 2], [1, 3], [2, 5, 7], [1, 65535], [3, 9, 100, 4000, 65534], Array(1...67)]
        for raw in sets {
            let L = ids(raw)
            var sum = C.Scalar.zero
            for x in L {
                let fast = try FROSTSigning<C>.deriveInterpolatingValue(participants: L, x: x)
                #expect(fast == (try FROSTSigning<C>.deriveInterpolatingValue(participants: L, x: x)))
                if raw.count < 10 {
                    #expect(fast == (try FROSTSigning<C>.deriveInterpolatingValueByInversion(participants: L, x: x)))
                }
                sum = sum + fast
            }
            #expect(sum == .one, "Σ λ_i = 1 (interpolating the constant polynomial)")
        }
        for k: UInt32 in [1, 2, 3, 7, 255, 65535, 65536, 1 << 20] {
            let inv = SmallInverses<C.Scalar>().inverse(k)
            #expect(inv * C.Scalar(UInt64(k)) == .one)
        }
        _ = C.Scalar.random(using: &rng)
    }

    @Test func ed25519() throws { try Self.check(FROSTEd25519.self) }
    @Test func secp256k1() throws { try Self.check(FROSTSecp256k1.self) }
}
