import ClientKit
import Foundation
import Messaging
import Protocols
import Storage

extension NodeContext {
    /// The wallet's record and the share of its current generation (the record's; 0 for a wallet never
    /// reshared). A plan made for another generation is refused with `stale_generation`, and so is a wallet
    /// whose current share is missing: a member rolled back to an older store (or a removed member whose
    /// commit it missed) never signs with an older generation (SECURITY-CHECKLIST 23).
    func currentShare(walletId: String, planGeneration: UInt64?) async throws(ClusterError) -> (share: [UInt8], wallet: WalletRecord) {
        let wallet = try await currentWallet(walletId: walletId, planGeneration: planGeneration)
        let generation = wallet.generation ?? 0
        let share: [UInt8]?
        do { share = try await store.share(walletID: walletId, generation: generation) } catch { throw ClusterError("storage_error", error.code) }
        guard let share else { throw ClusterError("stale_generation", "\(walletId): no share of the current generation \(generation)") }
        return (share, wallet)
    }

    /// The wallet's record, if this node holds it and the plan (when it names one) is for its current generation.
    func currentWallet(walletId: String, planGeneration: UInt64?) async throws(ClusterError) -> WalletRecord {
        let walletBytes: [UInt8]?
        do { walletBytes = try await store.wallet(id: walletId) } catch { throw ClusterError("storage_error", error.code) }
        guard let walletBytes else { throw ClusterError("unknown_wallet", "no share for \(walletId)") }
        let wallet = try WireBody.decode(WalletRecord.self, walletBytes)
        let generation = wallet.generation ?? 0
        if let planned = planGeneration, planned != generation {
            throw ClusterError("stale_generation", "\(walletId): this node holds generation \(generation), the plan is for \(planned)")
        }
        return wallet
    }

    /// What every FROST signing plan must pass before a nonce is drawn or used: its digest (hex, and allowed for the
    /// curve), a signer count equal to the wallet's threshold, and the wallet's curve. Returns the digest.
    func checkSigningPlan(_ plan: SessionPlanBody, wallet: WalletRecord) throws(ClusterError) -> [UInt8] {
        let digest = try WireBody.hex(plan.digest, "digest")
        if let refused = SignMessageRule.check(curve: plan.curve, message: digest) { throw refused }
        guard plan.participants.count == signingThreshold(wallet) else { throw ClusterError("plan_mismatch", "signer count differs from the threshold") }
        guard wallet.curve == plan.curve else { throw ClusterError("plan_mismatch", "wallet curve is \(wallet.curve.rawValue)") }
        return digest
    }

    /// How many signers the wallet needs: what its last resharing set, else the configured threshold.
    func signingThreshold(_ wallet: WalletRecord) -> Int { wallet.threshold ?? config.threshold ?? manifest.threshold }

    /// `signingThreshold` of a wallet by id (the configured threshold when the wallet is unknown here).
    func walletThreshold(_ walletId: String) async -> Int {
        guard let bytes = try? await store.wallet(id: walletId), let wallet = try? WireBody.decode(WalletRecord.self, bytes) else {
            return config.threshold ?? manifest.threshold
        }
        return signingThreshold(wallet)
    }
}
