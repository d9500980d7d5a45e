import Foundation
import Messaging
import Protocols

/// A client of a cluster: signs requests with its identity, sends them to the coordinator and checks the
/// coordinator's signed answer (and, for signatures, the signature itself against the wallet key).
public struct ClusterClient: Sendable {
    public let manifest: ClusterManifest
    public let identity: Identity
    public let connection: NatsConnection
    let verifier: EnvelopeVerifier

    public init(manifest: ClusterManifest, identity: Identity, connection: NatsConnection) {
        self.manifest = manifest; self.identity = identity; self.connection = connection
        verifier = EnvelopeVerifier(localId: identity.id, keys: StaticKeyDirectory([manifest.coordinator]),
                                    replay: NoReplayGuard(), now: EnvelopeVerifier.systemClock)
    }

    /// Opens `dir`'s manifest and client identity (NATS_URL overrides the manifest's URL).
    public static func open(dir: String, identityFile: String? = nil) async throws(ClusterError) -> ClusterClient {
        let layout = ClusterLayout(dir: dir)
        let manifest = try ClusterManifest.load(path: layout.manifest)
        let identity: Identity
        do { identity = try Identity.load(from: identityFile ?? layout.clientIdentity) }
        catch { throw ClusterError("config_invalid", "client identity: \(error.code)") }
        let url = ProcessInfo.processInfo.environment["NATS_URL"] ?? manifest.natsURL
        do {
            let c = try await NatsConnection.connect(NatsOptions(servers: [url], name: identity.id, maxReconnect: 5))
            return ClusterClient(manifest: manifest, identity: identity, connection: c)
        } catch { throw ClusterError("transport_error", "cannot connect to \(url)") }
    }

    /// A signed request; its session id is the request id.
    public func makeRequest(_ type: MessageType, payload: [UInt8], requestId: SessionID? = nil,
                            ttlMillis: UInt64 = 120_000) throws(ClusterError) -> (SessionID, [UInt8]) {
        var rng = SystemRandom()
        let id = requestId ?? SessionID.random(using: &rng)
        guard let env = identity.envelope(type, session: id, to: .party(manifest.coordinator.id), payload: payload, ttlMillis: ttlMillis),
              let bytes = try? env.encoded() else { throw ClusterError("internal_error", "cannot sign the request") }
        return (id, bytes)
    }

    /// Sends request bytes and returns the coordinator's verified answer (errors included, as a body with a code).
    public func send(subject: String, bytes: [UInt8], timeout: Duration = .seconds(120)) async throws(ClusterError) -> ClientResultBody {
        let reply: NatsMessage
        do { reply = try await connection.request(subject: subject, payload: bytes, timeout: timeout) }
        catch {
            switch error {
            case .noResponders: throw ClusterError("coordinator_unavailable", "no coordinator is listening")
            default: throw ClusterError("timeout", "no answer from the coordinator: \(error)")
            }
        }
        switch await verifier.verify(reply.data) {
        case .failure(let r): throw ClusterError("bad_result", "coordinator answer refused: \(r.description)")
        case .success(let v):
            guard v.envelope.sender == manifest.coordinator.id else { throw ClusterError("bad_result", "answer not from the coordinator") }
            return try WireJSON.decode(ClientResultBody.self, v.envelope.payload)
        }
    }

    public func keygen(walletId: String, curve: Curve) async throws(ClusterError) -> ClientResultBody {
        let (_, bytes) = try makeRequest(.keygenRequest, payload: WireJSON.encode(KeygenRequestBody(walletId: walletId, curve: curve)))
        return try await send(subject: Subjects.keygenRequest, bytes: bytes)
    }

    public func sign(walletId: String, digest: [UInt8], signers: [String]? = nil) async throws(ClusterError) -> ClientResultBody {
        let body = SignRequestBody(walletId: walletId, digest: Hex.encode(digest), signers: signers)
        let (_, bytes) = try makeRequest(.signRequest, payload: WireJSON.encode(body))
        let r = try await send(subject: Subjects.signRequest, bytes: bytes)
        try Self.checkSignature(r, digest: digest)
        return r
    }

    /// A successful answer's signature must verify under its public key.
    public static func checkSignature(_ r: ClientResultBody, digest: [UInt8]) throws(ClusterError) {
        guard r.ok else { return }
        guard let curve = r.curve, let pk = r.publicKey.flatMap(Hex.decode), let sig = r.signature.flatMap(Hex.decode),
              SignatureCheck.verify(curve: curve, publicKey: pk, message: digest, signature: sig) else {
            throw ClusterError("bad_signature", "the returned signature does not verify")
        }
    }

    public func pubkey(walletId: String) async throws(ClusterError) -> ClientResultBody {
        try await send(subject: ClusterSubjects.pubkeyRequest, bytes: Array(walletId.utf8), timeout: .seconds(10))
    }

    public func status() async throws(ClusterError) -> ClientResultBody {
        try await send(subject: ClusterSubjects.statusRequest, bytes: [], timeout: .seconds(10))
    }
}
