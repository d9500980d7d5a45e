import ClientKit
import Foundation
import Messaging
import Protocols

/// What the coordinator's actors share; immutable after start.
public struct CoordinatorContext: Sendable {
    public let config: CoordinatorConfig
    public let identity: Identity
    public let manifest: ClusterManifest
    public let connection: NatsConnection
    public let jetStream: JetStream
    /// Node replies and keygen results (replay cache in memory: node envelopes live seconds).
    public let nodeVerifier: EnvelopeVerifier
    /// Client requests.
    public let clientVerifier: EnvelopeVerifier
    public let log = Log("coordinator")
    var timeout: Duration { .seconds(config.sessionTimeoutSeconds) }

    public init(config: CoordinatorConfig, identity: Identity, manifest: ClusterManifest, connection: NatsConnection,
                jetStream: JetStream, clientReplay: any ReplayGuard) {
        self.config = config; self.identity = identity; self.manifest = manifest; self.connection = connection
        self.jetStream = jetStream
        nodeVerifier = EnvelopeVerifier(localId: identity.id, keys: StaticKeyDirectory(manifest.nodes), replay: InMemoryReplayGuard(),
                                        now: EnvelopeVerifier.systemClock)
        clientVerifier = EnvelopeVerifier(localId: identity.id,
                                          keys: DictionaryKeyDirectory(AuthorizedClients.directory(manifest, extra: config.eventInitiatorPubkeys)),
                                          replay: clientReplay, now: EnvelopeVerifier.systemClock)
    }

    /// Sends a signed envelope to one node as a NATS request and returns its verified reply's data.
    func ask(_ node: String, subject: String, type: MessageType, session: SessionID, payload: [UInt8],
             timeout: Duration) async -> Result<[UInt8], ClusterError> {
        await askSigned(node, subject: subject, type: type, session: session, payload: payload, timeout: timeout).map(\.data)
    }

    /// As `ask`, also returning the node's signed reply envelope (evidence of who answered what).
    func askSigned(_ node: String, subject: String, type: MessageType, session: SessionID, payload: [UInt8],
                   timeout: Duration) async -> Result<(data: [UInt8], envelope: [UInt8]), ClusterError> {
        guard let env = identity.envelope(type, session: session, to: .party(node), payload: payload),
              let bytes = try? env.encoded() else { return .failure(ClusterError("internal_error", "cannot sign")) }
        let reply: NatsMessage
        do { reply = try await connection.request(subject: subject, payload: bytes, timeout: timeout) }
        catch { return .failure(ClusterError("node_unavailable", "\(node): \(error)")) }
        switch await nodeVerifier.verify(reply.data) {
        case .failure(let r): return .failure(ClusterError("node_misbehaved", "\(node) reply refused: \(r.code)"))
        case .success(let v):
            guard v.envelope.sender == node else { return .failure(ClusterError("node_misbehaved", "\(node): reply from \(v.envelope.sender)")) }
            guard let body = try? WireJSON.decode(NodeReplyBody.self, v.envelope.payload) else {
                return .failure(ClusterError("node_misbehaved", "\(node): malformed reply"))
            }
            if let code = body.code { return .failure(ClusterError(code, "\(node): \(body.message ?? "")")) }
            guard v.envelope.sessionId == session else { return .failure(ClusterError("node_misbehaved", "\(node): wrong session")) }
            return .success(((try? WireJSON.hex(body.data ?? "", "data")) ?? [], reply.data))
        }
    }

    /// Nodes answering a health request within a second.
    func healthyNodes() async -> Set<String> {
        await withTaskGroup(of: String?.self) { group in
            for n in manifest.nodes {
                group.addTask {
                    (try? await connection.request(subject: ClusterSubjects.health(n.id), payload: [], timeout: .seconds(1))) != nil ? n.id : nil
                }
            }
            var out = Set<String>()
            for await r in group { if let r { out.insert(r) } }
            return out
        }
    }

    func signedResult(_ body: ClientResultBody, requestSession: SessionID, client: String) -> [UInt8]? {
        let type: MessageType = body.ok ? .result : .error
        return try? identity.envelope(type, session: requestSession, to: .party(client), payload: WireJSON.encode(body),
                                      ttlMillis: 3_600_000)?.encoded()
    }
}
