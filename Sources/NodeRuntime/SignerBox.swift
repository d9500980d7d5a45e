import ClientKit
import Messaging
import Protocols

/// A signer's FROST session whatever the curve: round 2 of a two-round session (message and signers fixed
/// by its plan), or a preprocessed commitment's signing (message and signers fixed by the request).
protocol SignerHandle: Sendable {
    func round2(_ package: [UInt8]) async throws(ClusterError) -> [UInt8]
}

/// One signer's FROST session (round 1 already run): checks the coordinator's signing package against what
/// was asked (the plan's message and signers), then hands it to `SignerSession`, which consumes the nonces
/// whatever the outcome.
actor SignerBox<C: FROSTCiphersuite>: SignerHandle {
    private let session: SignerSession<C>
    /// Two-round sessions: the plan's message and signer set (nil for a preprocessed commitment).
    private let planned: (message: [UInt8], signers: [ParticipantID])?
    /// This signer's commitments (validated when made).
    let commitments: SigningCommitments<C>

    private init(session: SignerSession<C>, planned: (message: [UInt8], signers: [ParticipantID])?, commitments: SigningCommitments<C>) {
        self.session = session; self.planned = planned; self.commitments = commitments
    }

    /// Loads the key package, runs round 1; returns the box and the commitments (wire format).
    static func start(share: [UInt8], message: [UInt8], signers: [ParticipantID]) throws(ClusterError) -> (SignerBox<C>, [UInt8]) {
        let kp: KeyPackage<C>
        do { kp = try KeyPackageCodec.decodeKeyPackage(share, as: C.self) } catch { throw ClusterError(error.code, "round 1: \(error)") }
        let (box, c) = try commit(kp, planned: (message, signers))
        return (box, c.serialize())
    }

    /// RFC 9591 §5.1 ahead of any request: a fresh nonce pair for `keyPackage`, to sign once with whatever
    /// message and signers a later request names (`sign(_:message:signers:)`).
    static func prepare(_ keyPackage: KeyPackage<C>) throws(ClusterError) -> (SignerBox<C>, SigningCommitments<C>) {
        try commit(keyPackage, planned: nil)
    }

    private static func commit(_ kp: KeyPackage<C>, planned: (message: [UInt8], signers: [ParticipantID])?) throws(ClusterError) -> (SignerBox<C>, SigningCommitments<C>) {
        let s = SignerSession<C>(keyPackage: kp)
        var rng = SystemRandom()
        do {
            let commitments = try s.round1(using: &rng)
            return (SignerBox(session: s, planned: planned, commitments: commitments), commitments)
        } catch { throw ClusterError(error.code, "round 1: \(error)") }
    }

    var keyPackage: KeyPackage<C> { session.keyPackage }

    /// Two-round session: the package must match the plan.
    func round2(_ bytes: [UInt8]) throws(ClusterError) -> [UInt8] {
        guard let planned else { throw ClusterError("internal_error", "a preprocessed commitment has no plan") }
        let package: SigningPackage<C>
        do { package = try SigningPackage<C>(wire: bytes) } catch { throw ClusterError(error.code, "round 2: \(error)") }
        return try sign(package, message: planned.message, signers: planned.signers)
    }

    /// The share for `package`, which must sign exactly `message` with exactly `signers`, untweaked (the
    /// ciphersuite applies any Taproot tweak itself).
    func sign(_ package: SigningPackage<C>, message: [UInt8], signers: [ParticipantID]) throws(ClusterError) -> [UInt8] {
        guard package.message == message else { throw ClusterError("plan_mismatch", "signing package message differs from the plan") }
        guard package.participants == signers else { throw ClusterError("plan_mismatch", "signing package signers differ from the plan") }
        guard package.tweak == .untweaked else { throw ClusterError("plan_mismatch", "unexpected tweak") }
        do { return try session.round2(package).serialize() } catch { throw ClusterError(error.code, "round 2: \(error)") }
    }
}
