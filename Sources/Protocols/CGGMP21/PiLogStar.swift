/// Π^log* — knowledge of exponent vs Paillier encryption. eprint 2021/060, Appendix C.2, Fig. 25.
///
/// Statement: C = (1+N0)^x ρ^{N0} mod N0² and X = x·g for x ∈ ±2^ℓ (g a group element, not
/// necessarily the generator), against the verifier's ring-Pedersen parameters (N̂, s, t).
/// The Paillier / ring-Pedersen part is Π^enc's (`EncRangeCore`); Y = α·g is added.
public struct PiLogStar<G: CGGMPGroup>: Sendable, Equatable {
    let core: EncRangeCore
    public let Y: G.Point
    public var S: BigNum { core.S }
    public var A: BigNum { core.A }
    public var D: BigNum { core.C }
    public var z1: BigNum { core.z1 }
    public var z2: BigNum { core.z2 }
    public var z3: BigNum { core.z3 }

    public init(S: BigNum, A: BigNum, Y: G.Point, D: BigNum, z1: BigNum, z2: BigNum, z3: BigNum) {
        core = EncRangeCore(S: S, A: A, C: D, z1: z1, z2: z2, z3: z3)
        self.Y = Y
    }

    init(core: EncRangeCore, Y: G.Point) { self.core = core; self.Y = Y }

    static func challenge(pk: PaillierPublicKey, C: BigNum, X: G.Point, g: G.Point, aux: RingPedersenParameters,
                          S: BigNum, A: BigNum, Y: G.Point, D: BigNum, context: CGGMPProofContext) -> BigNum {
        var tr = context.transcript(.logStar)
        tr.append("q", G.order)
        tr.append("N0", pk.n); tr.append("C", C)
        tr.append("X", G.encode(X)); tr.append("g", G.encode(g))
        tr.append("Nhat", aux.n); tr.append("s", aux.s); tr.append("t", aux.t)
        tr.append("S", S); tr.append("A", A); tr.append("Y", G.encode(Y)); tr.append("D", D)
        // Fig. 25, step 2 (Fiat-Shamir): e ← ±q.
        return tr.challengeSigned("e", magnitude: G.order)
    }

    public static func prove<R: RandomSource>(pk: PaillierPublicKey, C: BigNum, X: G.Point, g: G.Point,
                                              x: BigNum, rho: BigNum, verifierAux aux: RingPedersenParameters,
                                              profile: CGGMPProfile, context: CGGMPProofContext,
                                              using rng: inout R) throws(CGGMPError) -> PiLogStar {
        guard x.isInSymmetricRange(.powerOfTwo(profile.ell)) else { throw .proverFailed(proof: .logStar, "x out of range") }
        guard pk.isValidNonce(rho) else { throw .invalidNonce }
        // Fig. 25, step 1: S, A, D as in Π^enc, and Y = α·g.
        let (masks, S, A, D) = try EncRangeCore.commit(x: x, pk: pk, aux: aux, profile: profile, using: &rng)
        let Y = G.multiply(g, by: masks.alpha)
        let e = challenge(pk: pk, C: C, X: X, g: g, aux: aux, S: S, A: A, Y: Y, D: D, context: context)
        // Fig. 25, step 3: z1 = α + ex, z2 = r·ρ^e mod N0, z3 = γ + eμ.
        return PiLogStar(core: try EncRangeCore(masks: masks, S: S, A: A, C: D, e: e, x: x, rho: rho, pk: pk), Y: Y)
    }

    public func verify(pk: PaillierPublicKey, C: BigNum, X: G.Point, g: G.Point, ownAux aux: RingPedersenParameters,
                       profile: CGGMPProfile, context: CGGMPProofContext) throws(CGGMPError) {
        try core.checkRanges(pk: pk, K: C, aux: aux, profile: profile, proof: .logStar, commitmentName: "D")
        let e = Self.challenge(pk: pk, C: C, X: X, g: g, aux: aux, S: S, A: A, Y: Y, D: D, context: context)
        // Fig. 25: (1+N0)^{z1} z2^{N0} = A·C^e mod N0², s^{z1} t^{z3} = D·S^e mod N̂ ...
        try core.checkEquations(pk: pk, K: C, aux: aux, e: e, proof: .logStar)
        // ... and z1·g = Y + e·X.
        guard G.multiply(g, by: z1) == G.add(Y, G.multiply(X, by: e)) else {
            throw .proofRejected(proof: .logStar, reason: .equationFailed("z1·g != Y + e·X"))
        }
    }
}
