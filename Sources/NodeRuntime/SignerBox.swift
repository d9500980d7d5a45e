import ClientKit
import Messaging
import Protocols

/// A signing session's round 2, whatever the curve.
protocol SignerHandle: Sendable {
    func round2(_ package: [UInt8]) async throws(ClusterError) -> [UInt8]
}

/// One signer's FROST session (round 1 already run): checks the coordinator's signing package against
/// the plan, then hands it to `SignerSession`.
actor SignerBox<C: FROSTCiphersuite>: SignerHandle {
    private let session: SignerSession<C>
    let message: [UInt8]
    let signers: [ParticipantID]

    private init(session: SignerSession<C>, message: [UInt8], signers: [ParticipantID]) {
        self.session = session; self.message = message; self.signers = signers
    }

    /// Loads the key package, runs round 1; returns the box and the commitments (wire format).
    static func start(share: [UInt8], message: [UInt8], signers: [ParticipantID]) throws(ClusterError) -> (SignerBox<C>, [UInt8]) {
        do {
            let kp = try KeyPackageCodec.decodeKeyPackage(share, as: C.self)
            let s = SignerSession<C>(keyPackage: kp)
            var rng = SystemRandom()
            let commitments = try s.round1(using: &rng)
            return (SignerBox(session: s, message: message, signers: signers), commitments.serialize())
        } catch { throw ClusterError(error.code, "round 1: \(error)") }
    }

    func round2(_ bytes: [UInt8]) throws(ClusterError) -> [UInt8] {
        do {
            let package = try SigningPackage<C>(wire: bytes)
            guard package.message == message else { throw ClusterError("plan_mismatch", "signing package message differs from the plan") }
            guard package.participants == signers else { throw ClusterError("plan_mismatch", "signing package signers differ from the plan") }
            guard package.tweak == .untweaked else { throw ClusterError("plan_mismatch", "unexpected tweak") }
            return try session.round2(package).serialize()
        } catch let e as ClusterError { throw e }
        catch { throw ClusterError(error.code, "round 2: \(error)") }
    }
}
