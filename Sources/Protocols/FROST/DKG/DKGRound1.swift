/// DKG round 1 (FROST paper, Figure 1, round 1; RFC 9591 Appendix C; ZF frost-core dkg::part1).
///
/// Every participant P_i samples a_{i0}, ..., a_{i(t−1)} (step 1), proves knowledge of a_{i0} (step 2),
/// commits C_i = ⟨φ_{i0}, ..., φ_{i(t−1)}⟩ with φ_{ij} = a_{ij}·G (step 3) and broadcasts (C_i, σ_i)
/// (step 4). Step 5, checking the others' proofs, happens in round 2 on receipt.

/// The secret state between round 1 and round 2. Non-copyable and consumed by round 2, so round 2 can run
/// once only; the polynomial is wiped when the state goes.
public struct DKGRound1State<C: FROSTCiphersuite>: ~Copyable, Sendable {
    let identifier: ParticipantID
    let parameters: KeyGenParameters
    /// a_{i0}, ..., a_{i(t−1)}.
    let coefficients: SecretCoefficients<C.Scalar>
    /// C_i, as broadcast.
    let commitment: VSSCommitment<C.Element>
}

/// Round 1's result: the state to keep and the package to broadcast. Take `package` first, then move
/// `state` out (the struct is frozen so that its fields can be moved out separately).
@frozen public struct DKGRound1Step<C: FROSTCiphersuite>: ~Copyable, Sendable {
    public var state: DKGRound1State<C>
    public let package: DKGRound1Package<C>
}

public enum DKG<C: FROSTCiphersuite> {
    /// Round 1 for participant `identifier`: the state to keep and the package to broadcast to all others.
    public static func round1<R: RandomSource>(
        identifier: ParticipantID, parameters: KeyGenParameters, using rng: inout R
    ) throws(FROSTError) -> DKGRound1Step<C> {
        // Round 1, step 1: a_{i0}, ..., a_{i(t−1)} ← Z_q.
        var coefficients = Polynomial.random(constant: C.Scalar.random(using: &rng),
                                             degree: parameters.threshold - 1, using: &rng)
        // Round 1, step 2: the nonce k ← Z_q of the proof.
        var k = [C.Scalar.random(using: &rng)]
        defer { wipeScalars(&k) }
        return try round1(identifier: identifier, parameters: parameters, coefficients: &coefficients, nonce: k[0])
    }

    /// Round 1 from given coefficients and proof nonce (conformance vectors). Takes the coefficients over.
    static func round1(identifier: ParticipantID, parameters: KeyGenParameters,
                       coefficients: inout [C.Scalar], nonce k: C.Scalar) throws(FROSTError) -> DKGRound1Step<C> {
        defer { wipeScalars(&coefficients) }
        guard parameters.participants.contains(identifier) else {
            throw .invalidParameters("\(identifier) is not a participant")
        }
        guard coefficients.count == parameters.threshold, !coefficients[0].isZero, !k.isZero else {
            throw .invalidParameters("need exactly t coefficients, a non-zero secret and a non-zero nonce")
        }
        let secret = SecretCoefficients(coefficients)
        // Round 1, step 3: φ_{ij} = a_{ij}·G.
        let phis: [C.Element] = Polynomial.commit(secret.values)
        let commitment: VSSCommitment<C.Element>
        do { commitment = try VSSCommitment(phis) } catch { throw .curve(error) }
        // Round 1, step 2: σ_i = (R_i, μ_i).
        let proof: DKGProofOfKnowledge<C>
        do {
            proof = try DKGProofOfKnowledge.prove(identifier: identifier, secret: secret.constant,
                                                 phi0: commitment.constantTerm, nonce: k, session: parameters.sessionID)
        } catch { throw .curve(error) }
        // Round 1, step 4: broadcast (C_i, σ_i).
        let state = DKGRound1State<C>(identifier: identifier, parameters: parameters,
                                      coefficients: secret, commitment: commitment)
        return DKGRound1Step(state: state, package: DKGRound1Package(commitment: phis, proofOfKnowledge: proof))
    }
}
