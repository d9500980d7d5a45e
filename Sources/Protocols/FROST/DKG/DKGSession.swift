/// The DKG as a state machine for one participant: feed it messages as they arrive (in any order, early
/// round-2 shares included) and carry out the actions it returns. An actor drives it; no protocol logic
/// lives in the actor. The round states inside are consumed as the rounds run, so nothing can run twice:
/// a repeated `start`, a message after the end, or a message after an abort is refused.
public enum DKGMessage<C: FROSTCiphersuite>: Sendable, Equatable {
    /// Round 1, broadcast to all.
    case round1(DKGRound1Package<C>)
    /// Round 2, to one participant (confidential).
    case round2(DKGRound2Package<C>)
}

public enum DKGAction<C: FROSTCiphersuite>: Sendable {
    /// Broadcast this round-1 package to every other participant.
    case broadcast(DKGRound1Package<C>)
    /// Send each participant its round-2 package.
    case sendEach([ParticipantID: DKGRound2Package<C>])
    /// Done: store the key package (sealed) and publish the public key package.
    case finished(DKGOutput<C>)
    /// The DKG failed; the error names the culprits where there are any. Terminal.
    case abort(FROSTError)
    /// This input was refused and changed nothing (a repeated call, a stranger's message, a late message).
    case refused(FROSTError)
}

public struct DKGSession<C: FROSTCiphersuite>: ~Copyable, Sendable {
    private enum Phase: Sendable {
        case ready
        /// The round state in a box only this session references; taking it out empties the box.
        case round1(DKGStateBox<DKGRound1State<C>>)
        case round2(DKGStateBox<DKGRound2State<C>>)
        case finished
        case aborted
    }

    public let identifier: ParticipantID
    public let parameters: KeyGenParameters
    private var phase: Phase = .ready
    private var inbox1: [ParticipantID: DKGRound1Package<C>] = [:]
    private var inbox2: [ParticipantID: DKGRound2Package<C>] = [:]

    public init(identifier: ParticipantID, parameters: KeyGenParameters) throws(FROSTError) {
        guard parameters.participants.contains(identifier) else {
            throw .invalidParameters("\(identifier) is not a participant")
        }
        self.identifier = identifier
        self.parameters = parameters
    }

    /// Round 1. Returns the broadcast, plus round 2 at once if every round-1 package is already here.
    public mutating func start<R: RandomSource>(using rng: inout R) -> [DKGAction<C>] {
        guard case .ready = phase else { return [.refused(.invalidParameters("round 1 already ran"))] }
        do {
            let step = try DKG<C>.round1(identifier: identifier, parameters: parameters, using: &rng)
            let package = step.package
            phase = .round1(DKGStateBox(step.state))
            return [.broadcast(package)] + advance()
        } catch {
            phase = .aborted
            return [.abort(error)]
        }
    }

    /// A message from `sender` (the authenticated sender of its envelope).
    public mutating func receive(_ message: DKGMessage<C>, from sender: ParticipantID) -> [DKGAction<C>] {
        if isOver { return [.refused(.invalidParameters("the DKG is over"))] }
        guard sender != identifier else { return [.refused(.invalidParameters("a message from oneself"))] }
        guard parameters.participants.contains(sender) else {
            // A stranger cannot abort the session: refuse its message and carry on.
            return [.refused(.misbehaving([.init(party: sender, reason: "not a participant of this DKG")]))]
        }
        switch message {
        case .round1(let package):
            if let earlier = inbox1[sender] {
                // A retransmission is harmless; a different second package is equivocation.
                if earlier == package { return [] }
                return abort(.misbehaving([.init(party: sender, reason: "sent two different round-1 packages")]))
            }
            if isPastRound1 { return [.refused(.invalidParameters("round-1 package after round 1"))] }   // defensive: members past round 1 are all in inbox1
            inbox1[sender] = package
        case .round2(let package):
            if let earlier = inbox2[sender] {
                if earlier == package { return [] }
                return abort(.misbehaving([.init(party: sender, reason: "sent two different round-2 packages")]))
            }
            inbox2[sender] = package
        }
        return advance()
    }

    /// Runs whichever round has all its inputs.
    private mutating func advance() -> [DKGAction<C>] {
        let others = parameters.count - 1
        switch phase {
        case .round1(let box):
            guard inbox1.count == others, let state = box.take() else { return [] }
            // inbox1 is kept (public data) so that a later, different round-1 package is still caught.
            let received = inbox1.sorted { $0.key < $1.key }.map { (from: $0.key, package: $0.value) }
            do {
                let step = try state.round2(received)
                let packages = step.packages
                phase = .round2(DKGStateBox(step.state))
                return [.sendEach(packages)] + advance()
            } catch {
                phase = .aborted
                return [.abort(error)]
            }
        case .round2(let box):
            guard inbox2.count == others, let state = box.take() else { return [] }
            let received = inbox2.sorted { $0.key < $1.key }.map { (from: $0.key, package: $0.value) }
            inbox2 = [:]
            do {
                let output = try state.finalize(received)
                phase = .finished
                return [.finished(output)]
            } catch {
                phase = .aborted
                return [.abort(error)]
            }
        case .ready, .finished, .aborted:
            return []
        }
    }

    private mutating func abort(_ error: FROSTError) -> [DKGAction<C>] {
        phase = .aborted   // drops the round state, which wipes it
        inbox1 = [:]
        inbox2 = [:]
        return [.abort(error)]
    }

    private var isOver: Bool {
        switch phase {
        case .finished, .aborted: return true
        case .ready, .round1, .round2: return false
        }
    }

    private var isPastRound1: Bool {
        switch phase {
        case .round2, .finished, .aborted: return true
        case .ready, .round1: return false
        }
    }
}

/// Holds one non-copyable round state; `take()` moves it out once.
final class DKGStateBox<T: ~Copyable & Sendable>: @unchecked Sendable {
    private var value: T?
    init(_ v: consuming T) { value = consume v }
    func take() -> T? { value.take() }
}
