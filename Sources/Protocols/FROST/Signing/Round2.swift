/// RFC 9591 §5.2 Round Two - Signature Share Generation.

extension FROSTSigning {
    // RFC 9591 §5.2 sign(identifier, sk_i, group_public_key, nonce_i, msg, commitment_list).
    // Consumes the nonces whatever the outcome: a refused package ends this signing attempt.
    public static func sign(package: SigningPackage<C>, nonces: consuming SigningNonces<C>,
                            keyPackage: KeyPackage<C>) throws(FROSTError) -> SignatureShare<C> {
        let n = consume nonces
        // Validate before any arithmetic.
        let me = keyPackage.identifier
        guard n.commitments.identifier == me else {
            throw .invalidParameters("nonces belong to \(n.commitments.identifier), not \(me)")
        }
        guard package.commitments.count >= keyPackage.minSigners else {
            throw .invalidParameters("\(package.commitments.count) signers, threshold is \(keyPackage.minSigners)")
        }
        guard let mine = package.commitment(of: me) else {
            throw .invalidParameters("the signing package omits this signer's commitment")
        }
        guard mine == n.commitments else {
            throw .invalidParameters("the signing package alters this signer's commitment")
        }

        let key = try SignerKey(keyPackage, tweak: package.tweak)
        let ctx = try Context(package: package, groupPublicKey: key.groupPublicKey)
        guard let rho = ctx.bindingFactors[me] else { throw .invalidParameters("no binding factor for \(me)") }
        let lambda = try deriveInterpolatingValue(participants: package.participants, x: me)

        // z_i = d_i + (e_i · ρ_i) + (λ_i · sk_i · c); BIP-340 negates (d_i, e_i) when R has odd y.
        var d = n.hidingScalar(), e = n.bindingScalar()
        if ctx.negateNonces { d = -d; e = -e }
        let z = d + e * rho + lambda * key.signingShare * ctx.challenge
        return SignatureShare(identifier: me, share: z)
    }
}
