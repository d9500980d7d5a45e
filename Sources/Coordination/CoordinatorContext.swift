import ClientKit
import Discovery
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
    /// Client requests (replay cache in the coordinator's LMDB store: survives restarts).
    public let clientVerifier: EnvelopeVerifier
    /// Where healthy nodes come from (nodes register and heartbeat; see `healthyNodes`).
    public let discovery: any Discovery
    /// "nats" or "consul", for `mpc status`.
    public let discoveryName: String
    public let log = Log("coordinator")
    var timeout: Duration { .seconds(config.sessionTimeoutSeconds) }

    public init(config: CoordinatorConfig, identity: Identity, manifest: ClusterManifest, connection: NatsConnection,
                jetStream: JetStream, clientReplay: any ReplayGuard, discovery: any Discovery, discoveryName: String) {
        self.config = config; self.identity = identity; self.manifest = manifest; self.connection = connection
        self.jetStream = jetStream; self.discovery = discovery; self.discoveryName = discoveryName
        signSlots = Slots(config.maxConcurrentSigning ?? 64)
        presignPool = ECDSAPool(dataDir: config.dataDir, target: config.presignPoolTarget ?? 4)
        nodeVerifier = EnvelopeVerifier(localId: identity.id, keys: StaticKeyDirectory(manifest.nodes), replay: InMemoryReplayGuard(),
                                        now: EnvelopeVerifier.systemClock)
        clientVerifier = EnvelopeVerifier(localId: identity.id,
                                          keys: DictionaryKeyDirectory(AuthorizedClients.directory(manifest, extra: config.eventInitiatorPubkeys)),
                                          replay: clientReplay, now: EnvelopeVerifier.systemClock)
    }

    /// Sends a signed envelope to one node as a NATS request and returns its verified reply's data.
    func ask(_ node: String, subject: String, type: MessageType, session: SessionID, payload: [UInt8],
             timeout: Duration) async -> Result<[UInt8], ClusterError> {
        await askSigned(node, subject: subject, type: type, session: session, payload: payload, timeout: timeout).map { $0.data }
    }

    /// As `ask`, also returning the node's signed reply envelope (evidence of who answered what) and any
    /// preprocessed commitments it sent.
    func askSigned(_ node: String, subject: String, type: MessageType, session: SessionID, payload: [UInt8],
                   timeout: Duration) async -> Result<NodeAnswer, ClusterError> {
        switch signedEnvelope(type, session: session, to: .party(node), payload: payload) {
        case .failure(let e): return .failure(e)
        case .success(let bytes): return await ask(node, subject: subject, envelope: bytes, session: session, timeout: timeout)
        }
    }

    /// The coordinator's signed envelope, encoded.
    func signedEnvelope(_ type: MessageType, session: SessionID, to recipient: Recipient, payload: [UInt8]) -> Result<[UInt8], ClusterError> {
        guard let env = identity.envelope(type, session: session, to: recipient, payload: payload), let bytes = try? env.encoded() else {
            return .failure(ClusterError("internal_error", "cannot sign"))
        }
        return .success(bytes)
    }

    /// Sends an already signed envelope (e.g. one addressed to several nodes) and verifies the reply.
    func ask(_ node: String, subject: String, envelope bytes: [UInt8], session: SessionID, timeout: Duration) async -> Result<NodeAnswer, ClusterError> {
        let reply: Result<NatsMessage, MessagingError>
        do { reply = .success(try await connection.request(subject: subject, payload: bytes, timeout: timeout)) }
        catch { reply = .failure(error) }
        return await answer(from: node, reply, session: session)
    }

    /// A node's reply to a request, verified: its signed envelope from that node, for `session`, not an error.
    func answer(from node: String, _ reply: Result<NatsMessage, MessagingError>, session: SessionID) async -> Result<NodeAnswer, ClusterError> {
        let message: NatsMessage
        switch reply {
        case .success(let m): message = m
        case .failure(let error): return .failure(ClusterError("node_unavailable", "\(node): \(error)"))
        }
        switch await nodeVerifier.verify(message.data) {
        case .failure(let r): return .failure(ClusterError("node_misbehaved", "\(node) reply refused: \(r.code)"))
        case .success(let v):
            guard v.envelope.sender == node else { return .failure(ClusterError("node_misbehaved", "\(node): reply from \(v.envelope.sender)")) }
            // The session first: an error code is believed only from a reply to this request.
            guard v.envelope.sessionId == session else { return .failure(ClusterError("node_misbehaved", "\(node): wrong session")) }
            guard let body = try? WireBody.decode(NodeReplyBody.self, v.envelope.payload) else {
                return .failure(ClusterError("node_misbehaved", "\(node): malformed reply"))
            }
            if let code = body.code { return .failure(ClusterError(code, "\(node): \(body.message ?? "")")) }
            return .success(NodeAnswer(data: (try? WireBody.hex(body.data ?? "", "data")) ?? [], commitments: body.commitments ?? [],
                                       envelope: message.data))
        }
    }

    /// Joins concurrent health probes (see `healthyNodes`).
    let healthProbe = HealthProbe()
    /// The healthy nodes as NATS discovery's watch pushes them (nil while it is not current; see `LiveMembership`).
    let membership = LiveMembership()
    /// Decoded, validated public key packages by their stored encoding (decoding checks the package's
    /// consistency, a few point operations, on every sign otherwise).
    let packages = PackageCache()
    /// Bounds the signing sessions run at once (`maxConcurrentSigning`).
    let signSlots: Slots
    /// Preprocessed FROST commitments (one-round signing).
    let commitments = CommitmentPool()
    /// Threshold ECDSA presignatures ready to sign with (public parts; the secret parts are in the nodes' stores).
    let presignPool: ECDSAPool

    /// The nodes discovery lists as healthy (registered, heartbeating within their TTL), as of a lookup
    /// started at most 500 ms ago (see `HealthProbe`: under load every sign request would otherwise ask).
    func healthyNodes() async -> Set<String> { await healthView().nodes }

    /// The watch's view restricted to the manifest's nodes, when the watch is current.
    private func watchedNodes() async -> Set<String>? {
        await membership.view.map { $0.intersection(manifest.nodes.map(\.id)) }
    }

    /// As `healthyNodes`, but a view that is not `enough` for the caller is checked against a lookup that
    /// started after this call before it is believed: a remembered view may predate nodes that came back (e.g.
    /// re-registered after a discovery restart), and refusing a request on it would be wrong.
    func healthyNodes(enough: (Set<String>) -> Bool) async -> Set<String> {
        let view = await healthyNodes()
        return enough(view) ? view : await freshHealthyNodes()
    }

    /// For signing: as `healthyNodes`, but a view up to `HealthProbe.maxStale` old is answered at once, so that no
    /// sign request waits for discovery (a KV lookup is several round trips to the server) nor starts a lookup
    /// that competes with it for the CPU: keeping the view fresh is `CoordinatorService`'s keeper loop's job (one
    /// lookup a second). A node that died since is tried once: it fails the attempt at once (no responders) and
    /// the retry excludes it, as with the 500 ms memory.
    /// A view that is not `enough` is checked afresh, as in `healthyNodes(enough:)`.
    func signableNodes(enough: (Set<String>) -> Bool) async -> Set<String> {
        let ctx = self
        let view: Set<String>
        if let watched = await watchedNodes() { view = watched } else { view = await healthProbe.recent { await ctx.lookUpHealth() }.nodes }
        return enough(view) ? view : await freshHealthyNodes()
    }

    /// As `healthyNodes`, from a lookup that started after this call (no cached or joined older view). A lookup
    /// that lists a node the discovery watch does not has the watch replaced (it may have fallen silent).
    private func freshHealthyNodes() async -> Set<String> {
        let ctx = self
        let looked = await healthProbe.fresh { await ctx.lookUpHealth() }
        if looked.source == discoveryName, await membership.suspect(looked.nodes) {
            log.warn("discovery watch missed nodes a lookup lists (\(looked.nodes.sorted().joined(separator: ","))): restarting it")
        }
        return looked.nodes
    }

    /// The discovery watch's view while it is current, else a lookup at most `HealthProbe.maxAge` old.
    func healthView() async -> HealthView {
        if let watched = await watchedNodes() { return HealthView(nodes: watched, source: discoveryName) }
        let ctx = self
        return await healthProbe.run { await ctx.lookUpHealth() }
    }

    /// Discovery's healthy list, restricted to the manifest's nodes. When discovery itself cannot be asked
    /// (Consul agent down, KV bucket unreachable), a request/reply probe of every node stands in, so that
    /// an outage of the discovery backend alone does not stop signing.
    func lookUpHealth() async -> HealthView {
        let known = Set(manifest.nodes.map(\.id))
        do throws(DiscoveryError) {
            let listed = try await discovery.healthyInstances(of: ClusterServices.node)
            return HealthView(nodes: Set(listed.map(\.id)).intersection(known), source: discoveryName)
        } catch {
            log.warn("discovery \(discoveryName) failed (\(error.code)); probing nodes directly")
            return HealthView(nodes: await probeHealth(), source: "probe")
        }
    }

    /// One health request to every node, concurrently (the fallback of `lookUpHealth`).
    func probeHealth() async -> Set<String> {
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
        return try? identity.envelope(type, session: requestSession, to: .party(client), payload: WireBody.encode(body),
                                      ttlMillis: 3_600_000)?.encoded()
    }
}

