import ClientKit
import Discovery
import Foundation
import Messaging
import Protocols
import Storage

/// The coordinator: verifies client requests, runs keygen / signing drivers, answers with a signed result
/// (on the request's reply subject and durably on `mpc.result.<request id>`).
public actor CoordinatorService {
    let ctx: CoordinatorContext
    let registry: WalletRegistry
    let results: ResultStore
    private var tasks: [Task<Void, Never>] = []
    private var subscriptions: [NatsHandlerSubscription] = []

    public init(context: CoordinatorContext, requests: RequestLog) {
        ctx = context
        registry = WalletRegistry(dataDir: context.config.dataDir)
        results = ResultStore(log: requests, dataDir: context.config.dataDir)
    }

    public func start() async throws(ClusterError) {
        do {
            try await ctx.jetStream.ensureStream(StreamConfig(name: ClusterSubjects.resultStream, subjects: ["mpc.result.>"],
                                                              maxAge: .seconds(7 * 24 * 3600)))
        } catch { throw ClusterError("transport_error", "results stream: \(error)") }
        let c = ctx.connection
        do {
            for subject in [Subjects.keygenRequest, Subjects.signRequest, Subjects.reshareRequest] {
                subscriptions.append(try c.subscribe(subject: subject) { [weak self] m in await self?.handleRequest(m) })
            }
            subscriptions.append(try c.subscribe(subject: ClusterSubjects.pubkeyRequest) { [weak self] m in await self?.handlePubkey(m) })
            subscriptions.append(try c.subscribe(subject: ClusterSubjects.statusRequest) { [weak self] m in await self?.handleStatus(m) })
            // NATS discovery pushes joins, leaves and expiries: while its watch is current, no lookups at all.
            let ctx = self.ctx
            if let nats = ctx.discovery as? NatsDiscovery {
                let log = ctx.log
                tasks.append(Task { await ctx.membership.follow(nats, service: ClusterServices.node, info: { log.info($0) }, warn: { log.warn($0) }) })
            }
            // Otherwise (Consul, or the watch not current) keeps the looked-up view fresh, so that a sign request after
            // a quiet spell neither waits for discovery nor starts a lookup beside itself (`signableNodes` answers from
            // a view up to 2 s old and leaves the refreshing to this loop); `healthView` does nothing while the watch is.
            tasks.append(Task {
                while !Task.isCancelled {
                    _ = await ctx.healthView()
                    try? await Task.sleep(for: .seconds(1))
                }
            })
        } catch { throw ClusterError("transport_error", "subscribe: \(error)") }
        // Presignature pools: retire what the restart dropped, then top up (not only after the next sign).
        let ecdsaWallets = await registry.ids(curve: .secp256k1)
        if !ecdsaWallets.isEmpty {
            let ctx = self.ctx
            tasks.append(Task { await ctx.presignPool.resumeAfterStart(ctx, wallets: ecdsaWallets) })
        }
        ctx.log.info("coordinator ready (\(ctx.manifest.nodes.count) nodes, threshold \(ctx.manifest.threshold))")
    }

    public func stop() {
        for t in tasks { t.cancel() }
        for s in subscriptions { s.unsubscribe() }
    }

    func handleRequest(_ m: NatsMessage) async {
        let v: VerifiedEnvelope
        switch await ctx.clientVerifier.verify(m.data) {
        case .success(let ok): v = ok
        case .failure(let r):
            // A replayed request whose id already has a result gets that result.
            if r.reason == .replayed, let e = try? EnvelopeCodec.decode(m.data), let first = await results.result(e.envelope.sessionId.hex) {
                respond(m, bytes: first); return
            }
            ctx.log.warn("client request refused: \(r.description)")
            refuse(m, code: r.code, message: "request refused: \(r.description)")
            return
        }
        let requestId = v.envelope.sessionId.hex
        let client = v.envelope.sender
        if let first = await results.result(requestId) { respond(m, bytes: first); return }
        switch await results.begin(requestId) {
        case .claimed: break
        case .running:
            refuse(m, code: "request_in_progress", message: "request \(requestId) is running", session: v.envelope.sessionId, client: client)
            return
        case .interrupted:
            refuse(m, code: "request_interrupted", message: "request \(requestId) was interrupted by a coordinator restart; use a new request id",
                   session: v.envelope.sessionId, client: client)
            return
        case .failed(let why):
            ctx.log.error("cannot claim request \(requestId): \(why)")
            refuse(m, code: "storage_error", message: "request \(requestId) could not be recorded", session: v.envelope.sessionId, client: client)
            return
        }
        let body: ClientResultBody
        switch v.envelope.type {
        case .keygenRequest:
            body = await keygen(v, requestId: requestId)
        case .signRequest:
            body = await sign(v, requestId: requestId)
        case .reshareRequest:
            body = await reshare(v, requestId: requestId)
        default:
            body = ClientResultBody(requestId: requestId, code: "unsupported_request", message: "type \(v.envelope.type)")
        }
        // The claim's commit ran alongside the work: nothing is released before it is on disk.
        if case .failed(let why) = await results.durable(requestId) {
            ctx.log.error("claim of request \(requestId) not recorded (\(why)); its result is withheld")
            refuse(m, code: "storage_error", message: "request \(requestId) could not be recorded; use a new request id",
                   session: v.envelope.sessionId, client: client)
            return
        }
        guard let bytes = ctx.signedResult(body, requestSession: v.envelope.sessionId, client: client) else { return }
        await results.finish(requestId, bytes)   // a repeat from now on gets these bytes; on disk with the next batch
        respond(m, bytes: bytes)
        do { _ = try await ctx.jetStream.publishDurable(subject: ClusterSubjects.result(requestId), payload: bytes, msgId: requestId) }
        catch { ctx.log.error("durable publish of result \(requestId) failed: \(error)") }
    }

    private func keygen(_ v: VerifiedEnvelope, requestId: String) async -> ClientResultBody {
        guard let req = try? WireBody.decode(KeygenRequestBody.self, v.envelope.payload) else {
            return ClientResultBody(requestId: requestId, code: "malformed_payload", message: "not a keygen request")
        }
        switch await KeygenDriver.run(ctx: ctx, registry: registry, body: req, clientRequest: encoded(v)) {
        case .success(let e):
            if e.curve == .secp256k1 { ctx.presignPool.refill(ctx, wallet: req.walletId) }
            return ClientResultBody(requestId: requestId, walletId: req.walletId, curve: e.curve, publicKey: displayKey(e), signers: ctx.manifest.nodes.map(\.id))
        case .failure(let e):
            ctx.log.error("keygen \(requestId) failed: \(e)")
            return ClientResultBody(requestId: requestId, code: e.code, message: e.message, walletId: req.walletId, curve: req.curve)
        }
    }

    private func sign(_ v: VerifiedEnvelope, requestId: String) async -> ClientResultBody {
        guard let req = try? WireBody.decode(SignRequestBody.self, v.envelope.payload) else {
            return ClientResultBody(requestId: requestId, code: "malformed_payload", message: "not a sign request")
        }
        await ctx.signSlots.acquire()
        let outcome = await SignDriver.run(ctx: ctx, registry: registry, body: req, clientRequest: encoded(v))
        await ctx.signSlots.release()
        switch outcome {
        case .success(let r):
            // Threshold ECDSA: r‖s‖v from the attempt; the client gets r‖s and the recovery id.
            let ecdsa = r.entry.curve == .secp256k1 && r.signature.count == 65
            return ClientResultBody(requestId: requestId, walletId: req.walletId, curve: r.entry.curve, publicKey: displayKey(r.entry),
                                    signature: Hex.encode(ecdsa ? Array(r.signature.prefix(64)) : r.signature), signers: r.signers,
                                    evidence: r.evidence, recoveryId: ecdsa ? r.signature.last.map(Int.init) : nil)
        case .failure(let e):
            ctx.log.error("sign \(requestId) failed: \(e)")
            return ClientResultBody(requestId: requestId, code: e.code, message: e.message, walletId: req.walletId)
        }
    }

    func encoded(_ v: VerifiedEnvelope) -> [UInt8] {
        (try? SignedEnvelope(envelope: v.envelope, signature: v.signature).encoded()) ?? []
    }

    func displayKey(_ e: WalletEntry) -> String {
        Hex.encode(SignatureCheck.displayKey(curve: e.curve, groupKey: Hex.decode(e.groupPublicKey) ?? []))
    }

    func handlePubkey(_ m: NatsMessage) async {
        let walletId = String(decoding: m.data, as: UTF8.self)
        let zero = SessionID(bytes: [UInt8](repeating: 0, count: 16))
        guard let zero else { return }
        let body: ClientResultBody
        if let e = await registry.get(walletId) {
            body = ClientResultBody(requestId: "", walletId: walletId, curve: e.curve, publicKey: displayKey(e))
        } else {
            body = ClientResultBody(requestId: "", code: "unknown_wallet", message: "no wallet \(walletId)")
        }
        if let bytes = ctx.signedResult(body, requestSession: zero, client: "client") { respond(m, bytes: bytes) }
    }

    func handleStatus(_ m: NatsMessage) async {
        let healthy = await ctx.healthView()
        var nodes: [String: Bool] = [:]
        for n in ctx.manifest.nodes { nodes[n.id] = healthy.nodes.contains(n.id) }
        guard let zero = SessionID(bytes: [UInt8](repeating: 0, count: 16)) else { return }
        var body = ClientResultBody(requestId: "", nodes: nodes)
        body.discovery = healthy.source
        body.requestsClaimed = await results.claimedCount()
        if let bytes = ctx.signedResult(body, requestSession: zero, client: "client") { respond(m, bytes: bytes) }
    }

    private func refuse(_ m: NatsMessage, code: String, message: String, session: SessionID? = nil, client: String = "client") {
        guard let s = session ?? SessionID(bytes: [UInt8](repeating: 0, count: 16)) else { return }
        let body = ClientResultBody(requestId: session?.hex ?? "", code: code, message: message)
        if let bytes = ctx.signedResult(body, requestSession: s, client: PartyID.isValid(client) ? client : "client") { respond(m, bytes: bytes) }
    }

    private func respond(_ m: NatsMessage, bytes: [UInt8]) {
        guard let reply = m.reply else { return }
        do { try ctx.connection.publish(subject: reply, payload: bytes) }
        catch { ctx.log.error("reply failed: \(error)") }
    }
}
