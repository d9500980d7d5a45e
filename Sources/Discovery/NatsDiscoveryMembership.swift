import Messaging

extension NatsDiscovery {
    public enum LeaveReason: String, Sendable { case deregistered, expired }

    public enum MembershipChange: Sendable, Equatable {
        /// An instance became healthy (registered, or heartbeated again after expiring), or its
        /// registration data changed. Plain heartbeats produce nothing.
        case joined(ServiceInstance)
        /// An instance was deregistered, or its TTL passed without a heartbeat.
        case left(id: String, reason: LeaveReason)
        /// Every instance healthy when the watch started has been announced.
        case caughtUp
    }

    /// Membership of `service` as a stream: the healthy instances first, then joins and leaves.
    /// The server announces puts and deletes; expiry is detected here, checked every `checkEvery`.
    /// Cancelling the consuming task (or dropping the stream) stops the watch.
    public func membershipChanges(of service: String, checkEvery: Duration = .milliseconds(250)) throws(DiscoveryError) -> AsyncStream<MembershipChange> {
        guard !service.isEmpty else { throw .invalidConfiguration("service name is empty") }
        guard checkEvery > .zero else { throw .invalidConfiguration("checkEvery must be positive") }
        let events: AsyncStream<KeyValueWatchEvent>
        do throws(MessagingError) { events = try store.watch(keys: NatsDiscoveryKey.prefix(service: service) + ">") }
        catch { throw DiscoveryError(error) }

        let (inputs, input) = AsyncStream.makeStream(of: MembershipTracker.Input.self, bufferingPolicy: .bufferingOldest(4096))
        let (changes, output) = AsyncStream.makeStream(of: MembershipChange.self, bufferingPolicy: .bufferingOldest(1024))
        let forward = Task.detached {
            for await e in events { input.yield(.event(e)) }
            input.finish()
        }
        let ticker = Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: checkEvery)
                input.yield(.tick)
            }
        }
        let now = self.now
        var tracker = MembershipTracker(service: service, maxAgeMillis: maxAge.discoveryMillis)
        let pump = Task.detached {
            for await i in inputs {
                for change in tracker.handle(i, nowNanos: now()) { output.yield(change) }
            }
            output.finish()
        }
        output.onTermination = { _ in
            forward.cancel(); ticker.cancel(); pump.cancel()
            input.finish()
        }
        return changes
    }
}

/// The state of one membership watch: which instances are live and until when. Pure: fed KV events and
/// clock ticks, returns the changes to announce.
struct MembershipTracker: Sendable {
    enum Input: Sendable { case event(KeyValueWatchEvent), tick }

    let service: String
    let maxAgeMillis: Int64
    private(set) var live: [String: (instance: ServiceInstance, expiresAt: Int64)] = [:]
    private var caughtUp = false

    init(service: String, maxAgeMillis: Int64) { self.service = service; self.maxAgeMillis = maxAgeMillis }

    mutating func handle(_ input: Input, nowNanos: Int64) -> [NatsDiscovery.MembershipChange] {
        var out = expire(nowNanos: nowNanos)
        switch input {
        case .tick:
            break
        case .event(.initialValuesDone):
            if !caughtUp { caughtUp = true; out.append(.caughtUp) }
        case .event(.entry(let e)):
            guard let id = NatsDiscoveryKey.instanceID(fromKey: e.key, service: service) else { break }
            guard e.operation == .put else {
                if live.removeValue(forKey: id) != nil { out.append(.left(id: id, reason: .deregistered)) }
                break
            }
            guard let record = NatsDiscoveryRecord.decode(e.value), record.instance.id == id, record.instance.service == service,
                  let end = NatsDiscovery.expiry(record, writtenAtNanos: e.createdNanos, maxAgeMillis: maxAgeMillis),
                  nowNanos <= end else { break }
            let previous = live[id]
            live[id] = (record.instance, end)
            if previous?.instance != record.instance { out.append(.joined(record.instance)) }
        }
        return out
    }

    private mutating func expire(nowNanos: Int64) -> [NatsDiscovery.MembershipChange] {
        let gone = live.filter { $0.value.expiresAt < nowNanos }.keys.sorted()
        for id in gone { live[id] = nil }
        return gone.map { .left(id: $0, reason: .expired) }
    }
}
