/// The coordinator / aggregator of one FROST signing (RFC 9591 §5, §5.3-5.4) as a state machine:
///   collectingCommitments --all chosen signers committed--> collectingShares --all shares--> finished
/// The coordinator fixes the exact signer set up front (SECURITY-CHECKLIST item 28); each message is
/// validated (sender in the set, not a duplicate, right phase) before it is stored. Aggregation verifies the
/// result and on failure verifies every share, naming every cheater (item 25).
/// The caller (the session actor) must check that each message's `identifier` is the authenticated sender
/// of its envelope before passing it in: the state machine trusts the identifier it is given.
public final class SigningCoordinator<C: FROSTCiphersuite> {
    public enum Action: Sendable, Equatable {
        /// Keep collecting.
        case wait
        /// Send this package to every chosen signer (round 2 input).
        case sendSigningPackage(SigningPackage<C>)
        /// The verified signature.
        case finished(Signature<C>)
    }

    public let publicKeyPackage: PublicKeyPackage<C>
    public let signers: [ParticipantID]
    public let message: [UInt8]
    public let tweak: TaprootTweak

    private var commitments: [ParticipantID: SigningCommitments<C>] = [:]
    private var shares: [ParticipantID: SignatureShare<C>] = [:]
    private var package: SigningPackage<C>?
    private var done = false
    /// The package-only part of aggregation, if the caller computed it meanwhile (`use(_:)`).
    private var prepared: PreparedAggregation<C>?

    /// Hands over `FROSTSigning.prepareAggregation` of this coordinator's signing package, computed elsewhere while
    /// the signers worked; ignored unless it is for exactly that package.
    public func use(_ p: PreparedAggregation<C>) { prepared = p }

    /// Validates the threshold bounds: t ≤ |signers| ≤ n, every signer a participant of the key, no duplicates.
    public init(publicKeyPackage: PublicKeyPackage<C>, signers: [ParticipantID], message: [UInt8],
                tweak: TaprootTweak = .untweaked) throws(FROSTError) {
        let t = publicKeyPackage.minSigners, n = publicKeyPackage.verifyingShares.count
        guard t >= 1, t <= n else { throw .invalidParameters("threshold \(t) of \(n)") }
        guard Set(signers).count == signers.count else { throw .invalidParameters("duplicate signer") }
        guard signers.count >= t else { throw .invalidParameters("\(signers.count) signers, threshold is \(t)") }
        guard signers.count <= n else { throw .invalidParameters("\(signers.count) signers, only \(n) participants") }
        for s in signers where publicKeyPackage.verifyingShares[s] == nil {
            throw .invalidParameters("\(s) is not a participant of this key")
        }
        guard C.isBIP340 || tweak == .untweaked else { throw .invalidParameters("a Taproot tweak needs the BIP-340 ciphersuite") }
        self.publicKeyPackage = publicKeyPackage
        self.signers = signers.sorted()
        self.message = message
        self.tweak = tweak
    }

    /// Round 1 input: one signer's commitments.
    public func receive(_ c: SigningCommitments<C>) throws(FROSTError) -> Action {
        guard !done, package == nil else { throw .invalidParameters("commitments after the signing package was built") }
        guard signers.contains(c.identifier) else {
            throw .misbehaving([.init(party: c.identifier, reason: "commitments from a party outside the signer set")])
        }
        guard commitments[c.identifier] == nil else {
            throw .misbehaving([.init(party: c.identifier, reason: "second set of commitments")])
        }
        commitments[c.identifier] = c
        guard commitments.count == signers.count else { return .wait }
        let p = try SigningPackage<C>(commitments: signers.compactMap { commitments[$0] }, message: message, tweak: tweak)
        package = p
        return .sendSigningPackage(p)
    }

    /// Round 2 input: one signer's share. The last one triggers aggregation.
    public func receive(_ s: SignatureShare<C>) throws(FROSTError) -> Action {
        guard !done else { throw .invalidParameters("signing already finished") }
        guard let p = package else { throw .invalidParameters("signature share before the signing package") }
        guard signers.contains(s.identifier) else {
            throw .misbehaving([.init(party: s.identifier, reason: "signature share from a party outside the signer set")])
        }
        guard shares[s.identifier] == nil else {
            throw .misbehaving([.init(party: s.identifier, reason: "second signature share")])
        }
        shares[s.identifier] = s
        guard shares.count == signers.count else { return .wait }
        done = true   // terminal either way: a failed aggregation is an abort naming the culprits
        let ordered = signers.compactMap { shares[$0] }
        let signature: Signature<C>
        if let prepared, prepared.package == p {
            signature = try FROSTSigning<C>.aggregate(shares: ordered, prepared: prepared)
        } else {
            signature = try FROSTSigning<C>.aggregate(package: p, shares: ordered, publicKeyPackage: publicKeyPackage)
        }
        return .finished(signature)
    }

    /// The key the final signature verifies under (BIP-340: even-y, tweaked output key Q).
    public func verifyingKey() throws(FROSTError) -> C.Element {
        try FROSTSigning<C>.verifyingKey(publicKeyPackage: publicKeyPackage, tweak: tweak)
    }
}
