/// Shared types of CGGMP21 presigning (eprint 2021/060, Fig. 7) and signing (Fig. 8) over secp256k1.

/// A party identifier: the nonzero Shamir evaluation point of the party's key share.
public typealias CGGMPPartyId = UInt16

/// A party's threshold key share over secp256k1 (from keygen, or a trusted dealer in tests).
public struct CGGMPKeyShare: Sendable {
    public let id: CGGMPPartyId
    public let threshold: Int
    /// x_i = f(id) (Shamir share). Wiped on release (BigNum).
    let secretShare: BigNum
    /// f(j)·G for every party j of the key.
    public let publicShares: [CGGMPPartyId: Secp256k1Point]
    /// X = f(0)·G.
    public let publicKey: Secp256k1Point

    /// Checks that the share matches its public share and that the public shares interpolate to
    /// the public key (for the first `threshold` parties).
    public init(id: CGGMPPartyId, threshold: Int, secretShare: BigNum,
                publicShares: [CGGMPPartyId: Secp256k1Point], publicKey: Secp256k1Point) throws(CGGMPProtocolError) {
        guard id != 0, threshold >= 1, publicShares.count >= threshold, publicShares[0] == nil else {
            throw .invalidInput("bad key share parameters")
        }
        guard secretShare.sign >= 0, secretShare < CGGMPProfile.curveOrder,
              publicShares[id] == Secp256k1Group.multiplyGenerator(secretShare) else {
            throw .invalidInput("secret share does not match its public share")
        }
        let ids = publicShares.keys.sorted().prefix(threshold)
        var sum = Secp256k1Point.identity
        for j in ids {
            guard let lambda = CGGMPLagrange.coefficient(for: j, among: Array(ids)), let Xj = publicShares[j] else {
                throw .invalidInput("lagrange")
            }
            sum = sum + Xj.multipliedPublic(by: Secp256k1Group.scalar(lambda))
        }
        guard sum == publicKey, !publicKey.isIdentity else { throw .invalidInput("public shares do not interpolate to the key") }
        self.id = id; self.threshold = threshold; self.secretShare = secretShare
        self.publicShares = publicShares; self.publicKey = publicKey
    }
}

/// A party's auxiliary info (output of aux-info / refresh, Fig. 6): its own Paillier secret key
/// and ring-Pedersen parameters over the same N, and every peer's verified aux info.
public struct CGGMPAuxInfo: Sendable {
    public let id: CGGMPPartyId
    let paillier: PaillierSecretKey
    public let ringPedersen: RingPedersenParameters
    public let peers: [CGGMPPartyId: VerifiedPeerAuxInfo]

    public init(id: CGGMPPartyId, paillier: PaillierSecretKey, ringPedersen: RingPedersenSecret,
                peers: [CGGMPPartyId: VerifiedPeerAuxInfo]) throws(CGGMPProtocolError) {
        guard ringPedersen.parameters.n == paillier.publicKey.n, peers[id] == nil else {
            throw .invalidInput("aux info: ring-Pedersen modulus must be the Paillier modulus; no own entry in peers")
        }
        self.id = id; self.paillier = paillier; self.ringPedersen = ringPedersen.parameters; self.peers = peers
    }

    /// The same aux info with other (e.g. table-carrying) parameters of the same values.
    init(id: CGGMPPartyId, paillier: PaillierSecretKey, ringPedersen: RingPedersenParameters,
         peers: [CGGMPPartyId: VerifiedPeerAuxInfo]) {
        self.id = id; self.paillier = paillier; self.ringPedersen = ringPedersen; self.peers = peers
    }
}

/// Why a party is blamed (identifiable abort), with the evidence available locally.
public enum CGGMPBlame: Error, Equatable, Sendable {
    /// A zero-knowledge proof from the culprit failed (Π^enc round 1, Π^aff-g / Π^log* round 2, Π^log* round 3,
    /// in identification Π^mul / Π^aff-g / Π^dec of the δ part, "round" 4, and Π^mul* / Π^aff-g / Π^dec of the
    /// χ part, "round" 5).
    case badProof(CGGMPProofKind, round: Int, CGGMPProofRejection)
    /// A value in the culprit's message is malformed (not a unit / ciphertext / wrong size).
    case malformed(String)
    /// A decommitment or share does not match its commitment (aux-info refresh).
    case badOpening(String)
    /// Identification (Fig. 7, Output, error step): the culprit's identification message contradicts
    /// what it sent us, or what we sent it, in round 2 (equivocation), or its σ* does not match the Δ_i and S_i
    /// it announced in round 3.
    case inconsistent(String)
    /// Signing (Fig. 8): σ_j·Γ ≠ m·Δ_j + r·S_j.
    case wrongSignatureShare
}

