/// The proof of knowledge of a_{i0} that every DKG participant broadcasts in round 1 (FROST paper,
/// Figure 1, round 1 steps 2 and 5; RFC 9591 Appendix C; ZF frost-core keys/dkg.rs): a Schnorr
/// signature σ_i = (R_i, μ_i) with k ← Z_q, R_i = k·G, c_i = HDKG(i || φ_{i0} || R_i), μ_i = k + a_{i0}·c_i.
/// Binding the identifier i into c_i stops a proof from being replayed by another party (rogue-key).
public struct DKGProofOfKnowledge<C: FROSTCiphersuite>: Sendable, Equatable {
    /// R_i = k·G (even y for the Taproot suite).
    public let R: C.Element
    /// μ_i = k + a_{i0}·c_i.
    public let mu: C.Scalar

    public init(R: C.Element, mu: C.Scalar) {
        self.R = R
        self.mu = mu
    }

    /// c_i = HDKG(SerializeScalar(i) || SerializeElement(φ_{i0}) || SerializeElement(R_i) [|| session id]).
    /// The fields before the session id have fixed lengths, so the concatenation is unambiguous; with an
    /// empty session id this is exactly the RFC 9591 / reference challenge.
    static func challenge(identifier: ParticipantID, phi0: C.Element, R: C.Element,
                          session: [UInt8] = []) throws(CurveError) -> C.Scalar {
        let i: C.Scalar = identifier.scalar()
        return C.HDKG(i.bytes + (try phi0.serialized()) + (try R.serialized()) + session)
    }

    /// Round 1, step 2: proves knowledge of a_{i0} with the nonce k (fresh randomness, or a vector's).
    /// Taproot: k is negated when k·G has odd y, as the reference's generate_nonce does.
    static func prove(identifier: ParticipantID, secret a0: C.Scalar, phi0: C.Element,
                      nonce: C.Scalar, session: [UInt8] = []) throws(CurveError) -> Self {
        var k = nonce
        var R = C.Element.baseMultiply(k)
        if DKGSuiteRules<C>.hasOddY(R) {
            k = -k
            R = C.Element.identity - R
        }
        let c = try challenge(identifier: identifier, phi0: phi0, R: R, session: session)
        return Self(R: R, mu: k + a0 * c)
    }

    /// Round 1, step 5: R_ℓ == μ_ℓ·G − c_ℓ·φ_{ℓ0}. Everything here is public.
    func verify(identifier: ParticipantID, phi0: C.Element, session: [UInt8] = []) -> Bool {
        guard !R.isIdentity, !phi0.isIdentity, !DKGSuiteRules<C>.hasOddY(R),
              let c = try? Self.challenge(identifier: identifier, phi0: phi0, R: R, session: session) else { return false }
        // One public multi-scalar sum (μ, c and φ are all public), not a base product, a product and a difference.
        return C.Element.publicSum([(mu, C.Element.generator), (-c, phi0)]) == R
    }
}