/// A node's verified answer: its data, any preprocessed commitments (hex), and its signed envelope.
struct NodeAnswer: Sendable {
    var data: [UInt8]
    var commitments: [String]
    var envelope: [UInt8]
}

/// Healthy nodes and where the answer came from (the discovery backend, or "probe" in its absence).
struct HealthView: Sendable {
    var nodes: Set<String>
    var source: String
}

/// Single-flight with a short memory: one health lookup at a time; callers arriving while it runs await the
/// same task, and an answer younger than `maxAge` is reused (a probe is a full round trip to every node,
/// which was a third of an idle cluster's sign latency). A node that died within `maxAge` is still tried:
/// it fails the attempt at once (no responders) and the retry excludes it.
actor HealthProbe {
    private var inFlight: Task<HealthView, Never>?
    private var last: (at: ContinuousClock.Instant, nodes: HealthView)?
    let maxAge: Duration
    /// How old an answer `recent` may give while it refreshes in the background.
    let maxStale: Duration

    init(maxAge: Duration = .milliseconds(500), maxStale: Duration = .seconds(2)) { self.maxAge = maxAge; self.maxStale = maxStale }

    func run(_ probe: @escaping @Sendable () async -> HealthView) async -> HealthView {
        if let last, ContinuousClock.now - last.at < maxAge { return last.nodes }
        return await refresh(probe).value
    }

    /// The last answer if it is younger than `maxStale`, otherwise as `run`. Starts no lookup while it has such an
    /// answer (a refresh started on a sign request's path runs beside that request on two vCPUs; interleaved runs at
    /// 4 s gaps showed no measurable cost either way, BENCHMARKS.md session 9): the keeper loop refreshes instead.
    func recent(_ probe: @escaping @Sendable () async -> HealthView) async -> HealthView {
        guard let last, ContinuousClock.now - last.at < maxStale else { return await run(probe) }
        return last.nodes
    }

    /// A lookup that started after this call (joining one in flight only if it did).
    func fresh(_ probe: @escaping @Sendable () async -> HealthView) async -> HealthView {
        let asked = ContinuousClock.now
        let r = await refresh(probe).value
        if let last, last.at >= asked { return r }
        return await refresh(probe).value
    }

    /// The lookup in flight, or a new one.
    private func refresh(_ probe: @escaping @Sendable () async -> HealthView) -> Task<HealthView, Never> {
        if let t = inFlight { return t }
        let t = Task {
            let started = ContinuousClock.now
            let r = await probe()
            self.finished(r, started: started)   // before anyone sees the answer
            return r
        }
        inFlight = t
        return t
    }

    private func finished(_ nodes: HealthView, started: ContinuousClock.Instant) {
        inFlight = nil
        last = (started, nodes)
    }
}

/// A counting semaphore; waiters are served in arrival order.
actor Slots {
    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(_ n: Int) { free = max(1, n) }

    func acquire() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { free += 1 } else { waiters.removeFirst().resume() }
    }
}

/// Public key packages already decoded, keyed by their exact stored bytes (hex), so an entry can never
/// answer for other bytes. One per wallet.
actor PackageCache {
    private var decoded: [String: any Sendable] = [:]
    func get(_ key: String) -> (any Sendable)? { decoded[key] }
    func put(_ key: String, _ value: any Sendable) { decoded[key] = value }
}
