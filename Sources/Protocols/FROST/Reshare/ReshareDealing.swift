/// The dealer's side of resharing: w_i = λ_i·s_i, a fresh polynomial g_i of degree t_new − 1 with
/// g_i(0) = w_i, its Feldman commitment and a Schnorr proof of knowledge of w_i (broadcast), and the
/// sub-share g_i(j) for every new member j (point to point, encrypted by the transport).
///
/// The broadcast reuses the DKG's round-1 wire format (commitment vector + proof of knowledge) and the
/// sub-share the DKG's round-2 format; the proof's challenge is bound to `ReshareParameters.proofSession`,
/// which no DKG uses.
public struct ReshareDealing<C: FROSTCiphersuite>: Sendable {
    /// (G_i, σ_i): the commitment to g_i and the proof of knowledge of g_i(0).
    public let commitment: DKGRound1Package<C>
    /// g_i(j) for every new member j.
    public let subShares: [ParticipantID: DKGRound2Package<C>]
}

public enum Reshare<C: FROSTCiphersuite> {
    /// Deals the holder's share of the old key to the new committee.
    public static func deal<R: RandomSource>(keyPackage: KeyPackage<C>, parameters: ReshareParameters<C>,
                                             using rng: inout R) throws(FROSTError) -> ReshareDealing<C> {
        let me = keyPackage.identifier
        guard parameters.dealers.contains(me) else { throw .invalidParameters("\(me) is not a dealer of this resharing") }
        guard keyPackage.groupPublicKey == parameters.groupPublicKey else {
            throw .invalidParameters("the key package is for another group key")
        }
        var w = [try parameters.weight(of: me) * keyPackage.signingShareScalar()]
        defer { wipeScalars(&w) }
        guard !w[0].isZero else { throw .invalidParameters("zero weighted share") }
        let polynomial = SecretCoefficients(Polynomial.random(constant: w[0], degree: parameters.newThreshold - 1, using: &rng))
        var k = [C.Scalar.random(using: &rng)]
        defer { wipeScalars(&k) }
        let phis: [C.Element] = Polynomial.commit(polynomial.values)
        let commitment: VSSCommitment<C.Element>
        let proof: DKGProofOfKnowledge<C>
        do {
            commitment = try VSSCommitment(phis)
            proof = try DKGProofOfKnowledge.prove(identifier: me, secret: polynomial.constant, phi0: commitment.constantTerm,
                                                 nonce: k[0], session: parameters.proofSession)
        } catch { throw .curve(error) }
        var subShares: [ParticipantID: DKGRound2Package<C>] = [:]
        for j in parameters.members {
            var s = [polynomial.evaluate(at: j.scalar())]
            subShares[j] = DKGRound2Package(share: s[0])
            wipeScalars(&s)
        }
        return ReshareDealing(commitment: DKGRound1Package(commitment: phis, proofOfKnowledge: proof), subShares: subShares)
    }
}
