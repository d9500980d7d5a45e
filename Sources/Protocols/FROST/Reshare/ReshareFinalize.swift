/// The new member's side of resharing: check every dealing, then s'_j = Σ_i g_i(j).
///
/// For each dealer i, before any arithmetic on its sub-share: its commitment has exactly t_new valid
/// non-identity entries; its proof of knowledge verifies (bound to i and the resharing session); its
/// constant-term commitment equals λ_i·Y_i, the weighted old verifying share (so the dealt secrets sum to
/// the old key); the sub-shares g_i(j) match their commitments (checked as one sum, then one by one to name
/// the dealers when the sum fails). Every failing dealer is named. Then the new
/// group commitment G = Σ_i G_i must have G_0 = PK (the key is unchanged), and every new verifying share is
/// Y'_k = G(k).
extension Reshare {
    public static func finalize(identifier me: ParticipantID, parameters: ReshareParameters<C>,
                                dealings: [ParticipantID: DKGRound1Package<C>],
                                subShares: [ParticipantID: DKGRound2Package<C>]) throws(FROSTError) -> ReshareOutput<C> {
        guard parameters.members.contains(me) else { throw .invalidParameters("\(me) is not a new member") }
        let expected = Set(parameters.dealers)
        guard Set(dealings.keys) == expected, Set(subShares.keys) == expected else {
            let missing = parameters.dealers.filter { dealings[$0] == nil || subShares[$0] == nil }
            throw .invalidParameters("dealings missing from \(missing.map(\.value))")
        }
        let t = parameters.newThreshold
        var commitments: [ParticipantID: VSSCommitment<C.Element>] = [:]
        var culprits: [FROSTError.Culprit] = []
        for i in parameters.dealers {
            guard let package = dealings[i], subShares[i] != nil else { continue }
            func blame(_ why: String) { culprits.append(.init(party: i, reason: why)) }
            guard package.commitment.count == t, let c = try? VSSCommitment(package.commitment) else {
                blame("commitment must have \(t) non-identity entries"); continue
            }
            guard package.proofOfKnowledge.verify(identifier: i, phi0: c.constantTerm, session: parameters.proofSession) else {
                blame("invalid proof of knowledge of the dealt secret"); continue
            }
            guard let Y = parameters.oldPublicKeyPackage.verifyingShares[i],
                  c.constantTerm == Y.multipliedPublic(by: try parameters.weight(of: i)) else {
                blame("constant term is not the dealer's weighted old verifying share"); continue
            }
            commitments[i] = c
        }
        guard culprits.isEmpty else { throw .misbehaving(culprits) }

        let groupCommitment = VSSCommitment<C.Element>.sum(parameters.dealers.compactMap { commitments[$0] })
        guard groupCommitment.count == t, groupCommitment[0] == parameters.groupPublicKey else {
            // Every constant term matched its weighted old verifying share, so the old package itself is inconsistent.
            throw .invalidParameters("the dealt constant terms do not sum to the group key (inconsistent old public key package)")
        }
        var s = [C.Scalar.zero]
        defer { wipeScalars(&s) }
        for i in parameters.dealers { if let sub = subShares[i] { s[0] = s[0] + sub.shareScalar() } }
        let verifyingShares = VSSCommitment<C.Element>.evaluateAll(groupCommitment, at: parameters.members)
        // Σ_i g_i(j)·G == Σ_i G_i(j) is the sum of the per-dealer checks g_i(j)·G == G_i(j): one multiplication
        // instead of one per dealer. When it fails, each sub-share is checked on its own to name the dealers.
        guard let own = verifyingShares[me], C.Element.baseMultiply(s[0]) == own else {
            var blamed: [FROSTError.Culprit] = []
            for i in parameters.dealers {
                if let c = commitments[i], let sub = subShares[i], !c.verify(share: sub.shareScalar(), for: me) {
                    blamed.append(.init(party: i, reason: "sub-share does not match its commitment"))
                }
            }
            throw blamed.isEmpty ? .invalidParameters("new share does not match the summed commitment") : .misbehaving(blamed)
        }
        guard !s[0].isZero, verifyingShares.values.allSatisfy({ !$0.isIdentity }) else {
            throw .invalidParameters("degenerate new share")
        }
        let keyPackage = KeyPackage<C>(identifier: me, signingShare: s[0], verifyingShare: own,
                                       groupPublicKey: parameters.groupPublicKey, minSigners: t)
        let publicKeyPackage = PublicKeyPackage<C>(verifyingShares: verifyingShares, groupPublicKey: parameters.groupPublicKey,
                                                   minSigners: t)
        return ReshareOutput(keyPackage: keyPackage, publicKeyPackage: publicKeyPackage,
                             commitmentDigest: try digest(parameters, commitments))
    }

    /// H("FROST-reshare-commitments-v1" || suite || len u16 || session || t_new u16 || PK || n_new u16 ||
    ///   member ids || d u16 || for each dealer ascending: id u16 || G_i0..G_i(t−1)).
    static func digest(_ p: ReshareParameters<C>, _ commitments: [ParticipantID: VSSCommitment<C.Element>]) throws(FROSTError) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
        var parts: [[UInt8]] = [Array("FROST-reshare-commitments-v1".utf8), [C.suiteID], u16(p.sessionID.count), p.sessionID,
                                u16(p.newThreshold)]
        do {
            parts.append(try p.groupPublicKey.serialized())
            parts.append(u16(p.members.count))
            for m in p.members { parts.append(u16(Int(m.value))) }
            parts.append(u16(p.dealers.count))
            for i in p.dealers {
                parts.append(u16(Int(i.value)))
                for phi in commitments[i]?.coefficients ?? [] { parts.append(try phi.serialized()) }
            }
        } catch { throw .curve(error) }
        return Hash.sha256(parts)
    }
}
