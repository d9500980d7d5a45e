import ClientKit
import Foundation
import Messaging
import Protocols

/// Runs one keygen: every node, a random session id, a signed plan to each; then the start signal and
/// each node's signed result. The group key must agree across all nodes.
enum KeygenDriver {
    static func run(ctx: CoordinatorContext, registry: WalletRegistry, body: KeygenRequestBody,
                    clientRequest: [UInt8]) async -> Result<WalletEntry, ClusterError> {
        guard PartyID.isValid(body.walletId) else { return .failure(ClusterError("invalid_wallet_id", "1-64 of [A-Za-z0-9_-]")) }
        guard await registry.reserve(body.walletId) else {
            return .failure(ClusterError("wallet_exists", "wallet \(body.walletId) exists or is being created"))
        }
        let r = await create(ctx: ctx, registry: registry, body: body, clientRequest: clientRequest)
        if case .failure = r { await registry.release(body.walletId) }
        return r
    }

    private static func create(ctx: CoordinatorContext, registry: WalletRegistry, body: KeygenRequestBody,
                               clientRequest: [UInt8]) async -> Result<WalletEntry, ClusterError> {
        let nodes = ctx.manifest.nodes.map(\.id)
        let healthy = await ctx.healthyNodes { h in nodes.allSatisfy(h.contains) }
        let missing = nodes.filter { !healthy.contains($0) }
        guard missing.isEmpty else { return .failure(ClusterError("nodes_unavailable", "keygen needs every node; down: \(missing.joined(separator: ","))")) }
        var rng = SystemRandom()
        let session = SessionID.random(using: &rng)
        let log = ctx.log
        let results: EnvelopeSubscription
        do { results = try ctx.connection.subscribeEnvelopes(subject: ClusterSubjects.keygenResponse(session), verifier: ctx.nodeVerifier) }
        catch { return .failure(ClusterError("transport_error", "\(error)")) }
        defer { results.unsubscribe() }
        let plan = SessionPlanBody(kind: .keygen, walletId: body.walletId, curve: body.curve, participants: nodes,
                                   threshold: ctx.manifest.threshold, digest: nil, clientRequest: Hex.encode(clientRequest))
        let acks = await AskNodes.all(ctx, nodes, subject: ClusterSubjects.nodePlan, type: .sessionPlan, session: session,
                                      payload: WireBody.encode(plan))
        // Nodes that accepted hold a keygen slot until their timeout unless told to let go.
        func abandon() {
            if let abort = ctx.identity.envelope(.roundMessage, session: session, payload: [3]) {
                try? ctx.connection.publish(abort, subject: Subjects.sessionBroadcast(session))
            }
        }
        if case .failure(let f) = acks { abandon(); return .failure(ClusterError(f.error.code, "plan refused: \(f.error.message)")) }
        log.info("keygen plan accepted by \(nodes.count) nodes, starting", session: session.hex)
        guard let start = ctx.identity.envelope(.roundMessage, session: session, payload: [0]) else {
            return .failure(ClusterError("internal_error", "cannot sign"))
        }
        do { try ctx.connection.publish(start, subject: Subjects.sessionBroadcast(session)) }
        catch { return .failure(ClusterError("transport_error", "\(error)")) }

        let collected = await Collect.first(nodes.count, from: results, timeout: ctx.timeout) { v -> (String, KeygenResultBody)? in
            guard v.envelope.sessionId == session, v.envelope.type == .result, nodes.contains(v.envelope.sender),
                  let b = try? WireBody.decode(KeygenResultBody.self, v.envelope.payload) else { return nil }
            return (v.envelope.sender, b)
        }
        var byNode: [String: KeygenResultBody] = [:]
        for (n, b) in collected { byNode[n] = b }
        guard byNode.count == nodes.count else {
            abandon()
            let silent = nodes.filter { byNode[$0] == nil }
            return .failure(ClusterError("keygen_timeout", "no result from \(silent.joined(separator: ",")) within \(ctx.config.sessionTimeoutSeconds) s"))
        }
        if let (n, failed) = byNode.first(where: { $0.value.code != nil }) {
            return .failure(ClusterError(failed.code ?? "keygen_failed", "\(n): \(failed.message ?? "")"))
        }
        let keys = Set(byNode.values.map { "\($0.groupPublicKey ?? "")/\($0.publicKeyPackage ?? "")" })
        guard keys.count == 1, let first = byNode.values.first, let pkp = first.publicKeyPackage, let gk = first.groupPublicKey,
              first.walletId == body.walletId, first.curve == body.curve else {
            return .failure(ClusterError("keygen_disagreement", "nodes reported different group keys"))
        }
        guard PublicKeyCheck.consistent(curve: body.curve, publicKeyPackage: pkp, groupKey: gk, threshold: ctx.manifest.threshold) else {
            return .failure(ClusterError("keygen_invalid", "public key package does not match the group key"))
        }
        let entry = WalletEntry(curve: body.curve, publicKeyPackage: pkp, groupPublicKey: gk)
        do { try await registry.put(body.walletId, entry) } catch { return .failure(error) }
        log.info("wallet \(body.walletId) created", session: session.hex)
        return .success(entry)
    }
}

/// The public key package must decode for the curve and give the reported group key.
enum PublicKeyCheck {
    static func consistent(curve: Curve, publicKeyPackage: String, groupKey: String, threshold: Int) -> Bool {
        switch curve {
        case .ed25519: return check(FROSTEd25519.self, publicKeyPackage, groupKey, threshold)
        case .secp256k1Schnorr: return check(FROSTSecp256k1.self, publicKeyPackage, groupKey, threshold)
        case .secp256k1Taproot: return check(FROSTSecp256k1Taproot.self, publicKeyPackage, groupKey, threshold)
        case .secp256k1: return check(FROSTSecp256k1.self, publicKeyPackage, groupKey, threshold) // ECDSA key from the FROST DKG
        }
    }
    static func check<C: FROSTCiphersuite>(_: C.Type, _ pkpHex: String, _ gkHex: String, _ t: Int) -> Bool {
        guard let bytes = Hex.decode(pkpHex), let gk = Hex.decode(gkHex),
              let pkp = try? KeyPackageCodec.decodePublicKeyPackage(bytes, as: C.self), pkp.minSigners == t,
              let key = try? FROSTSigning<C>.verifyingKey(publicKeyPackage: pkp, tweak: .untweaked).serialized() else { return false }
        return key == gk
    }
}

/// Collects up to `count` accepted items from an envelope subscription, or what arrived by the timeout.
enum Collect {
    actor Bag<T: Sendable> {
        var items: [T] = []
        func add(_ t: T) -> Int { items.append(t); return items.count }
    }

    static func first<T: Sendable>(_ count: Int, from sub: EnvelopeSubscription, timeout: Duration,
                                   _ accept: @escaping @Sendable (VerifiedEnvelope) -> T?) async -> [T] {
        let bag = Bag<T>()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await v in sub {
                    if let t = accept(v), await bag.add(t) == count { break }
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            _ = await group.next()
            group.cancelAll()
            sub.unsubscribe()
        }
        return await bag.items
    }
}
