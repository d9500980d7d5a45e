import ClientKit
import Foundation
import Messaging

/// Why one signing attempt failed: nodes that did not answer and nodes proven to have cheated.
struct AttemptFailure: Error {
    var error: ClusterError
    var unavailable: [String] = []
    var culprits: [String] = []
    /// Nodes that did answer (they hold a signing session the attempt will not use).
    var answered: [String] = []
    /// The error code each failing node answered with.
    var codes: [String: String] = [:]
    /// Preprocessed commitments the answering nodes sent (hex), so that a failed attempt does not waste them.
    var answeredCommitments: [String: [String]] = [:]
}

/// Concurrent requests to a set of nodes.
enum AskNodes {
    /// Requests on their way: `send` has published them; `collect` gathers the answers.
    struct InFlight {
        let nodes: [String]
        let session: SessionID
        let arrivals: AsyncStream<(Int, Result<NatsMessage, MessagingError>)>
    }

    /// Asks every node concurrently; any node that does not answer fails the attempt (and is named).
    /// `addressedToAll`: one envelope signed once for all of them (recipient "broadcast"; the payload names
    /// the participants, and each node checks it is one); otherwise one envelope per node.
    static func all(_ ctx: CoordinatorContext, _ nodes: [String], subject: @escaping @Sendable (String) -> String, type: MessageType,
                    session: SessionID, payload: [UInt8], addressedToAll: Bool = false,
                    timeout: Duration = .seconds(5)) async -> Result<[String: NodeAnswer], AttemptFailure> {
        switch send(ctx, nodes, subject: subject, type: type, session: session, payload: payload, addressedToAll: addressedToAll, timeout: timeout) {
        case .failure(let f): return .failure(f)
        case .success(let inFlight): return await collect(ctx, inFlight)
        }
    }

    /// Signs and publishes the requests (every envelope first, then all published back to back); the caller may
    /// work while the nodes do, then `collect`.
    static func send(_ ctx: CoordinatorContext, _ nodes: [String], subject: @escaping @Sendable (String) -> String, type: MessageType,
                     session: SessionID, payload: [UInt8], addressedToAll: Bool = false,
                     timeout: Duration = .seconds(5)) -> Result<InFlight, AttemptFailure> {
        var envelopes: [[UInt8]] = []
        for recipient in addressedToAll ? [Recipient.broadcast] : nodes.map({ Recipient.party($0) }) {
            switch ctx.signedEnvelope(type, session: session, to: recipient, payload: payload) {
            case .failure(let e): return .failure(AttemptFailure(error: e))
            case .success(let bytes): envelopes.append(bytes)
            }
        }
        if addressedToAll, let once = envelopes.first { envelopes = Array(repeating: once, count: nodes.count) }
        let arrivals = ctx.connection.requestEach(nodes.indices.map { (subject(nodes[$0]), envelopes[$0]) }, timeout: timeout)
        return .success(InFlight(nodes: nodes, session: session, arrivals: arrivals))
    }

    /// Each answer checked as it arrives, in this task: a task per answer would cost a thread wake-up each,
    /// more than the check it would move to the other core (and under load every core is busy anyway).
    static func collect(_ ctx: CoordinatorContext, _ inFlight: InFlight) async -> Result<[String: NodeAnswer], AttemptFailure> {
        var replies: [(String, Result<NodeAnswer, ClusterError>)] = []
        for await (i, reply) in inFlight.arrivals {
            let node = inFlight.nodes[i]
            replies.append((node, await ctx.answer(from: node, reply, session: inFlight.session)))
        }
        var ok: [String: NodeAnswer] = [:]
        var failure = AttemptFailure(error: ClusterError("internal_error", "unreachable"))
        var firstError: ClusterError?
        for (n, r) in replies {
            switch r {
            case .success(let b): ok[n] = b
            case .failure(let e):
                if e.code == "node_misbehaved" { failure.culprits.append(n) } else { failure.unavailable.append(n) }
                failure.codes[n] = e.code
                firstError = firstError ?? e
            }
        }
        if let e = firstError {
            failure.error = e
            failure.answered = ok.keys.sorted()
            failure.answeredCommitments = ok.mapValues(\.commitments)
            return .failure(failure)
        }
        return .success(ok)
    }
}
