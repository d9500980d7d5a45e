import ClientKit
import Foundation
import Messaging
import Protocols
import Storage

/// A node's resharing side: plans from the coordinator on `ClusterSubjects.nodeReshare(id)`, in two phases.
/// `prepare` runs `ReshareRunner` (the new share is stored as the next generation, the current one stays);
/// `commit`, sent once every new member stored the new generation, makes it current and deletes the older
/// generations (a removed member deletes the wallet: share and record); `abort` drops an uncommitted
/// generation. Every plan carries the client's signed reshare request, checked here.
actor ReshareNode {
    let ctx: NodeContext
    /// Set while the node drains: new prepares are refused.
    let isShuttingDown: @Sendable () async -> Bool
    private var runners: [String: any AbortableSession] = [:]   // by wallet: one resharing per wallet at a time
    private var subscription: NatsHandlerSubscription?

    init(ctx: NodeContext, isShuttingDown: @escaping @Sendable () async -> Bool) {
        self.ctx = ctx
        self.isShuttingDown = isShuttingDown
    }

    func start() throws(ClusterError) {
        do {
            subscription = try ctx.connection.subscribe(subject: ClusterSubjects.nodeReshare(ctx.identity.id)) { [weak self] m in await self?.handle(m) }
        } catch { throw ClusterError("transport_error", "subscribe: \(error)") }
    }

    func stop() { subscription?.unsubscribe() }

    var running: Int { runners.count }

    func abortAll() async {
        for r in runners.values { await r.abort("shutting_down", "the node is shutting down") }
        runners.removeAll()
    }

    func handle(_ m: NatsMessage) async {
        guard let v = await ctx.verifiedOrRefused(m, what: "reshare plan") else { return }
        let session = v.envelope.sessionId
        do throws(ClusterError) {
            guard v.envelope.sender == ctx.manifest.coordinator.id, v.envelope.type == .sessionPlan else {
                throw ClusterError("unauthorized", "reshare plans come only from the coordinator")
            }
            let plan = try WireBody.decode(ResharePlanBody.self, v.envelope.payload)
            try await checkClientRequest(plan)
            try checkShape(plan)
            switch plan.step {
            case .prepare: try await prepare(plan, session: session)
            case .commit: try await commit(plan)
            case .abort: try await abortPending(plan)
            }
            ctx.reply(to: m, session: session, body: NodeReplyBody())
        } catch {
            ctx.log.warn("reshare plan refused: \(error)", session: session.hex)
            ctx.reply(to: m, session: session, body: NodeReplyBody(code: error.code, message: error.message))
        }
    }

    /// The client's signed request must ask for exactly this wallet, threshold and committee.
    private func checkClientRequest(_ plan: ResharePlanBody) async throws(ClusterError) {
        let bytes = try WireBody.hex(plan.clientRequest, "clientRequest")
        let req: VerifiedEnvelope
        switch await ctx.clientVerifier.verify(bytes) {
        case .success(let ok): req = ok
        case .failure(let r): throw ClusterError("client_request_invalid", r.description)
        }
        guard req.envelope.type == .reshareRequest else { throw ClusterError("plan_mismatch", "request is not a reshare request") }
        let body = try WireBody.decode(ReshareRequestBody.self, req.envelope.payload)
        guard body.walletId == plan.walletId, body.threshold == plan.threshold, body.members.count == plan.members.count,
              Set(body.members) == Set(plan.members) else {
            throw ClusterError("plan_mismatch", "wallet, threshold or members differ from the client's request")
        }
    }

    /// Members and dealers are distinct manifest nodes; dealers held the wallet.
    private func checkShape(_ plan: ResharePlanBody) throws(ClusterError) {
        for list in [plan.members, plan.dealers, plan.oldMembers] {
            guard Set(list).count == list.count, list.allSatisfy({ ctx.manifest.node($0) != nil }) else {
                throw ClusterError("plan_mismatch", "node lists must be distinct manifest nodes")
            }
        }
        guard Set(plan.dealers).isSubset(of: Set(plan.oldMembers)) else { throw ClusterError("plan_mismatch", "a dealer did not hold the wallet") }
        guard plan.generation >= 1 else { throw ClusterError("plan_mismatch", "generation must be at least 1") }
    }

    private func record(_ walletId: String) async throws(ClusterError) -> WalletRecord? {
        let bytes: [UInt8]?
        do { bytes = try await ctx.store.wallet(id: walletId) } catch { throw ClusterError("storage_error", error.code) }
        return try bytes.map { bytes throws(ClusterError) in try WireBody.decode(WalletRecord.self, bytes) }
    }

    // MARK: prepare

    private func prepare(_ plan: ResharePlanBody, session: SessionID) async throws(ClusterError) {
        guard !(await isShuttingDown()) else { throw ClusterError("shutting_down", "\(ctx.identity.id) is shutting down") }
        let me = ctx.identity.id
        let isDealer = plan.dealers.contains(me), isMember = plan.members.contains(me)
        guard isDealer || isMember else { throw ClusterError("not_participant", "this node neither deals nor joins") }
        guard runners[plan.walletId] == nil else { throw ClusterError("reshare_in_progress", "wallet \(plan.walletId) is being reshared") }
        guard runners.count < ctx.config.maxConcurrentKeygen else { throw ClusterError("busy", "too many resharing sessions") }
        var ids: [String: ParticipantID] = [:]
        for n in plan.dealers + plan.members {
            guard let p = ctx.manifest.participantID(of: n) else { throw ClusterError("plan_mismatch", "unknown node \(n)") }
            ids[n] = p
        }
        // What this node holds must be exactly the generation before the plan's, of the same key.
        let current = try await record(plan.walletId)
        if let current {
            guard current.curve == plan.curve else { throw ClusterError("plan_mismatch", "wallet curve is \(current.curve.rawValue)") }
            let held = current.generation ?? 0
            if held + 1 == plan.generation {
                guard current.publicKeyPackage == plan.oldPublicKeyPackage else {
                    throw ClusterError("plan_mismatch", "the plan's public key package is not the wallet's")
                }
            } else if held + 1 < plan.generation, !isDealer {
                // A member removed earlier whose commit it missed: its share is dead; it joins like a new member
                // (the commit deletes the stale generation).
                ctx.log.warn("wallet \(plan.walletId): holding stale generation \(held); joining generation \(plan.generation) as a new member")
            } else {
                throw ClusterError("stale_generation", "this node holds generation \(held), the plan creates \(plan.generation)")
            }
        } else if isDealer {
            throw ClusterError("unknown_wallet", "no share of \(plan.walletId) to deal")
        }
        var share: [UInt8] = []
        defer { zeroize(&share) }
        if isDealer {
            let stored: [UInt8]?
            do { stored = try await ctx.store.share(walletID: plan.walletId, generation: plan.generation - 1) }
            catch { throw ClusterError("storage_error", error.code) }
            guard let stored else { throw ClusterError("stale_generation", "no share of generation \(plan.generation - 1)") }
            share = stored
        }
        let session = session, wallet = plan.walletId
        let onEnd: @Sendable () async -> Void = { [weak self] in await self?.ended(wallet) }
        let runner: any AbortableSession
        switch plan.curve {
        case .ed25519: runner = try await Self.runner(FROSTEd25519.self, ctx, session, plan, ids, share, isDealer, onEnd)
        case .secp256k1, .secp256k1Schnorr: runner = try await Self.runner(FROSTSecp256k1.self, ctx, session, plan, ids, share, isDealer, onEnd)
        case .secp256k1Taproot: runner = try await Self.runner(FROSTSecp256k1Taproot.self, ctx, session, plan, ids, share, isDealer, onEnd)
        }
        runners[wallet] = runner
        ctx.log.info("resharing wallet \(wallet) to generation \(plan.generation) (\(isDealer ? "dealer" : "")\(isDealer && isMember ? ", " : "")\(isMember ? "member" : ""))",
                     session: session.hex)
    }

    private static func runner<C: FROSTCiphersuite>(_: C.Type, _ ctx: NodeContext, _ session: SessionID, _ plan: ResharePlanBody,
                                                    _ ids: [String: ParticipantID], _ share: [UInt8], _ isDealer: Bool,
                                                    _ onEnd: @escaping @Sendable () async -> Void) async throws(ClusterError) -> ReshareRunner<C> {
        var old: KeyPackage<C>?
        if isDealer {
            do { old = try KeyPackageCodec.decodeKeyPackage(share, as: C.self) }
            catch { throw ClusterError("storage_error", "stored key package: \(error.code)") }
        }
        let r = try ReshareRunner<C>(ctx: ctx, session: session, plan: plan, ids: ids, oldKeyPackage: old, onEnd: onEnd)
        try await r.subscribe()
        return r
    }

    func ended(_ wallet: String) { runners[wallet] = nil }

    // MARK: commit / abort

    private func commit(_ plan: ResharePlanBody) async throws(ClusterError) {
        let me = ctx.identity.id
        let current = try await record(plan.walletId)
        if plan.members.contains(me) {
            if current?.generation == plan.generation { return }   // committed already (a repeated commit)
            let pendingBytes: [UInt8]?
            do { pendingBytes = try await ctx.store.journal(ResharePending.key(plan.walletId, plan.generation)) }
            catch { throw ClusterError("storage_error", error.code) }
            guard let pendingBytes else { throw ClusterError("reshare_unknown", "no pending generation \(plan.generation) of \(plan.walletId)") }
            let pending = try WireBody.decode(WalletRecord.self, pendingBytes)
            guard pending.publicKeyPackage == plan.publicKeyPackage else {
                throw ClusterError("plan_mismatch", "the committed public key package is not the one this node computed")
            }
            do {
                try await ctx.store.putWallet(id: plan.walletId, metadata: WireBody.encode(pending))
                let deleted = try await ctx.store.deleteShares(walletID: plan.walletId, olderThan: plan.generation)
                _ = try await ctx.store.deleteJournal(ResharePending.key(plan.walletId, plan.generation))
                ctx.log.info("wallet \(plan.walletId) now at generation \(plan.generation) (\(deleted) old share(s) deleted)")
            } catch { throw ClusterError("storage_error", error.code) }
        } else if plan.oldMembers.contains(me) {
            guard let current else { return }   // deleted already
            guard (current.generation ?? 0) < plan.generation else { throw ClusterError("stale_generation", "commit older than the wallet") }
            do { _ = try await ctx.store.deleteWallet(id: plan.walletId) } catch { throw ClusterError("storage_error", error.code) }
            ctx.log.info("removed from wallet \(plan.walletId) at generation \(plan.generation): share deleted")
        } else {
            throw ClusterError("not_participant", "this node neither held nor joins the wallet")
        }
        // Presignatures made with the old shares can never be used (SECURITY-CHECKLIST 23; CGGMP21 presign binds the shares).
        try await dropPresignatures(plan.walletId)
    }

    private func abortPending(_ plan: ResharePlanBody) async throws(ClusterError) {
        await runners[plan.walletId]?.abort("session_aborted", "the coordinator abandoned the resharing")
        guard plan.members.contains(ctx.identity.id) else { return }
        let current = try await record(plan.walletId)
        guard current?.generation != plan.generation else { return }   // committed: nothing to undo
        do {
            _ = try await ctx.store.deleteShare(walletID: plan.walletId, generation: plan.generation)
            _ = try await ctx.store.deleteJournal(ResharePending.key(plan.walletId, plan.generation))
            if current == nil, try await ctx.store.latestGeneration(walletID: plan.walletId) == nil {
                _ = try await ctx.store.deleteWallet(id: plan.walletId)
            }
        } catch { throw ClusterError("storage_error", error.code) }
    }

    private func dropPresignatures(_ walletId: String) async throws(ClusterError) {
        do {
            let ids = try await ctx.store.presignatureIDs(prefix: Array(walletId.utf8) + [0])
            for id in ids { _ = try await ctx.store.consumePresignature(id: id) }
            if !ids.isEmpty { ctx.log.info("wallet \(walletId): \(ids.count) presignature(s) of the old shares dropped") }
        } catch { throw ClusterError("storage_error", error.code) }
    }
}
