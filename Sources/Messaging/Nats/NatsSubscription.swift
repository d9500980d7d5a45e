internal import CNats
import Synchronization

/// Where cnats' delivery thread puts messages: a bounded AsyncStream, or a handler started in a task per
/// message (at most `maxInFlight` at once), plus drop accounting.
/// Retained once on behalf of cnats; released by the subscription's on-complete callback, which
/// cnats invokes after the last message handler has returned.
final class SubscriptionSink: Sendable {
    let continuation: AsyncStream<NatsMessage>.Continuation?
    let handler: (@Sendable (NatsMessage) async -> Void)?
    let subject: String
    let hub: EventHub
    let maxBufferedBytes: Int
    let maxInFlight: Int
    let dropped = Atomic<Int>(0)
    /// Payload bytes yielded and not yet taken by the consumer (stream), or held by running handlers.
    let bufferedBytes = Atomic<Int>(0)
    /// Handlers started and not finished.
    let inFlight = Atomic<Int>(0)

    init(continuation: AsyncStream<NatsMessage>.Continuation, subject: String, hub: EventHub, maxBufferedBytes: Int) {
        self.continuation = continuation; handler = nil; self.subject = subject; self.hub = hub
        self.maxBufferedBytes = maxBufferedBytes; maxInFlight = 0
    }

    init(handler: @escaping @Sendable (NatsMessage) async -> Void, maxInFlight: Int, subject: String, hub: EventHub, maxBufferedBytes: Int) {
        continuation = nil; self.handler = handler; self.subject = subject; self.hub = hub
        self.maxBufferedBytes = maxBufferedBytes; self.maxInFlight = maxInFlight
    }

    /// Bounded in messages (the stream's policy, or `maxInFlight` handlers) and in payload bytes (here): a
    /// burst of large messages cannot grow memory without limit either.
    func deliver(_ message: NatsMessage) {
        if let handler { start(handler, message); return }
        guard let continuation else { return }
        let size = message.data.count
        let after = bufferedBytes.add(size, ordering: .relaxed).newValue
        if after > maxBufferedBytes && after != size {
            bufferedBytes.subtract(size, ordering: .relaxed)
            reportDrop()
            return
        }
        if case .dropped = continuation.yield(message) {
            bufferedBytes.subtract(size, ordering: .relaxed)
            reportDrop()
        }
    }

    func consumed(_ message: NatsMessage) { bufferedBytes.subtract(message.data.count, ordering: .relaxed) }

    /// The handler in a task of its own, started from cnats' delivery thread: one executor wake-up per message
    /// (a stream consumed by a loop that starts a task per message costs two).
    private func start(_ handler: @escaping @Sendable (NatsMessage) async -> Void, _ message: NatsMessage) {
        let size = message.data.count
        let running = inFlight.add(1, ordering: .relaxed).newValue
        let after = bufferedBytes.add(size, ordering: .relaxed).newValue
        guard running <= maxInFlight, after <= maxBufferedBytes || after == size else {
            inFlight.subtract(1, ordering: .relaxed)
            bufferedBytes.subtract(size, ordering: .relaxed)
            reportDrop()
            return
        }
        Task {
            await handler(message)
            self.bufferedBytes.subtract(size, ordering: .relaxed)
            self.inFlight.subtract(1, ordering: .relaxed)
        }
    }

    private func reportDrop() {
        let total = dropped.add(1, ordering: .relaxed).newValue
        hub.emit(.slowConsumer(subject: subject, dropped: total))
    }
}

/// Owns the `natsSubscription*` (destroyed in deinit, which also unsubscribes) and keeps the
/// connection alive while the subscription is.
final class SubscriptionHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    let sink: SubscriptionSink
    let connection: NatsConnection

    init(pointer: OpaquePointer, sink: SubscriptionSink, connection: NatsConnection) {
        self.pointer = pointer; self.sink = sink; self.connection = connection
    }

    func unsubscribe() { _ = natsSubscription_Unsubscribe(pointer) }

    var isValid: Bool { natsSubscription_IsValid(pointer) }

    /// Drops counted by us (our bounded buffer) plus those cnats counted (its pending limit).
    var droppedCount: Int {
        var cDropped: Int64 = 0
        if natsSubscription_GetDropped(pointer, &cDropped) != NATS_OK { cDropped = 0 }
        return sink.dropped.load(ordering: .relaxed) + Int(cDropped)
    }

    deinit { natsSubscription_Destroy(pointer) }
}

/// Messages on a subject, as an AsyncSequence with a bounded buffer. When the consumer falls
/// behind, new messages are dropped *and reported*: `droppedCount` grows and the connection's
/// events carry `.slowConsumer`. Cancelling the consuming task (or `unsubscribe()`) removes the
/// interest on the server.
public struct NatsSubscription: AsyncSequence, Sendable {
    public typealias Element = NatsMessage
    let handle: SubscriptionHandle
    let stream: AsyncStream<NatsMessage>

    public var subject: String { handle.sink.subject }
    public var droppedCount: Int { handle.droppedCount }
    public var isActive: Bool { handle.isValid }
    public func unsubscribe() { handle.unsubscribe() }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<NatsMessage>.AsyncIterator
        let handle: SubscriptionHandle
        public mutating func next() async -> NatsMessage? {
            guard let m = await base.next() else { return nil }
            handle.sink.consumed(m)
            return m
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: stream.makeAsyncIterator(), handle: handle)
    }
}

