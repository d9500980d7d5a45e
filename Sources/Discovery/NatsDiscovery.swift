import Foundation
import Messaging

/// Discovery over a JetStream key-value bucket, so a laptop needs nothing but `nats-server -js`.
///
/// - register: put `<service>.<id>` → JSON record (instance, TTL, writer's clock); remembered locally.
/// - heartbeat: put the same record again (a new server write time). An instance this process registered
///   is re-created even if the server already expired or lost it; an unknown one is `rejected(404)`.
/// - deregister: delete the key.
/// - healthyInstances: the keys under the service whose last write (server time) is within the TTL the
///   instance registered with. The bucket's max age removes stale entries server-side as well, but the
///   filter does not depend on when the server gets round to it.
///
/// Freshness compares the server's write time with this process's wall clock, so clocks should be
/// NTP-synchronised; skew only shifts when an instance drops out, never past the bucket's max age.
public actor NatsDiscovery: Discovery {
    public static let defaultBucket = "mpc-discovery"
    public static let defaultMaxAge: Duration = .seconds(30)

    public nonisolated let bucket: String
    /// The bucket's TTL: the longest TTL an instance may register with.
    public nonisolated let maxAge: Duration
    private let jetStream: JetStream
    private let storage: StreamConfig.Storage
    private(set) var store: KeyValueStore
    let now: @Sendable () -> Int64
    private var registered: [String: Registration] = [:]
    /// Entries under a service prefix that were not well-formed records (skipped, never fatal).
    public private(set) var skippedEntries = 0

    struct Registration: Sendable { var instance: ServiceInstance; var ttlMillis: Int64 }

    private init(jetStream: JetStream, store: KeyValueStore, bucket: String, maxAge: Duration,
                 storage: StreamConfig.Storage, now: @escaping @Sendable () -> Int64) {
        self.jetStream = jetStream; self.store = store; self.bucket = bucket; self.maxAge = maxAge
        self.storage = storage; self.now = now
    }

    /// Creates the bucket (or binds to an existing one of that name; its max age is then the server's).
    /// `now` is nanoseconds since the epoch (injectable for tests).
    public static func open(jetStream: JetStream, bucket: String = defaultBucket, maxAge: Duration = defaultMaxAge,
                            storage: StreamConfig.Storage = .file,
                            now: @escaping @Sendable () -> Int64 = NatsDiscovery.wallClockNanos) async throws(DiscoveryError) -> NatsDiscovery {
        guard maxAge >= .seconds(1) else { throw .invalidConfiguration("discovery max age must be at least 1s, got \(maxAge)") }
        let store = try await openStore(jetStream, bucket: bucket, maxAge: maxAge, storage: storage)
        return NatsDiscovery(jetStream: jetStream, store: store, bucket: bucket, maxAge: maxAge, storage: storage, now: now)
    }

    /// Same, over a connection (a JetStream context with `apiTimeout` bounds every call).
    public static func open(connection: NatsConnection, apiTimeout: Duration = .seconds(5), bucket: String = defaultBucket,
                            maxAge: Duration = defaultMaxAge, storage: StreamConfig.Storage = .file) async throws(DiscoveryError) -> NatsDiscovery {
        let js: JetStream
        do { js = try JetStream(connection: connection, apiTimeout: apiTimeout) } catch { throw DiscoveryError(error) }
        return try await open(jetStream: js, bucket: bucket, maxAge: maxAge, storage: storage)
    }

    public static let wallClockNanos: @Sendable () -> Int64 = {
        let t = Date().timeIntervalSince1970 * 1_000_000_000
        return t.isFinite && t < Double(Int64.max) ? Int64(t) : Int64.max
    }

    private static func openStore(_ js: JetStream, bucket: String, maxAge: Duration,
                                  storage: StreamConfig.Storage) async throws(DiscoveryError) -> KeyValueStore {
        let config = KeyValueConfig(bucket: bucket, ttl: maxAge, history: 1, storage: storage, maxValueSize: 16 * 1024)
        do { return try await js.keyValue(config) } catch { throw DiscoveryError(error) }
    }

    // MARK: - Discovery

    public func register(_ instance: ServiceInstance, ttl: Duration) async throws(DiscoveryError) {
        try Self.validate(instance)
        let ttlMillis = ttl.discoveryMillis
        guard ttlMillis > 0 else { throw .invalidConfiguration("ttl must be positive, got \(ttl)") }
        guard ttl <= maxAge else {
            throw .invalidConfiguration("ttl \(ttl) of \(instance.id) exceeds the discovery bucket max age \(maxAge)")
        }
        let registration = Registration(instance: instance, ttlMillis: ttlMillis)
        try await write(registration)
        registered[NatsDiscoveryKey.key(service: instance.service, id: instance.id)] = registration
    }

    public func heartbeat(_ instance: ServiceInstance) async throws(DiscoveryError) {
        try Self.validate(instance)
        let key = NatsDiscoveryKey.key(service: instance.service, id: instance.id)
        if let local = registered[key] {
            try await write(local)
            // A deregister that ran while the put was in flight may have reached the server first:
            // delete again so a deregistered instance is not resurrected for a TTL.
            if registered[key] == nil {
                do throws(MessagingError) { try await store.delete(key) } catch { throw DiscoveryError(error) }
            }
            return
        }
        // Registered by another process (or before a restart of this one): refresh what is stored.
        let entry: KeyValueEntry?
        do throws(MessagingError) { entry = try await store.get(key) } catch { throw DiscoveryError(error) }
        guard let entry, entry.operation == .put, let record = NatsDiscoveryRecord.decode(entry.value),
              record.instance.id == instance.id, record.instance.service == instance.service else {
            throw .rejected(status: 404, body: "\(instance.service)/\(instance.id) is not registered")
        }
        try await write(Registration(instance: record.instance, ttlMillis: min(record.ttlMillis, maxAge.discoveryMillis)))
    }

    public func deregister(_ instance: ServiceInstance) async throws(DiscoveryError) {
        try Self.validate(instance)
        let key = NatsDiscoveryKey.key(service: instance.service, id: instance.id)
        registered[key] = nil
        do throws(MessagingError) { try await store.delete(key) } catch { throw DiscoveryError(error) }
    }

    public func healthyInstances(of service: String) async throws(DiscoveryError) -> [ServiceInstance] {
        guard !service.isEmpty else { throw .invalidConfiguration("service name is empty") }
        let keys: [String]
        do throws(MessagingError) { keys = try await store.keys() } catch { throw DiscoveryError(error) }
        var out: [ServiceInstance] = []
        for key in keys {
            guard let id = NatsDiscoveryKey.instanceID(fromKey: key, service: service) else { continue }
            let entry: KeyValueEntry?
            do throws(MessagingError) { entry = try await store.get(key) } catch { throw DiscoveryError(error) }
            guard let entry, entry.operation == .put else { continue }  // deleted meanwhile
            guard let record = NatsDiscoveryRecord.decode(entry.value),
                  record.instance.service == service, record.instance.id == id else {
                skippedEntries += 1
                continue
            }
            if Self.isFresh(record, writtenAtNanos: entry.createdNanos, nowNanos: now(), maxAgeMillis: maxAge.discoveryMillis) { out.append(record.instance) }
        }
        return out.sorted { $0.id < $1.id }
    }

    // MARK: - Internals

    private func write(_ registration: Registration) async throws(DiscoveryError) {
        let instance = registration.instance
        let key = NatsDiscoveryKey.key(service: instance.service, id: instance.id)
        let record = NatsDiscoveryRecord(instance: instance, ttlMillis: registration.ttlMillis,
                                         lastSeenMillis: now() / 1_000_000)
        let bytes = try record.encoded()
        do throws(MessagingError) {
            _ = try await store.put(key, bytes)
        } catch .noResponders {
            // The bucket's stream is gone (deleted, or memory storage lost in a server restart): recreate once.
            store = try await Self.openStore(jetStream, bucket: bucket, maxAge: maxAge, storage: storage)
            do throws(MessagingError) { _ = try await store.put(key, bytes) } catch { throw DiscoveryError(error) }
        } catch {
            throw DiscoveryError(error)
        }
    }

    /// When an entry stops being fresh: written (server time, falling back to the writer's clock) plus the
    /// instance's TTL capped at the bucket's max age. nil when the stored values make no sense.
    /// Arithmetic on stored values never traps.
    static func expiry(_ record: NatsDiscoveryRecord, writtenAtNanos: Int64, maxAgeMillis: Int64) -> Int64? {
        let ttlNanos = min(record.ttlMillis, maxAgeMillis).multipliedReportingOverflow(by: 1_000_000)
        guard !ttlNanos.overflow, ttlNanos.partialValue > 0 else { return nil }
        let written: Int64
        if writtenAtNanos > 0 {
            written = writtenAtNanos
        } else {
            let w = record.lastSeenMillis.multipliedReportingOverflow(by: 1_000_000)
            guard !w.overflow, w.partialValue > 0 else { return nil }
            written = w.partialValue
        }
        let end = written.addingReportingOverflow(ttlNanos.partialValue)
        return end.overflow ? nil : end.partialValue
    }

    static func isFresh(_ record: NatsDiscoveryRecord, writtenAtNanos: Int64, nowNanos: Int64, maxAgeMillis: Int64) -> Bool {
        guard let end = expiry(record, writtenAtNanos: writtenAtNanos, maxAgeMillis: maxAgeMillis) else { return false }
        return nowNanos <= end
    }

    static func validate(_ instance: ServiceInstance) throws(DiscoveryError) {
        guard !instance.service.isEmpty, instance.service.utf8.count <= 128 else {
            throw .invalidConfiguration("service name must be 1...128 bytes, got '\(instance.service.prefix(40))'")
        }
        guard !instance.id.isEmpty, instance.id.utf8.count <= 128 else {
            throw .invalidConfiguration("instance id must be 1...128 bytes, got '\(instance.id.prefix(40))'")
        }
    }
}
