import ArgumentParser
import CSodium
import Messaging
import Protocols

/// `mpc bench verify --signatures K --runs R`: per-call time of an Ed25519 signature check, libsodium's
/// `crypto_sign_verify_detached` against `Ed25519VerifyingKey` (the key's multiples precomputed once, what
/// `Identity.verify` uses for a key it keeps), on K signatures of 200-byte messages under 5 keys.
/// Each run times K checks of each kind in turn; the medians over R runs are printed.
struct VerifyBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify",
                                                    abstract: "Time Ed25519 verification: libsodium against precomputed keys.")

    @Option(help: "Signatures per run.") var signatures: Int = 1000
    @Option(help: "Runs to take the median over.") var runs: Int = 7
    @Option(help: "Seed for the deterministic random stream.") var seed: UInt64 = 1

    func validate() throws {
        guard signatures >= 1, runs >= 1 else { throw ValidationError("need at least one signature and one run") }
    }

    func run() throws {
        var rng = SeededRandom(seed: seed)
        let signers = try (0..<5).map { try Identity.generate(id: "k\($0)", using: &rng) }
        let keys = signers.map { Ed25519VerifyingKey(encoding: $0.signingPublicKey) }
        let cases = (0..<signatures).map { i -> (Int, [UInt8], [UInt8]) in
            let m = rng.bytes(200)
            return (i % 5, m, signers[i % 5].sign(message: m))
        }
        let (_, tables) = timed { (0..<5).forEach { _ = Ed25519VerifyingKey(encoding: signers[$0].signingPublicKey) } }
        print("Ed25519 verification, \(signatures) signatures × \(runs) runs, median per call (wall / this thread's CPU)")
        let kinds: [(String, (Int, [UInt8], [UInt8]) -> Bool)] = [
            ("libsodium", { k, m, s in crypto_sign_verify_detached(s, m, UInt64(m.count), signers[k].signingPublicKey) == 0 }),
            ("precomputed key", { k, m, s in keys[k]?.verify(signature: s, message: m) ?? false }),
        ]
        for (name, check) in kinds {
            var wall = Samples(), cpu = Samples()
            for _ in 0..<runs {
                let (accepted, (w, c)) = timed { cases.reduce(0) { $0 + (check($1.0, $1.1, $1.2) ? 1 : 0) } }
                guard accepted == cases.count else { throw ValidationError("\(name) accepted \(accepted) of \(cases.count)") }
                wall.values.append(w / Double(cases.count)); cpu.values.append(c / Double(cases.count))
            }
            print("  \(name):".padding(toLength: 24, withPad: " ", startingAt: 0) + benchFormat(wall.median) + " / " + benchFormat(cpu.median))
        }
        print("  tables for one key:".padding(toLength: 24, withPad: " ", startingAt: 0) + benchFormat(tables.0 / 5))
    }
}
