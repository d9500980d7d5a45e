import ClientKit
import Foundation
import Messaging
import Protocols

/// One threshold ECDSA signing (CGGMP21) with a fixed signer set: a pooled presignature for that set when
/// there is one, else a fresh presign session (`ECDSAPresignDriver`); then the one signing round (Fig. 8): each
/// signer consumes its presignature and answers σ_i; σ = Σ σ_i is checked share by share (a wrong σ_j names
/// its signer), verified with libsecp256k1 and normalised to low-S. The signature returned is r‖s‖v (65 bytes).
enum ECDSASignAttempt {
    typealias Outcome = Result<(signature: [UInt8], evidence: [String]), AttemptFailure>

    static func run(ctx: CoordinatorContext, entry: WalletEntry, walletId: String, signers: [String], digest: [UInt8],
                    clientRequest: [UInt8]) async -> Outcome {
        guard let publicKey = Hex.decode(entry.groupPublicKey), publicKey.count == 33 else {
            return .failure(AttemptFailure(error: ClusterError("internal_error", "stored ECDSA key is not 33 bytes")))
        }
        defer { ctx.presignPool.refill(ctx, wallet: walletId) }
        if let (pooled, next) = await ctx.presignPool.take(walletId, signers: signers) {
            ctx.log.info("signing wallet \(walletId) with pooled presignature \(pooled.presignId) (\(signers.joined(separator: ",")))")
            let r = await sign(ctx: ctx, presignature: pooled, walletId: walletId, publicKey: publicKey, digest: digest,
                               clientRequest: clientRequest, armNext: next)
            // A pooled presignature some signer no longer holds (e.g. its store was reset): presign afresh.
            guard case .failure(let f) = r, f.error.code == "presignature_unknown" else { return r }
            ctx.log.warn("pooled presignature \(pooled.presignId) unusable (\(f.error)); presigning afresh")
        } else {
            ctx.log.info("no pooled presignature for wallet \(walletId) and \(signers.joined(separator: ",")): presign and sign")
        }
        switch await ECDSAPresignDriver.run(ctx: ctx, walletId: walletId, signers: signers) {
        case .failure(let f): return .failure(f)
        case .success(let fresh):
            return await sign(ctx: ctx, presignature: fresh, walletId: walletId, publicKey: publicKey, digest: digest, clientRequest: clientRequest)
        }
    }

    static func sign(ctx: CoordinatorContext, presignature p: PooledPresignature, walletId: String, publicKey: [UInt8], digest: [UInt8],
                     clientRequest: [UInt8], armNext: [String]? = nil) async -> Outcome {
        func fail(_ code: String, _ msg: String, culprits: [String] = []) -> Outcome {
            .failure(AttemptFailure(error: ClusterError(code, msg), culprits: culprits))
        }
        guard let bytes = Hex.decode(p.publicData), let pub = try? CGGMPPresignaturePublic(encoded: bytes),
              let session = Hex.decode(p.presignId).flatMap(SessionID.init(bytes:)) else {
            return fail("internal_error", "pooled presignature does not decode")
        }
        guard (try? pub.publicKey.serialized()) == publicKey else { return fail("internal_error", "presignature for another key") }
        var pids: [String: CGGMPPartyId] = [:]
        for s in p.signers {
            guard let pid = ctx.manifest.participantID(of: s) else { return fail("invalid_signers", "unknown node \(s)") }
            pids[s] = pid.value
        }
        let request = ECDSANodeRequest(op: .sign, walletId: walletId, presignId: p.presignId, signers: p.signers,
                                       digest: Hex.encode(digest), clientRequest: Hex.encode(clientRequest),
                                       armNext: armNext)
        let answers = await AskNodes.all(ctx, p.signers, subject: ECDSASubjects.node, type: .sessionPlan,
                                                          session: session, payload: WireBody.encode(request), addressedToAll: true)
        let replies: [String: NodeAnswer]
        switch answers {
        case .failure(let f): return .failure(f)
        case .success(let r): replies = r
        }
        var shares: [CGGMPSignatureShare] = []
        var malformed: [String] = []
        for (node, answer) in replies.sorted(by: { $0.key < $1.key }) {
            guard answer.data.count == 32, let pid = pids[node] else { malformed.append(node); continue }
            shares.append(CGGMPSignatureShare(from: pid, sigma: BigNum(bytes: answer.data)))
        }
        guard malformed.isEmpty else { return fail("invalid_share", "malformed signature share from \(malformed.joined(separator: ","))", culprits: malformed) }
        let signature: CGGMPSignature
        do { signature = try pub.combine(shares, digest: digest) }
        catch {
            if case .culprits(let map) = error {
                let names = map.keys.compactMap { pid in pids.first { $0.value == pid }?.key }.sorted()
                for n in names { await ctx.presignPool.drop(walletId, involving: n) }
                return fail("invalid_share", "wrong signature share from \(names.joined(separator: ",")) (σ_j·Γ ≠ m·Δ_j + r·S_j)", culprits: names)
            }
            return fail("ECDSA_INVALID_SIGNATURE", "combine: \(error)")
        }
        // `combine` checked that recovery with v gives the wallet key; verification proper (low-S enforced) too.
        guard ECDSAVerify.verify(publicKey: publicKey, digest: digest, compact: signature.compact) else {
            return fail("ECDSA_INVALID_SIGNATURE", "the combined signature does not verify")
        }
        return .success((signature.compact + [signature.v], replies.sorted { $0.key < $1.key }.map { Hex.encode($0.value.envelope) }))
    }
}
