import ClientKit
import Foundation
import Messaging
import Protocols

/// Tells the signers of presignatures the coordinator will never hand out to delete their parts, so that no
/// unusable secret material (k_i, χ_i) stays at rest in the nodes' stores: the reserved entries a restart dropped
/// ("dropped"), and the parts that the signers whose own checks passed stored in a presign session that failed
/// elsewhere ("orphaned": a cheater lied in round 3 to some signers only, or the reports disagree). Best effort: a
/// signer that does not answer keeps its parts (unusable: the coordinator never pools them), and the coordinator
/// says so in its log.
enum ECDSARetire {
    /// Pool entries, one request per signer set.
    static func run(ctx: CoordinatorContext, wallet: String, entries: [PooledPresignature], why: String) async {
        for (signers, group) in Dictionary(grouping: entries, by: \.signers) {
            await run(ctx: ctx, wallet: wallet, ids: group.map(\.presignId), at: signers, why: why)
        }
    }

    /// Asks `signers` to delete the presignatures `ids` of `wallet`.
    static func run(ctx: CoordinatorContext, wallet: String, ids: [String], at signers: [String], why: String) async {
        var rng = SystemRandom()
        let session = SessionID.random(using: &rng)
        let request = ECDSANodeRequest(op: .retire, walletId: wallet, presignId: session.hex, signers: signers, retire: ids)
        switch await AskNodes.all(ctx, signers, subject: ECDSASubjects.node, type: .sessionPlan, session: session,
                                  payload: WireBody.encode(request), addressedToAll: true) {
        case .success:
            ctx.log.info("retired \(ids.count) \(why) presignature(s) of wallet \(wallet) at \(signers.joined(separator: ","))")
        case .failure(let f):
            ctx.log.warn("retiring \(ids.count) \(why) presignature(s) of wallet \(wallet): \(f.error); unanswered: "
                         + (f.unavailable + f.codes.keys).sorted().joined(separator: ","))
        }
    }
}
