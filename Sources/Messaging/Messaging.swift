// Module Messaging: the transport layer (NATS through cnats) and the signed/encrypted envelope.
//
// Transport (Nats/)
//   NatsConnection   connect(options) / events() / publish / flush / request / subscribe / drain / close.
//                    A final class owning natsConnection*; cnats connections are thread-safe.
//   NatsSubscription AsyncSequence of NatsMessage with a bounded buffer. Overflow drops the newest
//                    messages and is reported (droppedCount, ConnectionEvent.slowConsumer); cancelling
//                    the consuming task unsubscribes. One consumer per subscription.
//   JetStream        ensureStream, publishDurable (PubAck with duplicate flag, Nats-Msg-Id dedup),
//                    pullConsumer (durable, explicit ack, redelivery after ackWait).
//   KeyValueStore    put/create/update(CAS)/get/delete/keys/watch, bucket TTL (heartbeats).
//   Blocking cnats calls run on their own threads, never on the cooperative pool.
//
// Envelope (Envelope/)
//   Envelope / SignedEnvelope / EnvelopeCodec   canonical v1 wire format (see EnvelopeCodec.swift).
//   EnvelopeVerifier  actor: size, version, structure, sender, signature, recipient, validity window,
//                     replay. Returns Result<VerifiedEnvelope, EnvelopeRejection>; counts per reason.
//   EnvelopeSubscription  a subscription that yields only verified envelopes.
//   Subjects          mpc.* subject names.
//
// Crypto (Crypto/)
//   Identity          Ed25519 signing key + X25519 agreement key from one 32-byte seed; JSON file.
//   PairwiseCipher    X25519 + BLAKE2b per-direction keys + XChaCha20-Poly1305, AD binds session,
//                     sender, recipient and message type.
