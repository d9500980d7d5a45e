internal import CNats
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Request/reply without a thread per request: one wildcard subscription on `_INBOX.<random>.*` per
/// connection (created on first use); each request publishes with a unique reply subject under it and
/// waits on a continuation. cnats' own `natsConnection_Request` blocks the calling thread, so every
/// request used to cost a thread (measured: thread creation and futex waits were about a quarter of the
/// coordinator's CPU under load). Replies are hostile input like any message: an unknown or late token
/// is dropped.
final class RequestMux: Sendable {
    private let prefix: String
    private let next = Atomic<UInt64>(0)
    private let table = WaiterTable()
    /// The cnats subscription, once created. It does not retain the connection (no cycle); cnats keeps
    /// its own reference, so destroying it after the connection is fine.
    private let subscription = Mutex<SendableHandle?>(nil)

    init() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        prefix = "_INBOX." + String((0..<22).map { _ in alphabet[Int(rng.next(upperBound: UInt64(alphabet.count)))] }) + "."
    }

    deinit { subscription.withLock { if let s = $0 { natsSubscription_Destroy(s.pointer) } } }

    func request(_ connection: NatsConnection, subject: String, payload: [UInt8], headers: [String: String]? = nil,
                 timeout: Duration) async throws(MessagingError) -> NatsMessage {
        try ensureSubscribed(connection)
        let deadline = ContinuousClock.now + timeout
        let result: Result<NatsMessage, MessagingError> = await withCheckedContinuation { waiter in
            send(connection, subject: subject, payload: payload, headers: headers, deadline: deadline) { waiter.resume(returning: $0) }
        }
        return try result.get()
    }

    /// Several requests published back to back from the calling thread (none waits for a task to be scheduled
    /// first); their replies (or timeouts) arrive on the stream as (index, result) in arrival order, and the
    /// stream ends after the last one.
    /// A request whose `refused` is set is not sent: it fails with that error.
    func requestEach(_ connection: NatsConnection, _ requests: [(subject: String, payload: [UInt8], refused: MessagingError?)],
                     timeout: Duration) -> AsyncStream<(Int, Result<NatsMessage, MessagingError>)> {
        let (stream, out) = AsyncStream.makeStream(of: (Int, Result<NatsMessage, MessagingError>).self)
        let remaining = Atomic<Int>(requests.count)
        let deliver: @Sendable (Int, Result<NatsMessage, MessagingError>) -> Void = { i, r in
            out.yield((i, r))
            if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { out.finish() }
        }
        if requests.isEmpty { out.finish(); return stream }
        var subscribed: MessagingError?
        do throws(MessagingError) { try ensureSubscribed(connection) } catch { subscribed = error }
        let deadline = ContinuousClock.now + timeout
        for (i, r) in requests.enumerated() {
            if let refused = r.refused ?? subscribed { deliver(i, .failure(refused)); continue }
            send(connection, subject: r.subject, payload: r.payload, headers: nil, deadline: deadline) { deliver(i, $0) }
        }
        return stream
    }

    /// Registers `done` under a new token, then publishes with that token's reply subject. `done` runs exactly once:
    /// with the reply, `.noResponders`, the publish failure, or `.timeout` from the table's one reaper thread (not
    /// Task.sleep: it fires even while the cooperative pool is busy; not a dispatch timer per request: each fired
    /// timer could cost a new worker thread).
    private func send(_ connection: NatsConnection, subject: String, payload: [UInt8], headers: [String: String]?,
                      deadline: ContinuousClock.Instant, _ done: @escaping @Sendable (Result<NatsMessage, MessagingError>) -> Void) {
        let token = next.add(1, ordering: .relaxed).newValue
        table.add(token, { r in
            if case .success(let m) = r, m.isNoResponders { done(.failure(.noResponders(subject: subject))) } else { done(r) }
        }, deadline: deadline, operation: "request \(subject)")
        do throws(MessagingError) {
            try connection.publish(subject: subject, payload: payload, reply: prefix + String(token), headers: headers)
        } catch {
            table.finish(token, .failure(error))
        }
    }

    private func ensureSubscribed(_ connection: NatsConnection) throws(MessagingError) {
        try subscription.withLock { (s: inout SendableHandle?) throws(MessagingError) in
            if s != nil { return }
            let box = Unmanaged.passRetained(MuxSink(table: table, prefix: prefix))
            var sub: OpaquePointer?
            let status = natsConnection_Subscribe(&sub, connection.handle, prefix + "*", muxMessage, box.toOpaque())
            guard status == NATS_OK, let sub else {
                box.release()
                throw NatsStatus.error(status, "subscribe \(prefix)*")
            }
            if natsSubscription_SetOnCompleteCB(sub, muxComplete, box.toOpaque()) != NATS_OK {
                // Closing already; a handler may still run, so the box is deliberately leaked (it is small).
            }
            _ = natsSubscription_SetPendingLimits(sub, 65_536, 256 * 1024 * 1024)
            s = SendableHandle(sub)
        }
    }
}

