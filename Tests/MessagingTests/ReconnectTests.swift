import Foundation
import Testing
@testable import Messaging

@Suite("Reconnect after a broker crash", .serialized)
struct ReconnectTests {
    @Test func subscriptionAndJetStreamSurviveServerRestart() async throws {
        try await withNatsServer { server in
            let nc = try await NatsConnection.connect(NatsOptions(servers: [server.url], name: "reconnect-test",
                                                                  reconnectWait: .milliseconds(100)))
            let events = nc.events()
            let js = try JetStream(connection: nc)
            try await js.ensureStream(StreamConfig(name: "DURABLE", subjects: ["durable.>"]))
            _ = try await js.publishDurable(subject: "durable.x", payload: [42], msgId: "before-crash")
            let kv = try await js.keyValue(KeyValueConfig(bucket: "nodes"))
            _ = try await kv.put("node-1", [1])

            let consumer = try await js.pullConsumer(stream: "DURABLE", ConsumerConfig(durable: "worker"))
            let sub = try nc.subscribe(subject: "live.>")
            try await nc.flush(timeout: .seconds(2))

            server.kill()
            let disconnected = try await withTimeout(10, "disconnected event") {
                for await e in events where e == .disconnected { return true }
                return false
            }
            #expect(disconnected)
            #expect(nc.status != .connected)
            // Published during the outage: held in the reconnect buffer, sent after reconnecting.
            try nc.publish(subject: "live.during", payload: [8])

            try server.start()
            let reconnected = try await withTimeout(15, "reconnected event") {
                for await e in events where e == .reconnected { return true }
                return false
            }
            #expect(reconnected)
            #expect(nc.disconnectCount >= 1 && nc.reconnectCount >= 1)

            // The subscription made before the outage still receives.
            try await nc.flush(timeout: .seconds(2))
            try nc.publish(subject: "live.after", payload: [9])
            let got: [NatsMessage] = try await withTimeout(5, "messages after reconnect") { () async -> [NatsMessage] in
                var out: [NatsMessage] = []
                for await m in sub {
                    out.append(m)
                    if out.count == 2 { break }
                }
                return out
            }
            #expect(got.map(\.subject) == ["live.during", "live.after"])
            #expect(got.map(\.data) == [[8], [9]])

            // Data published before the crash is still there (file storage).
            #expect(try await js.messageCount(stream: "DURABLE") == 1)
            let dup = try await js.publishDurable(subject: "durable.x", payload: [42], msgId: "before-crash")
            #expect(dup.duplicate)
            #expect(try await kv.get("node-1")?.value == [1])
            // The durable consumer made before the crash still delivers what was stored before it.
            let fetched = try await consumer.fetch(batch: 10, timeout: .seconds(3))
            #expect(fetched.map(\.message.data) == [[42]])
            try await fetched.first?.ack()
        }
    }

    @Test func closeEndsEventsAndSubscriptions() async throws {
        try await withNatsServer { server in
            let nc = try await NatsConnection.connect(NatsOptions(servers: [server.url]))
            let events = nc.events()
            let sub = try nc.subscribe(subject: "x")
            nc.close()
            let sawClosed = try await withTimeout(5, "closed event") {
                for await e in events where e == .closed { return true }
                return false
            }
            #expect(sawClosed)
            let ended = try await withTimeout(5, "subscription end") {
                for await _ in sub {}
                return true
            }
            #expect(ended)
            #expect(throws: MessagingError.self) { try nc.publish(subject: "x", payload: []) }
        }
    }

    @Test func connectFailureIsTyped() async throws {
        let port = try NatsServerProcess.freePort()
        await #expect(throws: MessagingError.self) {
            _ = try await NatsConnection.connect(NatsOptions(servers: ["nats://127.0.0.1:\(port)"], connectTimeout: .milliseconds(200)))
        }
        do {
            _ = try await NatsConnection.connect(NatsOptions(servers: ["nats://127.0.0.1:\(port)"], connectTimeout: .milliseconds(200)))
        } catch {
            #expect(error.code == "nats_error")
            #expect(error.description.contains("NATS_NO_SERVER"))
        }
    }
}
