import ClientKit
import Foundation
import Testing

/// Cluster files and configuration: no processes.
struct ConfigTests {
    func tempDir() -> String { FileManager.default.temporaryDirectory.appendingPathComponent("mpc-config-\(UUID().uuidString)").path }

    @Test func initWritesEveryFileWithPrivateModes() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layout = ClusterLayout(dir: dir)
        let m = try layout.initialize(nodes: 3, threshold: 2, natsURL: "nats://127.0.0.1:4222")
        #expect(m.nodes.map(\.id) == ["node-1", "node-2", "node-3"])
        #expect(m.threshold == 2)
        #expect(m.clients.map(\.id) == ["client"])
        let loaded = try ClusterManifest.load(path: layout.manifest)
        #expect(loaded == m)
        for n in m.nodes {
            let c = try NodeConfig.load(path: layout.nodeConfig(n.id), environment: [:])
            #expect(c.nodeId == n.id)
            let attrs = try FileManager.default.attributesOfItem(atPath: c.passphraseFile)
            #expect((attrs[.posixPermissions] as? Int) == 0o600)
            let idAttrs = try FileManager.default.attributesOfItem(atPath: c.identityFile)
            #expect((idAttrs[.posixPermissions] as? Int) == 0o600)
        }
        // never overwrites keys
        #expect(throws: ClusterError.self) { try layout.initialize(nodes: 3, threshold: 2, natsURL: "nats://127.0.0.1:4222") }
    }

    @Test func initRefusesBadShapes() {
        let layout = ClusterLayout(dir: tempDir())
        #expect(throws: ClusterError("invalid_argument", "threshold: 4 not in 1...3")) {
            try layout.initialize(nodes: 3, threshold: 4, natsURL: "nats://x:1")
        }
        #expect(throws: ClusterError("invalid_argument", "nodes: 0 not in 1...255")) {
            try layout.initialize(nodes: 0, threshold: 1, natsURL: "nats://x:1")
        }
    }

    @Test func environmentOverridesTheFile() throws {
        var c = NodeConfig(nodeId: "node-1", natsURL: "nats://a:1", dbPath: "/db", passphraseFile: "/p", identityFile: "/i", manifestPath: "/m")
        try c.applyEnvironment(["NATS_URL": "nats://b:2", "DB_PATH": "/other", "MPC_THRESHOLD": "3", "MAX_CONCURRENT_KEYGEN": "5",
                                "EVENT_INITIATOR_PUBKEY": String(repeating: "ab", count: 32), "CONSUL_ADDRESS": "127.0.0.1:8500"])
        #expect(c.natsURL == "nats://b:2")
        #expect(c.dbPath == "/other")
        #expect(c.threshold == 3)
        #expect(c.maxConcurrentKeygen == 5)
        #expect(c.eventInitiatorPubkeys == [String(repeating: "ab", count: 32)])
        #expect(c.consulAddress == "127.0.0.1:8500")
        try c.validate()
    }

    @Test func validationNamesTheBadField() {
        var c = NodeConfig(nodeId: "node-1", natsURL: "http://a:1", dbPath: "/db", passphraseFile: "/p", identityFile: "/i", manifestPath: "/m")
        #expect(throws: ClusterError("config_invalid", "natsURL: must start with nats:// or tls://")) { try c.validate() }
        c.natsURL = "nats://a:1"
        c.maxConcurrentKeygen = 0
        #expect(throws: ClusterError("config_invalid", "maxConcurrentKeygen: must be in 1...64")) { try c.validate() }
        c.maxConcurrentKeygen = 1
        c.eventInitiatorPubkeys = ["zz"]
        #expect(throws: ClusterError("config_invalid", "eventInitiatorPubkeys: not a 32-byte hex key")) { try c.validate() }
        #expect(throws: ClusterError("config_invalid", "MPC_THRESHOLD: not an integer")) { try c.applyEnvironment(["MPC_THRESHOLD": "three"]) }
    }

    @Test func missingFieldIsNamed() throws {
        let path = tempDir() + ".json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(#"{"nodeId":"node-1"}"#.utf8))
        do {
            _ = try NodeConfig.load(path: path, environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == "config_invalid")
            #expect(error.message.contains("missing field"))
        }
    }

    @Test func signatureCheckRejectsTampering() {
        #expect(!SignatureCheck.verify(curve: .ed25519, publicKey: [UInt8](repeating: 1, count: 32), message: [0], signature: [UInt8](repeating: 0, count: 64)))
        #expect(!SignatureCheck.verify(curve: .secp256k1Taproot, publicKey: [], message: [0], signature: []))
    }
}
