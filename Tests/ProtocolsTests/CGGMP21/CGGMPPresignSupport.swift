import Testing
import CSecp256k1
@testable import Protocols

/// A box to keep non-copyable round states in collections.
final class CGGMPSlot<T: ~Copyable>: @unchecked Sendable {
    var value: T?
    init(_ v: consuming T) { value = consume v }
    func take() -> T? { value.take() }
}

/// Trusted-dealer setup and an in-process router for presigning tests.
enum CGGMPHarness {
    static let profile = CGGMPProfile.bits2048
    typealias G = Secp256k1Group

    struct Keys {
        let shares: [CGGMPPartyId: CGGMPKeyShare]
        let aux: [CGGMPPartyId: CGGMPAuxInfo]
        let secret: BigNum
        let publicKey: Secp256k1Point
    }

    /// Shamir shares of a random key (degree t−1 polynomial), and aux info from the fixture primes
    /// (party i uses fixture key i−1; peers' aux info marked verified without proofs: test only).
    static func dealer(n: Int, t: Int, seed: UInt64) throws -> Keys {
        var rng = SeededRandom(seed: seed)
        let q = CGGMPProfile.curveOrder
        let coeffs = (0..<t).map { _ in BigNum.random(below: q, using: &rng) }
        func f(_ x: Int) -> BigNum {
            var acc = BigNum.zero
            for c in coeffs.reversed() { acc = (acc * BigNum(x) + c).mod(q) }
            return acc
        }
        let ids = (1...n).map { CGGMPPartyId($0) }
        var pub = [CGGMPPartyId: Secp256k1Point]()
        for i in ids { pub[i] = G.multiplyGenerator(f(Int(i))) }
        let X = G.multiplyGenerator(coeffs[0])
        var shares = [CGGMPPartyId: CGGMPKeyShare]()
        for i in ids {
            shares[i] = try CGGMPKeyShare(id: i, threshold: t, secretShare: f(Int(i)), publicShares: pub, publicKey: X)
        }
        // Aux info for the parties with a fixture key (6 per profile): signer sets stay within those.
        let auxIds = Array(ids.prefix(6))
        var sks = [CGGMPPartyId: PaillierSecretKey](), rps = [CGGMPPartyId: RingPedersenSecret]()
        for i in auxIds {
            sks[i] = try CGGMPFixtures.paillierKey(profile, Int(i) - 1)
            rps[i] = try CGGMPFixtures.ringPedersen(profile, Int(i) - 1)
        }
        var aux = [CGGMPPartyId: CGGMPAuxInfo]()
        for i in auxIds {
            var peers = [CGGMPPartyId: VerifiedPeerAuxInfo]()
            for j in auxIds where j != i {
                guard let sk = sks[j], let rp = rps[j] else { throw CGGMPError.invalidInput("fixture") }
                peers[j] = VerifiedPeerAuxInfo(
                    unverifiedFixture: try PaillierPublicKey(n: sk.publicKey.n, profile: profile),
                    ringPedersen: try RingPedersenParameters(n: rp.parameters.n, s: rp.parameters.s, t: rp.parameters.t, profile: profile))
            }
            guard let sk = sks[i], let rp = rps[i] else { throw CGGMPError.invalidInput("fixture") }
            aux[i] = try CGGMPAuxInfo(id: i, paillier: sk, ringPedersen: rp, peers: peers)
        }
        return Keys(shares: shares, aux: aux, secret: coeffs[0], publicKey: X)
    }

    /// Tampering hooks: given (sender, message) return the message to deliver.
    struct Adversary {
        var round1: (PresignRound1Message) -> PresignRound1Message = { $0 }
        var round2: (PresignRound2Message) -> PresignRound2Message = { $0 }
        var round3: (PresignRound3Message) -> PresignRound3Message = { $0 }
    }

    enum PartyResult {
        case failed(CGGMPProtocolError)
        case presignature(CGGMPSlot<CGGMPPresignature>)
        case identify(CGGMPSlot<PresignIdentifyState>, failed: CGGMPPresignCheck)
    }

    static func inbox<M>(_ all: [M], to j: CGGMPPartyId, _ to: (M) -> CGGMPPartyId) -> [M] { all.filter { to($0) == j } }

    /// Runs the three rounds for `signers`; a party that fails stops (its error is recorded) and the
    /// others continue without its messages only if none failed earlier (tests look at errors).
    static func presign(_ keys: Keys, signers: [CGGMPPartyId], seed: UInt64 = 7, session: String = "presign-1",
                        adversary: Adversary = Adversary()) throws -> [CGGMPPartyId: PartyResult] {
        var rng = SeededRandom(seed: seed)
        var results = [CGGMPPartyId: PartyResult]()
        var s1 = [CGGMPPartyId: CGGMPSlot<PresignRound1State>]()
        var m1 = [PresignRound1Message]()
        for i in signers {
            guard let ks = keys.shares[i], let aux = keys.aux[i] else { throw CGGMPError.invalidInput("keys") }
            let step = try CGGMPPresign.start(keyShare: ks, aux: aux, signers: signers, sessionId: Array(session.utf8),
                                              profile: profile, using: &rng)
            m1 += step.messages.map(adversary.round1)
            s1[i] = CGGMPSlot(step.state)
        }
        var s2 = [CGGMPPartyId: CGGMPSlot<PresignRound2State>]()
        var m2 = [PresignRound2Message]()
        for i in signers {
            guard let st = s1[i]?.take() else { continue }
            do {
                let step = try st.receive(inbox(m1, to: i, \.to), using: &rng)
                m2 += step.messages.map(adversary.round2)
                s2[i] = CGGMPSlot(step.state)
            } catch { results[i] = .failed(error) }
        }
        guard results.isEmpty else { return results }
        var s3 = [CGGMPPartyId: CGGMPSlot<PresignRound3State>]()
        var m3 = [PresignRound3Message]()
        for i in signers {
            guard let st = s2[i]?.take() else { continue }
            do {
                let step = try st.receive(inbox(m2, to: i, \.to), using: &rng)
                m3 += step.messages.map(adversary.round3)
                s3[i] = CGGMPSlot(step.state)
            } catch { results[i] = .failed(error) }
        }
        guard results.isEmpty else { return results }
        for i in signers {
            guard let st = s3[i]?.take() else { continue }
            do {
                let outcome = try st.receive(inbox(m3, to: i, \.to))
                switch consume outcome {
                case .presignature(let p): results[i] = .presignature(CGGMPSlot(p))
                case .identify(let st, let failed): results[i] = .identify(CGGMPSlot(st), failed: failed)
                }
            } catch { results[i] = .failed(error) }
        }
        return results
    }

