/// RFC 9591 §4: the helper functions of FROST signing, generic over the ciphersuite. Names follow the RFC.
/// Inputs here are already validated values (sorted, distinct commitment lists; valid points).
public enum FROSTSigning<C: FROSTCiphersuite> {
    public typealias Scalar = C.Scalar
    public typealias Element = C.Element

    // RFC 9591 §4.1 nonce_generate: H3(random_bytes(32) || SerializeScalar(secret)).
    public static func nonceGenerate(secret: Scalar, randomBytes: [UInt8]) -> Scalar {
        var input = randomBytes + secret.bytes
        defer { zeroize(&input) }
        return C.H3(input)
    }

    public static func nonceGenerate<R: RandomSource>(secret: Scalar, using rng: inout R) -> Scalar {
        var random = rng.bytes(32)
        defer { zeroize(&random) }
        return nonceGenerate(secret: secret, randomBytes: random)
    }

    // RFC 9591 §4.3 encode_group_commitment_list:
    // SerializeScalar(identifier) || SerializeElement(hiding) || SerializeElement(binding), in order.
    public static func encodeGroupCommitmentList(_ list: [SigningCommitments<C>]) throws(CurveError) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(list.count * (Scalar.byteCount + 2 * Element.byteCount))
        for c in list {
            out += c.identifier.scalar(Scalar.self).bytes
            out += try c.hiding.serialized()
            out += try c.binding.serialized()
        }
        return out
    }

    /// The binding-factor input prefix: SerializeElement(PK) || H4(msg) || H5(encoded commitment list).
    static func bindingFactorPrefix(groupPublicKey: Element, list: [SigningCommitments<C>], message: [UInt8]) throws(CurveError) -> [UInt8] {
        try groupPublicKey.serialized() + C.H4(message) + C.H5(encodeGroupCommitmentList(list))
    }

    // RFC 9591 §4.4 compute_binding_factors: rho_input = prefix || SerializeScalar(identifier);
    // binding_factor = H1(rho_input). Returns (identifier, rho_input, binding_factor) in list order.
    public static func computeBindingFactors(groupPublicKey: Element, list: [SigningCommitments<C>], message: [UInt8])
        throws(CurveError) -> [(identifier: ParticipantID, input: [UInt8], factor: Scalar)]
    {
        let prefix = try bindingFactorPrefix(groupPublicKey: groupPublicKey, list: list, message: message)
        return list.map { c in
            let input = prefix + c.identifier.scalar(Scalar.self).bytes
            return (c.identifier, input, C.H1(input))
        }
    }

    // RFC 9591 §4.5 compute_group_commitment: R = Σ (D_i + ρ_i·E_i). Public values: variable-time products.
    public static func computeGroupCommitment(list: [SigningCommitments<C>], bindingFactors: [Scalar]) -> Element {
        C.groupCommitment(hiding: list.map { $0.hiding }, binding: list.map { $0.binding }, bindingFactors: bindingFactors)
    }

    // RFC 9591 §4.6 compute_challenge (the suite hook: BIP-340 hashes x-only R and PK).
    public static func computeChallenge(R: Element, groupPublicKey: Element, message: [UInt8]) throws(CurveError) -> Scalar {
        try C.challenge(R: R, PK: groupPublicKey, message: message)
    }

    // RFC 9591 §4.2 derive_interpolating_value(L, x_i): the Lagrange coefficient at 0.
    // Rejects an x_i not in L and an L with duplicates (SECURITY-CHECKLIST item 13).
    public static func deriveInterpolatingValue(participants L: [ParticipantID], x xi: ParticipantID) throws(FROSTError) -> Scalar {
        guard L.contains(xi) else { throw .invalidParameters("\(xi) is not in the signer list") }
        guard Set(L).count == L.count else { throw .invalidParameters("duplicate identifier in the signer list") }
        // λ_i = Π_{j≠i} x_j / (x_j − x_i); each |x_j − x_i| < 2^16 is inverted as a small public integer.
        let inverses = SmallInverses<Scalar>()
        var lambda = Scalar.one
        for xj in L where xj != xi {
            let diff = Int(xj.value) - Int(xi.value)
            let inv = inverses.inverse(UInt32(diff.magnitude))
            lambda = lambda * xj.scalar(Scalar.self) * (diff < 0 ? -inv : inv)
        }
        return lambda
    }

    /// The textbook form (one field inversion), kept as the reference the fast form is tested against.
    static func deriveInterpolatingValueByInversion(participants L: [ParticipantID], x xi: ParticipantID) throws(FROSTError) -> Scalar {
        let x = xi.scalar(Scalar.self)
        var numerator = Scalar.one, denominator = Scalar.one
        for xj in L where xj != xi {
            let s = xj.scalar(Scalar.self)
            numerator = numerator * s
            denominator = denominator * (s - x)
        }
        do { return numerator * (try denominator.inverted()) } catch { throw .curve(error) }
    }

    /// Everything public that round 2, share verification and aggregation share for one signing package.
    struct Context: Sendable {
        let bindingFactors: [ParticipantID: Scalar]
        /// SerializeElement(R) of the group commitment (never the identity).
        let encodedR: [UInt8]
        private let knownR: Element?
        let challenge: Scalar
        /// BIP-340: the group commitment R had odd y, so nonces (and commitment shares) are negated.
        let negateNonces: Bool

        init(package: SigningPackage<C>, groupPublicKey: Element) throws(FROSTError) {
            let rho = try curve { () throws(CurveError) in
                try computeBindingFactors(groupPublicKey: groupPublicKey, list: package.commitments, message: package.message)
            }
            var map = [ParticipantID: Scalar](minimumCapacity: rho.count)
            for r in rho { map[r.identifier] = r.factor }
            // RFC 9591 §4.5 compute_group_commitment.
            guard let R = C.groupCommitmentEncoded(hiding: package.commitments.map { $0.hiding },
                                                   binding: package.commitments.map { $0.binding },
                                                   bindingFactors: rho.map { $0.factor }) else { throw .curve(.identityElement) }
            bindingFactors = map
            encodedR = R.encoding
            knownR = R.element
            // RFC 9591 §4.6 compute_challenge.
            challenge = try curve { () throws(CurveError) in
                try C.challenge(encodedR: R.encoding, PK: groupPublicKey, message: package.message)
            }
            negateNonces = C.hasOddY(encoded: R.encoding)
        }

        /// R as a group element (decoded from its encoding when the suite computed only that).
        func groupCommitment() throws(FROSTError) -> Element {
            if let knownR { return knownR }
            let enc = encodedR
            return try curve { () throws(CurveError) in try Element(serialized: enc) }
        }
    }
}

/// Runs curve-level code, reporting its failure as a FROST error.
@inline(__always)
func curve<T>(_ body: () throws(CurveError) -> T) throws(FROSTError) -> T {
    do { return try body() } catch { throw .curve(error) }
}
