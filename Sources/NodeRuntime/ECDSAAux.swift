import ClientKit
import Foundation
import Messaging
import Protocols
import Storage

/// A node's CGGMP21 aux material (eprint 2021/060, aux-info phase): its own Paillier key and ring-Pedersen
/// parameters, sealed in its store and reused for every wallet (never sent to anyone; only N, s, t and proofs
/// leave the node), and its peers' aux info, accepted only through Π^mod, Π^prm and Π^fac.
///
/// Own material: loaded from the store; when absent, imported once from `ecdsa.auxPrimesFile` (tests /
/// development only) or else generated in the background from fresh safe primes (minutes; progress logged).
/// Peer material: asked for on `ECDSASubjects.aux(peer)` with our (N̂, s, t) and Π^prm; the answer's proofs
/// (Π^fac against our parameters) are verified, stored sealed and verified again when loaded after a restart.
/// Peers are fetched from the node's first ECDSA keygen or presign on (`prefetchInBackground`), not at start.
actor ECDSAAux {
    let ctx: NodeContext
    let profile: CGGMPProfile
    private var own: CGGMPOwnAux?
    private var peers: [String: VerifiedPeerAuxInfo] = [:]
    /// Π^mod and Π^prm of our material: made once, shown to every peer.
    private var modulusTask: Task<CGGMPModulusProofs?, Never>?
    private var status = "loading"

    init(ctx: NodeContext) {
        self.ctx = ctx
        profile = ctx.config.ecdsa?.profileBits == 3072 ? .bits3072 : .bits2048
    }

    var ownKey: String { "cggmp21/own/\(profile.name)" }
    func peerKey(_ node: String) -> String { "cggmp21/peer/\(profile.name)/\(node)" }

    var isReady: Bool { own != nil }
    var statusText: String { status }

    /// Callers of `ownAux` waiting for the load from the store or the fixture file to end.
    private var loadWaiters: [CheckedContinuation<Void, Never>] = []

    /// Our material, or `aux_not_ready` while it is being generated (minutes) or if it failed. While it is being
    /// loaded from the store (a read, a decode and ~30 ms of tables right after the node started) the caller waits
    /// for it instead: a keygen right after `cluster up` was refused otherwise.
    func ownAux() async throws(ClusterError) -> CGGMPOwnAux {
        if own == nil, status == "loading" { await withCheckedContinuation { loadWaiters.append($0) } }
        guard let own else { throw ClusterError("aux_not_ready", "this node's ECDSA aux info is \(status)") }
        return own
    }

    /// The load ended (ready, generating or failed): whoever waited looks again.
    private func loadEnded() {
        for w in loadWaiters { w.resume() }
        loadWaiters = []
    }

    /// Loads, imports or generates our material (in the background), then fetches every peer's.
    func start() async {
        let log = ctx.log
        if let pause = ctx.config.ecdsa?.testAuxLoadDelayMillis, pause > 0 { try? await Task.sleep(for: .milliseconds(pause)) }
        do {
            if let bytes = try await ctx.store.aux(ownKey) {
                let a = try CGGMPOwnAux(encoded: bytes)
                guard a.profile == profile else { throw ClusterError("aux_invalid", "stored aux info is \(a.profile), configured \(profile)") }
                ready(a, how: "loaded from the store")
            } else if let file = ctx.config.ecdsa?.auxPrimesFile {
                let index = ctx.config.ecdsa?.auxPrimesIndex ?? 0, profile = self.profile
                let a = try await Offload.run { () -> Result<CGGMPOwnAux, any Error> in
                    Result { try Self.importPrimes(file: file, index: index, profile: profile) }
                }.get()
                try await ctx.store.putAux(ownKey, value: a.encoded())
                ready(a, how: "imported from \(file) (tests / development only)")
            } else {
                status = "generating"
                loadEnded()
                log.info("ECDSA aux info: generating two \(profile.primeBits)-bit safe primes (\(profile)); this takes minutes")
                let profile = self.profile
                let generated = await Offload.runNiced { () -> Result<CGGMPOwnAux, any Error> in
                    var rng = SystemRandom()
                    var last = 0
                    do {
                        return .success(try CGGMPOwnAux.generate(profile: profile, using: &rng) { tried in
                            if tried - last >= 20_000 || tried < last { log.info("ECDSA aux info: \(tried) safe-prime candidates tried"); }
                            last = tried
                        })
                    } catch { return .failure(error) }
                }
                let a = try generated.get()
                try await ctx.store.putAux(ownKey, value: a.encoded())
                ready(a, how: "generated")
            }
        } catch {
            status = "failed"
            loadEnded()
            log.error("ECDSA aux info unavailable: \(error)")
            return
        }
    }

    private var prefetching = false

    /// Fetches every peer's aux info in the background, once: started by the node's first threshold ECDSA keygen
    /// or presign, so a cluster without ECDSA wallets never spends CPU on the exchange.
    func prefetchInBackground() {
        guard !prefetching, own != nil else { return }
        prefetching = true
        Task { await self.prefetchPeers() }
    }

    private func ready(_ a: CGGMPOwnAux, how: String) {
        own = a.withPresignTables() // constant-time tables of our (s, t) and Paillier nonces (~30 ms, once)
        status = "ready"
        loadEnded()
        ctx.log.info("ECDSA aux info ready (\(profile)), \(how)")
    }

    /// Two safe primes from a tests/development primes file: pair `index`.
    static func importPrimes(file: String, index: Int, profile: CGGMPProfile) throws -> CGGMPOwnAux {
        let primes: AuxPrimesFile = try JSONFile.read(file)
        let list = profile == .bits2048 ? primes.bits1024 : primes.bits1536
        guard list.count >= 2 * index + 2, let p = BigNum(hex: list[2 * index]), let q = BigNum(hex: list[2 * index + 1]) else {
            throw ClusterError("config_invalid", "ecdsa.auxPrimesFile: no prime pair \(index) for \(profile)")
        }
        var rng = SystemRandom()
        return try CGGMPOwnAux.from(p: p, q: q, profile: profile, using: &rng)
    }

    /// Our Π^mod and Π^prm (made on first use, off the actor).
    func modulusProofs() async throws(ClusterError) -> CGGMPModulusProofs {
        let own = try await ownAux()
        if modulusTask == nil {
            let context = Self.proofContext(prover: ctx.identity.id)
            modulusTask = Task {
                await Offload.run {
                    var rng = SystemRandom()
                    return try? CGGMPModulusProofs.prove(own: own, context: context, using: &rng)
                }
            }
        }
        guard let proofs = await modulusTask?.value else { throw ClusterError("internal_error", "cannot prove our own aux info") }
        return proofs
    }

    /// Asks every peer until each answered (peers may still be generating theirs).
    private func prefetchPeers() async {
        var pending = ctx.manifest.nodes.map(\.id).filter { $0 != ctx.identity.id }
        var wait = 1
        while !pending.isEmpty, !Task.isCancelled {
            var left: [String] = []
            for p in pending {
                do { _ = try await peer(p) } catch { left.append(p) }
            }
            pending = left
            if !pending.isEmpty {
                try? await Task.sleep(for: .seconds(wait))
                wait = min(wait * 2, 30)
            }
        }
    }

    // MARK: peers

    /// The peer's verified aux info: from memory, from the store (verified again), or asked for.
    func peer(_ node: String) async throws(ClusterError) -> VerifiedPeerAuxInfo {
        if let p = peers[node] { return p }
        let own = try await ownAux()
        if let stored = try? await ctx.store.aux(peerKey(node)), let v = await verify(stored, from: node, own: own) {
            peers[node] = v
            return v
        }
        let bytes = try await ask(node, own: own)
        guard let v = await verify(bytes, from: node, own: own) else {
            throw ClusterError("aux_proof_invalid", "\(node): aux info proofs do not verify")
        }
        if peers[node] == nil {
            try? await ctx.store.putAux(peerKey(node), value: bytes)
            ctx.log.info("ECDSA aux info of \(node) verified (Π^mod, Π^prm, Π^fac)")
        }
        peers[node] = v
        return v
    }

    /// Every other signer's verified aux info, by party id.
    func peers(_ nodes: [String]) async throws(ClusterError) -> [CGGMPPartyId: VerifiedPeerAuxInfo] {
        var out: [CGGMPPartyId: VerifiedPeerAuxInfo] = [:]
        for n in nodes where n != ctx.identity.id {
            guard let pid = ctx.manifest.participantID(of: n) else { throw ClusterError("plan_mismatch", "unknown node \(n)") }
            out[pid.value] = try await peer(n)
        }
        return out
    }

    private func verify(_ bytes: [UInt8], from node: String, own: CGGMPOwnAux) async -> VerifiedPeerAuxInfo? {
        let profile = self.profile, ctxProof = Self.proofContext(prover: node)
        let mine = own.ringPedersen.parameters
        return await Offload.run {
            guard let proofs = try? CGGMPAuxProofs(encoded: bytes, profile: profile) else { return nil }
            // Kept with the prover tables of the peer's (s, t) that every presignature with it uses (~75 ms, once).
            return (try? proofs.verify(ownAux: mine, profile: profile, context: ctxProof))?.withProverTables(profile: profile)
        }
    }

    private func ask(_ node: String, own: CGGMPOwnAux) async throws(ClusterError) -> [UInt8] {
        guard let request = try? CGGMPAuxRequest(own: own, modulus: try await modulusProofs()).encoded(profile: profile) else {
            throw ClusterError("internal_error", "aux request")
        }
        var rng = SystemRandom()
        let session = SessionID.random(using: &rng)
        guard let env = ctx.identity.envelope(.roundMessage, session: session, to: .party(node), payload: request),
              let bytes = try? env.encoded() else { throw ClusterError("internal_error", "cannot sign") }
        let reply: NatsMessage
        do { reply = try await ctx.connection.request(subject: ECDSASubjects.aux(node), payload: bytes, timeout: .seconds(60)) }
        catch { throw ClusterError("node_unavailable", "\(node): \(error)") }
        switch await ctx.verifier.verify(reply.data) {
        case .failure(let r): throw ClusterError("node_misbehaved", "\(node) aux reply refused: \(r.code)")
        case .success(let v):
            guard v.envelope.sender == node, v.envelope.sessionId == session else { throw ClusterError("node_misbehaved", "\(node): aux reply mismatch") }
            let body = try WireBody.decode(NodeReplyBody.self, v.envelope.payload)
            if let code = body.code { throw ClusterError(code, "\(node): \(body.message ?? "")") }
            return try WireBody.hex(body.data, "data")
        }
    }

    /// Answers a peer's request: checks its parameters (Π^prm) before proving anything against them.
    func answer(_ m: NatsMessage) async {
        guard case .success(let v) = await ctx.verifier.verify(m.data) else { return }
        let asker = v.envelope.sender
        let session = v.envelope.sessionId
        let body: NodeReplyBody
        do throws(ClusterError) {
            guard ctx.manifest.node(asker) != nil, asker != ctx.identity.id, v.envelope.type == .roundMessage else {
                throw ClusterError("unauthorized", "aux info is exchanged between nodes only")
            }
            let own = try await ownAux()
            let modulus = try await modulusProofs()
            let profile = self.profile, me = ctx.identity.id, payload = v.envelope.payload
            let r = await Offload.run { () -> Result<[UInt8], ClusterError> in
                do {
                    let req = try CGGMPAuxRequest(verifying: payload, profile: profile,
                                                  context: Self.proofContext(prover: asker))
                    var rng = SystemRandom()
                    return .success(try CGGMPAuxProofs.prove(own: own, modulus: modulus, verifierAux: req.parameters,
                                                             context: Self.proofContext(prover: me), using: &rng).encoded(profile: profile))
                } catch { return .failure(ClusterError("aux_request_invalid", "\(error)")) }
            }
            body = NodeReplyBody(data: Hex.encode(try r.get()))
            ctx.log.info("ECDSA aux info proofs sent to \(asker)")
        } catch {
            ctx.log.warn("aux request from \(asker) refused: \(error)")
            body = NodeReplyBody(code: error.code, message: error.message)
        }
        ctx.replySigned(to: m, session: session, recipient: asker, body: body)
    }

    /// Proofs name their prover (Π^fac is bound to its verifier by the verifier's parameters it is made against).
    static func proofContext(prover: String) -> CGGMPProofContext {
        CGGMPProofContext(sessionId: Array("mpc-cluster/cggmp21-aux/v1".utf8), proverId: Array(prover.utf8), round: 1)
    }
}

extension NodeContext {
    /// A signed reply envelope to any party (`reply` answers the coordinator).
    func replySigned(to message: NatsMessage, session: SessionID, recipient: String, body: NodeReplyBody) {
        guard let reply = message.reply else { return }
        let type: MessageType = body.code == nil ? .partialSignature : .error
        guard let env = identity.envelope(type, session: session, to: .party(recipient), payload: WireBody.encode(body)),
              let bytes = try? env.encoded() else { return }
        do { try connection.publish(subject: reply, payload: bytes) }
        catch { log.error("reply failed: \(error)", session: session.hex) }
    }
}
