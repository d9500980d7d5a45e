import ClientKit
import Foundation
import Testing

/// A threshold ECDSA keygen that arrives while a node is still loading its aux material (right after `cluster up`)
/// waits for the load instead of being refused with `aux_not_ready` (seen in CI: a keygen straight after start-up).
@Suite(.serialized)
struct ECDSAAuxLoadTests {
    @Test func keygenWaitsForANodeStillLoadingItsAuxInfo() async throws {
        let c = try ECDSACluster.up(poolTarget: 0) { $0.ecdsa?.testAuxLoadDelayMillis = 2500 }
        defer { c.down() }
        // node-2 is up (subscribed, ready) but loads its aux material only 2.5 s after start.
        #expect(!c.log("node-2").contains("ECDSA aux info ready"))
        let client = try await ClusterClient.open(dir: c.dir)
        let k = try await client.keygen(walletId: "early", curve: .secp256k1)
        #expect(k.ok, "\(k.code ?? "") \(k.message ?? "")")
        #expect(c.log("node-2").contains("ECDSA aux info ready"))
    }
}
