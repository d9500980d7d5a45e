import ClientKit
import Foundation
import Messaging
import Protocols

/// Runs one CGGMP21 presign session (eprint 2021/060, Fig. 7) on a fixed signer set: a signed plan to each
/// signer (they subscribe to the session's subjects), the start signal, then each signer's signed result
/// (the presignature's public part, or an error with the culprits its own run identified). The rounds
/// themselves go between the nodes, point to point and sealed pairwise; the coordinator never sees them.
enum ECDSAPresignDriver {
    static func run(ctx: CoordinatorContext, walletId: String, signers: [String]) async -> Result<PooledPresignature, AttemptFailure> {
        var rng = SystemRandom()
        let session = SessionID.random(using: &rng)
        let presignId = session.hex
        let results: EnvelopeSubscription
        do { results = try ctx.connection.subscribeEnvelopes(subject: ECDSASubjects.presignResponse(session), verifier: ctx.nodeVerifier) }
        catch { return .failure(AttemptFailure(error: ClusterError("transport_error", "\(error)"))) }
        defer { results.unsubscribe() }
        ctx.log.info("presigning for wallet \(walletId) with \(signers.joined(separator: ","))", session: presignId)
        let plan = ECDSANodeRequest(op: .presign, walletId: walletId, presignId: presignId, signers: signers)
        // A node may still be verifying a peer's aux info (first use after it started): a longer answer time.
        let acks = await AskNodes.all(ctx, signers, subject: ECDSASubjects.node, type: .sessionPlan, session: session,
                                    payload: WireBody.encode(plan), timeout: .seconds(60))
        func abandon() {
            if let abort = ctx.identity.envelope(.roundMessage, session: session, payload: [ECDSAPresignTag.abort]) {
                try? ctx.connection.publish(abort, subject: Subjects.sessionBroadcast(session))
            }
        }
        if case .failure(let f) = acks { abandon(); return .failure(f) }
        guard let start = ctx.identity.envelope(.roundMessage, session: session, payload: [ECDSAPresignTag.start]) else {
            return .failure(AttemptFailure(error: ClusterError("internal_error", "cannot sign")))
        }
        do { try ctx.connection.publish(start, subject: Subjects.sessionBroadcast(session)) }
        catch { return .failure(AttemptFailure(error: ClusterError("transport_error", "\(error)"))) }

        // Three rounds of Paillier arithmetic and proofs: allow three times the session timeout.
        let collected = await Collect.first(signers.count, from: results, timeout: ctx.timeout * 3) { v -> (String, ECDSAPresignResult)? in
            guard v.envelope.sessionId == session, v.envelope.type == .result, signers.contains(v.envelope.sender),
                  let b = try? WireBody.decode(ECDSAPresignResult.self, v.envelope.payload), b.presignId == presignId else { return nil }
            return (v.envelope.sender, b)
        }
        var byNode: [String: ECDSAPresignResult] = [:]
        for (n, b) in collected where byNode[n] == nil { byNode[n] = b }
        let verdict = judge(byNode, signers: signers, presignId: presignId, abandon: abandon)
        if case .failure = verdict {
            // Signers whose own checks passed sealed their part before reporting it; nobody will hand this presignature
            // out, so they delete it (in the background; the attempt's failure is answered now).
            let holders = byNode.filter { $0.value.publicData != nil }.keys.sorted()
            if !holders.isEmpty {
                Task { await ECDSARetire.run(ctx: ctx, wallet: walletId, ids: [presignId], at: holders, why: "orphaned") }
            }
        }
        if case .failure(let f) = verdict, !f.culprits.isEmpty {
            // A culprit of presigning (a failed proof, or named by identification after a failed δ or χ check) leaves the
            // wallet's presign pool: its pooled presignatures are dropped and it is kept out of the pool's signer sets.
            let total = await ctx.presignPool.exclude(walletId, culprits: f.culprits)
            ctx.log.error("presign culprit identified for wallet \(walletId): \(f.culprits.joined(separator: ",")) "
                          + "(presign_culprits_total \(total)); \(f.error.message)", session: presignId)
        }
        return verdict
    }

    /// Every signer must report the same public part. Accusations (identifiable abort in a node's own run)
    /// cannot be checked here (the rounds are sealed between nodes): a signer accused by more than half of the
    /// other reporting signers is named as the culprit; signers that did not report are unavailable.
    static func judge(_ byNode: [String: ECDSAPresignResult], signers: [String], presignId: String,
                      abandon: () -> Void) -> Result<PooledPresignature, AttemptFailure> {
        let silent = signers.filter { byNode[$0] == nil }
        let failed = byNode.filter { $0.value.code != nil }
        if failed.isEmpty, silent.isEmpty {
            let datas = Set(byNode.values.compactMap(\.publicData))
            guard datas.count == 1, let d = datas.first, let bytes = Hex.decode(d),
                  let pub = try? CGGMPPresignaturePublic(encoded: bytes), pub.signers.count == signers.count else {
                return .failure(AttemptFailure(error: ClusterError("presign_inconsistent", "signers reported different presignatures")))
            }
            return .success(PooledPresignature(presignId: presignId, signers: signers, publicData: d))
        }
        abandon()
        var accusations: [String: Int] = [:]
        for (_, r) in failed { for c in Set(r.culprits ?? []) { accusations[c, default: 0] += 1 } }
        let culprits = accusations.filter { c, n in 2 * n > byNode.keys.filter { $0 != c }.count }.keys.sorted()
        let detail = failed.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.code ?? "") \($0.value.message ?? "")" }.joined(separator: "; ")
        if !culprits.isEmpty {
            return .failure(AttemptFailure(error: ClusterError("presign_culprit", "presign aborted, culprits \(culprits.joined(separator: ",")): \(detail)"),
                                           culprits: culprits))
        }
        if !silent.isEmpty {
            return .failure(AttemptFailure(error: ClusterError("presign_timeout", "no presign result from \(silent.joined(separator: ",")); \(detail)"),
                                           unavailable: silent))
        }
        return .failure(AttemptFailure(error: ClusterError("presign_failed", detail)))
    }
}
