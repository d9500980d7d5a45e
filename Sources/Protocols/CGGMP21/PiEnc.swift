/// Π^enc — range proof for Paillier encryption. eprint 2021/060, Section 6.1, Fig. 14.
///
/// Statement: K = (1+N0)^k ρ^{N0} mod N0² with k ∈ ±2^ℓ, proven against the verifier's
/// ring-Pedersen parameters (N̂, s, t). The verifier learns k ∈ ±2^{ℓ+ε}.
public struct PiEnc: Sendable, Equatable {
    let core: EncRangeCore
    public var S: BigNum { core.S }
    public var A: BigNum { core.A }
    public var C: BigNum { core.C }
    public var z1: BigNum { core.z1 }
    public var z2: BigNum { core.z2 }
    public var z3: BigNum { core.z3 }

    public init(S: BigNum, A: BigNum, C: BigNum, z1: BigNum, z2: BigNum, z3: BigNum) {
        core = EncRangeCore(S: S, A: A, C: C, z1: z1, z2: z2, z3: z3)
    }

    init(core: EncRangeCore) { self.core = core }

    static func challenge(pk: PaillierPublicKey, K: BigNum, aux: RingPedersenParameters,
                          S: BigNum, A: BigNum, C: BigNum, context: CGGMPProofContext) -> BigNum {
        var tr = context.transcript(.enc)
        tr.append("N0", pk.n); tr.append("K", K)
        tr.append("Nhat", aux.n); tr.append("s", aux.s); tr.append("t", aux.t)
        tr.append("S", S); tr.append("A", A); tr.append("C", C)
        // Fig. 14, step 2 (Fiat-Shamir): e ← ±q.
        return tr.challengeSigned("e", magnitude: CGGMPProfile.curveOrder)
    }

    /// Proves that K encrypts k ∈ ±2^ℓ with nonce ρ under `pk`, for the verifier with `aux`.
    public static func prove<R: RandomSource>(pk: PaillierPublicKey, K: BigNum, k: BigNum, rho: BigNum,
                                              verifierAux aux: RingPedersenParameters, profile: CGGMPProfile,
                                              context: CGGMPProofContext, using rng: inout R) throws(CGGMPError) -> PiEnc {
        guard k.isInSymmetricRange(.powerOfTwo(profile.ell)) else { throw .proverFailed(proof: .enc, "k out of range") }
        guard pk.isValidNonce(rho) else { throw .invalidNonce }
        // Fig. 14, step 1.
        let (masks, S, A, C) = try EncRangeCore.commit(x: k, pk: pk, aux: aux, profile: profile, using: &rng)
        let e = challenge(pk: pk, K: K, aux: aux, S: S, A: A, C: C, context: context)
        // Fig. 14, step 3: z1 = α + ek, z2 = r·ρ^e mod N0, z3 = γ + eμ.
        return PiEnc(core: try EncRangeCore(masks: masks, S: S, A: A, C: C, e: e, x: k, rho: rho, pk: pk))
    }

    /// Verifies with the verifier's own ring-Pedersen parameters. `pk` has been size-checked at
    /// construction (`PaillierPublicKey.init(n:profile:)`); ranges are checked before equations.
    public func verify(pk: PaillierPublicKey, K: BigNum, ownAux aux: RingPedersenParameters,
                       profile: CGGMPProfile, context: CGGMPProofContext) throws(CGGMPError) {
        try core.checkRanges(pk: pk, K: K, aux: aux, profile: profile, proof: .enc, commitmentName: "C")
        let e = Self.challenge(pk: pk, K: K, aux: aux, S: S, A: A, C: C, context: context)
        // Fig. 14, verification equations.
        try core.checkEquations(pk: pk, K: K, aux: aux, e: e, proof: .enc)
    }
}
