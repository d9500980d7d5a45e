import Foundation
import Testing
@testable import Discovery

@Suite("NATS discovery keys, records, configuration")
struct NatsDiscoveryUnitTests {
    @Test func keysEscapeAndRoundTrip() {
        #expect(NatsDiscoveryKey.key(service: "mpc-node", id: "node_1") == "mpc-node.node_1")
        #expect(NatsDiscoveryKey.key(service: "a.b", id: "x y") == "a=2Eb.x=20y")
        for id in ["x.1", "=", "ü/é", "a>b*c", "node-1"] {
            let key = NatsDiscoveryKey.key(service: "svc", id: id)
            #expect(key.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || "0123456789-_.=".unicodeScalars.contains($0)) })
            #expect(NatsDiscoveryKey.instanceID(fromKey: key, service: "svc") == id)
            #expect(NatsDiscoveryKey.instanceID(fromKey: key, service: "sv") == nil)
        }
        #expect(NatsDiscoveryKey.unescape("=G1") == nil)
        #expect(NatsDiscoveryKey.unescape("=4") == nil)
        #expect(NatsDiscoveryKey.instanceID(fromKey: "svc.a.b", service: "svc") == nil)
    }

    @Test func recordsDecodeDefensively() throws {
        let i = ServiceInstance(id: "n", service: "s", address: "h", port: 1)
        let r = NatsDiscoveryRecord(instance: i, ttlMillis: 1000, lastSeenMillis: 5)
        #expect(NatsDiscoveryRecord.decode(try r.encoded()) == r)
        #expect(NatsDiscoveryRecord.decode([]) == nil)
        #expect(NatsDiscoveryRecord.decode(Array("{}".utf8)) == nil)
        var bad = r; bad.ttlMillis = -1
        #expect(NatsDiscoveryRecord.decode(try bad.encoded()) == nil)
        var future = r; future.version = 2
        #expect(NatsDiscoveryRecord.decode(try future.encoded()) == nil)
    }

    @Test func environmentPicksTheBackend() throws {
        let nats = try DiscoveryConfiguration.resolve(environment: [:])
        #expect(nats.backend == .nats && nats.natsURL == DiscoveryConfiguration.defaultNatsURL)
        let consul = try DiscoveryConfiguration.resolve(environment: ["CONSUL_ADDRESS": "consul:8500", "NATS_URL": "nats://nats:4222"])
        #expect(consul.backend == .consul && consul.consulAddress == "consul:8500")
        let explicit = try DiscoveryConfiguration.resolve(environment: ["CONSUL_ADDRESS": "consul:8500", "DISCOVERY_BACKEND": "NATS"])
        #expect(explicit.backend == .nats)
        let fromFile = try DiscoveryConfiguration.resolve(file: ["consul.address": "http://c:8500", "consul.token": "t"], environment: [:])
        #expect(fromFile.backend == .consul && fromFile.consulToken == "t")
        // The environment overrides the file; an empty variable counts as unset (the file's value applies).
        let overridden = try DiscoveryConfiguration.resolve(file: ["nats.url": "nats://a:1", "consul.address": "c:1"],
                                                           environment: ["NATS_URL": "nats://b:2", "CONSUL_ADDRESS": " "])
        #expect(overridden.backend == .consul && overridden.natsURL == "nats://b:2" && overridden.consulAddress == "c:1")
        let tuned = try DiscoveryConfiguration.resolve(environment: ["DISCOVERY_BUCKET": "disc_2", "DISCOVERY_MAX_AGE_SECONDS": "15",
                                                                     "NATS_URL": "nats://a:1, tls://b:2"])
        #expect(tuned.bucket == "disc_2" && tuned.maxAge == .seconds(15) && tuned.natsServers == ["nats://a:1", "tls://b:2"])
    }

    @Test func validationNamesTheBadField() {
        func message(file: [String: String] = [:], env: [String: String]) -> String {
            do { _ = try DiscoveryConfiguration.resolve(file: file, environment: env); return "accepted" } catch {
                guard case .invalidConfiguration(let m) = error else { return "wrong error \(error)" }
                return m
            }
        }
        #expect(message(env: ["DISCOVERY_BACKEND": "etcd"]).hasPrefix("DISCOVERY_BACKEND: 'etcd'"))
        #expect(message(file: ["discovery.backend": "zk"], env: [:]).hasPrefix("discovery.backend: 'zk'"))
        #expect(message(env: ["DISCOVERY_BACKEND": "consul"]).hasPrefix("consul.address (CONSUL_ADDRESS) is required"))
        #expect(message(env: ["CONSUL_ADDRESS": "ftp://x:1"]).hasPrefix("CONSUL_ADDRESS:"))
        #expect(message(env: ["NATS_URL": "http://x:1"]).hasPrefix("NATS_URL:"))
        #expect(message(file: ["nats.url": "nats://a:1,,"], env: [:]).hasPrefix("nats.url:"))
        #expect(message(env: ["DISCOVERY_BUCKET": "a.b"]).hasPrefix("DISCOVERY_BUCKET:"))
        #expect(message(env: ["DISCOVERY_MAX_AGE_SECONDS": "0"]).hasPrefix("DISCOVERY_MAX_AGE_SECONDS:"))
        var c = DiscoveryConfiguration(); c.maxAge = .milliseconds(10)
        #expect(throws: DiscoveryError.invalidConfiguration("discovery.max_age_seconds (DISCOVERY_MAX_AGE_SECONDS): 0.01 seconds is outside 1...3600 seconds")) {
            try c.validate()
        }
    }

    @Test func freshnessUsesServerWriteTimeAndNeverTraps() async throws {
        let record = NatsDiscoveryRecord(instance: ServiceInstance(id: "n", service: "s", address: "", port: 0),
                                         ttlMillis: 1000, lastSeenMillis: 0)
        let t0: Int64 = 1_700_000_000_000_000_000
        #expect(NatsDiscovery.isFresh(record, writtenAtNanos: t0, nowNanos: t0 + 999_000_000, maxAgeMillis: 30_000))
        #expect(!NatsDiscovery.isFresh(record, writtenAtNanos: t0, nowNanos: t0 + 1_001_000_000, maxAgeMillis: 30_000))
        var huge = record; huge.ttlMillis = .max; huge.lastSeenMillis = .max
        #expect(!NatsDiscovery.isFresh(huge, writtenAtNanos: 0, nowNanos: t0, maxAgeMillis: 30_000))
        #expect(!NatsDiscovery.isFresh(huge, writtenAtNanos: Int64.min + 1, nowNanos: .max, maxAgeMillis: 30_000))
    }

    @Test func messagingErrorsMapToDiscoveryCodes() {
        #expect(DiscoveryError(.timeout(operation: "kv put")).code == "DISCOVERY_UNREACHABLE")
        #expect(DiscoveryError(.noResponders(subject: "x")).code == "DISCOVERY_UNREACHABLE")
        #expect(DiscoveryError(.nats(operation: "x", status: "NATS_IO_ERROR", detail: "")).code == "DISCOVERY_UNREACHABLE")
        #expect(DiscoveryError(.nats(operation: "x", status: "NATS_NOT_PERMITTED", detail: "")).code == "DISCOVERY_REJECTED")
        #expect(DiscoveryError(.jetStream(operation: "x", status: "NATS_ERR", jsErrorCode: 10071, detail: "")).code == "DISCOVERY_REJECTED")
        #expect(DiscoveryError(.invalidArgument("key")).code == "DISCOVERY_INVALID_CONFIGURATION")
        #expect(DiscoveryError(.authenticationFailed(detail: "")) .code == "DISCOVERY_REJECTED")
    }
}
