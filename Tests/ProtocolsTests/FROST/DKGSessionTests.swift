import Testing
@testable import Protocols

/// The DKG state machine under reordered delivery, repeated calls and hostile messages.
@Suite struct DKGSessionTests {
    struct Envelope<C: FROSTCiphersuite> { let to: ParticipantID; let from: ParticipantID; let message: DKGMessage<C> }

    final class Network<C: FROSTCiphersuite> {
        var sessions: [ParticipantID: DKGSlot<DKGSession<C>>] = [:]
        var queue: [Envelope<C>] = []
        var outputs: [ParticipantID: DKGOutput<C>] = [:]
        var errors: [ParticipantID: FROSTError] = [:]
        var refusals: [ParticipantID: [FROSTError]] = [:]
        let params: KeyGenParameters

        init(n: Int, t: Int) throws {
            params = try KeyGenParameters(count: n, threshold: t)
            for id in params.participants { sessions[id] = DKGSlot(try DKGSession<C>(identifier: id, parameters: params)) }
        }

        func handle(_ actions: [DKGAction<C>], of id: ParticipantID) {
            for action in actions {
                switch action {
                case .broadcast(let p):
                    for to in params.participants where to != id { queue.append(.init(to: to, from: id, message: .round1(p))) }
                case .sendEach(let packages):
                    for (to, p) in packages { queue.append(.init(to: to, from: id, message: .round2(p))) }
                case .finished(let out): outputs[id] = out
                case .abort(let e): errors[id] = e
                case .refused(let e): refusals[id, default: []].append(e)
                }
            }
        }

        func start(_ id: ParticipantID, seed: UInt64) {
            var rng = SeededRandom(seed: seed)
            guard let slot = sessions[id] else { return }
            let actions = slot.value!.start(using: &rng)
            handle(actions, of: id)
        }

        func deliver(_ e: Envelope<C>) {
            guard let slot = sessions[e.to] else { return }
            let actions = slot.value!.receive(e.message, from: e.from)
            handle(actions, of: e.to)
        }

        /// Delivers everything queued, in an order drawn from `seed`.
        func drain(seed: UInt64) {
            var rng = SeededRandom(seed: seed)
            while !queue.isEmpty {
                let r = rng.bytes(2)
                let k = (Int(r[0]) << 8 | Int(r[1])) % queue.count
                deliver(queue.remove(at: k))
            }
        }
    }

    @Test(arguments: KeyGenSuite.allCases)
    func reorderedDeliveryFinishes(suite: KeyGenSuite) throws {
        switch suite {
        case .ed25519: try reordered(FROSTEd25519.self)
        case .secp256k1: try reordered(FROSTSecp256k1.self)
        case .taproot: try reordered(FROSTSecp256k1Taproot.self)
        }
    }

    func reordered<C: FROSTCiphersuite>(_: C.Type) throws {
        for seed in UInt64(1)...4 {
            let net = try Network<C>(n: 5, t: 3)
            // Parties start at different times: some messages reach parties that have not started yet.
            for id in net.params.participants.prefix(2) { net.start(id, seed: seed * 10 + UInt64(id.value)) }
            net.drain(seed: seed)
            for id in net.params.participants.dropFirst(2) { net.start(id, seed: seed * 10 + UInt64(id.value)) }
            net.drain(seed: seed + 100)
            #expect(net.errors.isEmpty)
            #expect(net.outputs.count == 5)
            let keys = Set(try net.outputs.values.map { try $0.publicKeyPackage.groupPublicKey.serialized() })
            #expect(keys.count == 1)
        }
    }

    @Test func aConsumedRoundCannotRunAgain() throws {
        typealias C = FROSTSecp256k1
        let net = try Network<C>(n: 3, t: 2)
        let p1 = try ParticipantID(1)
        net.start(p1, seed: 1)
        net.start(p1, seed: 2)                      // round 1 a second time
        #expect(net.refusals[p1]?.count == 1)
        #expect(net.queue.count == 2)               // only one broadcast went out
        for id in net.params.participants.dropFirst() { net.start(id, seed: UInt64(id.value)) }
        let round1ToP1 = try #require(net.queue.first { $0.to == p1 })
        net.drain(seed: 3)
        #expect(net.outputs.count == 3)
        // After the end: start, a replayed round-1 package and a round-2 package are all refused.
        net.start(p1, seed: 4)
        net.deliver(round1ToP1)
        net.deliver(.init(to: p1, from: try ParticipantID(2), message: .round2(DKGRound2Package(share: .one))))
        #expect(net.refusals[p1]?.count == 4)
        #expect(net.outputs.count == 3)
        #expect(net.errors.isEmpty)
    }

    @Test func hostileMessages() throws {
        typealias C = FROSTEd25519
        let net = try Network<C>(n: 3, t: 2)
        let p1 = try ParticipantID(1), p2 = try ParticipantID(2), stranger = try ParticipantID(40)
        for id in net.params.participants { net.start(id, seed: UInt64(id.value)) }
        let fromP2 = try #require(net.queue.first { $0.from == p2 && $0.to == p1 })
        // A stranger's message is refused and does not derail the run; nor does one claiming to be from oneself.
        net.deliver(.init(to: p1, from: stranger, message: fromP2.message))
        net.deliver(.init(to: p1, from: p1, message: fromP2.message))
        #expect(net.refusals[p1]?.count == 2)
        #expect(net.refusals[p1]?.first?.culprits == [stranger])
        // A retransmission is harmless.
        net.deliver(fromP2)
        net.drain(seed: 5)
        #expect(net.outputs.count == 3)
        #expect(net.errors.isEmpty)

        // Equivocation: party 2 sends party 1 two different round-1 packages.
        let net2 = try Network<C>(n: 3, t: 2)
        for id in net2.params.participants { net2.start(id, seed: 50 + UInt64(id.value)) }
        var rng = SeededRandom(seed: 77)
        let other = try DKG<C>.round1(identifier: p2, parameters: net2.params, using: &rng).package
        let first = try #require(net2.queue.firstIndex { $0.from == p2 && $0.to == p1 })
        net2.deliver(net2.queue.remove(at: first))
        net2.deliver(.init(to: p1, from: p2, message: .round1(other)))
        #expect(net2.errors[p1]?.culprits == [p2])
        net2.drain(seed: 6)
        #expect(net2.outputs[p1] == nil)
        #expect(net2.refusals[p1]?.isEmpty == false)   // later messages to an aborted session are refused
    }
}
