import Testing
@testable import Protocols

/// Runs one resharing in process through `ReshareSession`s: dealers ∪ new members, every action routed to
/// its recipients. `tamper` sees (sender, recipient, message) and returns what the recipient gets instead.
struct ReshareSimulation<C: FROSTCiphersuite> {
    var tamper: (ParticipantID, ParticipantID, ReshareMessage<C>) -> ReshareMessage<C> = { $2 }
    /// Replaces a dealer's old key package before it deals (a dealer that deals something else).
    var dealerPackage: (KeyPackage<C>) -> KeyPackage<C> = { $0 }

    func run(old: [ParticipantID: KeyPackage<C>], oldPublicKeyPackage: PublicKeyPackage<C>, dealers: [ParticipantID],
             members: [ParticipantID], threshold: Int, seed: UInt64) throws -> [ParticipantID: Result<ReshareOutput<C>, FROSTError>] {
        let params = try ReshareParameters<C>(dealers: dealers, members: members, newThreshold: threshold,
                                              oldPublicKeyPackage: oldPublicKeyPackage, sessionID: Array("reshare-test".utf8))
        var rng = SeededRandom(seed: seed)
        var sessions: [ParticipantID: ReshareSession<C>] = [:]
        for id in Set(dealers + members).sorted() {
            let kp = dealers.contains(id) ? old[id].map(dealerPackage) : nil
            sessions[id] = try ReshareSession<C>(identifier: id, parameters: params, oldKeyPackage: kp)
        }
        var queue: [(from: ParticipantID, to: ParticipantID, message: ReshareMessage<C>)] = []
        var results: [ParticipantID: Result<ReshareOutput<C>, FROSTError>] = [:]
        func handle(_ id: ParticipantID, _ actions: [ReshareAction<C>]) {
            for a in actions {
                switch a {
                case .broadcast(let p): for m in members where m != id { queue.append((id, m, .dealing(p))) }
                case .sendEach(let subs): for (m, s) in subs { queue.append((id, m, .subShare(s))) }
                case .echo(let d): for m in members where m != id { queue.append((id, m, .echo(d))) }
                case .finished(let out): results[id] = .success(out)
                case .abort(let e): results[id] = .failure(e)
                case .dealt, .refused: break
                }
            }
        }
        for id in sessions.keys.sorted() { handle(id, sessions[id]!.start(using: &rng)) }
        while !queue.isEmpty {
            let (from, to, message) = queue.removeFirst()
            handle(to, sessions[to]!.receive(tamper(from, to, message), from: from))
        }
        return results
    }
}

enum ReshareTestKeys {
    static func ids(_ values: [UInt16]) -> [ParticipantID] { values.map { try! ParticipantID($0) } }

    /// The new key packages as signing-test keys (the secret is not known to anyone: zero stands in).
    static func keys<C>(_ outputs: [ParticipantID: Result<ReshareOutput<C>, FROSTError>]) throws -> SigningTestDealer<C>.Keys {
        var packages: [ParticipantID: KeyPackage<C>] = [:]
        var pkp: PublicKeyPackage<C>?
        for (id, r) in outputs {
            let out = try r.get()
            packages[id] = out.keyPackage
            pkp = out.publicKeyPackage
        }
        return SigningTestDealer<C>.Keys(secret: .zero, packages: packages, publicKeyPackage: try #require(pkp))
    }
}
