/// RFC 9591 §5.1 Round One - Commitment.

/// A signer's secret nonces (d_i, e_i) and the commitments they belong to. Non-copyable: round 2 consumes
/// it, so one pair of nonces can sign at most once (SECURITY-CHECKLIST item 24). The scalars live in
/// zeroizing storage and are erased when the value is consumed or dropped.
public struct SigningNonces<C: FROSTCiphersuite>: ~Copyable {
    let hiding: SecretBytes
    let binding: SecretBytes
    public let commitments: SigningCommitments<C>

    /// Builds nonces from given scalars (conformance vectors); commitments are d·G and e·G, with their subgroup
    /// certificates where the suite has them.
    init(hiding d: C.Scalar, binding e: C.Scalar, identifier: ParticipantID) throws(FROSTError) {
        hiding = SecretBytes(d.bytes)
        binding = SecretBytes(e.bytes)
        let D = C.Element.certifiedBaseMultiply(d), E = C.Element.certifiedBaseMultiply(e)
        commitments = try SigningCommitments(identifier: identifier, hiding: D.element, binding: E.element,
                                             certificates: D.certificate + E.certificate)
    }

    func hidingScalar() -> C.Scalar { Self.scalar(hiding) }
    func bindingScalar() -> C.Scalar { Self.scalar(binding) }

    private static func scalar(_ s: SecretBytes) -> C.Scalar {
        s.withUnsafeBytes { raw in
            guard let v = try? C.Scalar(canonical: Array(raw)) else { preconditionFailure("stored nonce not canonical") }
            return v
        }
    }
}

extension FROSTSigning {
    // RFC 9591 §5.1 commit(sk_i):
    //   hiding_nonce = nonce_generate(sk_i); binding_nonce = nonce_generate(sk_i)
    //   hiding_nonce_commitment = G.ScalarBaseMult(hiding_nonce), likewise binding.
    // The commitments to broadcast are `nonces.commitments`.
    public static func commit<R: RandomSource>(keyPackage: KeyPackage<C>, using rng: inout R) -> SigningNonces<C> {
        var sk = keyPackage.signingShareScalar()
        defer { sk.wipe() }
        while true {
            var d = nonceGenerate(secret: sk, using: &rng)
            var e = nonceGenerate(secret: sk, using: &rng)
            defer { d.wipe(); e.wipe() }   // the nonces live on in `SigningNonces`' zeroizing storage only
            // A zero nonce (probability ~2^-256) would commit to the identity: draw again.
            do {
                return try SigningNonces<C>(hiding: d, binding: e, identifier: keyPackage.identifier)
            } catch {
                continue
            }
        }
    }
}
