import ClientKit
import Foundation
import Messaging
import Protocols

/// Carries out one DKG for one node: feeds verified envelopes to `DKGSession` and sends what it returns.
/// Payload tags on the session subjects: 0 = start and 3 = abort (coordinator), 1 = round-1 package,
/// 2 = sealed round-2 package, 4 = the DKG's commitment digest (echo round, threshold ECDSA wallets only:
/// the key is used only when every participant reports the same digest, SECURITY-CHECKLIST 12).
actor DKGRunner<C: FROSTCiphersuite> {
    let ctx: NodeContext
    let plan: SessionPlanBody
    let channel: SessionChannel
    var session: SessionID { channel.session }
    /// node id <-> participant id for this session's participants.
    var ids: [String: ParticipantID] { channel.ids }
    private var dkg: DKGSession<C>
    private var done = false
    /// Threshold ECDSA (curve secp256k1): finish only after the echo of every participant's digest.
    private let echo: Bool
    private var pendingOutput: DKGOutput<C>?
    private var echoed: [ParticipantID: [UInt8]] = [:]
    private var subscriptions: [EnvelopeSubscription] = []
    private let onEnd: @Sendable () async -> Void

    init(ctx: NodeContext, session: SessionID, plan: SessionPlanBody, ids: [String: ParticipantID],
         onEnd: @escaping @Sendable () async -> Void) throws(ClusterError) {
        self.ctx = ctx; self.plan = plan; self.onEnd = onEnd
        channel = SessionChannel(ctx: ctx, session: session, ids: ids)
        echo = plan.curve == .secp256k1
        guard let me = ids[ctx.identity.id] else { throw ClusterError("not_participant", "this node is not in the plan") }
        do {
            let params = try KeyGenParameters(participants: ids.values.sorted(), threshold: plan.threshold, sessionID: session.bytes)
            dkg = try DKGSession<C>(identifier: me, parameters: params)
        } catch { throw ClusterError(error.code, "DKG parameters: \(error)") }
    }

    /// Subscribes to the session's subjects (before the plan is acknowledged, so nothing is missed).
    func subscribe() throws(ClusterError) {
        subscriptions = try channel.subscribe({ [weak self] v in await self?.handle(v) },
                                              onTimeout: { [weak self] code, message in await self?.fail(code, message) })
    }

    func handle(_ v: VerifiedEnvelope) async {
        guard !done else { return }
        let tag: UInt8, body: [UInt8], from: ParticipantID, sender: String
        switch channel.classify(v) {
        case .start:
            var rng = SystemRandom()
            await perform(dkg.start(using: &rng))
            return
        case .abort: await fail("session_aborted", "the coordinator abandoned the session"); return
        case .ignored: return
        case .peer(let t, let b, let f, let s): (tag, body, from, sender) = (t, b, f, s)
        }
        if tag == 4, echo {
            guard echoed[from] == nil, body.count == 32 else { await fail("echo_invalid", "bad or repeated digest from \(sender)"); return }
            echoed[from] = body
            await finishAfterEcho()
            return
        }
        let message: DKGMessage<C>
        do throws(FROSTError) {
            switch tag {
            case 1:
                message = .round1(try DKGRound1Package<C>(serialized: body, from: from))
            case 2:
                guard var plain = channel.openSealed(v, body) else { return }
                defer { zeroize(&plain) }
                message = .round2(try DKGRound2Package<C>(serialized: plain, from: from))
            default:
                return
            }
        } catch {
            ctx.log.warn("bad round message from \(sender): \(error.code)", session: session.hex)
            await fail(error.code, "bad message from \(sender)")
            return
        }
        await perform(dkg.receive(message, from: from))
    }

    private func perform(_ actions: [DKGAction<C>]) async {
        for a in actions {
            switch a {
            case .broadcast(let p):
                guard let bytes = try? p.serialized() else { await fail("internal_error", "round-1 encoding"); return }
                channel.broadcast(tag: 1, bytes)
            case .sendEach(let packages):
                channel.sendEach(tag: 2, packages)
            case .finished(let output) where echo:
                pendingOutput = output
                channel.broadcast(tag: 4, output.commitmentDigest)
                await finishAfterEcho()
            case .finished(let output):
                await finish(output)
            case .abort(let error):
                await fail(error.code, "DKG aborted; culprits \(error.culprits.map(\.value))")
            case .refused(let error):
                ctx.log.warn("input refused: \(error.code)", session: session.hex)
            }
        }
    }

    /// Every other participant's digest must equal ours; for ECDSA the key share is built (and checked) from it.
    private func finishAfterEcho() async {
        guard let output = pendingOutput, echoed.count == ids.count - 1 else { return }
        pendingOutput = nil
        var digests: [CGGMPPartyId: [UInt8]] = [:]
        for (p, d) in echoed { digests[p.value] = d }
        if let o = output as? DKGOutput<FROSTSecp256k1> {
            do { _ = try CGGMPKeyShare(dkg: o, echoedDigests: digests) }
            catch {
                let who = digests.filter { $0.value != o.commitmentDigest }.keys.compactMap { p in ids.first { $0.value.value == p }?.key }
                await fail("echo_mismatch", "DKG commitments differ between participants (\(who.sorted().joined(separator: ","))): \(error)")
                return
            }
        }
        await finish(output)
    }

    private func finish(_ output: DKGOutput<C>) async {
        guard !done else { return }
        do {
            let m = try WalletMaterial(keyPackage: output.keyPackage, publicKeyPackage: output.publicKeyPackage)
            let record = WalletRecord(curve: plan.curve, publicKeyPackage: m.publicKeyPackage, groupPublicKey: m.groupPublicKey)
            try await ctx.store.putShare(walletID: plan.walletId, generation: 0, share: m.share)
            try await ctx.store.putWallet(id: plan.walletId, metadata: WireBody.encode(record))
            ctx.log.info("keygen finished for wallet \(plan.walletId)", session: session.hex)
            report(KeygenResultBody(walletId: plan.walletId, curve: plan.curve, publicKeyPackage: record.publicKeyPackage,
                                    groupPublicKey: record.groupPublicKey))
        } catch {
            await fail("storage_error", "cannot store the key package")
            return
        }
        await end()
    }

    func fail(_ code: String, _ message: String) async {
        guard !done else { return }
        ctx.log.error("keygen failed: \(code) \(message)", session: session.hex)
        report(KeygenResultBody(walletId: plan.walletId, curve: plan.curve, code: code, message: message))
        await end()
    }

    private func report(_ body: KeygenResultBody) {
        ctx.publish(.result, session: session, to: .party(ctx.manifest.coordinator.id), payload: WireBody.encode(body),
                    subject: ClusterSubjects.keygenResponse(session))
    }

    private func end() async {
        done = true
        for s in subscriptions { s.unsubscribe() }
        subscriptions = []
        await onEnd()
    }
}

extension Error {
    var code: String {
        if let e = self as? FROSTError { return e.code }
        if let e = self as? ClusterError { return e.code }
        return "error"
    }
}