/// Continuations by token; each is resumed exactly once (reply, timeout or publish failure, whichever first).
/// Timeouts: one reaper thread per table, started with the first request, scans every `tick` for waiters
/// past their deadline (a request's timeout is seconds; being up to one tick late does not matter).
final class WaiterTable: Sendable {
    /// Called exactly once with the reply, the timeout or the publish failure.
    typealias Waiter = @Sendable (Result<NatsMessage, MessagingError>) -> Void
    struct Entry {
        let waiter: Waiter
        let deadline: ContinuousClock.Instant
        let operation: String
    }
    private let entries = Mutex<[UInt64: Entry]>([:])
    private let reaperStarted = Atomic<Bool>(false)
    static let tick: Duration = .milliseconds(20)

    func add(_ token: UInt64, _ w: @escaping Waiter, deadline: ContinuousClock.Instant, operation: String) {
        entries.withLock { $0[token] = Entry(waiter: w, deadline: deadline, operation: operation) }
        if !reaperStarted.load(ordering: .relaxed), reaperStarted.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged {
            Blocking.detached { [weak self] in
                while let table = self {
                    table.expire(now: ContinuousClock.now)
                    usleep(UInt32(WaiterTable.tick.nanoseconds / 1000))
                }
            }
        }
    }

    func finish(_ token: UInt64, _ result: Result<NatsMessage, MessagingError>) {
        entries.withLock { $0.removeValue(forKey: token) }?.waiter(result)
    }

    /// Resumes every waiter whose deadline passed with `.timeout`.
    func expire(now: ContinuousClock.Instant) {
        let due: [Entry] = entries.withLock { table in
            let keys = table.filter { $0.value.deadline <= now }.map(\.key)
            return keys.compactMap { table.removeValue(forKey: $0) }
        }
        for e in due { e.waiter(.failure(.timeout(operation: e.operation))) }
    }
}

/// What cnats' callback gets: retained once for cnats, released by the subscription's on-complete callback.
final class MuxSink: Sendable {
    let table: WaiterTable
    let prefix: String
    init(table: WaiterTable, prefix: String) { self.table = table; self.prefix = prefix }
}

private let muxMessage: natsMsgHandler = { _, _, msg, closure in
    guard let msg else { return }
    defer { mpc_nats_msg_release(msg) }
    guard let closure else { return }
    let sink = Unmanaged<MuxSink>.fromOpaque(closure).takeUnretainedValue()
    let m = NatsMessage(copying: msg)
    guard m.subject.hasPrefix(sink.prefix), let token = UInt64(m.subject.dropFirst(sink.prefix.count)) else { return }
    sink.table.finish(token, .success(m))
}

private let muxComplete: natsOnCompleteCB = { closure in
    guard let closure else { return }
    Unmanaged<MuxSink>.fromOpaque(closure).release()
}
