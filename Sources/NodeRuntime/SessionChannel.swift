import ClientKit
import Foundation
import Messaging
import Protocols

/// A node's view of one multi-party session's subjects: the broadcast subject and its own point-to-point
/// subject, verified envelopes in, signed (and for secrets, pairwise-sealed) envelopes out. Used by the
/// session runners (DKG, resharing); payloads start with a one-byte tag.
struct SessionChannel: Sendable {
    let ctx: NodeContext
    let session: SessionID
    /// node id <-> participant id for the session's participants (every peer message must come from one).
    let ids: [String: ParticipantID]

    /// What a session payload is: the coordinator's start (tag 0) or abort (tag 3), something to ignore
    /// (another coordinator payload, our own, or a node that is not a participant: logged), or a
    /// participant's message (`tag`, `body`).
    enum Incoming {
        case start, abort, ignored
        case peer(tag: UInt8, body: [UInt8], from: ParticipantID, sender: String)
    }

    func classify(_ v: VerifiedEnvelope) -> Incoming {
        guard let tag = v.envelope.payload.first else { return .ignored }
        let sender = v.envelope.sender
        if sender == ctx.manifest.coordinator.id { return tag == 0 ? .start : tag == 3 ? .abort : .ignored }
        guard sender != ctx.identity.id else { return .ignored }
        guard let from = ids[sender] else {
            ctx.log.warn("session message from non-participant \(sender)", session: session.hex)
            return .ignored
        }
        return .peer(tag: tag, body: Array(v.envelope.payload.dropFirst()), from: from, sender: sender)
    }

    /// Subscribes to both subjects and feeds every verified envelope of this session to `handle`; after the
    /// configured session timeout, calls `onTimeout` with a code and a message (the runner fails unless it is done).
    func subscribe(_ handle: @escaping @Sendable (VerifiedEnvelope) async -> Void,
                   onTimeout: @escaping @Sendable (String, String) async -> Void) throws(ClusterError) -> [EnvelopeSubscription] {
        let log = ctx.log, s = session.hex
        let onRejection: @Sendable (EnvelopeRejection, NatsMessage) -> Void = { r, _ in log.warn("envelope refused: \(r.code)", session: s) }
        let subs: [EnvelopeSubscription]
        do {
            subs = [
                try ctx.connection.subscribeEnvelopes(subject: Subjects.sessionBroadcast(session), verifier: ctx.verifier, onRejection: onRejection),
                try ctx.connection.subscribeEnvelopes(subject: Subjects.sessionDirect(session, to: ctx.identity.id), verifier: ctx.verifier,
                                                      onRejection: onRejection),
            ]
        } catch { throw ClusterError("transport_error", "subscribe: \(error)") }
        let session = self.session
        for sub in subs {
            Task { for await e in sub where e.envelope.sessionId == session && e.envelope.type == .roundMessage { await handle(e) } }
        }
        let timeout = ctx.config.sessionTimeoutSeconds
        Task {
            try? await Task.sleep(for: .seconds(timeout))
            await onTimeout("session_timeout", "no result after \(timeout) s")
        }
        return subs
    }

    func broadcast(tag: UInt8, _ body: [UInt8]) {
        ctx.publish(.roundMessage, session: session, payload: [tag] + body, subject: Subjects.sessionBroadcast(session))
    }

    /// Seals `plain` for `node` with the pair's cipher and sends it on the node's direct subject.
    func sendSealed(tag: UInt8, _ plain: [UInt8], to node: String) {
        guard let cipher = ctx.ciphers[node] else { ctx.log.warn("no cipher for \(node)", session: session.hex); return }
        var rng = SystemRandom()
        let sealed = cipher.seal(plain, sessionId: session, type: .roundMessage, using: &rng)
        ctx.publish(.roundMessage, session: session, to: .party(node), payload: [tag] + sealed, subject: Subjects.sessionDirect(session, to: node))
    }

    /// Seals each secret package for its participant's node and sends it.
    func sendEach<C: FROSTCiphersuite>(tag: UInt8, _ packages: [ParticipantID: DKGRound2Package<C>]) {
        for (pid, pkg) in packages {
            guard let node = ids.first(where: { $0.value == pid })?.key else { continue }
            var plain = pkg.serialized()
            sendSealed(tag: tag, plain, to: node)
            zeroize(&plain)
        }
    }

    /// Opens a sealed point-to-point payload from `sender` (nil, logged, if it was not addressed to us or does not open).
    func openSealed(_ v: VerifiedEnvelope, _ body: [UInt8]) -> [UInt8]? {
        let sender = v.envelope.sender
        guard case .party = v.envelope.recipient, let cipher = ctx.ciphers[sender] else { return nil }
        do { return try cipher.open(body, sessionId: session, type: .roundMessage) }
        catch { ctx.log.warn("p2p from \(sender): \(error.code)", session: session.hex); return nil }
    }
}
