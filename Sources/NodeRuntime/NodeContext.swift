import ClientKit
import Foundation
import Messaging
import Protocols
import Storage

/// Everything a node's actors share; immutable after start.
public struct NodeContext: Sendable {
    public let config: NodeConfig
    public let identity: Identity
    public let manifest: ClusterManifest
    public let store: NodeStore
    /// Envelopes seen (sender, nonce): page-cache writes with a durable boot fence (`ReplayCache`).
    public let replayCache: ReplayCache
    public let connection: NatsConnection
    /// Envelopes from nodes and the coordinator; replay cache `replayCache` (survives restarts, see CLUSTER.md).
    public let verifier: EnvelopeVerifier
    /// The client's request embedded in a plan (its nonce was replay-checked by the coordinator and the
    /// plan itself is replay-checked here).
    public let clientVerifier: EnvelopeVerifier
    public let ciphers: [String: PairwiseCipher]
    public let log: Log

    public init(config: NodeConfig, identity: Identity, manifest: ClusterManifest, store: NodeStore, replayCache: ReplayCache,
                connection: NatsConnection) throws(ClusterError) {
        self.config = config; self.identity = identity; self.manifest = manifest; self.store = store
        self.replayCache = replayCache; self.connection = connection
        log = Log(config.nodeId)
        var peers = manifest.nodes
        peers.append(manifest.coordinator)
        let replay = TimestampedReplayGuard { await replayCache.recordFirstUse(sender: $0, nonce: $1, timestamp: $2, expiresAt: $3) }
        verifier = EnvelopeVerifier(localId: identity.id, keys: StaticKeyDirectory(peers), replay: replay,
                                    now: EnvelopeVerifier.systemClock)
        // The embedded request is addressed to the coordinator: check it as the coordinator would.
        clientVerifier = EnvelopeVerifier(localId: manifest.coordinator.id,
                                          keys: DictionaryKeyDirectory(AuthorizedClients.directory(manifest, extra: config.eventInitiatorPubkeys)),
                                          replay: NoReplayGuard(), now: EnvelopeVerifier.systemClock)
        var c: [String: PairwiseCipher] = [:]
        for peer in manifest.nodes where peer.id != identity.id {
            do { c[peer.id] = try PairwiseCipher(local: identity, peer: peer) }
            catch { throw ClusterError("config_invalid", "manifest: node \(peer.id) has an invalid agreement key") }
        }
        ciphers = c
    }

    /// Signs and publishes; a failure is logged with its code (the session's timeout handles the rest).
    func publish(_ type: MessageType, session: SessionID, to recipient: Recipient = .broadcast, payload: [UInt8], subject: String) {
        guard let env = identity.envelope(type, session: session, to: recipient, payload: payload) else {
            log.error("cannot sign envelope", session: session.hex); return
        }
        do { try connection.publish(env, subject: subject) }
        catch { log.error("publish \(subject) failed: \(error)", session: session.hex) }
    }

    /// The envelope of `m` if it verifies (known sender, signature, expiry, not replayed). Otherwise the refusal
    /// is logged and answered with its code, so the coordinator learns why at once instead of timing out.
    func verifiedOrRefused(_ m: NatsMessage, what: String) async -> VerifiedEnvelope? {
        switch await verifier.verify(m.data) {
        case .success(let v): return v
        case .failure(let r):
            log.warn("\(what) refused: \(r.code)")
            // The envelope could not be trusted, so neither can its session id: answer under a zero session.
            if let zero = SessionID(bytes: [UInt8](repeating: 0, count: 16)) {
                reply(to: m, session: zero, body: NodeReplyBody(code: r.code, message: "envelope refused"))
            }
            return nil
        }
    }

    /// A signed reply envelope for a NATS request.
    func reply(to message: NatsMessage, session: SessionID, body: NodeReplyBody) {
        guard let reply = message.reply else { return }
        let type: MessageType = body.code == nil ? .partialSignature : .error
        guard let env = identity.envelope(type, session: session, to: .party(manifest.coordinator.id), payload: WireBody.encode(body)),
              let bytes = try? env.encoded() else { return }
        do { try connection.publish(subject: reply, payload: bytes) }
        catch { log.error("reply failed: \(error)", session: session.hex) }
    }
}

/// What a node remembers about a wallet (sealed in the store's wallets table).
public struct WalletRecord: Codable, Sendable {
    public var curve: Curve
    public var publicKeyPackage: String
    public var groupPublicKey: String
    /// The current share generation (nil = 0, never reshared), and the threshold and holders a resharing set
    /// (nil = the manifest's). A node signs only with the share of exactly this generation.
    public var generation: UInt64? = nil
    public var threshold: Int? = nil
    public var members: [String]? = nil
}
