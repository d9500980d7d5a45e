/// Resharing as a state machine for one party (a dealer, a new member, or both), the same shape as
/// `DKGSession`: feed it messages as they arrive, in any order, and carry out the actions it returns.
///
/// Dealers broadcast their dealing and send each new member its sub-share. A new member, once it holds
/// every dealer's dealing and sub-share, checks them (`Reshare.finalize`), broadcasts the digest of the
/// dealings to the other members (echo: nobody can have shown different commitments to different members)
/// and finishes only when every other member echoed the same digest. A dealer that is not a new member is
/// done once it has dealt.
public enum ReshareMessage<C: FROSTCiphersuite>: Sendable, Equatable {
    /// A dealer's commitment and proof of knowledge (broadcast).
    case dealing(DKGRound1Package<C>)
    /// A dealer's sub-share for this member (confidential).
    case subShare(DKGRound2Package<C>)
    /// A new member's digest of all dealings (broadcast among the members).
    case echo([UInt8])
}

public enum ReshareAction<C: FROSTCiphersuite>: Sendable {
    /// Broadcast this dealing.
    case broadcast(DKGRound1Package<C>)
    /// Send each (other) new member its sub-share.
    case sendEach([ParticipantID: DKGRound2Package<C>])
    /// Broadcast this digest to the other new members.
    case echo([UInt8])
    /// A dealer that is not a new member has done its part.
    case dealt
    /// A new member is done: store the new key package as the next generation (pending confirmation).
    case finished(ReshareOutput<C>)
    /// Failed; the error names the culprits where there are any. Terminal.
    case abort(FROSTError)
    /// This input was refused and changed nothing.
    case refused(FROSTError)
}

public struct ReshareSession<C: FROSTCiphersuite>: Sendable {
    private enum Phase: Sendable {
        case ready, collecting, echoing(ReshareOutput<C>), finished, aborted
    }

    public let identifier: ParticipantID
    public let parameters: ReshareParameters<C>
    /// The old key package; required when `identifier` is a dealer.
    private let oldKeyPackage: KeyPackage<C>?
    private var phase: Phase = .ready
    private var dealings: [ParticipantID: DKGRound1Package<C>] = [:]
    private var subShares: [ParticipantID: DKGRound2Package<C>] = [:]
    private var echoes: [ParticipantID: [UInt8]] = [:]

    public var isDealer: Bool { parameters.dealers.contains(identifier) }
    public var isMember: Bool { parameters.members.contains(identifier) }

    public init(identifier: ParticipantID, parameters: ReshareParameters<C>, oldKeyPackage: KeyPackage<C>?) throws(FROSTError) {
        self.identifier = identifier
        self.parameters = parameters
        self.oldKeyPackage = oldKeyPackage
        guard isDealer || isMember else { throw .invalidParameters("\(identifier) neither deals nor joins this resharing") }
        if isDealer {
            guard let kp = oldKeyPackage, kp.identifier == identifier else {
                throw .invalidParameters("a dealer needs its own key package")
            }
        }
    }

    /// Deals (a dealer) and starts collecting (a new member). Returns everything that can be done at once.
    public mutating func start<R: RandomSource>(using rng: inout R) -> [ReshareAction<C>] {
        guard case .ready = phase else { return [.refused(.invalidParameters("resharing already started"))] }
        var out: [ReshareAction<C>] = []
        if isDealer, let kp = oldKeyPackage {
            let dealing: ReshareDealing<C>
            do { dealing = try Reshare<C>.deal(keyPackage: kp, parameters: parameters, using: &rng) }
            catch { return abort(error) }
            dealings[identifier] = dealing.commitment
            if let own = dealing.subShares[identifier] { subShares[identifier] = own }
            out.append(.broadcast(dealing.commitment))
            out.append(.sendEach(dealing.subShares.filter { $0.key != identifier }))
        }
        guard isMember else {
            phase = .finished
            return out + [.dealt]
        }
        phase = .collecting
        return out + advance()
    }

    /// A message from `sender` (the authenticated sender of its envelope).
    public mutating func receive(_ message: ReshareMessage<C>, from sender: ParticipantID) -> [ReshareAction<C>] {
        switch phase {
        case .finished, .aborted: return [.refused(.invalidParameters("the resharing is over"))]
        case .ready, .collecting, .echoing: break
        }
        guard sender != identifier else { return [.refused(.invalidParameters("a message from oneself"))] }
        switch message {
        case .dealing(let package):
            guard parameters.dealers.contains(sender) else { return stranger(sender, "not a dealer") }
            guard isMember else { return [.refused(.invalidParameters("dealings go to the new members"))] }
            if let earlier = dealings[sender] {
                if earlier == package { return [] }
                return abort(.misbehaving([.init(party: sender, reason: "sent two different dealings")]))
            }
            dealings[sender] = package
        case .subShare(let package):
            guard parameters.dealers.contains(sender) else { return stranger(sender, "not a dealer") }
            guard isMember else { return [.refused(.invalidParameters("sub-shares go to the new members"))] }
            if let earlier = subShares[sender] {
                if earlier == package { return [] }
                return abort(.misbehaving([.init(party: sender, reason: "sent two different sub-shares")]))
            }
            subShares[sender] = package
        case .echo(let digest):
            guard parameters.members.contains(sender) else { return stranger(sender, "not a new member") }
            guard isMember else { return [.refused(.invalidParameters("echoes go to the new members"))] }
            if let earlier = echoes[sender] {
                if earlier == digest { return [] }
                return abort(.misbehaving([.init(party: sender, reason: "sent two different echoes")]))
            }
            echoes[sender] = digest
        }
        return advance()
    }

    private mutating func advance() -> [ReshareAction<C>] {
        switch phase {
        case .collecting:
            let d = parameters.dealers.count
            guard dealings.count == d, subShares.count == d else { return [] }
            let output: ReshareOutput<C>
            do {
                output = try Reshare<C>.finalize(identifier: identifier, parameters: parameters, dealings: dealings,
                                                 subShares: subShares)
            } catch { return abort(error) }
            subShares = [:]   // secret; no longer needed (the DKGRound2Package storage wipes itself)
            phase = .echoing(output)
            return [.echo(output.commitmentDigest)] + advance()
        case .echoing(let output):
            guard echoes.count == parameters.members.count - 1 else { return [] }
            let differing = echoes.filter { $0.value != output.commitmentDigest }.keys.sorted()
            guard differing.isEmpty else {
                return abort(.misbehaving(differing.map { .init(party: $0, reason: "echoed a different digest of the dealings") }))
            }
            phase = .finished
            return [.finished(output)]
        case .ready, .finished, .aborted:
            return []
        }
    }

    private func stranger(_ sender: ParticipantID, _ why: String) -> [ReshareAction<C>] {
        [.refused(.misbehaving([.init(party: sender, reason: why)]))]
    }

    private mutating func abort(_ error: FROSTError) -> [ReshareAction<C>] {
        phase = .aborted
        dealings = [:]
        subShares = [:]
        echoes = [:]
        return [.abort(error)]
    }
}
