import Protocols

/// Times an in-process n-party Pedersen DKG per iteration (RFC 9591 Appendix C, as Protocols/FROST/DKG runs
/// it): round 1 for all n parties, round 2 for all n parties (proof-of-knowledge checks and shares), the
/// final step for all n parties (share checks, key packages), and the whole run.
func benchDKG(suite: BenchSuite, threshold: Int, parties: Int, iterations: Int, seed: UInt64) throws -> [BenchRow] {
    switch suite {
    case .ed25519: return try DKGBench<FROSTEd25519>.run(t: threshold, n: parties, iterations: iterations, seed: seed)
    case .secp256k1: return try DKGBench<FROSTSecp256k1>.run(t: threshold, n: parties, iterations: iterations, seed: seed)
    case .taproot: return try DKGBench<FROSTSecp256k1Taproot>.run(t: threshold, n: parties, iterations: iterations, seed: seed)
    }
}

/// Holds one non-copyable round state so that n of them can sit in a dictionary.
final class Slot<T: ~Copyable> {
    var value: T?
    init(_ v: consuming T) { value = consume v }
    func take() -> T? { value.take() }
}

enum DKGBench<C: FROSTCiphersuite> {
    /// One full DKG among all n parties: every party's output, and (wall, CPU) times of each phase.
    struct Run {
        var outputs: [ParticipantID: DKGOutput<C>] = [:]
        var round1 = (0.0, 0.0), round2 = (0.0, 0.0), finalize = (0.0, 0.0), whole = (0.0, 0.0)
    }

    static func runOnce<R: RandomSource>(_ params: KeyGenParameters, using rng: inout R) throws -> Run {
        var run = Run()
        let start = Stamp.now()
        var states1: [ParticipantID: Slot<DKGRound1State<C>>] = [:]
        var packages1: [ParticipantID: DKGRound1Package<C>] = [:]
        (_, run.round1) = try timed {
            for id in params.participants {
                let step = try DKG<C>.round1(identifier: id, parameters: params, using: &rng)
                packages1[id] = step.package
                states1[id] = Slot(step.state)
            }
        }
        var states2: [ParticipantID: Slot<DKGRound2State<C>>] = [:]
        var sent: [ParticipantID: [ParticipantID: DKGRound2Package<C>]] = [:]
        (_, run.round2) = try timed {
            for id in params.participants {
                let inbox = params.participants.filter { $0 != id }.compactMap { from in
                    packages1[from].map { (from: from, package: $0) }
                }
                guard let state = states1[id]?.take() else { throw BenchError.protocolFailed("round 1 state missing") }
                let step = try state.round2(inbox)
                sent[id] = step.packages
                states2[id] = Slot(step.state)
            }
        }
        var outputs: [ParticipantID: DKGOutput<C>] = [:]
        (_, run.finalize) = try timed {
            for id in params.participants {
                let inbox = params.participants.filter { $0 != id }.compactMap { from in
                    sent[from]?[id].map { (from: from, package: $0) }
                }
                guard let state = states2[id]?.take() else { throw BenchError.protocolFailed("round 2 state missing") }
                outputs[id] = try state.finalize(inbox)
            }
        }
        run.whole = start.elapsed()
        let keys = outputs.values.map(\.publicKeyPackage.groupPublicKey)
        guard let first = keys.first, keys.allSatisfy({ $0 == first }) else {
            throw BenchError.protocolFailed("parties disagree on the group key")
        }
        run.outputs = outputs
        return run
    }

    static func run(t: Int, n: Int, iterations: Int, seed: UInt64) throws -> [BenchRow] {
        let params = try KeyGenParameters(count: n, threshold: t)
        var rng = SeededRandom(seed: seed)
        var r1 = (Samples(), Samples()), r2 = (Samples(), Samples()), fin = (Samples(), Samples()), whole = (Samples(), Samples())
        func add(_ s: inout (Samples, Samples), _ x: (Double, Double)) { s.0.values.append(x.0); s.1.values.append(x.1) }
        for it in 0..<(iterations + 1) {   // the first run warms caches and is not recorded
            let r = try runOnce(params, using: &rng)
            if it == 0 { continue }
            add(&r1, r.round1); add(&r2, r.round2); add(&fin, r.finalize); add(&whole, r.whole)
        }
        return [BenchRow(name: "round 1 (all \(n) parties)", wall: r1.0, cpu: r1.1),
                BenchRow(name: "round 2 (all \(n) parties)", wall: r2.0, cpu: r2.1),
                BenchRow(name: "finalize (all \(n) parties)", wall: fin.0, cpu: fin.1),
                BenchRow(name: "whole DKG", wall: whole.0, cpu: whole.1)]
    }
}
