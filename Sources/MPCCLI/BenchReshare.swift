import Protocols

/// Times an in-process resharing per iteration (Protocols/FROST/Reshare): a t-of-n key from one DKG, then
/// t dealers deal to n new members (all dealings), every new member checks all dealings and computes its share
/// (all n finalizations; the echo comparison is a digest equality and not timed), and the whole run. The key
/// must come out unchanged, else the run fails.
func benchReshare(suite: BenchSuite, threshold: Int, parties: Int, iterations: Int, seed: UInt64) throws -> [BenchRow] {
    switch suite {
    case .ed25519: return try ReshareBench<FROSTEd25519>.run(t: threshold, n: parties, iterations: iterations, seed: seed)
    case .secp256k1: return try ReshareBench<FROSTSecp256k1>.run(t: threshold, n: parties, iterations: iterations, seed: seed)
    case .taproot: return try ReshareBench<FROSTSecp256k1Taproot>.run(t: threshold, n: parties, iterations: iterations, seed: seed)
    }
}

enum ReshareBench<C: FROSTCiphersuite> {
    static func run(t: Int, n: Int, iterations: Int, seed: UInt64) throws -> [BenchRow] {
        let keyParams = try KeyGenParameters(count: n, threshold: t)
        var rng = SeededRandom(seed: seed)
        let dkg = try DKGBench<C>.runOnce(keyParams, using: &rng).outputs
        guard let pkp = dkg.values.first?.publicKeyPackage else { throw BenchError.protocolFailed("no DKG output") }
        let dealers = Array(keyParams.participants.prefix(t))
        var deal = (Samples(), Samples()), fin = (Samples(), Samples()), whole = (Samples(), Samples())
        func add(_ s: inout (Samples, Samples), _ x: (Double, Double)) { s.0.values.append(x.0); s.1.values.append(x.1) }
        for it in 0..<(iterations + 1) {   // the first run warms caches and is not recorded
            let params = try ReshareParameters<C>(dealers: dealers, members: keyParams.participants, newThreshold: t,
                                                  oldPublicKeyPackage: pkp, sessionID: [UInt8(it & 0xff)])
            let start = Stamp.now()
            var dealings: [ParticipantID: ReshareDealing<C>] = [:]
            let (_, dealTime) = try timed {
                for d in dealers {
                    guard let kp = dkg[d]?.keyPackage else { throw BenchError.protocolFailed("missing key package") }
                    dealings[d] = try Reshare<C>.deal(keyPackage: kp, parameters: params, using: &rng)
                }
            }
            let (outputs, finTime) = try timed { () throws -> [ReshareOutput<C>] in
                try params.members.map { m in
                    var subShares: [ParticipantID: DKGRound2Package<C>] = [:]
                    for (d, dealing) in dealings { subShares[d] = dealing.subShares[m] }
                    return try Reshare<C>.finalize(identifier: m, parameters: params, dealings: dealings.mapValues(\.commitment),
                                                   subShares: subShares)
                }
            }
            let total = start.elapsed()
            guard outputs.allSatisfy({ $0.publicKeyPackage.groupPublicKey == pkp.groupPublicKey }),
                  Set(outputs.map(\.commitmentDigest)).count == 1 else { throw BenchError.protocolFailed("the key changed") }
            if it == 0 { continue }
            add(&deal, dealTime); add(&fin, finTime); add(&whole, total)
        }
        return [BenchRow(name: "deal (all \(t) dealers)", wall: deal.0, cpu: deal.1),
                BenchRow(name: "finalize (all \(n) members)", wall: fin.0, cpu: fin.1),
                BenchRow(name: "whole resharing", wall: whole.0, cpu: whole.1)]
    }
}
