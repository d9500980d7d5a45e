import ClientKit
import Foundation
import Protocols

/// Picks exactly t healthy holders, runs an attempt, and on a failure excludes the nodes that did not
/// answer or cheated and retries with other holders (never lowering the threshold).
enum SignDriver {
    static func run(ctx: CoordinatorContext, registry: WalletRegistry, body: SignRequestBody,
                    clientRequest: [UInt8]) async -> Result<(signature: [UInt8], signers: [String], entry: WalletEntry, evidence: [String]), ClusterError> {
        do throws(ClusterError) { try body.checkDerivation() } catch { return .failure(error) }
        guard let entry = await registry.get(body.walletId) else { return .failure(ClusterError("unknown_wallet", "no wallet \(body.walletId)")) }
        guard let digest = Hex.decode(body.digest) else { return .failure(ClusterError("invalid_digest", "digest must be hex")) }
        if let refused = SignMessageRule.check(curve: entry.curve, message: digest) { return .failure(refused) }
        let t = WalletHolders.threshold(entry.threshold, manifest: ctx.manifest)
        let holders = Set(WalletHolders.members(entry.members, manifest: ctx.manifest))
        // Threshold ECDSA: signers that presigning named as culprits for this wallet stay out.
        var excluded = entry.curve == .secp256k1 ? await ctx.presignPool.excluded(body.walletId) : Set<String>()
        var lastError = ClusterError("not_enough_signers", "fewer than \(t) healthy holders")
        for attempt in 1...ctx.config.maxSignAttempts {
            let signers: [String]
            if let forced = body.signers {
                guard forced.count == t, Set(forced).count == t, forced.allSatisfy({ holders.contains($0) }) else {
                    return .failure(ClusterError("invalid_signers", "signers must be \(t) distinct holders of the wallet"))
                }
                guard attempt == 1 else { return .failure(lastError) }   // a forced set is never replaced
                signers = forced
            } else {
                func candidatesAmong(_ healthy: Set<String>) -> [String] {
                    ctx.manifest.nodes.map(\.id).filter { holders.contains($0) && healthy.contains($0) && !excluded.contains($0) }
                }
                let candidates = candidatesAmong(await ctx.signableNodes { candidatesAmong($0).count >= t })
                guard candidates.count >= t else {
                    return .failure(ClusterError("not_enough_signers", "\(candidates.count) healthy holders, threshold \(t); last error: \(lastError)"))
                }
                // Threshold ECDSA: a healthy set with a pooled presignature signs in one round.
                let pooled = entry.curve == .secp256k1 ? await ctx.presignPool.pooledSet(body.walletId, among: Set(candidates)) : nil
                signers = pooled ?? Array(candidates.shuffled().prefix(t)).sorted()
            }
            let r: Result<(signature: [UInt8], evidence: [String]), AttemptFailure>
            switch entry.curve {
            case .ed25519: r = await SignAttempt<FROSTEd25519>.run(ctx: ctx, entry: entry, walletId: body.walletId, signers: signers, digest: digest, clientRequest: clientRequest)
            case .secp256k1Schnorr: r = await SignAttempt<FROSTSecp256k1>.run(ctx: ctx, entry: entry, walletId: body.walletId, signers: signers, digest: digest, clientRequest: clientRequest)
            case .secp256k1Taproot: r = await SignAttempt<FROSTSecp256k1Taproot>.run(ctx: ctx, entry: entry, walletId: body.walletId, signers: signers, digest: digest, clientRequest: clientRequest)
            case .secp256k1: r = await ECDSASignAttempt.run(ctx: ctx, entry: entry, walletId: body.walletId, signers: signers, digest: digest, clientRequest: clientRequest)
            }
            switch r {
            case .success(let s): return .success((s.signature, signers, entry, s.evidence))
            case .failure(let f):
                ctx.log.warn("attempt \(attempt) failed: \(f.error); excluding \((f.unavailable + f.culprits).joined(separator: ","))")
                if !f.culprits.isEmpty { ctx.log.error("culprits: \(f.culprits.joined(separator: ","))") }
                lastError = f.culprits.isEmpty ? f.error : ClusterError(f.error.code, "\(f.error.message) (culprits: \(f.culprits.joined(separator: ",")))")
                excluded.formUnion(f.unavailable)
                excluded.formUnion(f.culprits)
                if f.unavailable.isEmpty && f.culprits.isEmpty { return .failure(f.error) }
            }
        }
        return .failure(lastError)
    }
}
