import ClientKit
import Foundation
import Messaging
import Protocols
import Storage

/// One node's part of a CGGMP21 presigning session (eprint 2021/060, Fig. 7): three rounds of point-to-point
/// messages, each sealed with the pair's `PairwiseCipher` on the session's direct subject (tags in
/// `ECDSAPresignTag`). Messages of a later round may arrive early and wait in the inbox. The presignature is
/// sealed in the node's store (`ECDSAPresignKey`) and only its public part goes to the coordinator, with the
/// culprits of an identifiable abort when a peer's proof fails. When the δ or the χ check fails, a fourth exchange
/// runs identification (Π^mul, Π^mul*, Π^aff-g, Π^dec; tag `identify`) and the node reports whom it names.
actor ECDSAPresignRunner {
    let ctx: NodeContext
    let session: SessionID
    let request: ECDSANodeRequest
    let profile: CGGMPProfile
    /// Signer node id <-> party id.
    let ids: [String: CGGMPPartyId]
    private let keyShare: CGGMPKeyShare
    private let aux: CGGMPAuxInfo
    private let box1 = StateBox<PresignRound1State>()
    private let box2 = StateBox<PresignRound2State>()
    private let box3 = StateBox<PresignRound3State>()
    private var round = 0
    /// After a failed δ or χ check: the public data to verify the peers' identification messages, and which check
    /// failed in our view (for the report).
    private var identification: (verifier: PresignIdentification, failed: CGGMPPresignCheck)?
    /// TESTS ONLY: the node's configured round-3 lie, if any.
    private let cheat: ECDSAPresignCheat?
    /// Which session timer counts: identification restarts the timer (its own `sessionTimeoutSeconds`).
    private var timerEpoch = 0
    /// A round's arithmetic is running (off the actor): nothing else may touch the state boxes meanwhile.
    private var computing = false
    /// round -> sender -> opened message bytes.
    private var inbox: [Int: [String: [UInt8]]] = [:]
    private var done = false
    private var subscriptions: [EnvelopeSubscription] = []
    private let onEnd: @Sendable () async -> Void

    init(ctx: NodeContext, session: SessionID, request: ECDSANodeRequest, profile: CGGMPProfile, ids: [String: CGGMPPartyId],
         keyShare: CGGMPKeyShare, aux: CGGMPAuxInfo, onEnd: @escaping @Sendable () async -> Void) {
        self.ctx = ctx; self.session = session; self.request = request; self.profile = profile; self.ids = ids
        self.keyShare = keyShare; self.aux = aux; self.onEnd = onEnd
        cheat = ECDSAPresignCheat(ctx.config.ecdsa)
    }

    var others: [String] { request.signers.filter { $0 != ctx.identity.id } }

    /// Subscribes before the plan is acknowledged, so nothing is missed.
    func subscribe() throws(ClusterError) {
        do {
            subscriptions = [
                try ctx.connection.subscribeEnvelopes(subject: Subjects.sessionBroadcast(session), verifier: ctx.verifier),
                try ctx.connection.subscribeEnvelopes(subject: Subjects.sessionDirect(session, to: ctx.identity.id), verifier: ctx.verifier),
            ]
        } catch { throw ClusterError("transport_error", "subscribe: \(error)") }
        for sub in subscriptions { Task { for await e in sub { await self.handle(e) } } }
        // The start may wait for slower signers to accept the plan (the coordinator allows them 60 s).
        Task {
            try? await Task.sleep(for: .seconds(90))
            await self.fail("session_timeout", "no start signal within 90 s", ifNotStarted: true)
        }
    }

    func handle(_ v: VerifiedEnvelope) async {
        guard !done, v.envelope.sessionId == session, v.envelope.type == .roundMessage, let tag = v.envelope.payload.first else { return }
        let sender = v.envelope.sender
        if sender == ctx.manifest.coordinator.id {
            if tag == ECDSAPresignTag.abort { await fail("session_aborted", "the coordinator abandoned the session") }
            if tag == ECDSAPresignTag.start, round == 0 { await start() }
            return
        }
        guard sender != ctx.identity.id, ids[sender] != nil, case .party = v.envelope.recipient, let cipher = ctx.ciphers[sender],
              (ECDSAPresignTag.round1...ECDSAPresignTag.identify).contains(tag) else { return }
        let r = Int(tag - ECDSAPresignTag.round1) + 1   // identification is "round" 4
        guard inbox[r]?[sender] == nil else { await fail("duplicate_message", "two round-\(r) messages from \(sender)", culprits: [sender]); return }
        let plain: [UInt8]
        do { plain = try cipher.open(Array(v.envelope.payload.dropFirst()), sessionId: session, type: .roundMessage) }
        catch { await fail("node_misbehaved", "\(sender): round-\(r) message does not open", culprits: [sender]); return }
        inbox[r, default: [:]][sender] = plain
        await advance()
    }

    private func start() async {
        startTimer()
        let keyShare = self.keyShare, aux = self.aux, ids = self.ids, session = self.session, profile = self.profile, box = box1
        round = 1
        computing = true
        let r = await Offload.runNiced { () -> Result<Outgoing, CGGMPProtocolError> in
            var rng = SystemRandom()
            do throws(CGGMPProtocolError) {
                let step = try CGGMPPresign.start(keyShare: keyShare, aux: aux, signers: Array(ids.values), sessionId: Array(session.bytes),
                                                  profile: profile, using: &rng)
                let out = step.messages.map { ($0.to, try? $0.encoded(profile: profile)) }
                box.value = .some(step.state)
                return .success(out)
            } catch { return .failure(error) }
        }
        computing = false
        await sent(r, tag: ECDSAPresignTag.round1)
        await advance()
    }

    typealias Outgoing = [(CGGMPPartyId, [UInt8]?)]

    enum RoundThreeOutcome: Sendable {
        case presignature(secret: [UInt8], publicData: [UInt8])
        case identify(PresignIdentification, Outgoing, CGGMPPresignCheck)
    }

    /// The node ids of parties.
    private func names(_ pids: some Sequence<CGGMPPartyId>) -> [String] {
        pids.compactMap { pid in ids.first { $0.value == pid }?.key }.sorted()
    }

    /// Identification is over: report whom it names (the coordinator excludes a signer named by a majority).
    private func concluded(_ verdict: PresignIdentificationResult, failedCheck: CGGMPPresignCheck) async {
        let disputes = verdict.disputes.map { names($0).joined(separator: "/") }
        if verdict.culprits.isEmpty {
            await fail("presign_check_failed", "the \(failedCheck.rawValue) check failed and identification named nobody"
                       + (disputes.isEmpty ? "" : "; disputed pairs \(disputes.joined(separator: ","))"))
            return
        }
        let why = verdict.culprits.sorted { $0.key < $1.key }.map { "\(names([$0.key]).first ?? "?"): \($0.value)" }
        await fail("presign_culprit", "\(failedCheck.rawValue) check failed; identification names \(why.joined(separator: "; "))",
                   culprits: names(verdict.culprits.keys))
    }

    /// (Re)starts the session timer: `sessionTimeoutSeconds` from now; an earlier timer no longer counts.
    private func startTimer() {
        timerEpoch += 1
        let epoch = timerEpoch, timeout = ctx.config.sessionTimeoutSeconds
        Task {
            try? await Task.sleep(for: .seconds(timeout))
            await self.timedOut(after: timeout, epoch: epoch)
        }
    }

    /// The session timer: during identification, the signers whose identification message is missing are named.
    private func timedOut(after timeout: Int, epoch: Int) async {
        guard epoch == timerEpoch else { return }
        if round == 4, identification != nil {
            let silent = others.filter { inbox[4]?[$0] == nil }
            await fail("presign_culprit", "no identification message from \(silent.joined(separator: ",")) within \(timeout) s",
                       culprits: silent)
            return
        }
        await fail("session_timeout", "presign did not finish within \(timeout) s of its start")
    }

    /// Runs every round whose messages are all in (the arithmetic on a dispatch thread, see `Offload`).
    private func advance() async {
        while !done, !computing, round >= 1, round <= 4, (inbox[round]?.count ?? 0) == others.count {
            let profile = self.profile
            switch round {
            case 1:
                let msgs: [PresignRound1Message]
                do { msgs = try decode(1) { b throws(CGGMPError) in try PresignRound1Message(encoded: b, profile: profile) } }
                catch { await failProtocol(error); return }
                let (from, to) = (box1, box2)
                await compute(next: 2, tag: ECDSAPresignTag.round2) {
                    Self.step(from, to, msgs, profile) { st, m, rng throws(CGGMPProtocolError) in try st.receive(m, using: &rng) }
                }
            case 2:
                let msgs: [PresignRound2Message]
                do { msgs = try decode(2) { b throws(CGGMPError) in try PresignRound2Message(encoded: b, profile: profile) } }
                catch { await failProtocol(error); return }
                let (from, to) = (box2, box3)
                let cheat = self.cheat
                await compute(next: 3, tag: ECDSAPresignTag.round3) {
                    let r = Self.step(from, to, msgs, profile) { st, m, rng throws(CGGMPProtocolError) in try st.receive(m, using: &rng) }
                    guard let cheat, case .success(let out) = r else { return r }
                    return .success(cheat.outgoing(out, profile: profile))
                }
            case 3:
                var received: [PresignRound3Message]
                do { received = try decode(3) { b throws(CGGMPError) in try PresignRound3Message(encoded: b, profile: profile) } }
                catch { await failProtocol(error); return }
                if let cheat { received = cheat.incoming(received) }
                let msgs = received
                let from = box3
                round = 4
                computing = true
                // The presignature (secret encoding for our store, public part for the coordinator), or, when the δ
                // check failed, our identification messages and the state to verify the peers'.
                let r = await Offload.runNiced { () -> Result<RoundThreeOutcome, CGGMPProtocolError> in
                    guard let st = from.value.take() else { return .failure(.invalidInput("no round-3 state")) }
                    do throws(CGGMPProtocolError) {
                        let outcome = try st.receive(msgs)
                        switch consume outcome {
                        case .presignature(let p):
                            guard let secret = try? p.encodedSecret() else { return .failure(.invalidInput("presignature encoding")) }
                            return .success(.presignature(secret: secret, publicData: p.publicData.encoded()))
                        case .identify(let st, let failed):
                            var rng = SystemRandom()
                            let step = try st.prove(using: &rng)
                            return .success(.identify(step.state, step.messages.map { ($0.to, try? $0.encoded(profile: profile)) }, failed))
                        }
                    } catch { return .failure(error) }
                }
                computing = false
                switch r {
                case .failure(let e): await failProtocol(e)
                case .success(.identify(let verifier, let out, let failed)):
                    ctx.log.warn("presign \(failed.rawValue) check failed: running identification", session: session.hex)
                    identification = (verifier, failed)
                    startTimer()
                    send(out, tag: ECDSAPresignTag.identify)
                case .success(.presignature(let secret, let publicData)): await finish(secret: secret, publicData: publicData)
                }
            default:
                guard let (verifier, failed) = identification else { return }
                let msgs: [PresignIdentifyMessage]
                do { msgs = try decode(4) { b throws(CGGMPError) in try PresignIdentifyMessage(encoded: b, profile: profile) } }
                catch { await failProtocol(error); return }
                round = 5
                computing = true
                let r = await Offload.runNiced { () -> Result<PresignIdentificationResult, CGGMPProtocolError> in
                    do throws(CGGMPProtocolError) { return .success(try verifier.identify(msgs)) } catch { return .failure(error) }
                }
                computing = false
                switch r {
                case .failure(let e): await failProtocol(e)
                case .success(let verdict): await concluded(verdict, failedCheck: failed)
                }
            }
        }
    }

    /// Moves to round `next` and runs `work` off the actor, then sends what it produced.
    private func compute(next: Int, tag: UInt8, _ work: @escaping @Sendable () -> Result<Outgoing, CGGMPProtocolError>) async {
        round = next
        computing = true
        let r = await Offload.runNiced(work)
        computing = false
        await sent(r, tag: tag)
    }

    /// One round: takes the state from `from`, receives the round's messages, keeps the next state in `to` and
    /// returns the encoded messages to send.
    static func step<S: ~Copyable & Sendable, N: ~Copyable & Sendable, I, O: ECDSARoundMessage>(
        _ from: StateBox<S>, _ to: StateBox<N>, _ messages: [I], _ profile: CGGMPProfile,
        _ receive: (consuming S, [I], inout SystemRandom) throws(CGGMPProtocolError) -> CGGMPStep<N, O>) -> Result<Outgoing, CGGMPProtocolError> {
        guard let st = from.value.take() else { return .failure(.invalidInput("no state for this round")) }
        var rng = SystemRandom()
        do throws(CGGMPProtocolError) {
            let step = try receive(st, messages, &rng)
            let out = step.messages.map { ($0.to, try? $0.encoded(profile: profile)) }
            to.value = .some(step.state)
            return .success(out)
        } catch { return .failure(error) }
    }

    /// Sends a round's messages, or fails the session.
    private func sent(_ r: Result<Outgoing, CGGMPProtocolError>, tag: UInt8) async {
        switch r {
        case .success(let out): send(out, tag: tag)
        case .failure(let e): await failProtocol(e)
        }
    }

    /// The round's messages in signer order; a message that does not decode names its sender.
    private func decode<M>(_ r: Int, _ parse: ([UInt8]) throws(CGGMPError) -> M) throws(CGGMPProtocolError) -> [M] {
        var out: [M] = []
        var bad: [CGGMPPartyId: CGGMPBlame] = [:]
        for n in others {
            guard let b = inbox[r]?[n], let pid = ids[n] else { continue }
            do { out.append(try parse(b)) } catch { bad[pid] = .malformed("round \(r): \(error)") }
        }
        guard bad.isEmpty else { throw .culprits(bad) }
        return out
    }

    private func send(_ messages: [(CGGMPPartyId, [UInt8]?)], tag: UInt8) {
        for (to, encoded) in messages {
            guard let node = ids.first(where: { $0.value == to })?.key, let cipher = ctx.ciphers[node], let plain = encoded else {
                ctx.log.error("cannot encode a round message for party \(to)", session: session.hex); continue
            }
            var rng = SystemRandom()
            let sealed = cipher.seal(plain, sessionId: session, type: .roundMessage, using: &rng)
            ctx.publish(.roundMessage, session: session, to: .party(node), payload: [tag] + sealed, subject: Subjects.sessionDirect(session, to: node))
        }
    }

    private func finish(secret: [UInt8], publicData: [UInt8]) async {
        var secret = secret
        defer { zeroize(&secret) }
        do {
            try await ctx.store.putPresignature(id: ECDSAPresignKey.key(wallet: request.walletId, presignId: request.presignId), value: secret)
        } catch {
            await fail("storage_error", "cannot store the presignature: \(error)")
            return
        }
        ctx.log.info("presignature \(request.presignId) stored for wallet \(request.walletId)", session: session.hex)
        report(ECDSAPresignResult(presignId: request.presignId, publicData: Hex.encode(publicData)))
        await end()
    }

    private func failProtocol(_ e: CGGMPProtocolError) async {
        if case .culprits(let map) = e {
            await fail("presign_culprit", "identifiable abort: \(map.map { "\($0.key): \($0.value)" }.joined(separator: "; "))",
                       culprits: names(map.keys))
        } else {
            await fail("presign_failed", "\(e)")
        }
    }

    func fail(_ code: String, _ message: String, culprits: [String]? = nil, ifNotStarted: Bool = false) async {
        guard !done, !ifNotStarted || round == 0 else { return }
        ctx.log.error("presign failed: \(code) \(message)", session: session.hex)
        report(ECDSAPresignResult(presignId: request.presignId, code: code, message: message, culprits: culprits))
        await end()
    }

    private func report(_ body: ECDSAPresignResult) {
        ctx.publish(.result, session: session, to: .party(ctx.manifest.coordinator.id), payload: WireBody.encode(body),
                    subject: ECDSASubjects.presignResponse(session))
    }

    private func end() async {
        done = true
        for s in subscriptions { s.unsubscribe() }
        subscriptions = []
        await onEnd()
    }
}

/// Where a node keeps a presignature: wallet id, a zero byte, the 16-byte presign id.
enum ECDSAPresignKey {
    static func key(wallet: String, presignId: String) throws(ClusterError) -> [UInt8] {
        guard let id = Hex.decode(presignId), id.count == 16 else { throw ClusterError("malformed_payload", "presignId: 16 bytes of hex") }
        return Array(wallet.utf8) + [0] + id
    }
}

/// A presign round message as sent: its recipient and its encoding.
protocol ECDSARoundMessage: Sendable {
    var to: CGGMPPartyId { get }
    func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8]
}
extension PresignRound1Message: ECDSARoundMessage {}
extension PresignRound2Message: ECDSARoundMessage {}
extension PresignRound3Message: ECDSARoundMessage {}
extension PresignIdentifyMessage: ECDSARoundMessage {}
