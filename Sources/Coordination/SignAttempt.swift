import ClientKit
import Foundation
import Messaging
import Protocols

/// One FROST signing with a fixed signer set, in one round trip when the signers' commitments are pooled
/// (RFC 9591 §5.1 run ahead, `CommitmentPool`): the signing package goes to every signer in one envelope,
/// each answers its share and a fresh commitment for the pool. A signer with no pooled commitment is asked
/// for a few first (`commit` plans). Aggregation verifies the signature and, only if it fails, every share,
/// naming each cheater. The protocol logic is `SigningCoordinator`'s; this only moves its messages.
enum SignAttempt<C: FROSTCiphersuite> {
    typealias Outcome = Result<(signature: [UInt8], evidence: [String]), AttemptFailure>

    /// Commitments asked of a node whose pool is empty (one is used at once, the rest are pooled).
    static var prefetch: Int { 4 }

    static func run(ctx: CoordinatorContext, entry: WalletEntry, walletId: String, signers: [String], digest: [UInt8],
                    clientRequest: [UInt8]) async -> Outcome {
        let pkp: PublicKeyPackage<C>
        if let cached = await ctx.packages.get(entry.publicKeyPackage) as? PublicKeyPackage<C> {
            pkp = cached
        } else {
            guard let pkpBytes = Hex.decode(entry.publicKeyPackage),
                  let decoded = try? KeyPackageCodec.decodePublicKeyPackage(pkpBytes, as: C.self) else {
                return fail("internal_error", "stored public key package does not decode")
            }
            await ctx.packages.put(entry.publicKeyPackage, decoded)
            pkp = decoded
        }
        var pids: [String: ParticipantID] = [:]
        for s in signers {
            guard let p = ctx.manifest.participantID(of: s) else { return fail("invalid_signers", "unknown node \(s)") }
            pids[s] = p
        }
        let a = Attempt(ctx: ctx, entry: entry, walletId: walletId, signers: signers, pids: pids, pkp: pkp, digest: digest,
                        clientRequest: clientRequest)
        ctx.log.info("signing wallet \(walletId) with \(signers.joined(separator: ","))")
        let first = await a.run()
        // A node that restarted lost its nonces: forget what it prepared and run once more with fresh ones.
        guard case .failure(let f) = first else { return first }
        let lost = f.codes.filter { $0.value == "nonce_unknown" }.map(\.key)
        guard !lost.isEmpty else { return first }
        for n in lost { await ctx.commitments.forget(node: n) }
        ctx.log.warn("\(lost.sorted().joined(separator: ",")) no longer holds its prepared nonces; preparing afresh")
        return await a.run()
    }

    static func fail(_ code: String, _ msg: String, unavailable: [String] = [], culprits: [String] = []) -> Outcome {
        .failure(AttemptFailure(error: ClusterError(code, msg), unavailable: unavailable, culprits: culprits))
    }

    struct Attempt {
        let ctx: CoordinatorContext
        let entry: WalletEntry
        let walletId: String
        let signers: [String]
        let pids: [String: ParticipantID]
        let pkp: PublicKeyPackage<C>
        let digest: [UInt8]
        let clientRequest: [UInt8]
        var generation: UInt64 { entry.generation ?? 0 }

