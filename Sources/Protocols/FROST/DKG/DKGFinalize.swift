/// DKG final step (FROST paper, Figure 1, round 2 steps 2–4; ZF frost-core dkg::part3 and
/// PublicKeyPackage::from_dkg_commitments; for Taproot, frost-secp256k1-tr post_dkg).
///
/// Step 2 verifies the received shares against the senders' commitments, step 3 sums them into the
/// long-lived signing share s_i = Σ_ℓ f_ℓ(i), step 4 computes Y_i = s_i·G. The group public key is
/// PK = Σ_ℓ φ_{ℓ0} and every participant's verifying share is Y_k = Σ_j Φ_j·k^j over the summed
/// commitment Φ_j = Σ_ℓ φ_{ℓj}. No party learns the group secret.
extension DKGRound2State {
    /// The last step: `received` holds the round-2 package of every other participant with its
    /// authenticated sender. Consumes the round-2 state whatever the outcome.
    public consuming func finalize(_ received: [(from: ParticipantID, package: DKGRound2Package<C>)]) throws(FROSTError)
        -> DKGOutput<C> {
        try DKGInputs.checkSenders(received.map { $0.from }, me: identifier, parameters: parameters, round: 2)
        let t = parameters.threshold

        // Φ_j = Σ_ℓ φ_{ℓj}: the commitment to the sum polynomial (all have exactly t entries, checked in round 2).
        let all = parameters.participants.compactMap { commitments[$0] }
        guard all.count == parameters.count, all.allSatisfy({ $0.threshold == t }) else {
            throw .invalidParameters("commitments missing from the round-2 state")
        }
        let groupCommitment = VSSCommitment<C.Element>.sum(all)

        // Round 2, step 3: s_i = f_i(i) + Σ_{ℓ≠i} f_ℓ(i).
        var s = [Self.scalar(ownShare)]
        defer { wipeScalars(&s) }
        for (_, package) in received { s[0] = s[0] + package.shareScalar() }

        // Every verifying share from the public commitments: Y_k = Σ_j Φ_j·k^j.
        var verifyingShares = VSSCommitment<C.Element>.evaluateAll(groupCommitment, at: parameters.participants)
        var groupKey = groupCommitment[0]

        // Round 2, step 2. Σ_ℓ f_ℓ(i)·G == Σ_ℓ C_ℓ(i) is the sum of the n per-sender checks g^{f_ℓ(i)} ==
        // Π_k φ_{ℓk}^{i^k}; it costs one multiplication instead of n·t. When it fails, each share is checked
        // on its own to name the senders. (Errors that cancel in the sum leave s_i exactly the honest value.)
        guard let expected = verifyingShares[identifier], C.Element.baseMultiply(s[0]) == expected else {
            throw .misbehaving(blame(received))
        }
        guard !s[0].isZero, !groupKey.isIdentity else {
            throw .invalidParameters("degenerate key (zero share or identity group key)")
        }

        // Taproot post_dkg: even-y normalisation, then the BIP-341 unspendable-script-path tweak.
        var internalKey: C.Element? = nil
        if DKGSuiteRules<C>.isTaproot {
            if DKGSuiteRules<C>.hasOddY(groupKey) {
                s[0] = -s[0]
                groupKey = C.Element.identity - groupKey
                for (k, Y) in verifyingShares { verifyingShares[k] = C.Element.identity - Y }
            }
            internalKey = groupKey
            let tweak: C.Scalar
            do { tweak = try DKGSuiteRules<C>.unspendableTweak(groupKey) } catch { throw .curve(error) }
            let tG = C.Element.baseMultiply(tweak)
            s[0] = s[0] + tweak
            groupKey = groupKey + tG
            for (k, Y) in verifyingShares { verifyingShares[k] = Y + tG }
            guard !s[0].isZero, !groupKey.isIdentity, verifyingShares.values.allSatisfy({ !$0.isIdentity }) else {
                throw .invalidParameters("degenerate key after the Taproot tweak")
            }
        }

        // Round 2, step 4: Y_i = s_i·G (equal to the commitment-derived value checked above).
        guard let ownVerifyingShare = verifyingShares[identifier] else {
            throw .invalidParameters("own verifying share missing")
        }
        let keyPackage = KeyPackage<C>(identifier: identifier, signingShare: s[0], verifyingShare: ownVerifyingShare,
                                       groupPublicKey: groupKey, minSigners: t)
        let publicKeyPackage = PublicKeyPackage<C>(verifyingShares: verifyingShares, groupPublicKey: groupKey,
                                                   minSigners: t)
        let digest = try DKGOutput<C>.commitmentDigest(commitments, threshold: t, session: parameters.sessionID)
        return DKGOutput(keyPackage: keyPackage, publicKeyPackage: publicKeyPackage, commitmentDigest: digest,
                         taprootInternalKey: internalKey)
    }

    /// The senders whose share fails g^{f_ℓ(i)} == Π_k φ_{ℓk}^{i^k}.
    private func blame(_ received: [(from: ParticipantID, package: DKGRound2Package<C>)]) -> [FROSTError.Culprit] {
        var culprits: [FROSTError.Culprit] = []
        for (sender, package) in received.sorted(by: { $0.from < $1.from }) {
            guard let commitment = commitments[sender] else { continue }
            if !commitment.verify(share: package.shareScalar(), for: identifier) {
                culprits.append(.init(party: sender, reason: "round-2 share does not match its commitment"))
            }
        }
        return culprits
    }

    private static func scalar(_ secret: SecretBytes) -> C.Scalar {
        secret.withUnsafeBytes { raw in
            guard let s = try? C.Scalar(canonical: Array(raw)) else { preconditionFailure("stored share not canonical") }
            return s
        }
    }
}
