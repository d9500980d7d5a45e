import Foundation
@testable import Protocols

/// Test-only material: safe primes generated once with `openssl prime -generate -safe`
/// (Fixtures/safe-primes.json, a test resource: `resources: [.copy("Fixtures")]`).
/// Production code never loads fixtures.
enum CGGMPFixtures {
    struct File: Decodable {
        let bits1024: [String]
        let bits1536: [String]
        let smallFactor128: String
        let bigFactor1920: String
        let nonBlum1024: [String]
    }

    static let file: File? = {
        guard let url = Bundle.module.url(forResource: "safe-primes", withExtension: "json", subdirectory: "Fixtures")
        else { return nil }
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(File.self, from: data)
    }()

    static func primes(_ profile: CGGMPProfile) -> [BigNum] {
        let hex = profile == .bits2048 ? (file?.bits1024 ?? []) : (file?.bits1536 ?? [])
        return hex.compactMap { BigNum(hex: $0) }
    }

    static func big(_ hex: String?) -> BigNum { hex.flatMap { BigNum(hex: $0) } ?? .zero }

    /// Party `index`'s Paillier key (primes 2i, 2i+1 of the profile; 6 parties per profile).
    static func paillierKey(_ profile: CGGMPProfile, _ index: Int) throws -> PaillierSecretKey {
        let ps = primes(profile)
        guard ps.count >= 2 * index + 2 else { throw CGGMPError.invalidInput("fixture missing") }
        return try PaillierSecretKey(p: ps[2 * index], q: ps[2 * index + 1], profile: profile)
    }

    /// Party `index`'s ring-Pedersen parameters over the same modulus as its Paillier key
    /// (as in the aux-info phase, Fig. 7), with deterministic randomness.
    static func ringPedersen(_ profile: CGGMPProfile, _ index: Int) throws -> RingPedersenSecret {
        let ps = primes(profile)
        guard ps.count >= 2 * index + 2 else { throw CGGMPError.invalidInput("fixture missing") }
        var rng = SeededRandom(seed: 1000 + UInt64(index))
        return try RingPedersenSecret.generate(p: ps[2 * index], q: ps[2 * index + 1], profile: profile, using: &rng)
    }

    static let context = CGGMPProofContext(sessionId: Array("session-1".utf8), proverId: [0, 1], round: 1)
    static let otherSession = CGGMPProofContext(sessionId: Array("session-2".utf8), proverId: [0, 1], round: 1)
    static let otherProver = CGGMPProofContext(sessionId: Array("session-1".utf8), proverId: [0, 2], round: 1)
    static let otherRound = CGGMPProofContext(sessionId: Array("session-1".utf8), proverId: [0, 1], round: 2)
}

/// Asserts helpers for typed proof failures.
func rejection(_ body: () throws -> Void) -> CGGMPProofRejection? {
    do { try body(); return nil } catch {
        if case .proofRejected(_, let r)? = error as? CGGMPError { return r }
        return .malformed("other error: \(error)")
    }
}

func isOutOfRange(_ r: CGGMPProofRejection?) -> Bool { if case .outOfRange = r { return true }; return false }
func isEquationFailure(_ r: CGGMPProofRejection?) -> Bool { if case .equationFailed = r { return true }; return false }
func isInvalidStatement(_ r: CGGMPProofRejection?) -> Bool { if case .invalidStatement = r { return true }; return false }
