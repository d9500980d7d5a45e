/// DKG round 2 (FROST paper, Figure 1, round 1 step 5 and round 2 step 1; ZF frost-core dkg::part2).
///
/// On the n−1 round-1 packages: validate every one before any arithmetic (senders, commitment length
/// exactly t (SECURITY-CHECKLIST 14), no identity element, proof of knowledge), naming every culprit;
/// then send each other participant P_ℓ its share f_i(ℓ) and keep f_i(i).

/// The secret state between round 2 and the final step. Non-copyable, consumed by `finalize`.
public struct DKGRound2State<C: FROSTCiphersuite>: ~Copyable, Sendable {
    let identifier: ParticipantID
    let parameters: KeyGenParameters
    /// f_i(i).
    let ownShare: SecretBytes
    /// Every participant's validated commitment C_ℓ, own included.
    let commitments: [ParticipantID: VSSCommitment<C.Element>]
}

/// Round 2's result: the state to keep and each other participant's share to send it. Take `packages`
/// first (send and drop them), then move `state` out.
@frozen public struct DKGRound2Step<C: FROSTCiphersuite>: ~Copyable, Sendable {
    public var state: DKGRound2State<C>
    public let packages: [ParticipantID: DKGRound2Package<C>]
}

extension DKGRound1State {
    /// Round 2 for this participant. `received` holds the round-1 package of every other participant with
    /// its authenticated sender. Consumes the round-1 state whatever the outcome: a failed DKG restarts.
    public consuming func round2(_ received: [(from: ParticipantID, package: DKGRound1Package<C>)]) throws(FROSTError)
        -> DKGRound2Step<C> {
        try DKGInputs.checkSenders(received.map { $0.from }, me: identifier, parameters: parameters, round: 1)

        // Round 1, step 5: validate every package, collecting every culprit.
        var culprits: [FROSTError.Culprit] = []
        var commitments: [ParticipantID: VSSCommitment<C.Element>] = [identifier: commitment]
        for (sender, package) in received {
            do { commitments[sender] = try DKGInputs.validate(package, from: sender, parameters: parameters) }
            catch { culprits.append(.init(party: sender, reason: error.reason)) }
        }
        guard culprits.isEmpty else { throw .misbehaving(culprits.sorted { $0.party < $1.party }) }

        // Round 2, step 1: (ℓ, f_i(ℓ)) to every other P_ℓ; keep (i, f_i(i)).
        var packages: [ParticipantID: DKGRound2Package<C>] = [:]
        for other in parameters.participants where other != identifier {
            var share = [coefficients.evaluate(at: other.scalar())]
            packages[other] = DKGRound2Package(share: share[0])
            wipeScalars(&share)
        }
        var own = [coefficients.evaluate(at: identifier.scalar())]
        defer { wipeScalars(&own) }
        let state = DKGRound2State<C>(identifier: identifier, parameters: parameters,
                                      ownShare: SecretBytes(own[0].bytes), commitments: commitments)
        return DKGRound2Step(state: state, packages: packages)
    }
}

/// Input checks shared by the rounds.
enum DKGInputs {
    /// Exactly one package from every other participant: none from oneself (a caller or transport bug),
    /// none from outside the participant set, none twice (both named), none missing.
    static func checkSenders(_ senders: [ParticipantID], me: ParticipantID, parameters: KeyGenParameters,
                             round: Int) throws(FROSTError) {
        if senders.contains(me) { throw .invalidParameters("a round-\(round) package from oneself (\(me))") }
        var seen = Set<ParticipantID>()
        var culprits: [FROSTError.Culprit] = []
        let members = Set(parameters.participants)
        for s in senders {
            if !members.contains(s) {
                culprits.append(.init(party: s, reason: "round-\(round) package from a non-participant"))
            } else if !seen.insert(s).inserted {
                culprits.append(.init(party: s, reason: "sent two round-\(round) packages"))
            }
        }
        guard culprits.isEmpty else { throw .misbehaving(culprits) }
        let missing = parameters.participants.filter { $0 != me && !seen.contains($0) }
        guard missing.isEmpty else {
            throw .invalidParameters("no round-\(round) package yet from \(missing.map { String($0.value) }.joined(separator: ", "))")
        }
    }

    /// One round-1 package: exactly t commitment entries, none the identity, a valid proof of knowledge.
    static func validate<C>(_ package: DKGRound1Package<C>, from sender: ParticipantID, parameters: KeyGenParameters)
        throws(Rejection) -> VSSCommitment<C.Element> {
        let t = parameters.threshold
        guard package.commitment.count == t else {
            throw Rejection(reason: "commitment has \(package.commitment.count) entries, expected exactly \(t)")
        }
        let commitment: VSSCommitment<C.Element>
        do { commitment = try VSSCommitment(package.commitment) } catch {
            throw Rejection(reason: "commitment contains an invalid element (\(error.code))")
        }
        guard !package.proofOfKnowledge.R.isIdentity else {
            throw Rejection(reason: "proof of knowledge with R at the identity")
        }
        guard package.proofOfKnowledge.verify(identifier: sender, phi0: commitment.constantTerm,
                                              session: parameters.sessionID) else {
            throw Rejection(reason: "invalid proof of knowledge")
        }
        return commitment
    }

    /// Why a participant's input was refused.
    struct Rejection: Error { let reason: String }
}
