import ClientKit
import Foundation
import Messaging
import Protocols

/// Runs one resharing (CLUSTER.md "Resharing"): t_old healthy holders deal to the new committee (`prepare`),
/// every new member reports the new public key package it stored as the next generation; when all agree and
/// the group key is unchanged, the coordinator records the new generation (the commit point) and tells every
/// old and new holder to `commit` (old generations deleted; removed members delete the wallet). Any failure
/// before the commit point sends `abort`: the new generation is dropped, the old one stays in force.
enum ReshareDriver {
    static func run(ctx: CoordinatorContext, registry: WalletRegistry, body: ReshareRequestBody,
                    clientRequest: [UInt8]) async -> Result<WalletEntry, ClusterError> {
        guard let entry = await registry.get(body.walletId) else { return .failure(ClusterError("unknown_wallet", "no wallet \(body.walletId)")) }
        let manifestOrder = ctx.manifest.nodes.map(\.id)
        guard !body.members.isEmpty, Set(body.members).count == body.members.count,
              body.members.allSatisfy({ ctx.manifest.node($0) != nil }) else {
            return .failure(ClusterError("invalid_members", "members must be distinct node ids of the manifest"))
        }
        guard body.threshold >= 2, body.threshold <= body.members.count else {
            return .failure(ClusterError("invalid_threshold", "threshold must be in 2...\(body.members.count) (the number of members)"))
        }
        guard await registry.beginReshare(body.walletId) else {
            return .failure(ClusterError("reshare_in_progress", "wallet \(body.walletId) is being reshared"))
        }
        let r = await locked(ctx: ctx, registry: registry, body: body, entry: entry, clientRequest: clientRequest)
        await registry.endReshare(body.walletId)
        return r
    }

    /// The resharing itself, with the wallet's resharing slot held.
    private static func locked(ctx: CoordinatorContext, registry: WalletRegistry, body: ReshareRequestBody, entry: WalletEntry,
                               clientRequest: [UInt8]) async -> Result<WalletEntry, ClusterError> {
        let manifestOrder = ctx.manifest.nodes.map(\.id)
        let members = manifestOrder.filter { body.members.contains($0) }
        let oldMembers = WalletHolders.members(entry.members, manifest: ctx.manifest)
        let tOld = WalletHolders.threshold(entry.threshold, manifest: ctx.manifest)
        let generation = (entry.generation ?? 0) + 1
        let healthy = await ctx.healthyNodes { h in members.allSatisfy(h.contains) && oldMembers.filter(h.contains).count >= tOld }
        let down = members.filter { !healthy.contains($0) }
        guard down.isEmpty else { return .failure(ClusterError("nodes_unavailable", "every new member must be up; down: \(down.joined(separator: ","))")) }
        // Prefer dealers that stay (fewer nodes in the session); any t_old healthy holders will do. A dealer that
        // refuses because it no longer holds the current generation (restored from an old backup, say) is replaced
        // once by another holder.
        var stale = Set<String>()
        var attempt = 0
        let healthyOld = oldMembers.filter { healthy.contains($0) }
        var newPackage = ""
        var plan = ResharePlanBody(step: .prepare, walletId: body.walletId, curve: entry.curve, dealers: [], members: members,
                                   threshold: body.threshold, generation: generation, oldPublicKeyPackage: entry.publicKeyPackage,
                                   oldMembers: oldMembers, clientRequest: Hex.encode(clientRequest))
        var rng = SystemRandom()
        var session = SessionID.random(using: &rng)
        while true {
            attempt += 1
            let usable = healthyOld.filter { !stale.contains($0) }
            plan.step = .prepare
            plan.dealers = Array((usable.filter { members.contains($0) } + usable.filter { !members.contains($0) }).prefix(tOld))
                .sorted { manifestOrder.firstIndex(of: $0)! < manifestOrder.firstIndex(of: $1)! }
            guard plan.dealers.count == tOld else {
                return .failure(ClusterError("not_enough_signers", "\(usable.count) usable holders, resharing needs \(tOld) to deal"))
            }
            let participants = manifestOrder.filter { plan.dealers.contains($0) || members.contains($0) }
            session = SessionID.random(using: &rng)
            switch await prepare(ctx, plan: plan, participants: participants, session: session, groupKey: entry.groupPublicKey) {
            case .success(let pkp): newPackage = pkp
            case .failure(let f):
                plan.step = .abort
                await tell(ctx, plan: plan, nodes: participants, session: session)
                let staleDealers = f.refusedBy.filter { plan.dealers.contains($0.0) && $0.1.code == "stale_generation" }.map(\.0)
                guard attempt == 1, !staleDealers.isEmpty else { return .failure(f.error) }
                ctx.log.warn("resharing of \(body.walletId): dealers \(staleDealers.joined(separator: ",")) hold a stale generation; other dealers",
                             session: session.hex)
                stale.formUnion(staleDealers)
                continue
            }
            break
        }
        // The commit point: every new member stored generation g+1 of the same key.
        let newEntry = WalletEntry(curve: entry.curve, publicKeyPackage: newPackage, groupPublicKey: entry.groupPublicKey,
                                   generation: generation, threshold: body.threshold, members: members)
        do { try await registry.put(body.walletId, newEntry) } catch { return .failure(error) }
        if entry.curve == .secp256k1 { await ctx.presignPool.dropAll(body.walletId) }
        plan.step = .commit
        plan.publicKeyPackage = newPackage
        let everyone = manifestOrder.filter { oldMembers.contains($0) || members.contains($0) }
        let unconfirmed = await tell(ctx, plan: plan, nodes: everyone, session: session, attempts: 3)
        if !unconfirmed.isEmpty {
            // Committed nonetheless: the registry says g+1, so those nodes can no longer sign with generation g.
            ctx.log.error("resharing of \(body.walletId): commit not confirmed by \(unconfirmed.map(\.0).joined(separator: ","))", session: session.hex)
        }
        ctx.log.info("wallet \(body.walletId) reshared to \(members.joined(separator: ",")) threshold \(body.threshold), generation \(generation)",
                     session: session.hex)
        return .success(newEntry)
    }

