import ArgumentParser
import Protocols

/// `mpc bench subgroup --points K --runs R`: per-call time of the edwards25519 prime-order-subgroup check, by
/// point halving (`Ed25519SubgroupProbe.byHalving`, what deserialisation uses) and by [ℓ]P = O (`byOrder`), on
/// K random subgroup points (the case every honest commitment takes) and on the same points plus the order-2
/// point (rejected); then whole deserialisations of the same points, plain and with their subgroup certificates
/// (what nonce commitments carry). Each run times K calls of each check in turn; the medians over R runs are printed.
struct SubgroupBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "subgroup",
                                                    abstract: "Time the Ed25519 subgroup check: halving against [ℓ]P.")

    @Option(help: "Points per run.") var points: Int = 1000
    @OptionGroup var timing: PerCallOptions

    func validate() throws {
        guard points >= 1 else { throw ValidationError("need at least one point") }
    }

    func run() throws {
        var rng = SeededRandom(seed: timing.seed)
        let inGroup = (0..<points).map { _ in Ed25519Point.baseMultiply(.random(using: &rng)).encoding }
        let members = try inGroup.map { try Ed25519SubgroupProbe.decodeOrThrow($0) }
        let outsiders = try inGroup.map { try Ed25519SubgroupProbe.decodeOrThrow(Ed25519SubgroupProbe.addingOrderTwo($0)) }
        print("Ed25519 subgroup check, \(points) points × \(timing.runs) runs, median per call (wall / this thread's CPU)")
        for (label, set, expected) in [("in the subgroup", members, true), ("P + (0, −1), rejected", outsiders, false)] {
            for (name, check) in [("halving", \Ed25519SubgroupProbe.byHalving), ("[ℓ]P", \Ed25519SubgroupProbe.byOrder)] {
                let m = try perCallMedians("\(name) (\(label))", runs: timing.runs, calls: set.count, accepted: expected ? set.count : 0) {
                    set.reduce(0) { $0 + ($1[keyPath: check] ? 1 : 0) }
                }
                printPerCall("\(label), \(name)", width: 40, m)
            }
        }
        // What a receiver of a nonce commitment pays per point: DeserializeElement (decoding and the halving check)
        // against decoding the point and its subgroup certificate and checking [8]Q = P.
        let certificates = try inGroup.map { try Ed25519Point(serialized: $0).subgroupCertificate() }
        let decoders: [(String, ([UInt8], [UInt8]) -> Ed25519Point?)] = [
            ("deserialize (decode + halving)", { p, _ in try? Ed25519Point(serialized: p) }),
            ("deserialize with certificate", { p, c in try? Ed25519Point(serialized: p, certificate: c) }),
        ]
        for (name, decode) in decoders {
            let m = try perCallMedians(name, runs: timing.runs, calls: points, accepted: points) {
                zip(inGroup, certificates).reduce(0) { $0 + (decode($1.0, $1.1) == nil ? 0 : 1) }
            }
            printPerCall(name, width: 40, m)
        }
    }
}

extension Ed25519SubgroupProbe {
    static func decodeOrThrow(_ enc: [UInt8]) throws -> Ed25519SubgroupProbe {
        guard let p = Ed25519SubgroupProbe(encoding: enc) else { throw ValidationError("a point did not decode") }
        return p
    }

    /// The encoding of P + (0, −1) = (−x, −y): y ↦ p − y, the sign bit flipped (x ≠ 0 for a subgroup point ≠ O).
    static func addingOrderTwo(_ enc: [UInt8]) -> [UInt8] {
        var y = enc; y[31] &= 0x7f
        // p − y over 32 little-endian bytes, p = 2^255 − 19.
        var pBytes = [UInt8](repeating: 0xff, count: 32); pBytes[0] = 0xed; pBytes[31] = 0x7f
        var out = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for i in 0..<32 {
            let v = Int(pBytes[i]) - Int(y[i]) - borrow
            out[i] = UInt8(truncatingIfNeeded: v); borrow = v < 0 ? 1 : 0
        }
        out[31] |= (enc[31] & 0x80) ^ 0x80
        return out
    }
}
