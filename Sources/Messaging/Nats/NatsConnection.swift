internal import CNats
import Synchronization

/// A connection to NATS over cnats. Owns the `natsConnection*`; destroying the last reference
/// closes it. cnats connections are thread-safe, hence `@unchecked Sendable`: the only stored state
/// is the immutable handle and Sendable helpers.
public final class NatsConnection: @unchecked Sendable {
    let handle: OpaquePointer
    let hub: EventHub
    let mux = RequestMux()
    public let options: NatsOptions

    private init(handle: OpaquePointer, hub: EventHub, options: NatsOptions) {
        self.handle = handle; self.hub = hub; self.options = options
    }

    /// Connects (blocking work runs off the cooperative pool).
    public static func connect(_ options: NatsOptions) async throws(MessagingError) -> NatsConnection {
        let hub = EventHub()
        let handle = try await Blocking.run { () throws(MessagingError) -> SendableHandle in
            let opts = try COptions()
            try opts.apply(options)
            // The hub is retained once on behalf of cnats; the closed callback (always the last
            // connection callback cnats posts) releases it.
            let box = Unmanaged.passRetained(hub)
            let closure = box.toOpaque()
            do throws(MessagingError) {
                try NatsStatus.check(natsOptions_SetDisconnectedCB(opts.handle, connectionDisconnected, closure), "natsOptions_SetDisconnectedCB")
                try NatsStatus.check(natsOptions_SetReconnectedCB(opts.handle, connectionReconnected, closure), "natsOptions_SetReconnectedCB")
                try NatsStatus.check(natsOptions_SetClosedCB(opts.handle, connectionClosed, closure), "natsOptions_SetClosedCB")
                try NatsStatus.check(natsOptions_SetErrorHandler(opts.handle, connectionAsyncError, closure), "natsOptions_SetErrorHandler")
                if options.retryOnFailedConnect {
                    try NatsStatus.check(natsOptions_SetRetryOnFailedConnect(opts.handle, true, connectionConnected, closure),
                                         "natsOptions_SetRetryOnFailedConnect")
                }
                var nc: OpaquePointer?
                let s = natsConnection_Connect(&nc, opts.handle)
                // With retryOnFailedConnect, NATS_NOT_YET_CONNECTED hands back a live connection
                // that keeps trying in the background (and will call our callbacks).
                if s == NATS_NOT_YET_CONNECTED, options.retryOnFailedConnect, let nc { return SendableHandle(nc) }
                try NatsStatus.check(s, "natsConnection_Connect")
                guard let nc else { throw MessagingError.nats(operation: "natsConnection_Connect", status: "NATS_ERR", detail: "null connection") }
                return SendableHandle(nc)
            } catch {
                // cnats posts no callbacks for a connection that never came up.
                box.release()
                throw error
            }
        }
        return NatsConnection(handle: handle.pointer, hub: hub, options: options)
    }

    deinit { natsConnection_Destroy(handle) }

    /// A new listener for connection events (bounded: the newest `bufferSize` are kept).
    public func events(bufferSize: Int = 256) -> AsyncStream<ConnectionEvent> { hub.stream(bufferSize: bufferSize) }

    public var disconnectCount: Int { hub.disconnects.load(ordering: .relaxed) }
    public var reconnectCount: Int { hub.reconnects.load(ordering: .relaxed) }
    public var slowConsumerEventCount: Int { hub.slowConsumerEvents.load(ordering: .relaxed) }

    public enum Status: String, Sendable { case disconnected, connecting, connected, closed, reconnecting, draining }

    public var status: Status {
        switch natsConnection_Status(handle) {
        case NATS_CONN_STATUS_CONNECTED: return .connected
        case NATS_CONN_STATUS_CONNECTING: return .connecting
        case NATS_CONN_STATUS_CLOSED: return .closed
        case NATS_CONN_STATUS_RECONNECTING: return .reconnecting
        case NATS_CONN_STATUS_DRAINING_SUBS, NATS_CONN_STATUS_DRAINING_PUBS: return .draining
        default: return .disconnected
        }
    }

    /// The largest payload the server accepts.
    public var maxPayload: Int { Int(natsConnection_GetMaxPayload(handle)) }

    /// Publishes (buffered by cnats; while reconnecting, into the reconnect buffer).
    public func publish(subject: String, payload: [UInt8], reply: String? = nil, headers: [String: String]? = nil) throws(MessagingError) {
        let subj = try CString.validated(subject, what: "subject")
        if let headers, !headers.isEmpty {
            let msg = try NatsConnection.makeMessage(subject: subj, reply: reply, payload: payload, headers: headers)
            defer { mpc_nats_msg_release(msg) }
            try NatsStatus.check(natsConnection_PublishMsg(handle, msg), "publish \(subj)")
            return
        }
        let s = payload.withUnsafeBytes { buf in
            if let reply {
                return natsConnection_PublishRequest(handle, subj, reply, buf.baseAddress, Int32(buf.count))
            }
            return natsConnection_Publish(handle, subj, buf.baseAddress, Int32(buf.count))
        }
        try NatsStatus.check(s, "publish \(subj)")
    }

