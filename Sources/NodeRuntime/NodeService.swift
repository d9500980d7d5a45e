import ClientKit
import Foundation
import Messaging
import Protocols
import Storage

/// A node: answers health checks, takes session plans and signing packages from the coordinator,
/// one actor per session, bounded concurrency.
public actor NodeService {
    let ctx: NodeContext
    private var keygens: [SessionID: any Sendable] = [:]
    private var signers: [SessionID: any SignerHandle] = [:]
    /// Sessions admitted but still loading (counted against the limits across suspension points).
    private var pendingKeygens: Set<SessionID> = []
    private var pendingSigners: Set<SessionID> = []
    private var tasks: [Task<Void, Never>] = []
    private var subscriptions: [NatsHandlerSubscription] = []
    /// Threshold ECDSA wallets (CGGMP21): aux info, presigning, signing.
    private var ecdsa: ECDSANode?
    /// Resharing (prepare / commit / abort plans).
    private var reshares: ReshareNode?
    /// Set by SIGTERM (`drain`): new plans are refused with `shutting_down`, running sessions may finish.
    private var shuttingDown = false
    /// Signing sessions between their round-2 request and its reply.
    private var inRound2 = 0

    /// One-round FROST signing from preprocessed commitments (nonces in memory only).
    let prepared: PreparedSigning

    public init(context: NodeContext) {
        ctx = context
        prepared = PreparedSigning(ctx: context, nonces: PreparedNonces())
    }

    public func start() async throws(ClusterError) {
        let c = ctx.connection
        let me = ctx.identity.id
        do {
            subscriptions.append(try c.subscribe(subject: ClusterSubjects.nodePlan(me)) { [weak self] m in await self?.handlePlan(m) })
            subscriptions.append(try c.subscribe(subject: ClusterSubjects.nodeRound(me)) { [weak self] m in await self?.handleRound(m) })
            subscriptions.append(try c.subscribe(subject: ClusterSubjects.health(me), maxInFlight: 64) { [weak self] m in await self?.handleHealth(m) })
            // The replay cache forgets what has expired anyway (the verifier refuses expired envelopes).
            let replay = ctx.replayCache
            tasks.append(Task.detached {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(600))
                    _ = try? await replay.prune(now: Clock.nowMillis())
                }
            })
        } catch { throw ClusterError("transport_error", "subscribe: \(error)") }
        let e = ECDSANode(ctx: ctx) { [weak self] plan throws(ClusterError) in
            guard let self else { throw ClusterError("unavailable", "node stopping") }
            try await self.checkClientRequest(plan)
        }
        try await e.start()
        ecdsa = e
        let r = ReshareNode(ctx: ctx) { [weak self] in await self?.isDraining ?? true }
        try await r.start()
        reshares = r
        ctx.log.info("node ready (\(ctx.manifest.nodes.count) nodes, threshold \(ctx.manifest.threshold))")
    }

    public func stop() async {
        for t in tasks { t.cancel() }
        for s in subscriptions { s.unsubscribe() }
        await ecdsa?.stop()
        await reshares?.stop()
    }

    var isDraining: Bool { shuttingDown }

    /// Sessions admitted and not finished: keygens, signers waiting for round 2, signings running, resharings and
    /// threshold ECDSA presign sessions.
    public func runningSessions() async -> Int {
        let own = keygens.count + pendingKeygens.count + signers.count + pendingSigners.count + inRound2
        return own + (await reshares?.running ?? 0) + (await ecdsa?.running ?? 0)
    }

    /// Graceful stop: refuses new plans (`shutting_down`), lets running sessions finish for up to `grace`,
    /// then aborts the rest (a keygen reports `shutting_down` to the coordinator). Returns how many
    /// sessions were aborted.
    public func drain(grace: Duration) async -> Int {
        shuttingDown = true
        let deadline = ContinuousClock.now + grace
        while await runningSessions() > 0, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        let aborted = await runningSessions()
        for runner in keygens.values { await (runner as? any AbortableSession)?.abort("shutting_down", "the node is shutting down") }
        keygens.removeAll()
        signers.removeAll()
        await reshares?.abortAll()
        return aborted
    }

    func handleHealth(_ m: NatsMessage) {
        guard let reply = m.reply else { return }
        let body = WireBody.encode(["node": ctx.identity.id, "status": ctx.connection.status.rawValue])
        try? ctx.connection.publish(subject: reply, payload: body)
    }

    // MARK: plans

    func handlePlan(_ m: NatsMessage) async {
        guard let v = await ctx.verifiedOrRefused(m, what: "plan") else { return }
        let session = v.envelope.sessionId
        do throws(ClusterError) {
            guard !shuttingDown else { throw ClusterError("shutting_down", "\(ctx.identity.id) is shutting down") }
            guard v.envelope.sender == ctx.manifest.coordinator.id, v.envelope.type == .sessionPlan else {
                throw ClusterError("unauthorized", "plans come only from the coordinator")
            }
            let plan = try WireBody.decode(SessionPlanBody.self, v.envelope.payload)
            // Preparing commitments signs nothing: it needs the coordinator's word only (bounded per wallet).
            if plan.kind != .commit { try await checkClientRequest(plan) }
            let ids = try participantIDs(plan)
            switch plan.kind {
            case .keygen: try await startKeygen(plan, session: session, ids: ids)
                ctx.reply(to: m, session: session, body: NodeReplyBody())
            case .sign:
                let commitments = try await startSigning(plan, session: session, ids: ids)
                ctx.reply(to: m, session: session, body: NodeReplyBody(data: Hex.encode(commitments)))
            case .commit:
                let fresh = try await prepared.commit(plan)
                ctx.reply(to: m, session: session, body: NodeReplyBody(commitments: fresh))
            case .signPrepared:
                inRound2 += 1
                defer { inRound2 -= 1 }
                let r = try await prepared.sign(plan, ids: ids)
                ctx.log.info("signature share sent for wallet \(plan.walletId) (preprocessed commitment)", session: session.hex)
                ctx.reply(to: m, session: session, body: NodeReplyBody(data: Hex.encode(r.share), commitments: r.fresh))
                await r.restock()
            }
        } catch {
            ctx.log.warn("plan refused: \(error)", session: session.hex)
            ctx.reply(to: m, session: session, body: NodeReplyBody(code: error.code, message: error.message))
        }
    }

    /// The client's own signed request must authorize exactly what the plan asks (SECURITY-CHECKLIST 27, 28).
    func checkClientRequest(_ plan: SessionPlanBody) async throws(ClusterError) {
        let bytes = try WireBody.hex(plan.clientRequest, "clientRequest")
        let req: VerifiedEnvelope
        switch await ctx.clientVerifier.verify(bytes) {
        case .success(let ok): req = ok
        case .failure(let r): throw ClusterError("client_request_invalid", r.description)
        }
        switch plan.kind {
        case .keygen:
            guard req.envelope.type == .keygenRequest else { throw ClusterError("plan_mismatch", "request is not a keygen request") }
            let body = try WireBody.decode(KeygenRequestBody.self, req.envelope.payload)
            guard body.walletId == plan.walletId, body.curve == plan.curve else { throw ClusterError("plan_mismatch", "wallet or curve differs") }
            guard plan.participants.count == ctx.manifest.nodes.count else { throw ClusterError("plan_mismatch", "keygen must include every node") }
            guard plan.threshold == (ctx.config.threshold ?? ctx.manifest.threshold) else { throw ClusterError("plan_mismatch", "threshold differs") }
        case .commit:
            break
        case .sign, .signPrepared:
            guard req.envelope.type == .signRequest else { throw ClusterError("plan_mismatch", "request is not a sign request") }
            let body = try WireBody.decode(SignRequestBody.self, req.envelope.payload)
            try body.checkDerivation()
            guard body.walletId == plan.walletId, body.digest.lowercased() == plan.digest?.lowercased() else {
                throw ClusterError("plan_mismatch", "wallet or digest differs")
            }
            if let forced = body.signers, Set(forced) != Set(plan.participants) { throw ClusterError("plan_mismatch", "signer set differs") }
        }
    }

    private func participantIDs(_ plan: SessionPlanBody) throws(ClusterError) -> [String: ParticipantID] {
        var ids: [String: ParticipantID] = [:]
        for p in plan.participants {
            guard let pid = ctx.manifest.participantID(of: p) else { throw ClusterError("plan_mismatch", "unknown participant \(p)") }
            ids[p] = pid
        }
        guard ids.count == plan.participants.count else { throw ClusterError("plan_mismatch", "duplicate participant") }
        guard ids[ctx.identity.id] != nil else { throw ClusterError("not_participant", "this node is not in the plan") }
        return ids
    }

    private func startKeygen(_ plan: SessionPlanBody, session: SessionID, ids: [String: ParticipantID]) async throws(ClusterError) {
        guard keygens.count + pendingKeygens.count < ctx.config.maxConcurrentKeygen else { throw ClusterError("busy", "too many keygen sessions") }
        guard keygens[session] == nil, !pendingKeygens.contains(session) else { throw ClusterError("duplicate_session", "session already running") }
        pendingKeygens.insert(session)
        defer { pendingKeygens.remove(session) }
        let exists: Bool
        do { exists = try await ctx.store.wallet(id: plan.walletId) != nil }
        catch { throw ClusterError("storage_error", error.code) }
        guard !exists else { throw ClusterError("wallet_exists", "wallet \(plan.walletId) already exists") }
        let onEnd: @Sendable () async -> Void = { [weak self] in await self?.endKeygen(session) }
        switch plan.curve {
        case .ed25519:
            let r = try DKGRunner<FROSTEd25519>(ctx: ctx, session: session, plan: plan, ids: ids, onEnd: onEnd)
            keygens[session] = r
            try await r.subscribe()
        case .secp256k1:
            // Threshold ECDSA: the FROST secp256k1 DKG with an echo of its commitment digest (DKGRunner), needing our aux info.
            guard let ecdsa else { throw ClusterError("unavailable", "node starting") }
            try await ecdsa.requireAux()
            let r = try DKGRunner<FROSTSecp256k1>(ctx: ctx, session: session, plan: plan, ids: ids, onEnd: onEnd)
            keygens[session] = r
            try await r.subscribe()
        case .secp256k1Schnorr:
            let r = try DKGRunner<FROSTSecp256k1>(ctx: ctx, session: session, plan: plan, ids: ids, onEnd: onEnd)
            keygens[session] = r
            try await r.subscribe()
        case .secp256k1Taproot:
            let r = try DKGRunner<FROSTSecp256k1Taproot>(ctx: ctx, session: session, plan: plan, ids: ids, onEnd: onEnd)
            keygens[session] = r
            try await r.subscribe()
        }
        ctx.log.info("keygen session for wallet \(plan.walletId)", session: session.hex)
    }

    func endKeygen(_ s: SessionID) { keygens[s] = nil }

    private func startSigning(_ plan: SessionPlanBody, session: SessionID, ids: [String: ParticipantID]) async throws(ClusterError) -> [UInt8] {
        guard signers.count + pendingSigners.count < ctx.config.maxConcurrentSigning else { throw ClusterError("busy", "too many signing sessions") }
        guard signers[session] == nil, !pendingSigners.contains(session) else { throw ClusterError("duplicate_session", "session already running") }
        pendingSigners.insert(session)
        defer { pendingSigners.remove(session) }
        let current = try await ctx.currentShare(walletId: plan.walletId, planGeneration: plan.generation)
        var share = current.share
        defer { zeroize(&share) }
        let digest = try ctx.checkSigningPlan(plan, wallet: current.wallet)
        let set = ids.values.sorted()
        let (box, commitments): (any SignerHandle, [UInt8])
        switch plan.curve {
        case .ed25519: (box, commitments) = try SignerBox<FROSTEd25519>.start(share: share, message: digest, signers: set)
        case .secp256k1: throw ClusterError("unsupported_curve", "threshold ECDSA wallets sign through the ECDSA subject, not FROST rounds")
        case .secp256k1Schnorr: (box, commitments) = try SignerBox<FROSTSecp256k1>.start(share: share, message: digest, signers: set)
        case .secp256k1Taproot: (box, commitments) = try SignerBox<FROSTSecp256k1Taproot>.start(share: share, message: digest, signers: set)
        }
        signers[session] = box
        let timeout = ctx.config.sessionTimeoutSeconds
        Task { [weak self] in
            try? await Task.sleep(for: .seconds(timeout))
            await self?.dropSigner(session)
        }
        ctx.log.info("signing round 1 for wallet \(plan.walletId)", session: session.hex)
        return commitments
    }

    func dropSigner(_ s: SessionID) { signers[s] = nil }

    // MARK: signing round 2

    func handleRound(_ m: NatsMessage) async {
        guard let v = await ctx.verifiedOrRefused(m, what: "round message") else { return }
        let session = v.envelope.sessionId
        do throws(ClusterError) {
            guard v.envelope.sender == ctx.manifest.coordinator.id, v.envelope.type == .roundMessage else {
                throw ClusterError("unauthorized", "signing packages come only from the coordinator")
            }
            guard let box = signers.removeValue(forKey: session) else { throw ClusterError("unknown_session", "no signing session") }
            inRound2 += 1
            defer { inRound2 -= 1 }
            let share = try await box.round2(v.envelope.payload)
            ctx.log.info("signature share sent", session: session.hex)
            ctx.reply(to: m, session: session, body: NodeReplyBody(data: Hex.encode(share)))
        } catch {
            ctx.log.warn("round 2 refused: \(error)", session: session.hex)
            ctx.reply(to: m, session: session, body: NodeReplyBody(code: error.code, message: error.message))
        }
    }
}
