import Foundation
import Testing
@testable import Messaging

@Suite("Core NATS over a real nats-server", .serialized)
struct CoreNatsTests {
    func connect(_ server: NatsServerProcess, name: String = "test") async throws -> NatsConnection {
        try await NatsConnection.connect(NatsOptions(servers: [server.url], name: name, reconnectWait: .milliseconds(100)))
    }

    @Test func publishSubscribeWithHeaders() async throws {
        try await withNatsServer { server in
            let nc = try await connect(server)
            let sub = try nc.subscribe(subject: "mpc.test.>")
            try await nc.flush(timeout: .seconds(2))
            try nc.publish(subject: "mpc.test.a", payload: [1, 2, 3])
            try nc.publish(subject: "mpc.test.b", payload: [4], headers: ["X-Trace": "abc"])
            var it = sub.makeAsyncIterator()
            let m1 = try #require(await it.next())
            let m2 = try #require(await it.next())
            #expect(m1.subject == "mpc.test.a" && m1.data == [1, 2, 3] && m1.reply == nil)
            #expect(m2.subject == "mpc.test.b" && m2.data == [4] && m2.headers["X-Trace"] == ["abc"])
            #expect(sub.droppedCount == 0)
        }
    }

    /// Received messages are freed where they are handled, not handed to cnats' collector thread (one wake-up
    /// per message): the libnats of this machine has the layout the shortcut checks for.
    @Test func messagesAreFreedWithoutTheCollectorThread() {
        #expect(NatsMessageMemory.freesDirectly)
    }

    @Test func queueGroupDeliversEachMessageOnce() async throws {
        try await withNatsServer { server in
            let nc = try await connect(server)
            let a = try nc.subscribe(subject: "work", queue: "workers")
            let b = try nc.subscribe(subject: "work", queue: "workers")
            try await nc.flush(timeout: .seconds(2))
            for i in 0..<100 { try nc.publish(subject: "work", payload: [UInt8(i)]) }
            try await nc.flush(timeout: .seconds(2))
            try await Task.sleep(for: .milliseconds(200))
            a.unsubscribe(); b.unsubscribe()
            var seen: [UInt8] = []
            for await m in a { seen += m.data }
            let fromA = seen.count
            for await m in b { seen += m.data }
            #expect(seen.sorted() == (0..<100).map { UInt8($0) })
            #expect(fromA > 0 && fromA < 100)
        }
    }

    @Test func requestReplyTimeoutAndNoResponders() async throws {
        try await withNatsServer { server in
            let nc = try await connect(server)
            let responder = try nc.subscribe(subject: "echo")
            let task = Task {
                for await m in responder {
                    if let r = m.reply { try? nc.publish(subject: r, payload: m.data.reversed()) }
                }
            }
            defer { task.cancel() }
            try await nc.flush(timeout: .seconds(2))
            let reply = try await nc.request(subject: "echo", payload: [1, 2, 3], timeout: .seconds(2))
            #expect(reply.data == [3, 2, 1])

            await #expect(throws: MessagingError.noResponders(subject: "nobody.home")) {
                _ = try await nc.request(subject: "nobody.home", payload: [], timeout: .seconds(1))
            }
            // A listener that never answers: a timeout, not a hang.
            let silent = try nc.subscribe(subject: "silent")
            try await nc.flush(timeout: .seconds(2))
            let started = ContinuousClock.now
            await #expect(throws: MessagingError.timeout(operation: "request silent")) {
                _ = try await nc.request(subject: "silent", payload: [], timeout: .milliseconds(200))
            }
            #expect(ContinuousClock.now - started < .seconds(2))
            silent.unsubscribe()