    static func makeMessage(subject: String, reply: String?, payload: [UInt8], headers: [String: String]) throws(MessagingError) -> OpaquePointer {
        if let reply { _ = try CString.validated(reply, what: "reply subject") }
        var msg: OpaquePointer?
        let s = payload.withUnsafeBytes { buf in
            natsMsg_Create(&msg, subject, reply, buf.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(buf.count))
        }
        try NatsStatus.check(s, "natsMsg_Create")
        guard let msg else { throw .nats(operation: "natsMsg_Create", status: "NATS_ERR", detail: "null message") }
        for (k, v) in headers.sorted(by: { $0.key < $1.key }) {
            do throws(MessagingError) {
                let key = try CString.validated(k, what: "header name")
                let value = try CString.validated(v, what: "header value", allowEmpty: true)
                try NatsStatus.check(natsMsgHeader_Set(msg, key, value), "natsMsgHeader_Set")
            } catch {
                mpc_nats_msg_release(msg)
                throw error
            }
        }
        return msg
    }

    /// Waits until the server has processed everything published so far.
    public func flush(timeout: Duration) async throws(MessagingError) {
        let h = SendableHandle(handle)
        let ms = max(timeout.milliseconds, 1)
        try await Blocking.run { () throws(MessagingError) in
            try NatsStatus.check(natsConnection_FlushTimeout(h.pointer, ms), "flush")
        }
        withExtendedLifetime(self) {}
    }

    /// Request/reply: the first reply, or `.timeout` / `.noResponders`.
    public func request(subject: String, payload: [UInt8], headers: [String: String]? = nil, timeout: Duration) async throws(MessagingError) -> NatsMessage {
        let subj = try CString.validated(subject, what: "subject")
        return try await mux.request(self, subject: subj, payload: payload, headers: headers, timeout: timeout)
    }

    /// Several requests at once, published back to back; each reply (or `.timeout` / `.noResponders`) comes out
    /// of the stream with the index of its request, in arrival order. A subject that is not valid fails its index.
    public func requestEach(_ requests: [(subject: String, payload: [UInt8])], timeout: Duration)
        -> AsyncStream<(Int, Result<NatsMessage, MessagingError>)> {
        let checked = requests.map { r -> (subject: String, payload: [UInt8], refused: MessagingError?) in
            do throws(MessagingError) { return (try CString.validated(r.subject, what: "subject"), r.payload, nil) }
            catch { return (r.subject, r.payload, error) }
        }
        return mux.requestEach(self, checked, timeout: timeout)
    }

    /// Closes the connection (idempotent). Subscriptions end; `events` report `.closed`.
    public func close() { natsConnection_Close(handle) }

    /// Graceful shutdown: stops new deliveries, lets subscribers finish what they hold, flushes
    /// publishes, then closes. Returns when the connection is closed (or `timeout` passed).
    public func drain(timeout: Duration) async throws(MessagingError) {
        let closed = events(bufferSize: 8)
        try NatsStatus.check(natsConnection_DrainTimeout(handle, max(timeout.milliseconds, 1)), "drain")
        for await e in closed where e == .closed { return }
    }
}

/// A C pointer passed to the blocking queue. Only used with thread-safe cnats objects.
struct SendableHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ p: OpaquePointer) { pointer = p }
}

// MARK: - cnats connection callbacks (run on cnats' single async-callback thread, in order)

private func hub(_ closure: UnsafeMutableRawPointer?) -> EventHub? {
    guard let closure else { return nil }
    return Unmanaged<EventHub>.fromOpaque(closure).takeUnretainedValue()
}

private let connectionConnected: natsConnectionHandler = { _, closure in hub(closure)?.emit(.connected) }
private let connectionDisconnected: natsConnectionHandler = { _, closure in hub(closure)?.emit(.disconnected) }
private let connectionReconnected: natsConnectionHandler = { _, closure in hub(closure)?.emit(.reconnected) }
private let connectionClosed: natsConnectionHandler = { _, closure in
    guard let closure else { return }
    let box = Unmanaged<EventHub>.fromOpaque(closure)
    box.takeUnretainedValue().emit(.closed)
    box.release()
}
private let connectionAsyncError: natsErrHandler = { _, sub, status, closure in
    guard let h = hub(closure) else { return }
    if status == NATS_SLOW_CONSUMER, let sub {
        let subject = natsSubscription_GetSubject(sub).map { String(cString: $0) } ?? ""
        var dropped: Int64 = 0
        _ = natsSubscription_GetDropped(sub, &dropped)
        h.emit(.slowConsumer(subject: subject, dropped: Int(dropped)))
    } else {
        h.emit(.asyncError(status: NatsStatus.name(status)))
    }
}
