import Foundation
import Testing
@testable import Protocols

/// Ad-hoc timing of a whole in-process DKG (all parties), off by default. Run in release:
///   MPC_DKG_TIMING=1 swift test -c release -Xswiftc -enable-testing --filter DKGTimingTests
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MPC_DKG_TIMING"] != nil))
struct DKGTimingTests {
    @Test func threeOfFive() throws {
        try time(FROSTEd25519.self, "Ed25519")
        try time(FROSTSecp256k1.self, "secp256k1")
        try time(FROSTSecp256k1Taproot.self, "secp256k1-TR")
    }

    func time<C: FROSTCiphersuite>(_: C.Type, _ name: String, n: Int = 5, t: Int = 3) throws {
        var best = Double.infinity, total = 0.0
        let runs = 30
        for seed in 0..<UInt64(runs) {
            let start = DispatchTime.now().uptimeNanoseconds
            let results = try DKGSimulation<C>().run(n: n, t: t, seed: seed)
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            #expect(results.values.compactMap(\.dkgOutput).count == n)
            best = min(best, ms)
            total += ms
        }
        print("\(name) \(t)-of-\(n) DKG, all parties: mean \(total / Double(runs)) ms, best \(best) ms")
    }
}
