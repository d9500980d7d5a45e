import Foundation
import Testing
@testable import Messaging

@Suite("JetStream and KV over a real nats-server", .serialized)
struct JetStreamTests {
    func connect(_ server: NatsServerProcess) async throws -> NatsConnection {
        try await NatsConnection.connect(NatsOptions(servers: [server.url], name: "js-test", reconnectWait: .milliseconds(100)))
    }

    @Test func durablePublishDedupAndPullConsumer() async throws {
        try await withNatsServer { server in
            let nc = try await connect(server)
            let js = try JetStream(connection: nc)
            try await js.ensureStream(StreamConfig(name: "RESULTS", subjects: ["mpc.result.>"], maxAge: .seconds(3600),
                                                   duplicateWindow: .seconds(60)))
            // Idempotent.
            try await js.ensureStream(StreamConfig(name: "RESULTS", subjects: ["mpc.result.>"], maxAge: .seconds(3600),
                                                   duplicateWindow: .seconds(60)))

            let a1 = try await js.publishDurable(subject: "mpc.result.s1", payload: [1], msgId: "req-1")
            let a2 = try await js.publishDurable(subject: "mpc.result.s1", payload: [1], msgId: "req-1")
            let b = try await js.publishDurable(subject: "mpc.result.s2", payload: [2], msgId: "req-2")
            #expect(a1.stream == "RESULTS" && a1.sequence == 1 && !a1.duplicate)
            #expect(a2.duplicate && a2.sequence == 1)
            #expect(b.sequence == 2 && !b.duplicate)
            #expect(try await js.messageCount(stream: "RESULTS") == 2)

            do {
                let consumer = try await js.pullConsumer(stream: "RESULTS", ConsumerConfig(durable: "coord", ackWait: .seconds(1)))
                let first = try await consumer.fetch(batch: 10, timeout: .seconds(2))
                #expect(first.map(\.message.data) == [[1], [2]])
                #expect(first.map(\.deliveryCount) == [1, 1])
                #expect(first.map(\.streamSequence) == [1, 2])
                try await first[0].ack()
                // Message 2 is not acknowledged: redelivered after the 1 s ack wait.
                try await Task.sleep(for: .milliseconds(1300))
                let again = try await consumer.fetch(batch: 10, timeout: .seconds(3))
                #expect(again.map(\.message.data) == [[2]])
                #expect(again.first?.deliveryCount == 2)
                try await again.first?.ack()
                let none = try await consumer.fetch(batch: 10, timeout: .milliseconds(300))
                #expect(none.isEmpty)
            }
            // The local handle is gone (end of scope); the durable stays on the server and a new
            // handle resumes where the first left off.
            _ = try await js.publishDurable(subject: "mpc.result.s3", payload: [3], msgId: "req-3")
            let resumed = try await js.pullConsumer(stream: "RESULTS", ConsumerConfig(durable: "coord", ackWait: .seconds(1)))
            let next = try await resumed.fetch(batch: 10, timeout: .seconds(2))
            #expect(next.map(\.message.data) == [[3]])
        }
    }

    @Test func keyValuePutGetDeleteKeysExpiryWatch() async throws {
        try await withNatsServer { server in
            let nc = try await connect(server)
            let js = try JetStream(connection: nc)
            let kv = try await js.keyValue(KeyValueConfig(bucket: "heartbeats", ttl: .seconds(1)))
            let watch = try kv.watch(keys: "node.>")
            let r1 = try await kv.put("node.a", Array("alive".utf8))
            let r2 = try await kv.put("node.b", [7])
            #expect(r2 > r1)
            let a = try #require(try await kv.get("node.a"))
            #expect(a.value == Array("alive".utf8) && a.revision == r1 && a.operation == .put)
            #expect(try await kv.keys() == ["node.a", "node.b"])
            try await kv.delete("node.b")
            #expect(try await kv.get("node.b") == nil)
            #expect(try await kv.keys() == ["node.a"])
            #expect(try await kv.get("never") == nil)

            // First writer wins; compare-and-set on the revision.
            let c1 = try await kv.create("leader", [1])
            await #expect(throws: MessagingError.revisionMismatch(key: "leader")) { _ = try await kv.create("leader", [2]) }
            let c2 = try await kv.update("leader", [3], lastRevision: c1)
            await #expect(throws: MessagingError.revisionMismatch(key: "leader")) { _ = try await kv.update("leader", [4], lastRevision: c1) }
            #expect(try await kv.get("leader")?.revision == c2)
            try await kv.delete("leader")

            // Binding again to the existing bucket works.
            let again = try await js.keyValue(KeyValueConfig(bucket: "heartbeats", ttl: .seconds(1)))
            #expect(try await again.get("node.a")?.value == Array("alive".utf8))

            // TTL: a heartbeat not refreshed disappears.
            try await Task.sleep(for: .milliseconds(1600))
            #expect(try await kv.get("node.a") == nil)

            let events = try await withTimeout(5, "kv watch") {
                var seen: [KeyValueWatchEvent] = []
                for await e in watch {
                    seen.append(e)
                    if seen.count >= 4 { break }
                }
                return seen
            }
            // initial (empty) marker, then put a, put b, delete b.
            #expect(events.first == .initialValuesDone)
            let ops = events.compactMap { e -> String? in
                if case let .entry(x) = e { return "\(x.key):\(x.operation)" }
                return nil
            }
            #expect(ops == ["node.a:put", "node.b:put", "node.b:delete"])
        }
    }
}
