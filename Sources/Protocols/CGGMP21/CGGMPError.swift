/// Errors of the CGGMP21 building blocks (Paillier, ring-Pedersen, proofs).
/// Proof failures say which proof and which check failed; the caller (a protocol round) names
/// the prover as the culprit.
public enum CGGMPError: Error, Equatable, Sendable {
    /// A received modulus does not have the exact bit length of the profile (checklist 6).
    case modulusBitLength(expected: Int, actual: Int)
    /// A modulus that is even, prime, or otherwise malformed.
    case invalidModulus(String)
    /// A ciphertext outside Z*_{N²} (checklist 9).
    case invalidCiphertext
    /// A nonce outside Z*_N (checklist 9).
    case invalidNonce
    /// A plaintext outside the allowed range.
    case invalidPlaintext
    /// Ring-Pedersen (N̂, s, t) with s or t not a unit, or ±1 (checklist 6).
    case invalidRingPedersen(String)
    /// Invalid caller input (a bug or misuse on our side, not a misbehaving peer).
    case invalidInput(String)
    /// A zero-knowledge proof was rejected.
    case proofRejected(proof: CGGMPProofKind, reason: CGGMPProofRejection)
    /// The prover could not produce a proof for its own input (e.g. witness does not match).
    case proverFailed(proof: CGGMPProofKind, String)
    /// A proof or value could not be encoded / decoded in the canonical fixed-length format
    /// (short input, trailing bytes, non-canonical sign or flag byte, value wider than its field).
    case malformedEncoding(String)
    /// Prime generation gave up after the allowed number of candidates.
    case primeGenerationExhausted
}

public enum CGGMPProofKind: String, Sendable, Equatable {
    case mod = "Π^mod"
    case prm = "Π^prm"
    case fac = "Π^fac"
    case enc = "Π^enc"
    case affG = "Π^aff-g"
    case logStar = "Π^log*"
    case mul = "Π^mul"
    case mulStar = "Π^mul*"
    case dec = "Π^dec"
}

/// Why a proof was rejected.
public enum CGGMPProofRejection: Equatable, Sendable {
    /// Wrong number of repetitions or elements.
    case malformed(String)
    /// A value outside its range (checked before any equation, checklist 7).
    case outOfRange(String)
    /// The statement itself is invalid (e.g. N even, prime or of the wrong size).
    case invalidStatement(String)
    /// A verification equation does not hold.
    case equationFailed(String)
}
