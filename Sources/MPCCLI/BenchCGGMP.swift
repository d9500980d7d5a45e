import ArgumentParser
import Foundation
import Protocols

/// `mpc bench cggmp --profile 2048|3072 --threshold T --parties N --primes FILE [--iterations K] [--prime-samples S]`
/// In-process timing of threshold ECDSA (CGGMP21) through the real round functions, all parties in this one
/// process: in each round the parties run concurrently (they are independent between rounds), and inside a
/// party's round the per-peer proofs run concurrently too (`CGGMPConcurrent`), so both cores work. Wall time
/// is what a user waits (the targets); CPU time is the process's (every thread), i.e. the work. keygen (the FROST secp256k1 Pedersen DKG plus the conversion to ECDSA key shares with the echo
/// check), aux info + refresh (Fig. 6: Paillier and ring-Pedersen set-up from given primes, Π^mod/Π^prm/Π^fac
/// proved and verified by every party), presigning (Fig. 7, three rounds, t signers) and signing with a
/// presignature (Fig. 8: every signer's share, then combine, which verifies the signature).
/// Safe-prime generation is random and slow, so it is timed separately (`--prime-samples`); the protocol runs
/// use primes from FILE (JSON `{"bits1024": [hex...], "bits1536": [hex...]}`, e.g. the test fixture
/// Tests/ProtocolsTests/Fixtures/safe-primes.json). With more parties than prime pairs, keys are reused
/// cyclically: timing is the same, security is not — a benchmark only.
struct CGGMPBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cggmp", abstract: "Time CGGMP21 threshold ECDSA phases in one process.")

    @Option(help: "Paillier modulus bits: 2048 or 3072.") var profile: Int = 2048
    @Option(help: "Threshold t (signers).") var threshold: Int = 3
    @Option(help: "Parties n.") var parties: Int = 5
    @Option(help: "Presign + sign runs to take the median over.") var iterations: Int = 3
    @Option(help: "Safe-prime JSON file (see above).") var primes: String = "benchmarks/safe-primes.json"
    @Option(help: "Also time this many Paillier key generations (two fresh safe primes each).") var primeSamples: Int = 0
    @Option(help: "Seed for the deterministic random stream.") var seed: UInt64 = 1
    @Flag(help: "Instead: time each proof alone (prove and verify), two parties.") var proofs = false
    /// Default: the parties of a round one after another, each using every core inside its round (per-peer proofs
    /// and checks, the repetitions of Π^mod / Π^prm): on 2 cores that packs better than 3 or 5 parties side by side.
    @Flag(help: "Run the parties of a round side by side on the cores instead of one after another.")
    var concurrentParties = false
    /// A/B switch: presign without the per-peer constant-time ring-Pedersen tables (`CGGMPAuxInfo.withPresignTables`).
    @Flag(help: "Presign without the precomputed ring-Pedersen power tables (A/B).") var noTables = false

    func validate() throws {
        guard profile == 2048 || profile == 3072 else { throw ValidationError("--profile: 2048 or 3072") }
        guard threshold >= 2, threshold <= parties, parties <= 64 else { throw ValidationError("need 2 ≤ threshold ≤ parties ≤ 64") }
        guard iterations >= 1, primeSamples >= 0 else { throw ValidationError("--iterations ≥ 1, --prime-samples ≥ 0") }
    }

    struct PrimeFile: Decodable { let bits1024: [String]; let bits1536: [String] }

    func run() throws {
        let prof: CGGMPProfile = profile == 2048 ? .bits2048 : .bits3072
        let file = try JSONDecoder().decode(PrimeFile.self, from: Data(contentsOf: URL(fileURLWithPath: primes)))
        let hex = profile == 2048 ? file.bits1024 : file.bits1536
        let ps = hex.compactMap { BigNum(hex: $0) }
        guard ps.count >= 2, ps.allSatisfy({ $0.bitLength == prof.primeBits }) else {
            throw BenchError.protocolFailed("\(primes): need at least two \(prof.primeBits)-bit primes")
        }
        var rng = SeededRandom(seed: seed)
        if proofs {
            guard ps.count >= 4 else { throw BenchError.protocolFailed("\(primes): --proofs needs four primes") }
            try CGGMPProofBreakdown(profile: prof, primes: ps, iterations: iterations).run(rng: &rng)
            return
        }
        var rows: [BenchRow] = []
        func row(_ name: String, _ xs: [(Double, Double)]) {
            rows.append(BenchRow(name: name, wall: Samples(values: xs.map(\.0)), cpu: Samples(values: xs.map(\.1))))
        }

        // Keygen: DKG among all n parties, then every party converts its output after comparing echoed digests.
        let params = try KeyGenParameters(count: parties, threshold: threshold)
        let (shares, tKeygen) = try timedProcess { () throws -> [CGGMPPartyId: CGGMPKeyShare] in
            let dkg = try DKGBench<FROSTSecp256k1>.runOnce(params, using: &rng)
            var digests: [CGGMPPartyId: [UInt8]] = [:]
            for (id, o) in dkg.outputs { digests[id.value] = o.commitmentDigest }
            var out: [CGGMPPartyId: CGGMPKeyShare] = [:]
            for (id, o) in dkg.outputs {
                out[id.value] = try CGGMPKeyShare(dkg: o, echoedDigests: digests.filter { $0.key != id.value })
            }
            return out
        }
        row("keygen: DKG + shares (all \(parties))", [tKeygen])

        // Aux info + refresh among all n parties.
        let (refreshed, tAux) = try timedProcess { try auxRefresh(shares, primes: ps, profile: prof, rng: &rng) }
        row("aux info + refresh (all \(parties))", [tAux])
        row("  per party", [(tAux.0 / Double(parties), tAux.1 / Double(parties))])
        row("keygen incl. aux (all \(parties))", [(tKeygen.0 + tAux.0, tKeygen.1 + tAux.1)])

        // Presign + sign, t signers. Each signer first builds its presign tables (once per aux info, as a node does
        // when it accepts a peer's aux info), timed apart.
        let signers = Array(refreshed.keys.sorted().prefix(threshold))
        var keys = refreshed
        if !noTables {
            let (tabled, tTables) = timedProcess { () -> [CGGMPPartyId: (share: CGGMPKeyShare, aux: CGGMPAuxInfo)] in
                var out = refreshed
                for i in signers { if let k = refreshed[i] { out[i] = (k.share, k.aux.withPresignTables(profile: prof)) } }
                return out
            }
            keys = tabled
            row("presign tables (all \(threshold) signers, once)", [tTables])
        }
        var tPresign: [(Double, Double)] = [], tSign: [(Double, Double)] = []
        for it in 0..<iterations {
            let ((pres, pub), tp) = try timedProcess { try presign(keys, signers: signers, session: "bench-\(it)", profile: prof, rng: &rng) }
            tPresign.append(tp)
            let digest = rng.bytes(32)
            var sigShares: [CGGMPSignatureShare] = []
            let (_, ts) = try timedProcess {
                for p in pres { if let pre = p.take() { sigShares.append(try pre.sign(digest: digest)) } }
                _ = try pub.combine(sigShares, digest: digest)
            }
            tSign.append(ts)
        }
        row("presign (all \(threshold) signers)", tPresign)
        row("sign with presignature (all + combine)", tSign)

        if primeSamples > 0 {
            var tPrime: [(Double, Double)] = []
            for _ in 0..<primeSamples {
                let (_, t) = try timedProcess { _ = try PaillierSecretKey.generate(profile: prof, using: &rng) }
                tPrime.append(t)
            }
            row("Paillier key: 2 safe primes (one party)", tPrime)
        }

        print("CGGMP21 \(prof.name) \(threshold)-of-\(parties), one process, "
              + (concurrentParties ? "parties side by side on the cores" : "parties in turn, each round's pieces on every core")
              + "; presign/sign over \(iterations) runs")
        print("wall = what a user waits (the targets); CPU = process CPU time, all threads (the work)")
        print("phase".padding(toLength: 42, withPad: " ", startingAt: 0) + "wall median   wall p95      CPU median    CPU p95")
        for r in rows {
            let cells = [r.wall.median, r.wall.p95, r.cpu.median, r.cpu.p95].map { benchFormat($0).padding(toLength: 14, withPad: " ", startingAt: 0) }
            print(r.name.padding(toLength: 42, withPad: " ", startingAt: 0) + cells.joined())
        }
    }

    /// Fig. 6 for all parties; party i's new Paillier key uses prime pair i (cyclically).
    private func auxRefresh(_ shares: [CGGMPPartyId: CGGMPKeyShare], primes ps: [BigNum], profile: CGGMPProfile,
                            rng: inout SeededRandom) throws -> [CGGMPPartyId: (share: CGGMPKeyShare, aux: CGGMPAuxInfo)] {
        let ids = shares.keys.sorted()
        let pairs = ps.count / 2
        let session = Array("bench-refresh".utf8)
        let r1 = try eachParty(ids, &rng) { k, i, rng in
            guard let share = shares[i] else { throw BenchError.protocolFailed("no share") }
            let p = ps[2 * (k % pairs)], q = ps[2 * (k % pairs) + 1]
            let sk = try PaillierSecretKey(p: p, q: q, profile: profile)
            let rp = try RingPedersenSecret.generate(p: p, q: q, profile: profile, using: &rng)
            let step = try CGGMPAuxRefresh.start(keyShare: share, paillier: sk, ringPedersen: rp, sessionId: session, profile: profile, using: &rng)
            return (BenchSlot(step.state), step.messages)
        }
        let m1 = r1.flatMap(\.1)
        let r2 = try eachParty(ids, &rng) { k, i, _ in
            guard let st = r1[k].0.take() else { throw BenchError.protocolFailed("state") }
            let step = try st.receive(m1.filter { $0.from != i })
            return (BenchSlot(step.state), step.messages)
        }
        let m2 = r2.flatMap(\.1)
        let r3 = try eachParty(ids, &rng) { k, i, rng in
            guard let st = r2[k].0.take() else { throw BenchError.protocolFailed("state") }
            let step = try st.receive(m2.filter { $0.from != i }, using: &rng)
            return (BenchSlot(step.state), step.messages)
        }
        let m3 = r3.flatMap(\.1)
        let outs = try eachParty(ids, &rng) { k, i, _ in
            guard let st = r3[k].0.take() else { throw BenchError.protocolFailed("state") }
            let o = try st.receive(m3.filter { $0.to == i })
            return (o.keyShare, o.aux)
        }
        var out: [CGGMPPartyId: (share: CGGMPKeyShare, aux: CGGMPAuxInfo)] = [:]
        for (k, i) in ids.enumerated() { out[i] = outs[k] }
        guard out.count == ids.count else { throw BenchError.protocolFailed("refresh did not finish for every party") }
        return out
    }

    /// Fig. 7 for `signers`; every party must end with a presignature.
    private func presign(_ keys: [CGGMPPartyId: (share: CGGMPKeyShare, aux: CGGMPAuxInfo)], signers: [CGGMPPartyId],
                         session: String, profile: CGGMPProfile, rng: inout SeededRandom) throws
        -> ([BenchSlot<CGGMPPresignature>], CGGMPPresignaturePublic) {
        let r1 = try eachParty(signers, &rng) { _, i, rng in
            guard let k = keys[i] else { throw BenchError.protocolFailed("no key") }
            let step = try CGGMPPresign.start(keyShare: k.share, aux: k.aux, signers: signers, sessionId: Array(session.utf8),
                                              profile: profile, using: &rng)
            return (BenchSlot(step.state), step.messages)
        }
        let m1 = r1.flatMap(\.1)
        let r2 = try eachParty(signers, &rng) { k, i, rng in
            guard let st = r1[k].0.take() else { throw BenchError.protocolFailed("state") }
            let step = try st.receive(m1.filter { $0.to == i }, using: &rng)
            return (BenchSlot(step.state), step.messages)
        }
        let m2 = r2.flatMap(\.1)
        let r3 = try eachParty(signers, &rng) { k, i, rng in
            guard let st = r2[k].0.take() else { throw BenchError.protocolFailed("state") }
            let step = try st.receive(m2.filter { $0.to == i }, using: &rng)
            return (BenchSlot(step.state), step.messages)
        }
        let m3 = r3.flatMap(\.1)
        let outs = try eachParty(signers, &rng) { k, i, _ in
            guard let st = r3[k].0.take() else { throw BenchError.protocolFailed("state") }
            let outcome = try st.receive(m3.filter { $0.to == i })
            switch consume outcome {
            case .presignature(let p):
                let pub = p.publicData
                return (BenchSlot(p), pub)
            case .identify(_, let failed): throw BenchError.protocolFailed("presign \(failed.rawValue) check failed (honest run)")
            }
        }
        guard outs.count == signers.count, let pub = outs.first?.1 else { throw BenchError.protocolFailed("presign did not finish for every signer") }
        return (outs.map(\.0), pub)
    }

    /// One round for every party, the parties concurrently (`CGGMPConcurrent.map`); party k gets its own
    /// seeded stream, drawn from `rng` in party order, so runs are reproducible.
    private func eachParty<T: Sendable>(_ ids: [CGGMPPartyId], _ rng: inout SeededRandom,
                                        _ body: @Sendable (Int, CGGMPPartyId, inout SeededRandom) throws -> T) throws -> [T] {
        let seeds = ids.map { _ in rng.bytes(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        if !concurrentParties {
            return try ids.indices.map { k in
                var r = SeededRandom(seed: seeds[k])
                return try body(k, ids[k], &r)
            }
        }
        return try CGGMPConcurrent.map(ids.count) { (k: Int) throws(BenchFailure) -> T in
            var r = SeededRandom(seed: seeds[k])
            do { return try body(k, ids[k], &r) } catch { throw BenchFailure(error: "\(error)") }
        }
    }
}

struct BenchFailure: Error { let error: String }

/// A value moved into one concurrent task and taken out by exactly one later task (rounds are sequential),
/// hence the unchecked Sendable.
final class BenchSlot<T: ~Copyable>: @unchecked Sendable {
    private var value: T?
    init(_ v: consuming T) { value = consume v }
    func take() -> T? { value.take() }
}
