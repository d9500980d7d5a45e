/// Who takes part in one resharing and what it must preserve (SECURITY-CHECKLIST 22-23).
///
/// Resharing moves a Shamir-shared key from an old committee (threshold t_old) to a new committee of
/// `members` with threshold t_new, keeping the group public key: the `dealers`, at least t_old old holders,
/// each deal their Lagrange-weighted share w_i = λ_i·s_i (λ over the dealer set, so Σ w_i = s) with a fresh
/// degree-(t_new−1) Feldman-committed polynomial (Desmedt–Jajodia; Wong–Wang–Wing with commitments). The
/// old public key package is the trust anchor: a dealer's constant-term commitment must equal λ_i·Y_i for
/// its old verifying share Y_i, so a dealer that deals anything but its own weighted share is named, and
/// the constant terms then sum to the unchanged group key. It assumes at least t_old honest old parties
/// (a coalition of t_old old holders knows the key anyway).
public struct ReshareParameters<C: FROSTCiphersuite>: Sendable {
    /// The old holders that deal, strictly ascending (at least the old threshold of them).
    public let dealers: [ParticipantID]
    /// The new committee, strictly ascending, with its threshold.
    public let members: [ParticipantID]
    public let newThreshold: Int
    /// The key being reshared: the group key and every old verifying share.
    public let oldPublicKeyPackage: PublicKeyPackage<C>
    /// Bound into every proof of knowledge and the commitment digest (the coordinator's random run id).
    public let sessionID: [UInt8]

    public init(dealers: [ParticipantID], members: [ParticipantID], newThreshold: Int,
                oldPublicKeyPackage: PublicKeyPackage<C>, sessionID: [UInt8]) throws(FROSTError) {
        // The new committee obeys the same rules as a key generation's (t ≥ 2, t ≤ n, distinct ids, session length).
        let committee = try KeyGenParameters(participants: members, threshold: newThreshold, sessionID: sessionID)
        let old = oldPublicKeyPackage
        guard dealers.count >= old.minSigners else {
            throw .invalidParameters("\(dealers.count) dealers, the old threshold is \(old.minSigners)")
        }
        let sorted = dealers.sorted()
        for k in 1..<sorted.count where sorted[k] == sorted[k - 1] {
            throw .invalidParameters("duplicate dealer \(sorted[k].value)")
        }
        for d in sorted where old.verifyingShares[d] == nil {
            throw .invalidParameters("dealer \(d.value) holds no share of the old key")
        }
        guard !old.groupPublicKey.isIdentity else { throw .invalidParameters("identity group key") }
        self.dealers = sorted
        self.members = committee.participants
        self.newThreshold = newThreshold
        self.oldPublicKeyPackage = old
        self.sessionID = sessionID
    }

    public var groupPublicKey: C.Element { oldPublicKeyPackage.groupPublicKey }

    /// λ_i over the dealer set: Σ_i λ_i·s_i = s for any t_old or more points of the old polynomial.
    func weight(of dealer: ParticipantID) throws(FROSTError) -> C.Scalar {
        try Polynomial.lagrangeCoefficientAtZero(for: dealer, in: dealers)
    }

    /// The session the proofs of knowledge are bound to: a resharing tag ahead of the run id, so that a DKG
    /// round-1 proof can never be replayed as a dealing (or the other way round).
    var proofSession: [UInt8] { Array("FROST-reshare-v1".utf8) + sessionID }
}

/// What a new member ends with: its new key package (same group key, new threshold), the new public key
/// package (every new member's verifying share) and the digest of every dealing, which the members echo.
public struct ReshareOutput<C: FROSTCiphersuite>: Sendable {
    public let keyPackage: KeyPackage<C>
    public let publicKeyPackage: PublicKeyPackage<C>
    public let commitmentDigest: [UInt8]
}