/// Errors of the CGGMP21 protocol rounds. Messages are validated (count, senders, recipient)
/// before any arithmetic; misbehaviour names the culprit.
public enum CGGMPProtocolError: Error, Equatable, Sendable {
    case invalidInput(String)
    case wrongMessageCount(expected: Int, got: Int)
    case unknownSender(CGGMPPartyId)
    case duplicateSender(CGGMPPartyId)
    case messageFromSelf
    case misaddressed(from: CGGMPPartyId)
    /// Identifiable abort: every party named is a culprit.
    case culprits([CGGMPPartyId: CGGMPBlame])
    /// Echo broadcast (checklist 12): these parties' hash of the round-1 broadcasts differs from
    /// ours, so someone equivocated in round 1. Not attributable from the echo alone: abort.
    case echoMismatch([CGGMPPartyId])
    /// δ has no inverse mod q (cannot happen after the δ check, which requires δ ≠ 0). A failed δ or χ check is
    /// not an error: it leads to identification (`CGGMPPresignOutcome.identify`).
    case deltaCheckFailed
    /// The message digest is not 32 bytes (checklist 19).
    case invalidDigest
    /// The combined signature does not verify and no share was found wrong (cannot happen with
    /// consistent presignature data).
    case signatureInvalid
    /// Our own operation failed (a bug or bad local input).
    case local(CGGMPError)
}

extension CGGMPProtocolError {
    static func culprit(_ id: CGGMPPartyId, _ blame: CGGMPBlame) -> CGGMPProtocolError { .culprits([id: blame]) }
}

enum CGGMPLagrange {
    /// λ_i = Π_{j≠i} j / (j − i) mod q.
    static func coefficient(for i: CGGMPPartyId, among ids: [CGGMPPartyId]) -> BigNum? {
        let q = CGGMPProfile.curveOrder
        var num = BigNum.one, den = BigNum.one
        for j in ids where j != i {
            num = num.mulMod(BigNum(Int(j)), q)
            den = den.mulMod((BigNum(Int(j)) - BigNum(Int(i))).mod(q), q)
        }
        guard let inv = den.inverse(modulus: q) else { return nil }
        return num.mulMod(inv, q)
    }
}

/// Session-wide public data shared by the presigning rounds.
struct PresignContext: Sendable {
    let me: CGGMPPartyId
    let signers: [CGGMPPartyId]           // sorted, unique, contains me
    let others: [CGGMPPartyId]
    let sessionId: [UInt8]
    let profile: CGGMPProfile
    let aux: CGGMPAuxInfo
    /// X_j = λ_j·f(j)·G: public additive shares of the signer set; Σ X_j = X.
    let X: [CGGMPPartyId: Secp256k1Point]
    let publicKey: Secp256k1Point

    func proofContext(prover: CGGMPPartyId, round: UInt32) -> CGGMPProofContext {
        CGGMPProofContext(sessionId: Array("CGGMP21/presign".utf8) + sessionId,
                          proverId: [UInt8(prover >> 8), UInt8(prover & 0xff)], round: round)
    }

    func peer(_ j: CGGMPPartyId) throws(CGGMPProtocolError) -> VerifiedPeerAuxInfo {
        guard let p = aux.peers[j] else { throw .invalidInput("no aux info for party \(j)") }
        return p
    }

    /// Count, unknown / duplicate senders, own id and recipient, before any arithmetic.
    func checkSenders(_ pairs: [(from: CGGMPPartyId, to: CGGMPPartyId)]) throws(CGGMPProtocolError) {
        guard pairs.count == others.count else { throw .wrongMessageCount(expected: others.count, got: pairs.count) }
        var seen = Set<CGGMPPartyId>()
        for p in pairs {
            guard p.from != me else { throw .messageFromSelf }
            guard others.contains(p.from) else { throw .unknownSender(p.from) }
            guard seen.insert(p.from).inserted else { throw .duplicateSender(p.from) }
            guard p.to == me else { throw .misaddressed(from: p.from) }
        }
    }
}

@inline(__always)
func local<T>(_ body: () throws(CGGMPError) -> T) throws(CGGMPProtocolError) -> T {
    do { return try body() } catch { throw .local(error) }
}

/// A round's result: the state to keep and the messages to send. Take `messages` first, then move
/// `state` out (frozen so the fields can be moved out separately).
@frozen public struct CGGMPStep<State: ~Copyable & Sendable, Message: Sendable>: ~Copyable, Sendable {
    public var state: State
    public let messages: [Message]
    init(state: consuming State, messages: [Message]) { self.state = state; self.messages = messages }
}

/// SHA-256 over length-prefixed parts (unambiguous framing for commitments and echoes).
func cggmpFramedHash(_ label: String, _ parts: [[UInt8]]) -> [UInt8] {
    var framed = [Array(label.utf8)]
    for p in parts {
        let n = UInt32(p.count)
        framed.append([UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)])
        framed.append(p)
    }
    return Hash.sha256(framed)
}

func cggmpIdBytes(_ id: CGGMPPartyId) -> [UInt8] { [UInt8(id >> 8), UInt8(id & 0xff)] }
