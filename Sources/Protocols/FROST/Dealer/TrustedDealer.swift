/// Trusted-dealer key splitting (RFC 9591 Appendix C.1 trusted_dealer_keygen and secret_share_shard,
/// C.2 vss_commit, vss_verify and derive_group_info), for importing an existing key: the dealer holds the
/// whole secret s once, splits it with a random polynomial f of degree t−1 with f(0) = s, and publishes
/// the Feldman commitment so that each participant can check its share.
///
/// For the Taproot suite the imported key is split as it is (no even-y change, no tweak): it must stay
/// the key the caller imported. The even-y rule of BIP-340 applies when signing, as in the reference.
public enum TrustedDealer<C: FROSTCiphersuite> {
    /// trusted_dealer_keygen with the caller's secret. Rejects a zero secret and bad parameters
    /// (see `KeyGenParameters`).
    public static func split<R: RandomSource>(secret: C.Scalar, parameters: KeyGenParameters,
                                              using rng: inout R) throws(FROSTError) -> DealerOutput<C> {
        guard !secret.isZero else { throw .invalidParameters("zero secret key") }
        var coefficients = Polynomial.random(constant: secret, degree: parameters.threshold - 1, using: &rng)
        let polynomial = SecretCoefficients(coefficients)
        wipeScalars(&coefficients)
        return try shard(polynomial, parameters: parameters)
    }

    /// trusted_dealer_keygen from an encoded secret key (SerializeScalar: canonical, non-zero).
    public static func split<R: RandomSource>(secretKey: SecretBytes, parameters: KeyGenParameters,
                                              using rng: inout R) throws(FROSTError) -> DealerOutput<C> {
        var raw = secretKey.copyBytes()
        defer { zeroize(&raw) }
        var s: [C.Scalar]
        do { s = [try C.Scalar(canonical: raw)] } catch { throw .curve(error) }
        defer { wipeScalars(&s) }
        return try split(secret: s[0], parameters: parameters, using: &rng)
    }

    /// A fresh random key, split (trusted_dealer_keygen with s = RandomScalar()).
    public static func generate<R: RandomSource>(parameters: KeyGenParameters,
                                                 using rng: inout R) throws(FROSTError) -> DealerOutput<C> {
        var s = [C.Scalar.random(using: &rng)]
        defer { wipeScalars(&s) }
        return try split(secret: s[0], parameters: parameters, using: &rng)
    }

    /// secret_share_shard + vss_commit + derive_group_info.
    private static func shard(_ f: SecretCoefficients<C.Scalar>, parameters: KeyGenParameters) throws(FROSTError)
        -> DealerOutput<C> {
        let commitment: VSSCommitment<C.Element>
        do { commitment = try VSSCommitment(Polynomial.commit(f.values)) } catch { throw .curve(error) }
        var shares: [DealerShare<C>] = []
        // derive_group_info: PK_i = Σ_k φ_k·i^k.
        let verifyingShares = VSSCommitment<C.Element>.evaluateAll(commitment.coefficients, at: parameters.participants)
        for id in parameters.participants {
            var s = [f.evaluate(at: id.scalar())]
            // f(i) = 0 for some identifier happens with probability about n/q; refuse rather than hand out a
            // zero share (SECURITY-CHECKLIST 15).
            guard !s[0].isZero else { throw .invalidParameters("zero share; split again") }
            shares.append(DealerShare(identifier: id, share: s[0], commitment: commitment))
            wipeScalars(&s)
        }
        let publicKeyPackage = PublicKeyPackage<C>(verifyingShares: verifyingShares,
                                                   groupPublicKey: commitment.constantTerm,
                                                   minSigners: parameters.threshold)
        return DealerOutput(shares: shares, publicKeyPackage: publicKeyPackage, commitment: commitment)
    }
}

/// What the dealer hands out: one share per participant (send each over a confidential, authenticated
/// channel), the public key package, and the VSS commitment (broadcast).
public struct DealerOutput<C: FROSTCiphersuite>: Sendable {
    /// Sorted by identifier.
    public let shares: [DealerShare<C>]
    public let publicKeyPackage: PublicKeyPackage<C>
    public let commitment: VSSCommitment<C.Element>
}

/// One participant's share from the dealer, with the dealer's commitment (the reference's SecretShare).
public struct DealerShare<C: FROSTCiphersuite>: Sendable, Equatable {
    public let identifier: ParticipantID
    /// s_i = f(i), in zeroizing storage.
    public let share: SecretBytes
    public let commitment: VSSCommitment<C.Element>

    public init(identifier: ParticipantID, share: C.Scalar, commitment: VSSCommitment<C.Element>) {
        self.identifier = identifier
        self.share = SecretBytes(share.bytes)
        self.commitment = commitment
    }

    /// vss_verify (RFC 9591 Appendix C.2) and the participant's KeyPackage: s_i ≠ 0, t ≥ 2 entries,
    /// s_i·G == Σ_k φ_k·i^k; PK = φ_0.
    public func verify() throws(FROSTError) -> KeyPackage<C> {
        var s = [shareScalar()]
        defer { wipeScalars(&s) }
        guard commitment.threshold >= 2 else { throw .invalidParameters("commitment shorter than 2") }
        guard !s[0].isZero else { throw .misbehaving([.init(party: identifier, reason: "zero share from the dealer")]) }
        let Y = C.Element.baseMultiply(s[0])
        guard Y == commitment.evaluate(at: identifier.scalar()) else {
            throw .invalidParameters("share does not match the dealer's commitment")
        }
        return KeyPackage(identifier: identifier, signingShare: s[0], verifyingShare: Y,
                          groupPublicKey: commitment.constantTerm, minSigners: commitment.threshold)
    }

    func shareScalar() -> C.Scalar {
        share.withUnsafeBytes { raw in
            guard let s = try? C.Scalar(canonical: Array(raw)) else { preconditionFailure("stored share not canonical") }
            return s
        }
    }

    /// hdr(v, 0x21, suite) | id u16 | s_i [Ns] | t u16 | t × φ [Ne]. Secret: seal or encrypt it.
    public func serialized() throws(FROSTError) -> [UInt8] {
        var w = KeyGenByteWriter(.dealerShare, suite: C.self)
        w.u16(identifier.value)
        share.withUnsafeBytes { w.bytes.append(contentsOf: $0) }
        try w.u16(minSigners: commitment.threshold)
        for phi in commitment.coefficients { try w.element(phi) }
        return w.bytes
    }

    public init(serialized bytes: [UInt8]) throws(FROSTError) {
        var r = try KeyGenByteReader(bytes, .dealerShare, suite: C.self)
        let id = try r.identifier()
        let s: C.Scalar = try r.nonZeroScalar()
        let t = try r.minSigners()
        var phis: [C.Element] = []
        for _ in 0..<t { phis.append(try r.element()) }
        try r.finish()
        let commitment: VSSCommitment<C.Element>
        do { commitment = try VSSCommitment(phis) } catch { throw .curve(error) }
        self.init(identifier: id, share: s, commitment: commitment)
    }
}