        func run() async -> Outcome {
            let coordinator: SigningCoordinator<C>
            do { coordinator = try SigningCoordinator<C>(publicKeyPackage: pkp, signers: Array(pids.values), message: digest) }
            catch { return fail(error.code, "signer set: \(error)") }
            var rng = SystemRandom()
            let session = SessionID.random(using: &rng)

            // Commitments: pooled (usually validated already, off the signing path), or asked for now.
            var chosen = await ctx.commitments.take(wallet: walletId, generation: generation, nodes: signers)
            let missing = signers.filter { chosen[$0] == nil }
            if !missing.isEmpty {
                switch await prepare(missing, session: session) {
                case .failure(let f): return .failure(f)
                case .success(let fresh): chosen.merge(fresh.mapValues { CommitmentPool.Entry(bytes: $0, decoded: nil) }) { a, _ in a }
                }
            }
            var action: SigningCoordinator<C>.Action = .wait
            for (node, entry) in chosen.sorted(by: { $0.key < $1.key }) {
                guard let c = (entry.decoded as? SigningCommitments<C>) ?? (try? SigningCommitments<C>(wire: entry.bytes)),
                      c.identifier == pids[node] else {
                    return fail("node_misbehaved", "\(node): invalid commitments", culprits: [node])
                }
                do { action = try coordinator.receive(c) } catch { return fail(error.code, "\(node): \(error)", culprits: [node]) }
            }
            guard case .sendSigningPackage(let package) = action else { return fail("internal_error", "no signing package") }

            // The one round: package to every signer, shares (and a fresh commitment each) back.
            var plan = SessionPlanBody(kind: .signPrepared, walletId: walletId, curve: entry.curve, participants: signers,
                                       threshold: pkp.minSigners, digest: Hex.encode(digest), clientRequest: Hex.encode(clientRequest))
            plan.generation = generation
            plan.package = Hex.encode(package.serialize())
            plan.count = 1
            let round: Result<[String: NodeAnswer], AttemptFailure>
            var prepared: PreparedAggregation<C>?
            switch AskNodes.send(ctx, signers, subject: ClusterSubjects.nodePlan, type: .sessionPlan, session: session,
                                 payload: WireBody.encode(plan), addressedToAll: true) {
            case .failure(let f): round = .failure(f)
            case .success(let inFlight):
                // The package-only part of aggregation (binding factors, R, challenge) while the signers work, in
                // this task (their answers wait in the stream): another task would cost a thread wake-up.
                prepared = try? FROSTSigning<C>.prepareAggregation(package: package, publicKeyPackage: pkp)
                round = await AskNodes.collect(ctx, inFlight)
            }
            let answers: [String: NodeAnswer]
            switch round {
            case .failure(let f):
                await pool(f.answered.map { ($0, f.answeredCommitments[$0] ?? []) })
                return .failure(f)
            case .success(let r): answers = r
            }
            await pool(answers.map { ($0.key, $0.value.commitments) })
            // Shares are not verified one by one first: aggregation verifies the final signature and, only if it
            // fails, verifies every share and names every cheater (RFC 9591 §5.4; SECURITY-CHECKLIST 25).
            var shares: [SignatureShare<C>] = []
            var culprits: [String] = []
            for (node, answer) in answers.sorted(by: { $0.key < $1.key }) {
                guard let s = try? SignatureShare<C>(wire: answer.data), s.identifier == pids[node] else { culprits.append(node); continue }
                shares.append(s)
            }
            guard culprits.isEmpty else { return fail("invalid_share", "malformed signature share from \(culprits.joined(separator: ","))", culprits: culprits) }
            if let prepared { coordinator.use(prepared) }
            for s in shares {
                do { action = try coordinator.receive(s) } catch {
                    let blamed = error.culprits.compactMap { p in pids.first { $0.value == p }?.key }
                    let code = blamed.isEmpty ? error.code : "invalid_share"
                    return fail(code, "aggregation: \(error)", culprits: blamed)
                }
            }
            guard case .finished(let signature) = action, let bytes = try? signature.bytes() else {
                return fail("internal_error", "aggregation did not finish")
            }
            // Each signer's own signed share envelope goes to the client (SECURITY-CHECKLIST 29).
            return .success((bytes, answers.sorted { $0.key < $1.key }.map { Hex.encode($0.value.envelope) }))
        }

        /// Asks `nodes` for `prefetch` fresh commitments each: one per node for this signing, the rest pooled.
        func prepare(_ nodes: [String], session: SessionID) async -> Result<[String: [UInt8]], AttemptFailure> {
            var plan = SessionPlanBody(kind: .commit, walletId: walletId, curve: entry.curve, participants: nodes,
                                       threshold: pkp.minSigners, digest: nil, clientRequest: "")
            plan.generation = generation
            plan.count = SignAttempt.prefetch
            let asked = await AskNodes.all(ctx, nodes, subject: ClusterSubjects.nodePlan, type: .sessionPlan, session: session,
                                           payload: WireBody.encode(plan), addressedToAll: true)
            switch asked {
            case .failure(let f):
                await pool(f.answered.map { ($0, f.answeredCommitments[$0] ?? []) })
                return .failure(f)
            case .success(let answers):
                var now: [String: [UInt8]] = [:]
                for (n, a) in answers {
                    guard let first = a.commitments.first.flatMap(Hex.decode) else {
                        return .failure(AttemptFailure(error: ClusterError("node_misbehaved", "\(n): no commitments"), culprits: [n]))
                    }
                    now[n] = first
                    await pool([(n, Array(a.commitments.dropFirst()))])
                }
                return .success(now)
            }
        }

        /// Pools the nodes' fresh commitments at once, and validates them in the background (one task for all of
        /// them: a task each would cost a thread wake-up each) so that the sign that takes them does not decode
        /// their points on its path (one that is not validated yet is decoded then).
        func pool(_ fresh: [(node: String, hex: [String])]) async {
            let decoded = fresh.map { ($0.node, $0.hex.compactMap(Hex.decode)) }.filter { !$0.1.isEmpty }
            guard !decoded.isEmpty else { return }
            let (pool, wallet, generation) = (ctx.commitments, walletId, self.generation)
            for (node, bytes) in decoded { await pool.add(wallet: wallet, generation: generation, node: node, bytes) }
            Task.detached {
                for (node, list) in decoded {
                    for bytes in list {
                        guard let c = try? SigningCommitments<C>(wire: bytes) else { continue }   // refused when used
                        await pool.validated(wallet: wallet, generation: generation, node: node, bytes: bytes, decoded: c)
                    }
                }
            }
        }
    }
}
