import Foundation
import Synchronization
import Testing
@testable import Messaging

/// `subscribe(subject:maxInFlight:handler:)`: each message in a task of its own, started from cnats' delivery
/// thread, at most `maxInFlight` at once; the rest dropped and reported like a slow consumer's.
@Suite("Handler subscriptions over a real nats-server", .serialized)
struct HandlerSubscriptionTests {
    /// Handlers held until released, recording what they saw.
    final class Gate: Sendable {
        let seen = Mutex<[UInt8]>([])
        let open = Atomic<Bool>(false)
        func handle(_ m: NatsMessage) async {
            seen.withLock { $0 += m.data }
            while !open.load(ordering: .relaxed) { try? await Task.sleep(for: .milliseconds(5)) }
        }
        var count: Int { seen.withLock { $0.count } }
    }

    @Test func everyMessageReachesTheHandlerWithItsReply() async throws {
        try await withNatsServer { server in
            let nc = try await NatsConnection.connect(NatsOptions(servers: [server.url], name: "handler"))
            let sub = try nc.subscribe(subject: "echo") { m in
                guard let reply = m.reply else { return }
                try? nc.publish(subject: reply, payload: m.data.reversed())
            }
            try await nc.flush(timeout: .seconds(2))
            for i in 0..<50 {
                let r = try await nc.request(subject: "echo", payload: [UInt8(i), 7], timeout: .seconds(2))
                #expect(r.data == [7, UInt8(i)])
            }
            #expect(sub.droppedCount == 0 && sub.isActive)
            sub.unsubscribe()
            try await nc.flush(timeout: .seconds(2))
            #expect(!sub.isActive)
            await #expect(throws: MessagingError.noResponders(subject: "echo")) {
                _ = try await nc.request(subject: "echo", payload: [], timeout: .seconds(1))
            }
        }
    }

    @Test func atMostMaxInFlightRunAndTheRestAreDroppedAndReported() async throws {
        try await withNatsServer { server in
            let nc = try await NatsConnection.connect(NatsOptions(servers: [server.url], name: "bounded"))
            let gate = Gate()
            let sub = try nc.subscribe(subject: "flood", maxInFlight: 3) { m in await gate.handle(m) }
            try await nc.flush(timeout: .seconds(2))
            for i in 0..<10 { try nc.publish(subject: "flood", payload: [UInt8(i)]) }
            try await nc.flush(timeout: .seconds(2))
            try await Task.sleep(for: .milliseconds(300))
            // Three handlers hold their messages (the first three, in order); seven were dropped and counted.
            #expect(gate.count == 3)
            #expect(gate.seen.withLock { $0 }.sorted() == [0, 1, 2])
            #expect(sub.droppedCount == 7)
            #expect(nc.slowConsumerEventCount > 0)
            // Once they finish, new messages run again.
            gate.open.store(true, ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(100))
            try nc.publish(subject: "flood", payload: [42])
            try await nc.flush(timeout: .seconds(2))
            try await withTimeout(5, "message after release") { () async -> Bool in
                while gate.count < 4 { try? await Task.sleep(for: .milliseconds(5)) }
                return true
            }
            #expect(gate.seen.withLock { $0 }.last == 42 && sub.droppedCount == 7)
        }
    }

    @Test func payloadBytesInFlightAreBounded() async throws {
        try await withNatsServer { server in
            let nc = try await NatsConnection.connect(NatsOptions(servers: [server.url], name: "bytes"))
            let gate = Gate()
            let sub = try nc.subscribe(subject: "big", maxInFlight: 100, maxBufferedBytes: 10_000) { m in await gate.handle(m) }
            try await nc.flush(timeout: .seconds(2))
            for _ in 0..<5 { try nc.publish(subject: "big", payload: [UInt8](repeating: 1, count: 4_000)) }
            try await nc.flush(timeout: .seconds(2))
            try await Task.sleep(for: .milliseconds(300))
            // Two fit in 10 000 bytes; three dropped.
            #expect(gate.count == 8_000 && sub.droppedCount == 3)
            gate.open.store(true, ordering: .relaxed)
        }
    }
}
