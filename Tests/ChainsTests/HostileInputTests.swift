import Testing
import Protocols
@testable import Chains

/// Deterministic mutation fuzzing: every parser of outside bytes must return or throw, never trap.
@Suite struct HostileInputTests {
    struct PRNG {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    /// Mutants of a valid input: byte flips, truncation, insertion, duplication of a slice.
    static func mutants(_ seed: [UInt8], count: Int, rng: inout PRNG) -> [[UInt8]] {
        var out = [[UInt8]]()
        for _ in 0..<count {
            var b = seed
            switch rng.below(4) {
            case 0: if !b.isEmpty { let i = rng.below(b.count); b[i] ^= UInt8(1 << rng.below(8)) }
            case 1: b = Array(b.prefix(rng.below(b.count + 1)))
            case 2: b.insert(UInt8(rng.below(256)), at: rng.below(b.count + 1))
            default:
                if !b.isEmpty { let i = rng.below(b.count); let j = min(b.count, i + rng.below(16)); b.insert(contentsOf: b[i..<j], at: i) }
            }
            out.append(b)
        }
        return out
    }

    @Test func parsersSurviveMutants() throws {
        var rng = PRNG(state: 0x5eed)
        let fx = try Fixtures.json("eth-account.json")
        let sol = try Fixtures.json("solana.json")
        let bip143 = (try? SharedVectors.json("bitcoin-bips_bip-0143_native-p2wpkh-example.json")) as? [String: Any]
        let btcRaw = hex(bip143?["signed_tx"] as? String ?? "")
        var accepted = 0
        for t in fx.at("transactions").arr {
            for m in Self.mutants(hex(t.at("rawSigned").str), count: 300, rng: &rng) {
                // A mutant may be a valid, different transaction (e.g. a flipped nonce bit); then it must round-trip.
                if let d = try? EthereumSignedTransaction(raw: m) {
                    accepted += 1
                    #expect(try d.transaction.signedRaw(r: d.r, s: d.s, recoveryId: d.recoveryId) == m)
                }
                _ = try? RLP.decode(m)
            }
        }
        for m in Self.mutants(btcRaw, count: 2000, rng: &rng) { _ = try? BitcoinTransaction(raw: m) }
        for c in sol.at("cases").arr {
            for m in Self.mutants(hex(c.at("message").str), count: 1000, rng: &rng) { _ = try? SolanaMessage(bytes: m) }
        }
        let jsonDoc = Array(#"{"type":2,"chainId":1,"nonce":0,"gas":21000,"to":"0x3535353535353535353535353535353535353535","maxFeePerGas":"1","maxPriorityFeePerGas":"0x1","accessList":[{"address":"0x3535353535353535353535353535353535353535","storageKeys":[]}]}"#.utf8)
        for m in Self.mutants(jsonDoc, count: 2000, rng: &rng) {
            _ = try? EthereumTransactionJSON.decode(m, expectedChainId: 1)
            _ = try? JSONValue.parse(m)
        }
        let addr = Array("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0".utf8)
        for m in Self.mutants(addr, count: 2000, rng: &rng) {
            let s = String(decoding: m, as: UTF8.self)
            _ = try? SegwitAddress(parsing: s)
            _ = Base58.decode(s)
            _ = try? BitcoinAddress.scriptPubKey(for: s, network: .mainnet)
            _ = try? EthereumAddress(parsing: s)
        }
        // Truncations and insertions must all be rejected, so far from every mutant decodes.
        #expect(accepted < 1200)
    }
}
