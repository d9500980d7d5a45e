internal import CNats
import Synchronization

public struct KeyValueConfig: Sendable, Equatable {
    public var bucket: String
    /// Entries older than this disappear (heartbeats). nil: kept.
    public var ttl: Duration?
    public var history: UInt8
    public var storage: StreamConfig.Storage
    public var maxValueSize: Int32?

    public init(bucket: String, ttl: Duration? = nil, history: UInt8 = 1, storage: StreamConfig.Storage = .file,
                maxValueSize: Int32? = nil) {
        self.bucket = bucket; self.ttl = ttl; self.history = history; self.storage = storage; self.maxValueSize = maxValueSize
    }
}

public struct KeyValueEntry: Sendable, Equatable {
    public enum Operation: Sendable { case put, delete, purge }
    public var key: String
    public var value: [UInt8]
    public var revision: UInt64
    /// Server time of the write, nanoseconds since the epoch.
    public var createdNanos: Int64
    public var operation: Operation

    init(copying e: OpaquePointer) {
        key = kvEntry_Key(e).map { String(cString: $0) } ?? ""
        let len = Int(kvEntry_ValueLen(e))
        if len > 0, let p = kvEntry_Value(e) { value = Array(UnsafeRawBufferPointer(start: p, count: len)) } else { value = [] }
        revision = kvEntry_Revision(e)
        createdNanos = kvEntry_Created(e)
        switch kvEntry_Operation(e) {
        case kvOp_Delete: operation = .delete
        case kvOp_Purge: operation = .purge
        default: operation = .put
        }
    }
}

public enum KeyValueWatchEvent: Sendable, Equatable {
    case entry(KeyValueEntry)
    /// All values existing when the watch started have been delivered.
    case initialValuesDone
}

/// A JetStream key-value bucket. Owns the `kvStore*`.
public final class KeyValueStore: @unchecked Sendable {
    let handle: OpaquePointer
    public let jetStream: JetStream
    public let bucket: String

    init(handle: OpaquePointer, jetStream: JetStream, bucket: String) {
        self.handle = handle; self.jetStream = jetStream; self.bucket = bucket
    }

    deinit { kvStore_Destroy(handle) }

    public func put(_ key: String, _ value: [UInt8]) async throws(MessagingError) -> UInt64 {
        let k = try CString.validated(key, what: "key")
        let h = SendableHandle(handle)
        let rev = try await Blocking.run { () throws(MessagingError) -> UInt64 in
            var rev: UInt64 = 0
            let s = value.withUnsafeBytes { kvStore_Put(&rev, h.pointer, k, $0.baseAddress, Int32($0.count)) }
            try NatsStatus.check(s, "kv put \(k)")
            return rev
        }
        withExtendedLifetime(self) {}
        return rev
    }

    /// Writes only if the key has no live value (first writer wins). Returns the new revision;
    /// throws `.revisionMismatch` if the key exists.
    public func create(_ key: String, _ value: [UInt8]) async throws(MessagingError) -> UInt64 {
        let k = try CString.validated(key, what: "key")
        let h = SendableHandle(handle)
        let rev = try await Blocking.run { () throws(MessagingError) -> UInt64 in
            var rev: UInt64 = 0
            let s = value.withUnsafeBytes { kvStore_Create(&rev, h.pointer, k, $0.baseAddress, Int32($0.count)) }
            try KeyValueStore.checkWrite(s, "kv create \(k)", key: k)
            return rev
        }
        withExtendedLifetime(self) {}
        return rev
    }

    /// Compare-and-set: writes only if the key's current revision is `lastRevision`.
    public func update(_ key: String, _ value: [UInt8], lastRevision: UInt64) async throws(MessagingError) -> UInt64 {
        let k = try CString.validated(key, what: "key")
        let h = SendableHandle(handle)
        let rev = try await Blocking.run { () throws(MessagingError) -> UInt64 in
            var rev: UInt64 = 0
            let s = value.withUnsafeBytes { kvStore_Update(&rev, h.pointer, k, $0.baseAddress, Int32($0.count), lastRevision) }
            try KeyValueStore.checkWrite(s, "kv update \(k)", key: k)
            return rev
        }
        withExtendedLifetime(self) {}
        return rev
    }

    /// The server answers a failed expectation with "wrong last sequence" (JetStream error 10071).
    static func checkWrite(_ s: natsStatus, _ operation: String, key: String) throws(MessagingError) {
        guard s != NATS_OK else { return }
        let detail = NatsStatus.detail(s)
        if detail.lowercased().contains("wrong last sequence") { throw .revisionMismatch(key: key) }
        throw NatsStatus.error(s, operation)
    }

    /// The current value, or nil if the key never existed, was deleted or has expired.
    public func get(_ key: String) async throws(MessagingError) -> KeyValueEntry? {
        let k = try CString.validated(key, what: "key")
        let h = SendableHandle(handle)
        let entry = try await Blocking.run { () throws(MessagingError) -> KeyValueEntry? in
            var e: OpaquePointer?
            let s = kvStore_Get(&e, h.pointer, k)
            if s == NATS_NOT_FOUND { return nil }
            try NatsStatus.check(s, "kv get \(k)")
            guard let e else { return nil }
            defer { kvEntry_Destroy(e) }
            return KeyValueEntry(copying: e)
        }
        withExtendedLifetime(self) {}
        return entry
    }

