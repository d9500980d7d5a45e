import Foundation
import Testing
import Messaging
@testable import Discovery

@Suite("NATS discovery against a real nats-server", .serialized)
struct NatsDiscoveryTests {
    let node1 = ServiceInstance(id: "node-1", service: "mpc-node", address: "10.0.0.1", port: 7001,
                                tags: ["mpc"], meta: ["party": "1"])
    let node2 = ServiceInstance(id: "node-2", service: "mpc-node", address: "10.0.0.2", port: 7002)
    let coordinator = ServiceInstance(id: "coord-1", service: "mpc-coordinator", address: "10.0.0.9", port: 6000)

    func open(_ server: NatsDiscoveryTestServer, maxAge: Duration = .seconds(10),
              apiTimeout: Duration = .seconds(2)) async throws -> (NatsConnection, NatsDiscovery) {
        let nc = try await NatsConnection.connect(NatsOptions(servers: [server.url], name: "discovery-test",
                                                              reconnectWait: .milliseconds(100)))
        let discovery = try await NatsDiscovery.open(connection: nc, apiTimeout: apiTimeout, maxAge: maxAge)
        return (nc, discovery)
    }

    @Test func registeredInstanceIsHealthyAndDeregisteredIsGone() async throws {
        let server = try NatsDiscoveryTestServer()
        defer { server.stop() }
        let (nc, d) = try await open(server)
        defer { nc.close() }
        #expect(try await d.healthyInstances(of: "mpc-node").isEmpty)
        try await d.register(node1, ttl: .seconds(5))
        try await d.register(node2, ttl: .seconds(5))
        #expect(try await d.healthyInstances(of: "mpc-node") == [node1, node2])
        try await d.heartbeat(node1)
        try await d.deregister(node1)
        #expect(try await d.healthyInstances(of: "mpc-node") == [node2])
        // A deregistered instance cannot heartbeat itself back.
        await #expect(throws: DiscoveryError.rejected(status: 404, body: "mpc-node/node-1 is not registered")) {
            try await d.heartbeat(node1)
        }
    }

    @Test func instanceThatStopsHeartbeatingDropsOutAfterItsTTL() async throws {
        let server = try NatsDiscoveryTestServer()
        defer { server.stop() }
        let (nc, d) = try await open(server)
        defer { nc.close() }
        try await d.register(node1, ttl: .milliseconds(800))
        try await d.register(node2, ttl: .seconds(10))
        #expect(try await d.healthyInstances(of: "mpc-node").map(\.id) == ["node-1", "node-2"])
        // node-2 keeps heartbeating, node-1 does not. The bucket's max age (10s) has not passed:
        // node-1 drops out by its own TTL, not by server-side expiry.
        try await Task.sleep(for: .milliseconds(500))
        try await d.heartbeat(node2)
        try await Task.sleep(for: .milliseconds(700))
        #expect(try await d.healthyInstances(of: "mpc-node").map(\.id) == ["node-2"])
        // The process that registered it can bring it back with a heartbeat.
        try await d.heartbeat(node1)
        #expect(try await d.healthyInstances(of: "mpc-node").map(\.id) == ["node-1", "node-2"])
    }

    @Test func serverSideMaxAgeRemovesTheEntryAndHeartbeatRecreatesIt() async throws {
        let server = try NatsDiscoveryTestServer()
        defer { server.stop() }
        let (nc, d) = try await open(server, maxAge: .seconds(1))
        defer { nc.close() }
        try await d.register(node1, ttl: .seconds(1))
        let js = try JetStream(connection: nc)
        let kv = try await js.keyValue(KeyValueConfig(bucket: NatsDiscovery.defaultBucket))
        #expect(try await kv.get("mpc-node.node-1") != nil)
        #expect(try await eventually(10) { try await kv.get("mpc-node.node-1") == nil })
        #expect(try await d.healthyInstances(of: "mpc-node").isEmpty)
        try await d.heartbeat(node1)
        #expect(try await d.healthyInstances(of: "mpc-node") == [node1])
    }

    @Test func ttlAboveTheBucketMaxAgeIsRefused() async throws {
        let server = try NatsDiscoveryTestServer()
        defer { server.stop() }
        let (nc, d) = try await open(server, maxAge: .seconds(5))
        defer { nc.close() }
        do {
            try await d.register(node1, ttl: .seconds(6))
            Issue.record("a TTL above the bucket max age was accepted")
        } catch {
            #expect(error.code == "DISCOVERY_INVALID_CONFIGURATION")
        }
        await #expect(throws: DiscoveryError.self) { try await d.register(node1, ttl: .zero) }
        let nameless = ServiceInstance(id: "", service: "mpc-node", address: "", port: 0)
        await #expect(throws: DiscoveryError.self) { try await d.register(nameless, ttl: .seconds(1)) }
    }

    @Test func twoServicesDoNotMix() async throws {
        let server = try NatsDiscoveryTestServer()
        defer { server.stop() }
        let (nc, d) = try await open(server)
        defer { nc.close() }
        // A service whose name is a prefix of another, and ids with characters KV keys do not allow.
        let a = ServiceInstance(id: "x.1", service: "mpc", address: "a", port: 1)
        let b = ServiceInstance(id: "x 1/ü", service: "mpc-node", address: "b", port: 2)
        try await d.register(a, ttl: .seconds(5))
        try await d.register(b, ttl: .seconds(5))
        try await d.register(coordinator, ttl: .seconds(5))
        #expect(try await d.healthyInstances(of: "mpc") == [a])
        #expect(try await d.healthyInstances(of: "mpc-node") == [b])
        #expect(try await d.healthyInstances(of: "mpc-coordinator") == [coordinator])
        #expect(try await d.healthyInstances(of: "other").isEmpty)
        try await d.deregister(a)
        #expect(try await d.healthyInstances(of: "mpc-node") == [b])
    }

    @Test func instancesRegisteredByAnotherProcessAreSeenAndGarbageIsSkipped() async throws {
        let server = try NatsDiscoveryTestServer()
        defer { server.stop() }
        let (nc1, writer) = try await open(server)
        let (nc2, reader) = try await open(server)
        defer { nc1.close(); nc2.close() }
        try await writer.register(node1, ttl: .seconds(5))
        #expect(try await reader.healthyInstances(of: "mpc-node") == [node1])
        // The reader may refresh an entry it did not write (it keeps the stored TTL).
        try await reader.heartbeat(node1)
        // Foreign, malformed values under the prefix never hide the good ones.
        let kv = try await JetStream(connection: nc2).keyValue(KeyValueConfig(bucket: NatsDiscovery.defaultBucket))
        _ = try await kv.put("mpc-node.junk", Array("not json".utf8))
        _ = try await kv.put("mpc-node.node-9", Array(#"{"version":1,"instance":{"id":"other"}}"#.utf8))
        #expect(try await reader.healthyInstances(of: "mpc-node") == [node1])
        #expect(await reader.skippedEntries == 2)
    }

    @Test func registrationWorksAgainAfterTheServerRestarts() async throws {
        let server = try NatsDiscoveryTestServer()
        defer { server.stop() }
        let (nc, d) = try await open(server, apiTimeout: .seconds(1))
        defer { nc.close() }
        try await d.register(node1, ttl: .seconds(5))
        let events = nc.events()
        server.kill()
        do {
            try await d.heartbeat(node1)
            Issue.record("heartbeat succeeded with the server down")
        } catch {
            #expect(error.code == "DISCOVERY_UNREACHABLE")
        }
        try server.start()
        var reconnected = false
        for await e in events where e == .reconnected { reconnected = true; break }
        #expect(reconnected)
        #expect(try await eventually(10) {
            try await d.heartbeat(node1)
            return true
        })
        try await d.register(node2, ttl: .seconds(5))
        #expect(try await d.healthyInstances(of: "mpc-node") == [node1, node2])
    }

    @Test func aBucketLostWithTheServerStoreIsRecreated() async throws {
        let server = try NatsDiscoveryTestServer()
        defer { server.stop() }
        let (nc, d) = try await open(server, apiTimeout: .seconds(1))
        defer { nc.close() }
        try await d.register(node1, ttl: .seconds(5))
        let events = nc.events()
        try server.restartWithEmptyStore()
        for await e in events where e == .reconnected { break }
        // The heartbeat finds no stream behind the bucket's subjects and recreates the bucket.
        #expect(try await eventually(10) {
            try await d.heartbeat(node1)
            return true
        })
        #expect(try await d.healthyInstances(of: "mpc-node") == [node1])
    }

    @Test func membershipChangesAreWatchedIncludingExpiry() async throws {
        let server = try NatsDiscoveryTestServer()
        defer { server.stop() }
        let (nc, d) = try await open(server)
        defer { nc.close() }
        try await d.register(node1, ttl: .seconds(5))
        try await d.register(coordinator, ttl: .seconds(5))
        let changes = try await d.membershipChanges(of: "mpc-node", checkEvery: .milliseconds(50))
        let collector = Task { () -> [NatsDiscovery.MembershipChange] in
            var seen: [NatsDiscovery.MembershipChange] = []
            for await c in changes {
                seen.append(c)
                if seen.count == 5 { break }
            }
            return seen
        }
        try await Task.sleep(for: .milliseconds(300))
        try await d.register(node2, ttl: .milliseconds(700))
        try await d.heartbeat(node1)      // a plain heartbeat announces nothing
        try await d.deregister(node1)
        // node-2 stops heartbeating: it leaves by expiry, without any server event.
        let timeout = Task { try await Task.sleep(for: .seconds(10)); collector.cancel() }
        let seen = await collector.value
        timeout.cancel()
        #expect(seen == [.joined(node1), .caughtUp, .joined(node2), .left(id: "node-1", reason: .deregistered),
                         .left(id: "node-2", reason: .expired)])
    }

    @Test func aWatchStartedAfterExpiryDoesNotAnnounceTheStaleInstance() async throws {
        let server = try NatsDiscoveryTestServer()
        defer { server.stop() }
        let (nc, d) = try await open(server)
        defer { nc.close() }
        try await d.register(node1, ttl: .milliseconds(300))
        try await d.register(node2, ttl: .seconds(5))
        try await Task.sleep(for: .milliseconds(500))
        let changes = try await d.membershipChanges(of: "mpc-node")
        var seen: [NatsDiscovery.MembershipChange] = []
        for await c in changes {
            seen.append(c)
            if c == .caughtUp { break }
        }
        #expect(seen == [.joined(node2), .caughtUp])
    }

    @Test func factoryBuildsTheBackendTheConfigurationNames() async throws {
        let server = try NatsDiscoveryTestServer()
        defer { server.stop() }
        let nats = try await DiscoveryFactory.make(try DiscoveryConfiguration.resolve(environment: ["NATS_URL": server.url]))
        #expect(nats is NatsDiscovery)
        try await nats.register(node1, ttl: .seconds(5))
        #expect(try await nats.healthyInstances(of: "mpc-node") == [node1])

        let consul = try await DiscoveryFactory.make(try DiscoveryConfiguration.resolve(
            file: ["nats.url": server.url], environment: ["CONSUL_ADDRESS": "127.0.0.1:8500", "CONSUL_HTTP_TOKEN": "t"]))
        #expect((consul as? ConsulDiscovery)?.token == "t")

        // An existing connection is reused; an unreachable NATS is a clear error.
        let nc = try await NatsConnection.connect(NatsOptions(servers: [server.url]))
        defer { nc.close() }
        let shared = try await DiscoveryFactory.make(DiscoveryConfiguration(natsURL: "nats://unused:1"), connection: nc)
        #expect(try await shared.healthyInstances(of: "mpc-node") == [node1])
        do {
            _ = try await DiscoveryFactory.make(DiscoveryConfiguration(natsURL: "nats://127.0.0.1:1"))
            Issue.record("connected to a closed port")
        } catch {
            #expect(error.code == "DISCOVERY_UNREACHABLE")
        }
    }
}
