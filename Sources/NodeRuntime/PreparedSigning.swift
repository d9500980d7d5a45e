import ClientKit
import Messaging
import Protocols

/// FROST signing in one round from preprocessed commitments (RFC 9591 §5.1-5.2 with the commit round run
/// ahead): `commit` prepares fresh nonces for a wallet and returns their commitments; `sign` takes the nonces
/// of this node's commitment in the coordinator's signing package out of memory (so they sign at most once,
/// whatever happens next), checks the package against the client's request, and returns the share together
/// with fresh commitments that refill the coordinator's pool.
struct PreparedSigning: Sendable {
    let ctx: NodeContext
    let nonces: PreparedNonces
    /// Fresh commitments one request may ask for.
    static let maxCount = 16

    /// `count` fresh commitments for the wallet's current share (hex, wire format).
    func commit(_ plan: SessionPlanBody) async throws(ClusterError) -> [String] {
        let count = plan.count ?? 1
        guard (1...Self.maxCount).contains(count) else { throw ClusterError("plan_mismatch", "count must be in 1...\(Self.maxCount)") }
        let current = try await ctx.currentShare(walletId: plan.walletId, planGeneration: plan.generation)
        var share = current.share
        defer { zeroize(&share) }
        guard current.wallet.curve == plan.curve else { throw ClusterError("plan_mismatch", "wallet curve is \(current.wallet.curve.rawValue)") }
        let generation = current.wallet.generation ?? 0
        switch plan.curve {
        case .ed25519: return try await prepare(decoded(share, as: FROSTEd25519.self), count, plan.walletId, generation)
        case .secp256k1Schnorr: return try await prepare(decoded(share, as: FROSTSecp256k1.self), count, plan.walletId, generation)
        case .secp256k1Taproot: return try await prepare(decoded(share, as: FROSTSecp256k1Taproot.self), count, plan.walletId, generation)
        case .secp256k1: throw ClusterError("unsupported_curve", "threshold ECDSA wallets sign through the ECDSA subject, not FROST rounds")
        }
    }

    /// What a signing answers: the share, `plan.count` fresh commitments, and `restock`, which the caller runs once
    /// the reply is out: it makes the nonces the next signing of the wallet hands out (off that signing's path).
    struct Signed: Sendable {
        let share: [UInt8]
        let fresh: [String]
        let restock: @Sendable () async -> Void
    }

    /// The share for the plan's signing package, and `plan.count` fresh commitments (at most `maxCount`), taken
    /// from the stock made after an earlier reply when there is one.
    /// `ids` are the plan's participants (this node among them); the client's request was checked by the caller.
    func sign(_ plan: SessionPlanBody, ids: [String: ParticipantID]) async throws(ClusterError) -> Signed {
        let wallet = try await ctx.currentWallet(walletId: plan.walletId, planGeneration: plan.generation)
        let digest = try ctx.checkSigningPlan(plan, wallet: wallet)
        guard let me = ids[ctx.identity.id] else { throw ClusterError("not_participant", "this node is not in the plan") }
        let package = try WireBody.hex(plan.package, "package")
        let refill = min(max(plan.count ?? 0, 0), Self.maxCount)
        let request = Request(package: package, message: digest, signers: ids.values.sorted(), me: me, walletId: plan.walletId,
                              generation: wallet.generation ?? 0, refill: refill)
        switch plan.curve {
        case .ed25519: return try await sign(request, as: FROSTEd25519.self)
        case .secp256k1Schnorr: return try await sign(request, as: FROSTSecp256k1.self)
        case .secp256k1Taproot: return try await sign(request, as: FROSTSecp256k1Taproot.self)
        case .secp256k1: throw ClusterError("unsupported_curve", "threshold ECDSA wallets sign through the ECDSA subject, not FROST rounds")
        }
    }

    private struct Request {
        let package: [UInt8], message: [UInt8], signers: [ParticipantID], me: ParticipantID, walletId: String, generation: UInt64, refill: Int
    }

    private func sign<C: FROSTCiphersuite>(_ r: Request, as: C.Type) async throws(ClusterError) -> Signed {
        guard let own = SigningPackage<C>.encodedCommitments(of: r.me, inWire: r.package) else {
            throw ClusterError("plan_mismatch", "the signing package has no commitment of this node")
        }
        // Out of memory before anything else: whatever follows, these nonces never sign again.
        guard let entry = await nonces.take(wallet: r.walletId, commitment: own) else {
            throw ClusterError("nonce_unknown", "no prepared nonces for this commitment (used, forgotten, or this node restarted)")
        }
        guard entry.generation == r.generation, let box = entry.signer as? SignerBox<C> else {
            throw ClusterError("nonce_unknown", "the commitment was prepared for another share generation")
        }
        // Every other signer's points are validated; this node's own are the ones it made.
        let package: SigningPackage<C>
        do { package = try SigningPackage<C>(wire: r.package, known: box.commitments) } catch { throw ClusterError(error.code, "signing package: \(error)") }
        let share = try await box.sign(package, message: r.message, signers: r.signers)
        let keyPackage = await box.keyPackage
        var fresh = await nonces.announceStocked(wallet: r.walletId, generation: r.generation, count: r.refill).map(Hex.encode)
        if fresh.count < r.refill { fresh += try await prepare(keyPackage, r.refill - fresh.count, r.walletId, r.generation) }
        let (nonces, walletId, generation, target) = (self.nonces, r.walletId, r.generation, max(r.refill, 1))
        return Signed(share: share, fresh: fresh) {
            for _ in 0..<(await nonces.stockShortfall(wallet: walletId, target: target)) {
                guard let (box, commitments) = try? SignerBox<C>.prepare(keyPackage) else { return }
                await nonces.addStock(wallet: walletId, generation: generation, commitment: commitments.serialize(), signer: box)
            }
        }
    }

    private func decoded<C: FROSTCiphersuite>(_ share: [UInt8], as: C.Type) throws(ClusterError) -> KeyPackage<C> {
        do { return try KeyPackageCodec.decodeKeyPackage(share, as: C.self) } catch { throw ClusterError("storage_error", "key package: \(error)") }
    }

    private func prepare<C: FROSTCiphersuite>(_ kp: KeyPackage<C>, _ count: Int, _ walletId: String, _ generation: UInt64) async throws(ClusterError) -> [String] {
        var out: [String] = []
        for _ in 0..<count {
            let (box, commitments) = try SignerBox<C>.prepare(kp)
            let bytes = commitments.serialize()
            await nonces.add(wallet: walletId, generation: generation, commitment: bytes, signer: box)
            out.append(Hex.encode(bytes))
        }
        return out
    }
}
