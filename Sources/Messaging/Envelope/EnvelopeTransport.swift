import Protocols

/// Verified envelopes arriving on a subject. Each message goes through the verifier; rejected ones
/// are counted there (per reason) and handed to `onRejection`, then skipped: the consumer only
/// ever sees `VerifiedEnvelope`s. The buffer is the underlying subscription's (bounded, overflow
/// reported as `.slowConsumer`).
public struct EnvelopeSubscription: AsyncSequence, Sendable {
    public typealias Element = VerifiedEnvelope
    public let messages: NatsSubscription
    let verifier: EnvelopeVerifier
    let onRejection: (@Sendable (EnvelopeRejection, NatsMessage) -> Void)?

    public var droppedCount: Int { messages.droppedCount }
    public func unsubscribe() { messages.unsubscribe() }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: NatsSubscription.AsyncIterator
        let verifier: EnvelopeVerifier
        let onRejection: (@Sendable (EnvelopeRejection, NatsMessage) -> Void)?

        public mutating func next() async -> VerifiedEnvelope? {
            while let m = await base.next() {
                switch await verifier.verify(m.data) {
                case let .success(v): return v
                case let .failure(r): onRejection?(r, m)
                }
            }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: messages.makeAsyncIterator(), verifier: verifier, onRejection: onRejection)
    }
}

extension NatsConnection {
    public func subscribeEnvelopes(subject: String, queue: String? = nil, verifier: EnvelopeVerifier, bufferSize: Int = 1024,
                                   onRejection: (@Sendable (EnvelopeRejection, NatsMessage) -> Void)? = nil) throws(MessagingError) -> EnvelopeSubscription {
        EnvelopeSubscription(messages: try subscribe(subject: subject, queue: queue, bufferSize: bufferSize),
                             verifier: verifier, onRejection: onRejection)
    }

    public func publish(_ envelope: SignedEnvelope, subject: String) throws(MessagingError) {
        let bytes: [UInt8]
        do { bytes = try envelope.encoded() } catch { throw .invalidArgument("envelope: \(error.code)") }
        try publish(subject: subject, payload: bytes)
    }
}

extension JetStream {
    /// Durable publish of an envelope; the message id is sender + nonce, so a retried publish of
    /// the same envelope is stored once.
    public func publishDurable(_ envelope: SignedEnvelope, subject: String) async throws(MessagingError) -> PubAck {
        let bytes: [UInt8]
        do { bytes = try envelope.encoded() } catch { throw .invalidArgument("envelope: \(error.code)") }
        return try await publishDurable(subject: subject, payload: bytes,
                                        msgId: "\(envelope.envelope.sender)-\(Hex.encode(envelope.envelope.nonce))")
    }
}
