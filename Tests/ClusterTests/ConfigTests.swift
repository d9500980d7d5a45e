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
            #expect(layout.nodeConfig(n.id).hasSuffix("/\(n.id)/config.yaml"))
            let c = try NodeConfig.load(path: layout.nodeConfig(n.id), environment: [:])
            #expect(c.nodeId == n.id)
            let attrs = try FileManager.default.attributesOfItem(atPath: c.passphraseFile)
            #expect((attrs[.posixPermissions] as? Int) == 0o600)
            let idAttrs = try FileManager.default.attributesOfItem(atPath: c.identityFile)
            #expect((idAttrs[.posixPermissions] as? Int) == 0o600)
        }
        // the coordinator: YAML configuration, its own store passphrase (0600), NATS discovery by default
        #expect(layout.coordinatorConfig.hasSuffix("/coordinator/config.yaml"))
        let coordinator = try CoordinatorConfig.load(path: layout.coordinatorConfig, environment: [:])
        #expect((try FileManager.default.attributesOfItem(atPath: coordinator.passphraseFile)[.posixPermissions] as? Int) == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: layout.coordinatorConfig)[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: coordinator.passphraseFile, encoding: .utf8).count == 64)
        #expect(try coordinator.discoveryConfiguration().backend == .nats)
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

    /// Writes `text` to a temporary file with the given extension.
    func file(_ text: String, ext: String = "yaml") -> String {
        let path = tempDir() + "." + ext
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    let nodeYAML = """
        nodeId: node-1
        natsURL: nats://127.0.0.1:4222
        dbPath: /var/lib/mpc/db
        passphraseFile: /run/secrets/passphrase
        identityFile: /cluster/node-1/identity.json
        manifestPath: /cluster/manifest.json
        threshold: 3
        maxConcurrentKeygen: 2
        maxConcurrentSigning: 16
        sessionTimeoutSeconds: 30
        kdf: interactive

        """

    func loadError(_ path: String, _ env: [String: String] = [:]) -> ClusterError? {
        do { _ = try NodeConfig.load(path: path, environment: env); return nil } catch { return error }
    }

    @Test func yamlFileWithEnvironmentOverrides() throws {
        let path = file(nodeYAML + "discoveryTTLSeconds: 4\nshutdownGraceSeconds: 2\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let plain = try NodeConfig.load(path: path, environment: [:])
        #expect(plain.nodeId == "node-1" && plain.threshold == 3 && plain.maxConcurrentKeygen == 2 && plain.dbPath == "/var/lib/mpc/db")
        #expect(plain.ttl == .seconds(4) && plain.shutdownGrace == .seconds(2))
        #expect(try plain.discoveryConfiguration().backend == .nats)
        let key = String(repeating: "cd", count: 32)
        let env = ["NODE_ID": "node-2", "NATS_URL": "nats://nats:4222", "DB_PATH": "/data/db", "MPC_THRESHOLD": "4",
                   "MAX_CONCURRENT_KEYGEN": "10", "MAX_CONCURRENT_SIGNING": "32", "EVENT_INITIATOR_PUBKEY": "\(key), \(key.uppercased())",
                   "CONSUL_ADDRESS": "consul:8500", "CONSUL_HTTP_TOKEN": "t0ken"]
        let c = try NodeConfig.load(path: path, environment: env)
        #expect(c.nodeId == "node-2" && c.natsURL == "nats://nats:4222" && c.dbPath == "/data/db")
        #expect(c.threshold == 4 && c.maxConcurrentKeygen == 10 && c.maxConcurrentSigning == 32)
        #expect(c.eventInitiatorPubkeys == [key, key.uppercased()])
        // a Consul address selects the Consul backend unless `discovery` says otherwise
        let d = try c.discoveryConfiguration(environment: env)
        #expect(d.backend == .consul && d.consulAddress == "consul:8500" && d.consulToken == "t0ken")
        #expect(try NodeConfig.load(path: path, environment: env.merging(["DISCOVERY_BACKEND": "nats"]) { $1 }).discoveryConfiguration().backend == .nats)
        // empty values (compose's ${VAR:-}) do not override
        let empty = try NodeConfig.load(path: path, environment: ["NATS_URL": "", "EVENT_INITIATOR_PUBKEY": "", "CONSUL_ADDRESS": " "])
        #expect(empty == plain)
    }

    @Test func yamlErrorsNameTheField() {
        let wrongType = file(nodeYAML.replacingOccurrences(of: "maxConcurrentKeygen: 2", with: "maxConcurrentKeygen: lots"))
        let list = file(nodeYAML.replacingOccurrences(of: "natsURL: nats://127.0.0.1:4222", with: "natsURL: [a, b]"))
        let missing = file(nodeYAML.replacingOccurrences(of: "dbPath: /var/lib/mpc/db\n", with: ""))
        let unknown = file(nodeYAML + "maxConcurentKeygen: 3\n")
        let outOfRange = file(nodeYAML.replacingOccurrences(of: "sessionTimeoutSeconds: 30", with: "sessionTimeoutSeconds: 0"))
        let consulless = file(nodeYAML + "discovery: consul\n")
        let badBackend = file(nodeYAML + "discovery: zookeeper\n")
        let syntax = file(nodeYAML + "threshold: [\n")
        let notMapping = file("- a\n- b\n")
        let json = file("{}", ext: "toml")
        defer { for p in [wrongType, list, missing, unknown, outOfRange, consulless, badBackend, syntax, notMapping, json] { try? FileManager.default.removeItem(atPath: p) } }
        let cases: [(String, [String: String], String)] = [
            (wrongType, [:], "bad field maxConcurrentKeygen: expected an integer"),
            (list, [:], "bad field natsURL: expected a single value"),
            (missing, [:], "missing field dbPath"),
            (unknown, [:], "unknown field maxConcurentKeygen"),
            (outOfRange, [:], "sessionTimeoutSeconds: must be in 1...3600"),
            (consulless, [:], "consulAddress"),
            (badBackend, [:], "discovery"),
            (syntax, [:], "not YAML"),
            (notMapping, [:], "not a YAML mapping"),
            (json, [:], "unknown configuration format"),
            (file(nodeYAML), ["MAX_CONCURRENT_KEYGEN": "ten"], "MAX_CONCURRENT_KEYGEN: not an integer"),
            (file(nodeYAML), ["MAX_CONCURRENT_KEYGEN": "0"], "maxConcurrentKeygen: must be in 1...64"),
            (file(nodeYAML), ["CONSUL_ADDRESS": "ftp://x"], "CONSUL_ADDRESS"),
            (file(nodeYAML), ["DISCOVERY_BACKEND": "etcd"], "DISCOVERY_BACKEND"),
        ]
        for (path, env, expected) in cases {
            let e = loadError(path, env)
            #expect(e?.code == "config_invalid", "\(expected): \(String(describing: e))")
            #expect(e?.message.contains(expected) == true, "expected '\(expected)' in '\(e?.message ?? "no error")'")
        }
    }

    @Test func jsonStillAcceptedByExtension() throws {
        let yamlPath = file(nodeYAML)
        let fromYAML = try NodeConfig.load(path: yamlPath, environment: [:])
        let jsonPath = tempDir() + ".json"
        defer { for p in [yamlPath, jsonPath] { try? FileManager.default.removeItem(atPath: p) } }
        try ConfigFile.write(fromYAML, to: jsonPath)
        #expect(String(decoding: FileManager.default.contents(atPath: jsonPath) ?? Data(), as: UTF8.self).hasPrefix("{"))
        #expect(try NodeConfig.load(path: jsonPath, environment: [:]) == fromYAML)
        #expect((try FileManager.default.attributesOfItem(atPath: jsonPath)[.posixPermissions] as? Int) == 0o600)
    }

    @Test func coordinatorThresholdAndDiscoveryFromEnvironment() throws {
        let path = file("""
            natsURL: nats://127.0.0.1:4222
            identityFile: /c/identity.json
            manifestPath: /c/manifest.json
            dataDir: /c/data
            passphraseFile: /c/passphrase
            sessionTimeoutSeconds: 20
            maxSignAttempts: 3

            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let c = try CoordinatorConfig.load(path: path, environment: ["MPC_THRESHOLD": "3", "CONSUL_ADDRESS": "127.0.0.1:8500"])
        #expect(c.threshold == 3 && c.storePath == "/c/data/db")
        #expect(try c.discoveryConfiguration().backend == .consul)
        #expect(throws: ClusterError("config_invalid", "MPC_THRESHOLD: not an integer")) {
            try CoordinatorConfig.load(path: path, environment: ["MPC_THRESHOLD": "x"])
        }
    }

    @Test func signatureCheckRejectsTampering() {
        #expect(!SignatureCheck.verify(curve: .ed25519, publicKey: [UInt8](repeating: 1, count: 32), message: [0], signature: [UInt8](repeating: 0, count: 64)))
        #expect(!SignatureCheck.verify(curve: .secp256k1Taproot, publicKey: [], message: [0], signature: []))
    }
}
