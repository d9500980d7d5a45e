import ClientKit
import Foundation
import Messaging
import Protocols
import Storage

/// A node's threshold ECDSA (CGGMP21) side: its aux info, presign sessions (`ECDSAPresignRunner`) and the
/// one-round signing from a stored presignature. Requests come from the coordinator on
/// `ECDSASubjects.node(id)`; peers ask for aux info on `ECDSASubjects.aux(id)`.
actor ECDSANode {
    let ctx: NodeContext
    let aux: ECDSAAux
    /// Presignatures the coordinator will use next, consumed from the store ahead of use.
    let armed: ArmedPresignatures
    /// Checks that the client's own signed request authorizes exactly this signing (NodeService's check).
    let checkClientRequest: @Sendable (SessionPlanBody) async throws(ClusterError) -> Void
    private var presigns: [SessionID: ECDSAPresignRunner] = [:]
    private var pending = 0
    private var tasks: [Task<Void, Never>] = []
    private var subscriptions: [NatsHandlerSubscription] = []

    init(ctx: NodeContext, checkClientRequest: @escaping @Sendable (SessionPlanBody) async throws(ClusterError) -> Void) {
        self.ctx = ctx
        aux = ECDSAAux(ctx: ctx)
        armed = ArmedPresignatures(store: ctx.store)
        self.checkClientRequest = checkClientRequest
    }

    func start() throws(ClusterError) {
        let me = ctx.identity.id
        let aux = self.aux
        do {
            subscriptions.append(try ctx.connection.subscribe(subject: ECDSASubjects.node(me)) { [weak self] m in await self?.handle(m) })
            subscriptions.append(try ctx.connection.subscribe(subject: ECDSASubjects.aux(me)) { m in await aux.answer(m) })
        } catch { throw ClusterError("transport_error", "subscribe: \(error)") }
        tasks.append(Task { await aux.start() })
    }

    func stop() {
        for t in tasks { t.cancel() }
        for s in subscriptions { s.unsubscribe() }
    }

    /// Presign sessions admitted and not finished.
    var running: Int { presigns.count + pending }

    /// Keygen of an ECDSA wallet needs this node's aux info (its peers' is fetched at presign time).
    func requireAux() async throws(ClusterError) {
        _ = try await aux.ownAux()
        await aux.prefetchInBackground()
    }

    func handle(_ m: NatsMessage) async {
        guard let v = await ctx.verifiedOrRefused(m, what: "ECDSA request") else { return }
        let session = v.envelope.sessionId
        do throws(ClusterError) {
            guard v.envelope.sender == ctx.manifest.coordinator.id, v.envelope.type == .sessionPlan else {
                throw ClusterError("unauthorized", "ECDSA requests come only from the coordinator")
            }
            let req = try WireBody.decode(ECDSANodeRequest.self, v.envelope.payload)
            guard Hex.decode(req.presignId) == session.bytes else { throw ClusterError("plan_mismatch", "presignId is not the session id") }
            switch req.op {
            case .presign:
                let ids = try signerIDs(req, threshold: await ctx.walletThreshold(req.walletId))
                try await startPresign(req, session: session, ids: ids)
                ctx.reply(to: m, session: session, body: NodeReplyBody())
            case .sign:
                let sigma = try await sign(req)
                ctx.log.info("ECDSA signature share sent (presignature \(req.presignId))", session: session.hex)
                ctx.reply(to: m, session: session, body: NodeReplyBody(data: Hex.encode(sigma)))
            case .retire:
                try await retire(req)
                ctx.reply(to: m, session: session, body: NodeReplyBody())
            }
        } catch {
            ctx.log.warn("ECDSA request refused: \(error)", session: session.hex)
            ctx.reply(to: m, session: session, body: NodeReplyBody(code: error.code, message: error.message))
        }
    }

    /// Exactly `t` (the wallet's threshold) distinct manifest nodes including this one, ascending.
    private func signerIDs(_ req: ECDSANodeRequest, threshold t: Int) throws(ClusterError) -> [String: CGGMPPartyId] {
        guard req.signers.count == t, req.signers == req.signers.sorted(), Set(req.signers).count == t else {
            throw ClusterError("plan_mismatch", "signers must be \(t) distinct node ids, ascending")
        }
        var ids: [String: CGGMPPartyId] = [:]
        for n in req.signers {
            guard let pid = ctx.manifest.participantID(of: n) else { throw ClusterError("plan_mismatch", "unknown node \(n)") }
            ids[n] = pid.value
        }
        guard ids[ctx.identity.id] != nil else { throw ClusterError("not_participant", "this node is not a signer") }
        return ids
    }

    /// The wallet's ECDSA key share from the stored key package of its DKG.
    private func keyShare(_ walletId: String) async throws(ClusterError) -> CGGMPKeyShare {
        let current = try await ctx.currentShare(walletId: walletId, planGeneration: nil)
        var share = current.share
        defer { zeroize(&share) }
        let wallet = current.wallet
        guard wallet.curve == .secp256k1 else { throw ClusterError("plan_mismatch", "wallet curve is \(wallet.curve.rawValue)") }
        do {
            let kp = try KeyPackageCodec.decodeKeyPackage(share, as: FROSTSecp256k1.self)
            let pkp = try KeyPackageCodec.decodePublicKeyPackage(try WireBody.hex(wallet.publicKeyPackage, "publicKeyPackage"), as: FROSTSecp256k1.self)
            return try CGGMPKeyShare(keyPackage: kp, publicKeyPackage: pkp)
        } catch let e as ClusterError { throw e }
        catch { throw ClusterError("storage_error", "key share: \(error)") }
    }

    private func startPresign(_ req: ECDSANodeRequest, session: SessionID, ids: [String: CGGMPPartyId]) async throws(ClusterError) {
        guard presigns.count + pending < ctx.config.maxConcurrentSigning else { throw ClusterError("busy", "too many presign sessions") }
        guard presigns[session] == nil else { throw ClusterError("duplicate_session", "session already running") }
        pending += 1
        defer { pending -= 1 }
        let share = try await keyShare(req.walletId)
        let own = try await aux.ownAux()
        await aux.prefetchInBackground()
        let peers = try await aux.peers(req.signers)
        let info: CGGMPAuxInfo
        do { info = try own.auxInfo(id: share.id, peers: peers) } catch { throw ClusterError("internal_error", "aux info: \(error)") }
        let runner = ECDSAPresignRunner(ctx: ctx, session: session, request: req, profile: own.profile, ids: ids, keyShare: share, aux: info,
                                        onEnd: { [weak self] in await self?.endPresign(session) })
        presigns[session] = runner
        try await runner.subscribe()
        ctx.log.info("presign session for wallet \(req.walletId) with \(req.signers.joined(separator: ","))", session: session.hex)
    }

    func endPresign(_ s: SessionID) { presigns[s] = nil }

    /// At most this many presignatures retired by one request (a pool holds at most 64 per wallet and set).
    static let retireLimit = 256

    /// Deletes the named presignatures of the wallet (stored or armed); every id is checked before any is deleted.
    /// Deleting can only make a presignature unusable, never usable twice. How many existed goes to the log.
    private func retire(_ req: ECDSANodeRequest) async throws(ClusterError) {
        let ids = req.retire ?? []
        guard !ids.isEmpty, ids.count <= Self.retireLimit else {
            throw ClusterError("malformed_payload", "retire names 1...\(Self.retireLimit) presignatures, got \(ids.count)")
        }
        let keys = try ids.map { (id) throws(ClusterError) in try ECDSAPresignKey.key(wallet: req.walletId, presignId: id) }
        let found: Int
        do { found = try await armed.discard(keys) } catch { throw ClusterError("storage_error", "retire: \(error)") }
        ctx.log.info("retired \(found) of \(ids.count) presignature(s) of wallet \(req.walletId): \(ids.joined(separator: ","))")
    }

    /// Fig. 8: consumes the presignature (gone from the store before anything is computed, so it can never sign
    /// twice, also not after a crash: taken now in a durable write transaction, or earlier when the coordinator
    /// named it in `armNext`, see `ArmedPresignatures`), then σ_i.
    private func sign(_ req: ECDSANodeRequest) async throws(ClusterError) -> [UInt8] {
        guard let digestHex = req.digest, let clientRequest = req.clientRequest else {
            throw ClusterError("malformed_payload", "sign needs digest and clientRequest")
        }
        let digest = try WireBody.hex(digestHex, "digest")
        guard digest.count == 32 else { throw ClusterError("invalid_digest", "digest must be 32 bytes") }
        // The wallet's record gives the signing threshold, the share generation and the public key (the secret
        // share is not needed to sign from a presignature).
        let wallet = try await ctx.currentWallet(walletId: req.walletId, planGeneration: nil)
        let ids = try signerIDs(req, threshold: ctx.signingThreshold(wallet))
        try await checkClientRequest(SessionPlanBody(kind: .sign, walletId: req.walletId, curve: .secp256k1, participants: req.signers,
                                                     threshold: ctx.manifest.threshold, digest: digestHex, clientRequest: clientRequest))
        guard wallet.curve == .secp256k1, let walletKey = Hex.decode(wallet.groupPublicKey).flatMap({ try? Secp256k1Point(serialized: $0) }) else {
            throw ClusterError("plan_mismatch", "wallet \(req.walletId) is not a threshold ECDSA wallet")
        }
        let generation = wallet.generation ?? 0
        let key = try ECDSAPresignKey.key(wallet: req.walletId, presignId: req.presignId)
        // Validated before anything is consumed: a malformed id refuses the request with its presignature intact.
        let armKeys = try (req.armNext ?? []).prefix(armed.limitPerWallet).map { (id) throws(ClusterError) in
            try ECDSAPresignKey.key(wallet: req.walletId, presignId: id)
        }
        var consumed: (secret: [UInt8], armed: Bool)?
        do { consumed = try await armed.take(key, generation: generation) }
        catch { throw ClusterError("storage_error", "presignature: \(error)") }
        let wasArmed = consumed?.armed == true
        guard var secret = consumed?.secret else {
            throw ClusterError("presignature_unknown", "no presignature \(req.presignId) for \(req.walletId) (never made, or already used)")
        }
        consumed = nil   // `secret` holds the only reference: zeroize wipes it in place
        defer { zeroize(&secret) }
        ctx.log.info("presignature \(req.presignId) consumed" + (wasArmed ? " (taken from the store ahead of use)" : ""))
        if !armKeys.isEmpty { await armed.arm(armKeys, wallet: req.walletId, generation: generation) }
        if let pause = ctx.config.ecdsa?.testPauseAfterConsumeMillis, pause > 0 { try? await Task.sleep(for: .milliseconds(pause)) }
        do {
            let p = try CGGMPPresignature(encodedSecret: secret)
            guard p.id == ids[ctx.identity.id], p.publicData.signers == ids.values.sorted(), p.publicData.publicKey == walletKey else {
                throw ClusterError("plan_mismatch", "the presignature is for another signer set or key")
            }
            guard let sigma = try p.sign(digest: digest).sigma.bytes(width: 32) else { throw ClusterError("internal_error", "σ encoding") }
            return sigma
        } catch let e as ClusterError { throw e }
        catch { throw ClusterError("presignature_invalid", "\(error)") }
    }
}
