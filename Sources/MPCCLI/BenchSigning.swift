import Protocols

/// Times one signing per iteration with a fresh random t-subset of the n parties:
///   round 1: every chosen signer commits; round 2: every chosen signer signs the package;
///   aggregation: the coordinator takes all shares, aggregates and verifies;
///   whole signing: all of the above plus the coordinator's collection of commitments.
enum SigningBench<C: FROSTCiphersuite> {
    static func run(t: Int, n: Int, iterations: Int, seed: UInt64) throws -> [BenchRow] {
        var rng = SeededRandom(seed: seed)
        let (keys, pkp) = BenchKeys<C>.split(t: t, n: n, rng: &rng)
        var r1 = (Samples(), Samples()), r2 = (Samples(), Samples()), agg = (Samples(), Samples()), whole = (Samples(), Samples())
        func add(_ s: inout (Samples, Samples), _ t: (Double, Double)) { s.0.values.append(t.0); s.1.values.append(t.1) }
        let message = Array("benchmark message".utf8)
        for it in 0..<(iterations + 1) {   // the first run warms caches and is not recorded
            var ids = Array(keys.keys)
            var g = SeededGenerator(source: rng)
            ids.shuffle(using: &g)
            rng = g.source
            let chosen = Array(ids.prefix(t)).sorted()
            let start = Stamp.now()
            let coordinator = try SigningCoordinator<C>(publicKeyPackage: pkp, signers: chosen, message: message)
            let sessions = chosen.compactMap { keys[$0].map { SignerSession<C>(keyPackage: $0) } }
            let (commitments, tR1) = try timed { try sessions.map { try $0.round1(using: &rng) } }
            var package: SigningPackage<C>?
            for c in commitments {
                if case .sendSigningPackage(let p) = try coordinator.receive(c) { package = p }
            }
            guard let pkg = package else { throw BenchError.protocolFailed("no signing package") }
            let (shares, tR2) = try timed { try sessions.map { try $0.round2(pkg) } }
            let (result, tAgg) = try timed { () throws -> Signature<C>? in
                var sig: Signature<C>?
                for s in shares { if case .finished(let f) = try coordinator.receive(s) { sig = f } }
                return sig
            }
            let elapsed = start.elapsed()
            guard let sig = result,
                  FROSTSigning<C>.verify(signature: sig, groupPublicKey: try coordinator.verifyingKey(), message: message)
            else { throw BenchError.protocolFailed("signature does not verify") }
            if it == 0 { continue }
            add(&r1, tR1); add(&r2, tR2); add(&agg, tAgg); add(&whole, elapsed)
        }
        return [BenchRow(name: "round 1 (all \(t) signers)", wall: r1.0, cpu: r1.1),
                BenchRow(name: "round 2 (all \(t) signers)", wall: r2.0, cpu: r2.1),
                BenchRow(name: "aggregation (+ verification)", wall: agg.0, cpu: agg.1),
                BenchRow(name: "whole signing", wall: whole.0, cpu: whole.1)]
    }
}

enum BenchError: Error, CustomStringConvertible {
    case protocolFailed(String)
    case notImplemented(String)
    var description: String {
        switch self {
        case .protocolFailed(let s): return "protocol failed: \(s)"
        case .notImplemented(let s): return "not implemented: \(s)"
        }
    }
}

/// Benchmark fixture only: a Shamir split of a random key (f(x) = a0 + a1·x + ... + a_{t-1}·x^{t-1}).
/// Production keys come from the DKG or the trusted dealer (Protocols/FROST/DKG, Dealer).
enum BenchKeys<C: FROSTCiphersuite> {
    static func split(t: Int, n: Int, rng: inout SeededRandom) -> ([ParticipantID: KeyPackage<C>], PublicKeyPackage<C>) {
        let coefficients = (0..<t).map { _ in C.Scalar.random(using: &rng) }
        let pk = C.Element.baseMultiply(coefficients[0])
        var keys = [ParticipantID: KeyPackage<C>](), shares = [ParticipantID: C.Element]()
        for i in 1...n {
            guard let id = try? ParticipantID(UInt16(i)) else { continue }
            var fx = C.Scalar.zero
            for c in coefficients.reversed() { fx = fx * C.Scalar(UInt64(i)) + c }
            let vs = C.Element.baseMultiply(fx)
            keys[id] = KeyPackage(identifier: id, signingShare: fx, verifyingShare: vs, groupPublicKey: pk, minSigners: t)
            shares[id] = vs
        }
        return (keys, PublicKeyPackage(verifyingShares: shares, groupPublicKey: pk, minSigners: t))
    }
}

/// A SeededRandom stream as a RandomNumberGenerator, for shuffling the signer set.
struct SeededGenerator: RandomNumberGenerator {
    var source: SeededRandom
    mutating func next() -> UInt64 { source.bytes(8).reduce(0) { $0 << 8 | UInt64($1) } }
}
