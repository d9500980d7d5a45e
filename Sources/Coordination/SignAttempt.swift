import ClientKit
import Foundation
import Messaging
import Protocols

/// Why one signing attempt failed: nodes that did not answer and nodes proven to have cheated.
struct AttemptFailure: Error {
    var error: ClusterError
    var unavailable: [String] = []
    var culprits: [String] = []
    /// Nodes that did answer (they hold a signing session the attempt will not use).
    var answered: [String] = []
}

/// One FROST signing with a fixed signer set: plans (round-1 commitments in the replies), the signing
/// package to each signer (shares in the replies), share verification naming any cheater, aggregation.
/// The protocol logic is `SigningCoordinator`'s; this only moves its messages.
enum SignAttempt<C: FROSTCiphersuite> {
    static func run(ctx: CoordinatorContext, entry: WalletEntry, walletId: String, signers: [String], digest: [UInt8],
                    clientRequest: [UInt8]) async -> Result<(signature: [UInt8], evidence: [String]), AttemptFailure> {
        func fail(_ code: String, _ msg: String, unavailable: [String] = [], culprits: [String] = []) -> Result<(signature: [UInt8], evidence: [String]), AttemptFailure> {
            .failure(AttemptFailure(error: ClusterError(code, msg), unavailable: unavailable, culprits: culprits))
        }
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
        let coordinator: SigningCoordinator<C>
        do { coordinator = try SigningCoordinator<C>(publicKeyPackage: pkp, signers: Array(pids.values), message: digest) }
        catch { return fail(error.code, "signer set: \(error)") }
        var rng = SystemRandom()
        let session = SessionID.random(using: &rng)
        var plan = SessionPlanBody(kind: .sign, walletId: walletId, curve: entry.curve, participants: signers,
                                   threshold: pkp.minSigners, digest: Hex.encode(digest), clientRequest: Hex.encode(clientRequest))
        plan.generation = entry.generation ?? 0
        ctx.log.info("signing wallet \(walletId) with \(signers.joined(separator: ","))", session: session.hex)

        // Round 1: commitments.
        let round1 = await askAll(ctx, signers, subject: ClusterSubjects.nodePlan, type: .sessionPlan, session: session,
                                  payload: WireJSON.encode(plan))
        if case .failure(let f) = round1 { abandon(ctx, f.answered, session: session); return .failure(f) }
        guard case .success(let commitmentBytes) = round1 else { return fail("internal_error", "unreachable") }
        // From here until the signing package is sent, a failure leaves every signer's session unused.
        func failRound1(_ code: String, _ msg: String, culprits: [String]) -> Result<(signature: [UInt8], evidence: [String]), AttemptFailure> {
            abandon(ctx, signers.filter { !culprits.contains($0) }, session: session)
            return fail(code, msg, culprits: culprits)
        }
        var action: SigningCoordinator<C>.Action = .wait
        for (node, answer) in commitmentBytes.sorted(by: { $0.key < $1.key }) {
            let bytes = answer.data
            guard let c = try? SigningCommitments<C>(wire: bytes), c.identifier == pids[node] else {
                return failRound1("node_misbehaved", "\(node): invalid commitments", culprits: [node])
            }
            do { action = try coordinator.receive(c) } catch { return failRound1(error.code, "\(node): \(error)", culprits: [node]) }
        }
        guard case .sendSigningPackage(let package) = action else { return fail("internal_error", "no signing package") }

        // Round 2: shares, each verified before aggregation (SECURITY-CHECKLIST 25).
        let round2 = await askAll(ctx, signers, subject: ClusterSubjects.nodeRound, type: .roundMessage, session: session,
                                  payload: package.serialize())
        if case .failure(let f) = round2 { return .failure(f) }
        guard case .success(let shareBytes) = round2 else { return fail("internal_error", "unreachable") }
        // Shares are not verified one by one first: aggregation verifies the final signature and, only if it
        // fails, verifies every share and names every cheater (RFC 9591 §5.4; SECURITY-CHECKLIST 25). Checking
        // each share up front cost a group-commitment computation per share on every request.
        var shares: [SignatureShare<C>] = []
        var culprits: [String] = []
        for (node, answer) in shareBytes.sorted(by: { $0.key < $1.key }) {
            guard let s = try? SignatureShare<C>(wire: answer.data), s.identifier == pids[node] else { culprits.append(node); continue }
            shares.append(s)
        }
        guard culprits.isEmpty else { return fail("invalid_share", "malformed signature share from \(culprits.joined(separator: ","))", culprits: culprits) }
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
        return .success((bytes, shareBytes.sorted { $0.key < $1.key }.map { Hex.encode($0.value.envelope) }))
    }

    /// Asks every signer concurrently; any node that does not answer fails the attempt (and is named).
    static func askAll(_ ctx: CoordinatorContext, _ nodes: [String], subject: @escaping @Sendable (String) -> String, type: MessageType,
                       session: SessionID, payload: [UInt8], timeout: Duration = .seconds(5)) async -> Result<[String: (data: [UInt8], envelope: [UInt8])], AttemptFailure> {
        let replies = await withTaskGroup(of: (String, Result<(data: [UInt8], envelope: [UInt8]), ClusterError>).self) { group in
            for n in nodes {
                group.addTask { (n, await ctx.askSigned(n, subject: subject(n), type: type, session: session, payload: payload, timeout: timeout)) }
            }
            var out: [(String, Result<(data: [UInt8], envelope: [UInt8]), ClusterError>)] = []
            for await r in group { out.append(r) }
            return out
        }
        var ok: [String: (data: [UInt8], envelope: [UInt8])] = [:]
        var down: [String] = []
        var misbehaved: [String] = []
        var firstError: ClusterError?
        for (n, r) in replies {
            switch r {
            case .success(let b): ok[n] = b
            case .failure(let e):
                if e.code == "node_misbehaved" { misbehaved.append(n) } else { down.append(n) }
                firstError = firstError ?? e
            }
        }
        if let e = firstError { return .failure(AttemptFailure(error: e, unavailable: down, culprits: misbehaved, answered: ok.keys.sorted())) }
        return .success(ok)
    }

    /// Ends the signing sessions an abandoned attempt opened on `nodes` (after round 1, before any signing
    /// package), instead of leaving them to hold a node's `maxConcurrentSigning` slot until the session
    /// timeout: a signed round message with an empty payload makes the node drop the session (its nonces are
    /// discarded, never used) and refuse the empty package. Fire and forget; the timeout remains the backstop.
    static func abandon(_ ctx: CoordinatorContext, _ nodes: [String], session: SessionID) {
        for n in nodes {
            guard let env = ctx.identity.envelope(.roundMessage, session: session, to: .party(n), payload: []) else { continue }
            try? ctx.connection.publish(env, subject: ClusterSubjects.nodeRound(n))
        }
    }
}