            // Quick loopback round-trip measurement.
            let n = 200
            let t0 = ContinuousClock.now
            for _ in 0..<n { _ = try await nc.request(subject: "echo", payload: [0], timeout: .seconds(2)) }
            let per = (ContinuousClock.now - t0) / n
            print("request/reply loopback round trip: \(per) per request (\(n) sequential requests)")
        }
    }

    /// Blocking cnats calls must not starve each other (2 cores here): 8 requests that each time
    /// out after 500 ms, issued at once, all finish in about 500 ms, not 8 x 500 ms / cores.
    @Test func blockingCallsRunInParallel() async throws {
        try await withNatsServer { server in
            let nc = try await connect(server)
            let silent = try nc.subscribe(subject: "slow.service")
            try await nc.flush(timeout: .seconds(2))
            let started = ContinuousClock.now
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask { _ = try? await nc.request(subject: "slow.service", payload: [], timeout: .milliseconds(500)) }
                }
            }
            let elapsed = ContinuousClock.now - started
            print("8 concurrent 500 ms request timeouts took \(elapsed)")
            #expect(elapsed < .milliseconds(1500))
            silent.unsubscribe()
        }
    }

    /// cnats' own queue overflowing is reported through its async error handler.
    @Test func cnatsLevelSlowConsumerIsReported() async throws {
        try await withNatsServer { server in
            let nc = try await connect(server)
            let events = nc.events()
            let sub = try nc.subscribe(subject: "burst", queue: nil, bufferSize: 100_000, maxBufferedBytes: 1 << 30,
                                       cnatsPendingLimit: 1)
            try await nc.flush(timeout: .seconds(2))
            for _ in 0..<20_000 { try nc.publish(subject: "burst", payload: [UInt8](repeating: 3, count: 64)) }
            try await nc.flush(timeout: .seconds(5))
            try await Task.sleep(for: .milliseconds(300))
            let fromCnats = try await withTimeout(5, "cnats slow consumer") {
                for await e in events { if case .slowConsumer = e { return true } }
                return false
            }
            #expect(fromCnats)
            // All drops happened in cnats (our own buffer had room): reported, and counted too.
            #expect(sub.handle.sink.dropped.load(ordering: .relaxed) == 0)
            #expect(sub.droppedCount > 0)
            print("cnats pending limit 1: \(sub.droppedCount) of 20000 dropped and counted")
        }
    }

    @Test func byteBoundedBufferReportsOverflow() async throws {
        try await withNatsServer { server in
            let nc = try await connect(server)
            let sub = try nc.subscribe(subject: "big", bufferSize: 1000, maxBufferedBytes: 10_000)
            try await nc.flush(timeout: .seconds(2))
            for _ in 0..<10 { try nc.publish(subject: "big", payload: [UInt8](repeating: 1, count: 4_000)) }
            try await nc.flush(timeout: .seconds(2))
            try await Task.sleep(for: .milliseconds(200))
            // Two fit (8 000 bytes); the other eight are dropped and counted.
            #expect(sub.droppedCount == 8)
            var it = sub.makeAsyncIterator()
            _ = await it.next(); _ = await it.next()
            // Consumed bytes free the buffer again.
            try nc.publish(subject: "big", payload: [UInt8](repeating: 2, count: 4_000))
            #expect(await it.next()?.data.first == 2)
            #expect(sub.droppedCount == 8)
        }
    }

    /// A quick loopback throughput figure (printed); asserts only that nothing is lost when the
    /// buffer is large enough.
    @Test func publishSubscribeThroughput() async throws {
        try await withNatsServer { server in
            let nc = try await connect(server)
            let n = 20_000
            let sub = try nc.subscribe(subject: "bulk", bufferSize: n)
            try await nc.flush(timeout: .seconds(2))
            let payload = [UInt8](repeating: 0x5a, count: 256)
            let t0 = ContinuousClock.now
            for _ in 0..<n { try nc.publish(subject: "bulk", payload: payload) }
            try await nc.flush(timeout: .seconds(10))
            var received = 0
            for await _ in sub {
                received += 1
                if received == n { break }
            }
            let elapsed = ContinuousClock.now - t0
            print("pub/sub loopback: \(n) x 256 B in \(elapsed) (\(Int(Double(n) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))) msg/s)")
            #expect(received == n && sub.droppedCount == 0)
        }
    }

    @Test func cancellingTheConsumerUnsubscribes() async throws {
        try await withNatsServer { server in
            let nc = try await connect(server)
            let sub = try nc.subscribe(subject: "cancel.me")
            let task = Task { for await _ in sub {} }
            try await Task.sleep(for: .milliseconds(50))
            task.cancel()
            await task.value
            try await nc.flush(timeout: .seconds(2))
            #expect(sub.isActive == false)
            await #expect(throws: MessagingError.noResponders(subject: "cancel.me")) {
                _ = try await nc.request(subject: "cancel.me", payload: [], timeout: .seconds(1))
            }
        }
    }

    @Test func slowConsumerIsReportedNotSilent() async throws {
        try await withNatsServer { server in
            let nc = try await connect(server)
            let events = nc.events()
            let sub = try nc.subscribe(subject: "flood", bufferSize: 4)
            try await nc.flush(timeout: .seconds(2))
            for i in 0..<500 { try nc.publish(subject: "flood", payload: [UInt8(i & 0xff)]) }
            try await nc.flush(timeout: .seconds(2))
            try await Task.sleep(for: .milliseconds(200))
            #expect(sub.droppedCount > 0)
            #expect(nc.slowConsumerEventCount > 0)
            let first: ConnectionEvent? = try await withTimeout(5, "slow consumer event") { () async -> ConnectionEvent? in
                for await e in events { if case .slowConsumer = e { return e } }
                return nil
            }
            guard case let .slowConsumer(subject, dropped)? = first else { Issue.record("no slow consumer event"); return }
            #expect(subject == "flood" && dropped >= 1)
            // The consumer still gets the buffered (oldest) messages, in order.
            var it = sub.makeAsyncIterator()
            let m = try #require(await it.next())
            #expect(m.data == [0])
        }
    }
}
