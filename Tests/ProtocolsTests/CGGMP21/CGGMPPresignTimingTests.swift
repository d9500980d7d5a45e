import Foundation
import Testing
@testable import Protocols

/// Opt-in timing of presigning (all signers in one process, sequentially) and signing on the
/// 2048-bit profile: `CGGMP_TIMING=1 swift test --filter CGGMPPresignTimingTests`.
@Suite("CGGMP21 presign timings", .serialized)
struct CGGMPPresignTimingTests {
    typealias H = CGGMPHarness

    static func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CGGMP_TIMING"] != nil),
          arguments: [(5, 3), (9, 5)])
    func presignAndSign(n: Int, t: Int) throws {
        let keys = try H.dealer(n: n, t: t, seed: 77)
        let signers = (1...t).map { CGGMPPartyId($0) }
        let clock = ContinuousClock()
        let reps = 3
        var total = Duration.zero
        for rep in 0..<reps {
            var results = [CGGMPPartyId: H.PartyResult]()
            total += try clock.measure { results = try H.presign(keys, signers: signers, seed: UInt64(rep)) }
            var pres = [CGGMPPartyId: CGGMPSlot<CGGMPPresignature>]()
            for (i, r) in results { if case .presignature(let s) = r { pres[i] = s } }
            try #require(pres.count == t)
            let digest = Hash.sha256(Array("timing \(rep)".utf8))
            var shares = [CGGMPSignatureShare]()
            var pd: CGGMPPresignaturePublic?
            let signTime = try clock.measure {
                for i in signers {
                    guard let p = pres[i]?.take() else { continue }
                    pd = p.publicData
                    shares.append(try p.sign(digest: digest))
                }
            }
            let pub = try #require(pd)
            var sig: CGGMPSignature?
            let combineTime = try clock.measure { sig = try pub.combine(shares, digest: digest) }
            #expect(H.verify(try #require(sig), digest: digest, publicKey: keys.publicKey))
            print(String(format: "[cggmp21 timing] sign %d-of-%d: %.3f ms per share, combine+verify %.3f ms",
                         t, n, Self.ms(signTime) / Double(t), Self.ms(combineTime)))
        }
        print(String(format: "[cggmp21 timing] presign %d-of-%d (2048-bit, all %d signers sequentially, one process): %.1f ms total, %.1f ms per signer",
                     t, n, t, Self.ms(total) / Double(reps), Self.ms(total) / Double(reps * t)))
    }
}