    public func delete(_ key: String) async throws(MessagingError) {
        let k = try CString.validated(key, what: "key")
        let h = SendableHandle(handle)
        try await Blocking.run { () throws(MessagingError) in
            try NatsStatus.check(kvStore_Delete(h.pointer, k), "kv delete \(k)")
        }
        withExtendedLifetime(self) {}
    }

    /// All live keys (deleted and expired ones excluded).
    public func keys(timeout: Duration = .seconds(5)) async throws(MessagingError) -> [String] {
        let h = SendableHandle(handle)
        let ms = timeout.milliseconds
        let keys = try await Blocking.run { () throws(MessagingError) -> [String] in
            var list = kvKeysList()
            var opts = kvWatchOptions()
            _ = kvWatchOptions_Init(&opts)
            opts.Timeout = ms
            let s = kvStore_Keys(&list, h.pointer, &opts)
            defer { kvKeysList_Destroy(&list) }
            if s == NATS_NOT_FOUND { return [] }
            try NatsStatus.check(s, "kv keys")
            var out: [String] = []
            if let ks = list.Keys {
                for i in 0..<Int(max(list.Count, 0)) { if let k = ks[i] { out.append(String(cString: k)) } }
            }
            return out.sorted()
        }
        withExtendedLifetime(self) {}
        return keys
    }

    /// Updates to keys matching `keys` (wildcards allowed), starting with the current values.
    /// Cancelling the consuming task stops the watcher. One blocking thread per watch.
    public func watch(keys: String = ">", bufferSize: Int = 1024) throws(MessagingError) -> AsyncStream<KeyValueWatchEvent> {
        let k = try CString.validated(keys, what: "keys")
        var w: OpaquePointer?
        try NatsStatus.check(kvStore_Watch(&w, handle, k, nil), "kv watch \(k)")
        guard let w else { throw .nats(operation: "kv watch", status: "NATS_ERR", detail: "null watcher") }
        let watcher = KeyValueWatcher(pointer: w, store: self)
        let (stream, continuation) = AsyncStream.makeStream(of: KeyValueWatchEvent.self,
                                                            bufferingPolicy: .bufferingOldest(max(bufferSize, 1)))
        continuation.onTermination = { [weak watcher] _ in watcher?.stop() }
        Blocking.detached {
            // The loop owns the watcher; it is destroyed on this thread once Next has returned.
            while true {
                var e: OpaquePointer?
                let s = kvWatcher_Next(&e, watcher.pointer, 1000)
                if s == NATS_TIMEOUT { continue }
                guard s == NATS_OK else { break }
                if let e {
                    let event = KeyValueWatchEvent.entry(KeyValueEntry(copying: e))
                    kvEntry_Destroy(e)
                    if case .dropped = continuation.yield(event) { watcher.dropped.add(1, ordering: .relaxed) }
                } else {
                    continuation.yield(.initialValuesDone)
                }
            }
            continuation.finish()
        }
        return stream
    }
}

/// Owns a `kvWatcher*`. `stop()` is thread-safe in cnats and wakes the blocked `Next`.
final class KeyValueWatcher: @unchecked Sendable {
    let pointer: OpaquePointer
    let store: KeyValueStore
    /// Updates the consumer was too slow for (bounded buffer).
    let dropped = Atomic<Int>(0)
    init(pointer: OpaquePointer, store: KeyValueStore) { self.pointer = pointer; self.store = store }
    func stop() { _ = kvWatcher_Stop(pointer) }
    deinit { kvWatcher_Destroy(pointer) }
}

extension JetStream {
    /// Creates the bucket, or binds to it if it already exists.
    public func keyValue(_ config: KeyValueConfig) async throws(MessagingError) -> KeyValueStore {
        let bucket = try CString.validated(config.bucket, what: "bucket")
        let h = SendableHandle(handle)
        let kv = try await Blocking.run { () throws(MessagingError) -> SendableHandle in
            var kv: OpaquePointer?
            var s: natsStatus = bucket.withCString { cBucket in
                var cfg = kvConfig()
                _ = kvConfig_Init(&cfg)
                cfg.Bucket = cBucket
                cfg.History = max(config.history, 1)
                cfg.TTL = config.ttl?.nanoseconds ?? 0
                cfg.StorageType = config.storage == .file ? js_FileStorage : js_MemoryStorage
                if let m = config.maxValueSize { cfg.MaxValueSize = m }
                return js_CreateKeyValue(&kv, h.pointer, &cfg)
            }
            if s != NATS_OK {
                kv = nil
                s = js_KeyValue(&kv, h.pointer, bucket)
            }
            try NatsStatus.check(s, "keyValue \(bucket)")
            guard let kv else { throw MessagingError.nats(operation: "keyValue", status: "NATS_ERR", detail: "null store") }
            return SendableHandle(kv)
        }
        return KeyValueStore(handle: kv.pointer, jetStream: self, bucket: config.bucket)
    }
}
