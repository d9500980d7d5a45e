import Foundation
import Testing
import Messaging
@testable import Discovery

/// `LiveMembership`: the view a KV watch keeps of a service's healthy instances (what the coordinator staffs
/// requests from instead of looking nodes up), against a real nats-server.
@Suite("Live membership from the discovery watch", .serialized)
struct LiveMembershipTests {
    func instance(_ id: String) -> ServiceInstance { ServiceInstance(id: id, service: "mpc-node", address: "", port: 0) }

    @Test func theViewIsNilUntilCaughtUpThenFollowsJoinsAndLeaves() async {
        let live = LiveMembership()
        #expect(await live.view == nil)
        #expect(await live.apply(.joined(instance("node-1"))) == nil)   // part of the catch-up: not logged
        #expect(await live.view == nil)
        #expect(await live.apply(.caughtUp) == "discovery watch current: node-1")
        #expect(await live.view == ["node-1"])
        #expect(await live.apply(.joined(instance("node-2"))) == "discovery watch: node-2 joined")
        #expect(await live.apply(.left(id: "node-1", reason: .expired)) == "discovery watch: node-1 left (expired)")
        #expect(await live.apply(.left(id: "node-9", reason: .deregistered)) == nil)
        #expect(await live.view == ["node-2"])
        await live.lost()
        #expect(await live.view == nil)
        // Without a running watch there is nothing to restart.
        #expect(await live.suspect(["node-1", "node-2"]) == false)
    }

    @Test func followTracksTheBucketAndASuspectedWatchIsReplaced() async throws {
        let server = try NatsDiscoveryTestServer()
        defer { server.stop() }
        let nc = try await NatsConnection.connect(NatsOptions(servers: [server.url], name: "live-membership-test",
                                                              reconnectWait: .milliseconds(100)))
        defer { nc.close() }
        let d = try await NatsDiscovery.open(connection: nc, apiTimeout: .seconds(2), maxAge: .seconds(10))
        try await d.register(instance("node-1"), ttl: .seconds(5))
        try await d.register(instance("node-2"), ttl: .seconds(5))
        try await d.register(ServiceInstance(id: "coord-1", service: "mpc-coordinator", address: "", port: 0), ttl: .seconds(5))

        let live = LiveMembership()
        let lines = LineSink()
        let follower = Task { await live.follow(d, service: "mpc-node", retry: .milliseconds(100),
                                                info: { lines.add($0) }, warn: { lines.add("warn: " + $0) }) }
        defer { follower.cancel() }
        #expect(try await eventually(5) { await live.view == ["node-1", "node-2"] })   // the other service is not listed

        // A deregistration is in the view at once, a new registration too.
        try await d.deregister(instance("node-2"))
        #expect(try await eventually(2) { await live.view == ["node-1"] })
        try await d.register(instance("node-3"), ttl: .milliseconds(1500))
        #expect(try await eventually(2) { await live.view == ["node-1", "node-3"] })
        // node-3 does not heartbeat: it leaves by expiry, with no server event.
        #expect(try await eventually(5) { await live.view == ["node-1"] })
        #expect(lines.all.contains("discovery watch: node-2 left (deregistered)"))
        #expect(lines.all.contains("discovery watch: node-3 left (expired)"))

        // A lookup that lists an instance the view lacks replaces the watch; the new one catches up with the bucket.
        #expect(await live.suspect(["node-1"]) == false)   // nothing missing: kept
        #expect(await live.suspect(["node-1", "node-4"]) == true)
        #expect(await live.restarts == 1)
        #expect(try await eventually(5) { await live.view == ["node-1"] })
        #expect(lines.all.filter { $0.hasPrefix("discovery watch current") }.count == 2)

        // Cancelled: the view is given up.
        follower.cancel()
        #expect(try await eventually(3) { await live.view == nil })
    }
}

/// Log lines collected from the watch's callbacks.
final class LineSink: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
