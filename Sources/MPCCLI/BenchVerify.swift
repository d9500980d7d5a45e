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
    @OptionGroup var timing: PerCallOptions

    func validate() throws {
        guard signatures >= 1 else { throw ValidationError("need at least one signature") }
    }

    func run() throws {
        var rng = SeededRandom(seed: timing.seed)
        let signers = try (0..<5).map { try Identity.generate(id: "k\($0)", using: &rng) }
        let keys = signers.map { Ed25519VerifyingKey(encoding: $0.signingPublicKey) }
        let cases = (0..<signatures).map { i -> (Int, [UInt8], [UInt8]) in
            let m = rng.bytes(200)
            return (i % 5, m, signers[i % 5].sign(message: m))
        }
        let (_, tables) = timed { (0..<5).forEach { _ = Ed25519VerifyingKey(encoding: signers[$0].signingPublicKey) } }
        print("Ed25519 verification, \(signatures) signatures × \(timing.runs) runs, median per call (wall / this thread's CPU)")
        let kinds: [(String, (Int, [UInt8], [UInt8]) -> Bool)] = [
            ("libsodium", { k, m, s in crypto_sign_verify_detached(s, m, UInt64(m.count), signers[k].signingPublicKey) == 0 }),
            ("precomputed key", { k, m, s in keys[k]?.verify(signature: s, message: m) ?? false }),
        ]
        for (name, check) in kinds {
            let m = try perCallMedians(name, runs: timing.runs, calls: cases.count, accepted: cases.count) {
                cases.reduce(0) { $0 + (check($1.0, $1.1, $1.2) ? 1 : 0) }
            }
            printPerCall(name, width: 24, m)
        }
        printPerCall("tables for one key", width: 24, (tables.0 / 5, tables.1 / 5))
    }
}
