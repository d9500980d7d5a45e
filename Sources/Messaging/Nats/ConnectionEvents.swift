import Synchronization

/// What happens to a connection over its life, as reported by cnats' callbacks.
public enum ConnectionEvent: Sendable, Equatable {
    /// First connection established in the background (only with `retryOnFailedConnect`).
    case connected
    case disconnected
    case reconnected
    /// Terminal: the connection will not come back.
    case closed
    /// A subscription could not keep up and messages were dropped. `dropped` is the running total
    /// at the layer that dropped (our bounded buffer, or cnats' pending queue); the subscription's
    /// `droppedCount` is the sum of both.
    case slowConsumer(subject: String, dropped: Int)
    /// Another asynchronous error reported by cnats (status name).
    case asyncError(status: String)
}

/// Fans connection events out to any number of listeners, each with its own bounded buffer.
/// Called from cnats' callback thread; the one Mutex here only guards the listener table.
final class EventHub: Sendable {
    private struct State {
        var next = 0
        var listeners: [Int: AsyncStream<ConnectionEvent>.Continuation] = [:]
        var finished = false
    }
    private let state = Mutex(State())

    let disconnects = Atomic<Int>(0)
    let reconnects = Atomic<Int>(0)
    let slowConsumerEvents = Atomic<Int>(0)

    func stream(bufferSize: Int) -> AsyncStream<ConnectionEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: ConnectionEvent.self,
                                                            bufferingPolicy: .bufferingNewest(max(bufferSize, 1)))
        let id: Int? = state.withLock { s in
            if s.finished { return nil }
            let id = s.next; s.next += 1
            s.listeners[id] = continuation
            return id
        }
        guard let id else { continuation.yield(.closed); continuation.finish(); return stream }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.listeners.removeValue(forKey: id) }
        }
        return stream
    }

    func emit(_ event: ConnectionEvent) {
        switch event {
        case .disconnected: disconnects.add(1, ordering: .relaxed)
        case .reconnected: reconnects.add(1, ordering: .relaxed)
        case .slowConsumer: slowConsumerEvents.add(1, ordering: .relaxed)
        default: break
        }
        // One critical section, so a listener registered concurrently with `.closed` either gets
        // `.closed` and the end, or is refused at registration (and told `.closed` there).
        let isClosed = event == .closed
        let listeners = state.withLock { s -> [AsyncStream<ConnectionEvent>.Continuation] in
            let all = Array(s.listeners.values)
            if isClosed { s.finished = true; s.listeners = [:] }
            return all
        }
        for l in listeners {
            l.yield(event)
            if isClosed { l.finish() }
        }
    }
}