    /// Identification after a failed δ or χ check: every party in `results` must be in identification.
    /// `tamper` may replace any message before delivery. Returns each party's verdict.
    static func identify(_ results: [CGGMPPartyId: PartyResult], seed: UInt64 = 9,
                         tamper: (PresignIdentifyMessage) throws -> PresignIdentifyMessage = { $0 }) throws
        -> [CGGMPPartyId: PresignIdentificationResult] {
        var rng = SeededRandom(seed: seed)
        var verifiers = [CGGMPPartyId: PresignIdentification]()
        var messages = [PresignIdentifyMessage]()
        for (i, r) in results.sorted(by: { $0.key < $1.key }) {
            guard case .identify(let slot, _) = r, let st = slot.take() else { throw CGGMPError.invalidInput("party \(i) not in identification") }
            let step = try st.prove(using: &rng)
            messages += try step.messages.map(tamper)
            verifiers[i] = step.state
        }
        var out = [CGGMPPartyId: PresignIdentificationResult]()
        for (i, v) in verifiers { out[i] = try v.identify(inbox(messages, to: i, \.to)) }
        return out
    }

    // MARK: libsecp256k1 checks

    nonisolated(unsafe) static let ctx: OpaquePointer = {
        guard let c = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else { fatalError("secp256k1 context") }
        return c
    }()

    /// secp256k1_ecdsa_verify on the 32-byte digest (it rejects high-S).
    static func verify(_ sig: CGGMPSignature, digest: [UInt8], publicKey: Secp256k1Point) -> Bool {
        guard let pkBytes = try? publicKey.serialized() else { return false }
        var pk = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(ctx, &pk, pkBytes, 33) == 1 else { return false }
        var s = secp256k1_ecdsa_signature()
        guard secp256k1_ecdsa_signature_parse_compact(ctx, &s, sig.compact) == 1 else { return false }
        return secp256k1_ecdsa_verify(ctx, &s, digest, &pk) == 1
    }

    /// secp256k1_ecdsa_recover with v: the recovered key, compressed.
    static func recover(_ sig: CGGMPSignature, digest: [UInt8]) -> [UInt8]? {
        var rs = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rs, sig.compact, Int32(sig.v)) == 1 else { return nil }
        var pk = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(ctx, &pk, &rs, digest) == 1 else { return nil }
        var out = [UInt8](repeating: 0, count: 33)
        var len = 33
        _ = secp256k1_ec_pubkey_serialize(ctx, &out, &len, &pk, UInt32(SECP256K1_EC_COMPRESSED))
        return out
    }
}

/// Test edits of identification messages (what a cheater could send instead).
extension PresignIdentifyMessage.Part {
    func with(H: BigNum? = nil, sent: [CGGMPPartyId: PresignIdentifyMessage.MtA]? = nil,
              affG: [CGGMPPartyId: PiAffG<Secp256k1Group>]? = nil, piDec: PiDec? = nil) -> Self {
        Self(H: H ?? self.H, sent: sent ?? self.sent, received: received, affG: affG ?? self.affG, piDec: piDec ?? self.piDec)
    }
}

extension PresignIdentifyMessage {
    func with(delta: Part? = nil, chi: Part? = nil, sigmaStar: BigNum? = nil) -> Self {
        Self(from: from, to: to, delta: delta ?? self.delta, piMul: piMul, chi: chi ?? self.chi, piMulStar: piMulStar,
             sigmaStar: sigmaStar ?? self.sigmaStar)
    }
}

/// Verdict checks shared by the identification tests.
extension CGGMPHarness {
    /// Each of `honest` names exactly `culprit`, `check` accepts the blame, and nobody reports a dispute.
    static func expectOnly(_ culprit: CGGMPPartyId, namedBy honest: [CGGMPPartyId],
                           _ verdicts: [CGGMPPartyId: PresignIdentificationResult],
                           _ check: (CGGMPPartyId, CGGMPBlame) -> Bool) {
        for i in honest {
            guard let v = verdicts[i] else { Issue.record("no verdict from \(i)"); continue }
            #expect(Set(v.culprits.keys) == [culprit], "party \(i) named \(v.culprits)")
            if let b = v.culprits[culprit] { #expect(check(i, b), "party \(i): \(b)") }
            #expect(v.disputes.isEmpty)
        }
    }

    /// A failed proof of `kind` in identification round `round` (4: δ part, 5: χ part).
    static func isBadProof(_ b: CGGMPBlame, _ kind: CGGMPProofKind, round: Int) -> Bool {
        if case .badProof(let k, let r, _) = b { return k == kind && r == round }
        return false
    }
}
