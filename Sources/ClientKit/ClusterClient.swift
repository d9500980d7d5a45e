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
            return try WireBody.decode(ClientResultBody.self, v.envelope.payload)
        }
    }

    public func keygen(walletId: String, curve: Curve) async throws(ClusterError) -> ClientResultBody {
        let (_, bytes) = try makeRequest(.keygenRequest, payload: WireBody.encode(KeygenRequestBody(walletId: walletId, curve: curve)))
        return try await send(subject: Subjects.keygenRequest, bytes: bytes)
    }

    public func sign(walletId: String, digest: [UInt8], signers: [String]? = nil) async throws(ClusterError) -> ClientResultBody {
        let body = SignRequestBody(walletId: walletId, digest: Hex.encode(digest), signers: signers)
        let (_, bytes) = try makeRequest(.signRequest, payload: WireBody.encode(body))
        let r = try await send(subject: Subjects.signRequest, bytes: bytes)
        // The signature and each signer's envelope (one Ed25519 verification each) are checked on both cores.
        let manifest = self.manifest
        // Each task gives the evidence envelope's sender (nil for the signature check) or the refusal.
        let checked = await withTaskGroup(of: Result<String?, ClusterError>.self) { group in
            for h in r.evidence ?? [] {
                group.addTask { do throws(ClusterError) { return .success(try Self.checkEvidenceEnvelope(h, signers: r.signers ?? [], manifest: manifest)) } catch { return .failure(error) } }
            }
            group.addTask { do throws(ClusterError) { try Self.checkSignature(r, digest: digest); return .success(nil) } catch { return .failure(error) } }
            var out: [Result<String?, ClusterError>] = []
            for await c in group { out.append(c) }
            return out
        }
        var senders: [String] = []
        for c in checked {
            switch c {
            case .failure(let e): throw e
            case .success(let sender): if let sender { senders.append(sender) }
            }
        }
        try Self.checkEvidenceCovers(r, senders: senders)
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

    /// Every named signer must have signed its own share envelope with its manifest key.
    public static func checkEvidence(_ r: ClientResultBody, manifest: ClusterManifest) throws(ClusterError) {
        guard r.ok else { return }
        var senders: [String] = []
        for h in r.evidence ?? [] { senders.append(try checkEvidenceEnvelope(h, signers: r.signers ?? [], manifest: manifest)) }
        try checkEvidenceCovers(r, senders: senders)
    }

    /// One evidence entry: a share envelope signed by one of `signers` with its manifest key. Returns its sender.
    static func checkEvidenceEnvelope(_ h: String, signers: [String], manifest: ClusterManifest) throws(ClusterError) -> String {
        guard let bytes = Hex.decode(h), let s = try? EnvelopeCodec.decode(bytes), let key = manifest.node(s.envelope.sender)?.signingKey,
              let message = try? EnvelopeCodec.signingMessage(s.envelope),
              Identity.verify(signature: s.signature, message: message, publicKey: key),
              s.envelope.type == .partialSignature, signers.contains(s.envelope.sender) else {
            throw ClusterError("bad_evidence", "a signer's share envelope does not verify")
        }
        return s.envelope.sender
    }

    /// The checked evidence envelopes' `senders` are exactly the signers (one envelope each).
    static func checkEvidenceCovers(_ r: ClientResultBody, senders: [String]) throws(ClusterError) {
        guard r.ok else { return }
        let signers = r.signers ?? []
        guard Set(senders) == Set(signers), !signers.isEmpty else { throw ClusterError("bad_evidence", "missing share envelopes for some signers") }
    }

    public func pubkey(walletId: String) async throws(ClusterError) -> ClientResultBody {
        try await send(subject: ClusterSubjects.pubkeyRequest, bytes: Array(walletId.utf8), timeout: .seconds(10))
    }

    public func status() async throws(ClusterError) -> ClientResultBody {
        try await send(subject: ClusterSubjects.statusRequest, bytes: [], timeout: .seconds(10))
    }
}

extension ClusterClient {
    /// The coordinator's result for `requestId` from the durable results stream (for a client that lost the
    /// reply, e.g. after a reconnect). Nil if the stream holds none yet.
    /// Uses a fresh pull consumer each call (the server keeps it; a housekeeping TTL is future work).
    public func durableResult(requestId: String, timeout: Duration = .seconds(2)) async throws(ClusterError) -> ClientResultBody? {
        var rng = SystemRandom()
        let messages: [JetStreamMessage]
        do {
            let js = try JetStream(connection: connection)
            let consumer = try await js.pullConsumer(stream: ClusterSubjects.resultStream,
                                                     ConsumerConfig(durable: "fetch-" + Hex.encode(rng.bytes(8)),
                                                                    filterSubject: ClusterSubjects.result(requestId)))
            messages = try await consumer.fetch(batch: 1, timeout: timeout)
        } catch {
            if case .timeout = error { return nil }
            throw ClusterError("transport_error", "results stream: \(error)")
        }
        guard let m = messages.first else { return nil }
        try? await m.ack()
        switch await verifier.verify(m.message.data) {
        case .failure(let r): throw ClusterError("bad_result", "stored result refused: \(r.description)")
        case .success(let v):
            guard v.envelope.sender == manifest.coordinator.id else { throw ClusterError("bad_result", "stored result not from the coordinator") }
            let body = try WireBody.decode(ClientResultBody.self, v.envelope.payload)
            guard body.requestId == requestId else { throw ClusterError("bad_result", "stored result for another request") }
            return body
        }
    }
}