    /// Phase 1: plans, start, every participant's result; returns the agreed new public key package.
    struct PrepareFailure: Error {
        var error: ClusterError
        /// Nodes that refused the plan, with their answer.
        var refusedBy: [(String, ClusterError)] = []
        init(_ e: ClusterError, refusedBy: [(String, ClusterError)] = []) { error = e; self.refusedBy = refusedBy }
    }

    private static func prepare(_ ctx: CoordinatorContext, plan: ResharePlanBody, participants: [String],
                                session: SessionID, groupKey: String) async -> Result<String, PrepareFailure> {
        let results: EnvelopeSubscription
        do { results = try ctx.connection.subscribeEnvelopes(subject: ClusterSubjects.reshareResponse(session), verifier: ctx.nodeVerifier) }
        catch { return .failure(PrepareFailure(ClusterError("transport_error", "\(error)"))) }
        defer { results.unsubscribe() }
        func abandon() {
            if let abort = ctx.identity.envelope(.roundMessage, session: session, payload: [3]) {
                try? ctx.connection.publish(abort, subject: Subjects.sessionBroadcast(session))
            }
        }
        let refused = await tell(ctx, plan: plan, nodes: participants, session: session)
        if let (n, e) = refused.first {
            abandon()
            return .failure(PrepareFailure(ClusterError(e.code, "plan refused by \(n): \(e.message)"), refusedBy: refused))
        }
        guard let start = ctx.identity.envelope(.roundMessage, session: session, payload: [0]) else {
            return .failure(PrepareFailure(ClusterError("internal_error", "cannot sign")))
        }
        do { try ctx.connection.publish(start, subject: Subjects.sessionBroadcast(session)) }
        catch { return .failure(PrepareFailure(ClusterError("transport_error", "\(error)"))) }
        let collected = await Collect.first(participants.count, from: results, timeout: ctx.timeout) { v -> (String, ReshareResultBody)? in
            guard v.envelope.sessionId == session, v.envelope.type == .result, participants.contains(v.envelope.sender),
                  let b = try? WireBody.decode(ReshareResultBody.self, v.envelope.payload), b.walletId == plan.walletId,
                  b.generation == plan.generation else { return nil }
            return (v.envelope.sender, b)
        }
        var byNode: [String: ReshareResultBody] = [:]
        for (n, b) in collected where byNode[n] == nil { byNode[n] = b }
        let silent = participants.filter { byNode[$0] == nil }
        guard silent.isEmpty else {
            abandon()
            return .failure(PrepareFailure(ClusterError("reshare_timeout", "no result from \(silent.joined(separator: ",")) within \(ctx.config.sessionTimeoutSeconds) s")))
        }
        let failed = byNode.filter { $0.value.code != nil }.sorted { $0.key < $1.key }
        if let (n, f) = failed.first {
            let all = failed.map { "\($0.key): \($0.value.code ?? "") \($0.value.message ?? "")" }.joined(separator: "; ")
            return .failure(PrepareFailure(ClusterError(f.code ?? "reshare_failed", "\(n) and \(failed.count - 1) other(s) failed: \(all)")))
        }
        let reports = plan.members.compactMap { byNode[$0] }
        let packages = Set(reports.map { "\($0.groupPublicKey ?? "")/\($0.publicKeyPackage ?? "")" })
        guard reports.count == plan.members.count, packages.count == 1, let pkp = reports.first?.publicKeyPackage,
              let gk = reports.first?.groupPublicKey else {
            return .failure(PrepareFailure(ClusterError("reshare_disagreement", "the new members reported different public key packages")))
        }
        guard gk == groupKey,
              PublicKeyCheck.consistent(curve: plan.curve, publicKeyPackage: pkp, groupKey: gk, threshold: plan.threshold) else {
            return .failure(PrepareFailure(ClusterError("reshare_invalid", "the new public key package does not keep the group key")))
        }
        return .success(pkp)
    }

    /// Sends `plan` to each node concurrently (`attempts` tries each); returns the nodes that did not accept it, with why.
    @discardableResult
    private static func tell(_ ctx: CoordinatorContext, plan: ResharePlanBody, nodes: [String], session: SessionID,
                             attempts: Int = 1) async -> [(String, ClusterError)] {
        await withTaskGroup(of: (String, ClusterError)?.self) { group in
            for n in nodes {
                group.addTask {
                    var last = ClusterError("node_unavailable", n)
                    for k in 0..<attempts {
                        if k > 0 { try? await Task.sleep(for: .seconds(1)) }
                        switch await ctx.ask(n, subject: ClusterSubjects.nodeReshare(n), type: .sessionPlan, session: session,
                                             payload: WireBody.encode(plan), timeout: .seconds(5)) {
                        case .success: return nil
                        case .failure(let e): last = e
                        }
                    }
                    return (n, last)
                }
            }
            var out: [(String, ClusterError)] = []
            for await r in group { if let r { out.append(r) } }
            return out.sorted { $0.0 < $1.0 }
        }
    }
}
