internal import CNats

/// A durable pull consumer's settings.
public struct ConsumerConfig: Sendable, Equatable {
    public var durable: String
    public var filterSubject: String?
    /// An unacknowledged message is redelivered after this long.
    public var ackWait: Duration
    /// -1: unlimited redeliveries.
    public var maxDeliver: Int

    public init(durable: String, filterSubject: String? = nil, ackWait: Duration = .seconds(30), maxDeliver: Int = -1) {
        self.durable = durable; self.filterSubject = filterSubject; self.ackWait = ackWait; self.maxDeliver = maxDeliver
    }
}

/// A message fetched from a pull consumer. Must be acknowledged (`ack`), or it is redelivered
/// after the consumer's ack wait. Owns the `natsMsg*`.
public final class JetStreamMessage: @unchecked Sendable {
    let pointer: OpaquePointer
    /// cnats acks through the message's subscription: keep it (and the connection) alive.
    let consumer: PullConsumer
    public let message: NatsMessage
    /// Position in the stream.
    public let streamSequence: UInt64
    /// 1 on first delivery, 2+ on redelivery.
    public let deliveryCount: UInt64

    init(taking msg: OpaquePointer, consumer: PullConsumer) {
        pointer = msg
        self.consumer = consumer
        message = NatsMessage(copying: msg)
        var meta: UnsafeMutablePointer<jsMsgMetaData>?
        if natsMsg_GetMetaData(&meta, msg) == NATS_OK, let meta {
            streamSequence = meta.pointee.Sequence.Stream
            deliveryCount = meta.pointee.NumDelivered
            jsMsgMetaData_Destroy(meta)
        } else {
            streamSequence = 0; deliveryCount = 0
        }
    }

    deinit { mpc_nats_msg_release(pointer) }

    /// Acknowledges and waits for the server to confirm.
    public func ack() async throws(MessagingError) {
        let h = SendableHandle(pointer)
        try await Blocking.run { () throws(MessagingError) in
            var err = jsErrCode(0)
            let s = natsMsg_AckSync(h.pointer, nil, &err)
            if s != NATS_OK { throw NatsStatus.jsError(s, err, "ack") }
        }
        withExtendedLifetime(self) {}
    }

    /// Asks for redelivery now.
    public func nak() throws(MessagingError) { try NatsStatus.check(natsMsg_Nak(pointer, nil), "nak") }

    /// Never redeliver (poison message).
    public func term() throws(MessagingError) { try NatsStatus.check(natsMsg_Term(pointer, nil), "term") }
}

/// A durable pull consumer bound to a stream. The consumer lives on the server (created if
/// missing); destroying this object only drops the local subscription.
public final class PullConsumer: @unchecked Sendable {
    let sub: OpaquePointer
    public let jetStream: JetStream
    public let stream: String
    public let config: ConsumerConfig

    init(sub: OpaquePointer, jetStream: JetStream, stream: String, config: ConsumerConfig) {
        self.sub = sub; self.jetStream = jetStream; self.stream = stream; self.config = config
    }

    deinit { natsSubscription_Destroy(sub) }

    /// Up to `batch` messages, waiting at most `timeout`; empty when none are available.
    public func fetch(batch: Int, timeout: Duration) async throws(MessagingError) -> [JetStreamMessage] {
        guard batch > 0 else { throw .invalidArgument("batch must be positive") }
        let h = SendableHandle(sub)
        let ms = max(timeout.milliseconds, 1)
        let pointers = try await Blocking.run { () throws(MessagingError) -> [SendableHandle] in
            var list = natsMsgList()
            var err = jsErrCode(0)
            let s = natsSubscription_Fetch(&list, h.pointer, Int32(clamping: batch), ms, &err)
            // Take whatever the list holds whatever the status, so nothing leaks unacknowledged.
            var out: [SendableHandle] = []
            if let msgs = list.Msgs {
                for i in 0..<Int(max(list.Count, 0)) {
                    if let m = msgs[i] {
                        out.append(SendableHandle(m))
                        msgs[i] = nil // ownership moved; natsMsgList_Destroy skips NULLs
                    }
                }
            }
            natsMsgList_Destroy(&list)
            if s == NATS_OK || s == NATS_TIMEOUT { return out }
            out.forEach { mpc_nats_msg_release($0.pointer) }
            throw NatsStatus.jsError(s, err, "fetch")
        }
        return pointers.map { JetStreamMessage(taking: $0.pointer, consumer: self) }
    }
}

extension JetStream {
    /// Creates (or binds to) the durable pull consumer `config.durable` on `stream`.
    public func pullConsumer(stream: String, _ config: ConsumerConfig) async throws(MessagingError) -> PullConsumer {
        let streamName = try CString.validated(stream, what: "stream name")
        let durable = try CString.validated(config.durable, what: "durable name")
        let filter = try config.filterSubject.map { (f) throws(MessagingError) in try CString.validated(f, what: "filter subject") }
        let h = SendableHandle(handle)
        let sub = try await Blocking.run { () throws(MessagingError) -> SendableHandle in
            // 1. Make sure the durable exists with our settings (the library then never owns or
            //    deletes it).
            let (s1, e1): (natsStatus, jsErrCode) = durable.withCString { cDurable in
                withOptionalCString(filter) { cFilter in
                    var cc = jsConsumerConfig()
                    _ = jsConsumerConfig_Init(&cc)
                    cc.Durable = cDurable
                    cc.AckPolicy = js_AckExplicit
                    cc.AckWait = config.ackWait.nanoseconds
                    cc.MaxDeliver = Int64(config.maxDeliver)
                    cc.FilterSubject = cFilter
                    var err = jsErrCode(0)
                    var ci: UnsafeMutablePointer<jsConsumerInfo>?
                    var s = js_AddConsumer(&ci, h.pointer, streamName, &cc, nil, &err)
                    if ci != nil { jsConsumerInfo_Destroy(ci); ci = nil }
                    if s != NATS_OK && (err == JSConsumerNameExistErr || err == JSConsumerExistingActiveErr) {
                        err = jsErrCode(0)
                        s = js_UpdateConsumer(&ci, h.pointer, streamName, &cc, nil, &err)
                        if ci != nil { jsConsumerInfo_Destroy(ci) }
                    }
                    return (s, err)
                }
            }
            if s1 != NATS_OK { throw NatsStatus.jsError(s1, e1, "addConsumer \(config.durable)") }
            // 2. Bind a pull subscription to it.
            var sub: OpaquePointer?
            let (s2, e2): (natsStatus, jsErrCode) = streamName.withCString { cStream in
                durable.withCString { cDurable in
                    var so = jsSubOptions()
                    _ = jsSubOptions_Init(&so)
                    so.Stream = cStream
                    so.Consumer = cDurable
                    so.ManualAck = true
                    var err = jsErrCode(0)
                    let s = js_PullSubscribe(&sub, h.pointer, filter ?? "", cDurable, nil, &so, &err)
                    return (s, err)
                }
            }
            guard s2 == NATS_OK, let sub else { throw NatsStatus.jsError(s2, e2, "pullSubscribe \(config.durable)") }
            return SendableHandle(sub)
        }
        return PullConsumer(sub: sub.pointer, jetStream: self, stream: stream, config: config)
    }
}