/// A subscription whose messages go to a handler (`NatsConnection.subscribe(subject:maxInFlight:handler:)`);
/// `unsubscribe()` removes the interest on the server.
public struct NatsHandlerSubscription: Sendable {
    let handle: SubscriptionHandle
    public var subject: String { handle.sink.subject }
    public var droppedCount: Int { handle.droppedCount }
    public var isActive: Bool { handle.isValid }
    public func unsubscribe() { handle.unsubscribe() }
}

extension NatsConnection {
    /// Subscribes to `subject` and runs `handler` for each message in a task of its own, at most `maxInFlight`
    /// at once (and `maxBufferedBytes` of their payloads); a message beyond that is dropped and reported like a
    /// slow consumer's (`droppedCount`, `.slowConsumer`).
    public func subscribe(subject: String, queue: String? = nil, maxInFlight: Int = 1024, maxBufferedBytes: Int = 64 * 1024 * 1024,
                          handler: @escaping @Sendable (NatsMessage) async -> Void) throws(MessagingError) -> NatsHandlerSubscription {
        let subj = try CString.validated(subject, what: "subject")
        let sink = SubscriptionSink(handler: handler, maxInFlight: max(maxInFlight, 1), subject: subj, hub: hub,
                                    maxBufferedBytes: max(maxBufferedBytes, 1))
        return NatsHandlerSubscription(handle: try attach(sink, subject: subj, queue: queue, cnatsPendingLimit: max(maxInFlight * 4, 1024)))
    }

    /// Subscribes to `subject` (wildcards allowed), in queue group `queue` if given.
    /// `bufferSize` bounds the messages waiting for the consumer, `maxBufferedBytes` their payload
    /// bytes (a single message larger than that is still delivered when the buffer is empty).
    public func subscribe(subject: String, queue: String? = nil, bufferSize: Int = 1024,
                          maxBufferedBytes: Int = 64 * 1024 * 1024) throws(MessagingError) -> NatsSubscription {
        try subscribe(subject: subject, queue: queue, bufferSize: bufferSize, maxBufferedBytes: maxBufferedBytes,
                      cnatsPendingLimit: nil)
    }

    /// `cnatsPendingLimit` overrides cnats' own queue limit (tests use a tiny one to exercise
    /// cnats' slow-consumer report through the async error handler).
    func subscribe(subject: String, queue: String?, bufferSize: Int, maxBufferedBytes: Int,
                   cnatsPendingLimit: Int?) throws(MessagingError) -> NatsSubscription {
        let subj = try CString.validated(subject, what: "subject")
        let size = max(bufferSize, 1)
        let (stream, continuation) = AsyncStream.makeStream(of: NatsMessage.self, bufferingPolicy: .bufferingOldest(size))
        let sink = SubscriptionSink(continuation: continuation, subject: subj, hub: hub, maxBufferedBytes: max(maxBufferedBytes, 1))
        let owner = try attach(sink, subject: subj, queue: queue, cnatsPendingLimit: cnatsPendingLimit ?? max(size * 4, 1024))
        continuation.onTermination = { [weak owner] _ in owner?.unsubscribe() }
        return NatsSubscription(handle: owner, stream: stream)
    }

    /// Subscribes `sink` in cnats (which holds one retain of it until its on-complete callback).
    private func attach(_ sink: SubscriptionSink, subject subj: String, queue: String?, cnatsPendingLimit cLimit: Int) throws(MessagingError) -> SubscriptionHandle {
        let q = try queue.map { (q) throws(MessagingError) in try CString.validated(q, what: "queue group") }
        let box = Unmanaged.passRetained(sink)
        var sub: OpaquePointer?
        let s: natsStatus
        if let q {
            s = natsConnection_QueueSubscribe(&sub, handle, subj, q, subscriptionMessage, box.toOpaque())
        } else {
            s = natsConnection_Subscribe(&sub, handle, subj, subscriptionMessage, box.toOpaque())
        }
        guard s == NATS_OK, let sub else {
            box.release()
            sink.continuation?.finish()
            throw NatsStatus.error(s, "subscribe \(subj)")
        }
        let owner = SubscriptionHandle(pointer: sub, sink: sink, connection: self)
        if natsSubscription_SetOnCompleteCB(sub, subscriptionComplete, box.toOpaque()) != NATS_OK {
            // Already closed (connection closing). A handler might still be returning, so the sink
            // is deliberately not released here: leaking one small object beats a use-after-free.
            sink.continuation?.finish()
        }
        // cnats' own queue in front of ours: generous, since our delivery callback never blocks.
        _ = natsSubscription_SetPendingLimits(sub, Int32(clamping: max(cLimit, 1)), Int32(clamping: max(sink.maxBufferedBytes, 1024 * 1024)))
        return owner
    }
}

private let subscriptionMessage: natsMsgHandler = { _, _, msg, closure in
    guard let msg else { return }
    defer { mpc_nats_msg_release(msg) }
    guard let closure else { return }
    let sink = Unmanaged<SubscriptionSink>.fromOpaque(closure).takeUnretainedValue()
    sink.deliver(NatsMessage(copying: msg))
}

private let subscriptionComplete: natsOnCompleteCB = { closure in
    guard let closure else { return }
    let box = Unmanaged<SubscriptionSink>.fromOpaque(closure)
    box.takeUnretainedValue().continuation?.finish()
    box.release()
}
