/// RFC 9591 §5.3 Signature Share Aggregation and §5.4 Identifiable Abort, plus signature verification.

extension FROSTSigning {
    // RFC 9591 §5.4 verify_signature_share: z_i·G == comm_share + (c · λ_i)·PK_i
    // with comm_share = D_i + ρ_i·E_i (negated for BIP-340 when R has odd y).
    static func verifySignatureShare(_ share: SignatureShare<C>, commitment: SigningCommitments<C>,
                                     verifyingShare: Element, participants: [ParticipantID],
                                     context ctx: Context) throws(FROSTError) -> Bool {
        guard let rho = ctx.bindingFactors[share.identifier] else { return false }
        var commShare = commitment.hiding + commitment.binding.multipliedPublic(by: rho)
        if ctx.negateNonces { commShare = Element.identity - commShare }
        let lambda = try deriveInterpolatingValue(participants: participants, x: share.identifier)
        let l = Element.baseMultiply(share.share)
        let r = commShare + verifyingShare.multipliedPublic(by: ctx.challenge * lambda)
        return l == r
    }

    /// Public form of verify_signature_share for one party against a public key package.
    public static func verifySignatureShare(_ share: SignatureShare<C>, package: SigningPackage<C>,
                                            publicKeyPackage: PublicKeyPackage<C>) throws(FROSTError) -> Bool {
        let key = try GroupKey(publicKeyPackage, tweak: package.tweak)
        guard let commitment = package.commitment(of: share.identifier),
              let pki = key.verifyingShares[share.identifier] else { return false }
        let ctx = try Context(package: package, groupPublicKey: key.groupPublicKey)
        return try verifySignatureShare(share, commitment: commitment, verifyingShare: pki,
                                        participants: package.participants, context: ctx)
    }

    // RFC 9591 §5.3 aggregate, then verify; on failure §5.4: verify every share and name every cheater.
    // `shares` must come from exactly the signers the package names.
    public static func aggregate(package: SigningPackage<C>, shares: [SignatureShare<C>],
                                 publicKeyPackage: PublicKeyPackage<C>) throws(FROSTError) -> Signature<C> {
        try aggregate(shares: shares, prepared: prepareAggregation(package: package, publicKeyPackage: publicKeyPackage))
    }

    /// What aggregation computes from the package and the key alone — the effective group key, the binding factors,
    /// the group commitment R and the challenge (RFC 9591 §4.4-4.6) — so that a coordinator can compute it while
    /// the signers work, then pass it to `aggregate(shares:prepared:)`.
    public static func prepareAggregation(package: SigningPackage<C>,
                                          publicKeyPackage: PublicKeyPackage<C>) throws(FROSTError) -> PreparedAggregation<C> {
        // Validate before any arithmetic.
        let key = try GroupKey(publicKeyPackage, tweak: package.tweak)
        let signers = package.participants
        guard signers.count >= key.minSigners else {
            throw .invalidParameters("\(signers.count) signers, threshold is \(key.minSigners)")
        }
        guard signers.count <= key.verifyingShares.count else {
            throw .invalidParameters("more signers than participants")
        }
        for id in signers where key.verifyingShares[id] == nil {
            throw .invalidParameters("\(id) is not a participant of this key")
        }
        let ctx = try Context(package: package, groupPublicKey: key.groupPublicKey)
        return PreparedAggregation(package: package, key: key, context: ctx)
    }

    /// `aggregate(package:shares:publicKeyPackage:)` with the package-only part computed already.
    public static func aggregate(shares: [SignatureShare<C>], prepared: PreparedAggregation<C>) throws(FROSTError) -> Signature<C> {
        let (package, key, ctx) = (prepared.package, prepared.key, prepared.context)
        let signers = package.participants
        var byID = [ParticipantID: SignatureShare<C>](minimumCapacity: shares.count)
        for s in shares {
            guard package.commitment(of: s.identifier) != nil else {
                throw .misbehaving([.init(party: s.identifier, reason: "signature share from a party outside the signer set")])
            }
            guard byID.updateValue(s, forKey: s.identifier) == nil else {
                throw .misbehaving([.init(party: s.identifier, reason: "two signature shares")])
            }
        }
        let missing = signers.filter { byID[$0] == nil }
        guard missing.isEmpty else {
            throw .invalidParameters("missing signature shares from \(missing.map(\.description).joined(separator: ", "))")
        }

        var z = Scalar.zero
        for id in signers { if let s = byID[id] { z = z + s.share } }
        let R = try ctx.groupCommitment()
        let signature = Signature<C>(R: R, z: z)
        if verify(R: R, z: z, groupPublicKey: key.groupPublicKey, message: package.message, challenge: ctx.challenge) {
            return signature
        }

        // §5.4: identify every misbehaving signer.
        var culprits = [FROSTError.Culprit]()
        for c in package.commitments {
            guard let s = byID[c.identifier], let pki = key.verifyingShares[c.identifier] else { continue }
            if try !verifySignatureShare(s, commitment: c, verifyingShare: pki, participants: signers, context: ctx) {
                culprits.append(.init(party: c.identifier, reason: "invalid signature share"))
            }
        }
        guard culprits.isEmpty else { throw .misbehaving(culprits) }
        throw .invalidSignature
    }

    /// z·G == R' + c·PK' (R' and PK' with even y for BIP-340; c already computed from them).
    static func verify(R: Element, z: Scalar, groupPublicKey: Element, message: [UInt8], challenge c: Scalar) -> Bool {
        let Rn = C.hasOddY(R) ? Element.identity - R : R
        return C.verifySignature(R: Rn, z: z, PK: groupPublicKey, message: message, challenge: c)
    }

    // RFC 9591 signature verification (Appendix C, prime-order groups): c = H2(R || PK || msg),
    // z·G == R + c·PK. The BIP-340 suite verifies as BIP-340 does: x-only R and PK, even y.
    public static func verify(signature: Signature<C>, groupPublicKey: Element, message: [UInt8]) -> Bool {
        let pk = C.hasOddY(groupPublicKey) ? Element.identity - groupPublicKey : groupPublicKey
        let R = C.hasOddY(signature.R) ? Element.identity - signature.R : signature.R
        guard !R.isIdentity, let c = try? computeChallenge(R: R, groupPublicKey: pk, message: message) else { return false }
        return C.verifySignature(R: R, z: signature.z, PK: pk, message: message, challenge: c)
    }

    /// The key a final signature verifies under: PK for RFC suites; for BIP-340 the even-y (and tweaked) key.
    public static func verifyingKey(publicKeyPackage: PublicKeyPackage<C>, tweak: TaprootTweak) throws(FROSTError) -> Element {
        try GroupKey(publicKeyPackage, tweak: tweak).groupPublicKey
    }
}

/// The package-only part of aggregation (`FROSTSigning.prepareAggregation`): a pure value, computable on another
/// thread while the signers compute their shares.
public struct PreparedAggregation<C: FROSTCiphersuite>: Sendable {
    public let package: SigningPackage<C>
    let key: GroupKey<C>
    let context: FROSTSigning<C>.Context
}
