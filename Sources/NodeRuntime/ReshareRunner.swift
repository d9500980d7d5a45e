import ClientKit
import Foundation
import Messaging
import Protocols

/// Carries out one resharing `prepare` for one node (a dealer, a new member or both): feeds verified
/// envelopes to `ReshareSession` and sends what it returns. Payload tags on the session subjects:
/// 0 = start and 3 = abort (coordinator), 1 = a dealing (broadcast), 2 = a sealed sub-share (point to point),
/// 4 = a new member's digest of the dealings (echo). A new member stores the new share as the plan's
/// generation next to the current one (the pending record goes to the journal) and reports the new public
/// key package; the coordinator's `commit` makes it current (`ReshareNode`).
actor ReshareRunner<C: FROSTCiphersuite> {
    let ctx: NodeContext
    let plan: ResharePlanBody
    let channel: SessionChannel
    /// node id <-> participant id for the dealers and the new members.
    var ids: [String: ParticipantID] { channel.ids }
    private var reshare: ReshareSession<C>
    private var done = false
    private var subscriptions: [EnvelopeSubscription] = []
    private let onEnd: @Sendable () async -> Void

    init(ctx: NodeContext, session: SessionID, plan: ResharePlanBody, ids: [String: ParticipantID], oldKeyPackage: KeyPackage<C>?,
         onEnd: @escaping @Sendable () async -> Void) throws(ClusterError) {
        self.ctx = ctx; self.plan = plan; self.onEnd = onEnd
        channel = SessionChannel(ctx: ctx, session: session, ids: ids)
        guard let me = ids[ctx.identity.id] else { throw ClusterError("not_participant", "this node is not in the plan") }
        do {
            let old = try KeyPackageCodec.decodePublicKeyPackage(try WireBody.hex(plan.oldPublicKeyPackage, "oldPublicKeyPackage"), as: C.self)
            let params = try ReshareParameters<C>(dealers: plan.dealers.compactMap { ids[$0] }, members: plan.members.compactMap { ids[$0] },
                                                  newThreshold: plan.threshold, oldPublicKeyPackage: old, sessionID: session.bytes)
            reshare = try ReshareSession<C>(identifier: me, parameters: params, oldKeyPackage: oldKeyPackage)
        } catch let e as ClusterError { throw e }
        catch { throw ClusterError(error.code, "resharing parameters: \(error)") }
    }

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
            await perform(reshare.start(using: &rng))
            return
        case .abort: await fail("session_aborted", "the coordinator abandoned the session"); return
        case .ignored: return
        case .peer(let t, let b, let f, let s): (tag, body, from, sender) = (t, b, f, s)
        }
        let message: ReshareMessage<C>
        do throws(FROSTError) {
            switch tag {
            case 1: message = .dealing(try DKGRound1Package<C>(serialized: body, from: from))
            case 2:
                guard var plain = channel.openSealed(v, body) else { return }
                defer { zeroize(&plain) }
                message = .subShare(try DKGRound2Package<C>(serialized: plain, from: from))
            case 4:
                guard body.count == 32 else { throw .malformed(from: from, "echo must be 32 bytes") }
                message = .echo(body)
            default: return
            }
        } catch {
            await fail(error.code, "bad message from \(sender): \(error)")
            return
        }
        await perform(reshare.receive(message, from: from))
    }

    private func perform(_ actions: [ReshareAction<C>]) async {
        for a in actions {
            switch a {
            case .broadcast(let p):
                guard let bytes = try? p.serialized() else { await fail("internal_error", "dealing encoding"); return }
                channel.broadcast(tag: 1, bytes)
            case .sendEach(let packages):
                channel.sendEach(tag: 2, packages)
            case .echo(let digest):
                channel.broadcast(tag: 4, digest)
            case .dealt:
                ctx.log.info("dealt my share of wallet \(plan.walletId) to the new members", session: channel.session.hex)
                report(ReshareResultBody(walletId: plan.walletId, generation: plan.generation, dealt: true))
                await end()
            case .finished(let output):
                await finish(output)
            case .abort(let error):
                let named = error.culprits.compactMap { p in ids.first { $0.value == p }?.key }.sorted()
                await fail(error.code, "resharing aborted; culprits \(named.joined(separator: ",")): \(error)")
            case .refused(let error):
                ctx.log.warn("reshare input refused: \(error.code)", session: channel.session.hex)
            }
        }
    }

    /// Stores the new share as the plan's generation (insert-only, next to the current one) and the pending
    /// wallet record in the journal; the current record and share stay in force until `commit`.
    private func finish(_ output: ReshareOutput<C>) async {
        guard !done else { return }
        do {
            let m = try WalletMaterial(keyPackage: output.keyPackage, publicKeyPackage: output.publicKeyPackage)
            let (pkp, key) = (m.publicKeyPackage, m.groupPublicKey)
            let record = WalletRecord(curve: plan.curve, publicKeyPackage: pkp, groupPublicKey: key, generation: plan.generation,
                                      threshold: plan.threshold, members: plan.members)
            try await ctx.store.putShare(walletID: plan.walletId, generation: plan.generation, share: m.share)
            try await ctx.store.putJournal(ResharePending.key(plan.walletId, plan.generation), value: WireBody.encode(record))
            ctx.log.info("resharing of wallet \(plan.walletId): generation \(plan.generation) stored, awaiting commit",
                         session: channel.session.hex)
            report(ReshareResultBody(walletId: plan.walletId, generation: plan.generation, publicKeyPackage: pkp, groupPublicKey: key))
        } catch {
            await fail("storage_error", "cannot store the new share: \(error)")
            return
        }
        await end()
    }

    func fail(_ code: String, _ message: String) async {
        guard !done else { return }
        ctx.log.error("resharing failed: \(code) \(message)", session: channel.session.hex)
        report(ReshareResultBody(walletId: plan.walletId, generation: plan.generation, code: code, message: message))
        await end()
    }

    private func report(_ body: ReshareResultBody) {
        ctx.publish(.result, session: channel.session, to: .party(ctx.manifest.coordinator.id), payload: WireBody.encode(body),
                    subject: ClusterSubjects.reshareResponse(channel.session))
    }

    private func end() async {
        done = true
        for s in subscriptions { s.unsubscribe() }
        subscriptions = []
        await onEnd()
    }
}

extension ReshareRunner: AbortableSession {
    func abort(_ code: String, _ message: String) async { await fail(code, message) }
}

/// The journal key of a new generation stored by `prepare` and not yet committed.
enum ResharePending {
    static func key(_ walletId: String, _ generation: UInt64) -> [UInt8] {
        Array("reshare/".utf8) + Array(walletId.utf8) + [0] + withUnsafeBytes(of: generation.bigEndian) { Array($0) }
    }
}
