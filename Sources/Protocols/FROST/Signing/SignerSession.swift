/// A signer's side of one FROST signing (RFC 9591 §5.1-5.2) as a state machine:
///   idle --round1--> committed(nonces) --round2--> finished
/// Round 2 takes the nonces out of the state whatever the outcome, so a second round 2 (or a retry after a
/// refused package) finds none and is refused with `FROSTError.nonceReuse`.
public final class SignerSession<C: FROSTCiphersuite> {
    public let keyPackage: KeyPackage<C>
    private var nonces: SigningNonces<C>?
    private var phase: Phase = .idle

    public enum Phase: Equatable, Sendable { case idle, committed, finished }
    public var state: Phase { phase }

    public init(keyPackage: KeyPackage<C>) {
        self.keyPackage = keyPackage
    }

    /// Round 1: draws fresh nonces (RFC 9591 nonce_generate) and returns the commitments to broadcast.
    public func round1<R: RandomSource>(using rng: inout R) throws(FROSTError) -> SigningCommitments<C> {
        guard phase == .idle else {
            throw phase == .finished ? .nonceReuse : .invalidParameters("round 1 already run in this session")
        }
        let n = FROSTSigning<C>.commit(keyPackage: keyPackage, using: &rng)
        let commitments = n.commitments
        nonces = consume n
        phase = .committed
        return commitments
    }

    /// Round 2: validates the coordinator's package (own commitment present and unchanged, enough
    /// signers, valid list) and returns this signer's share. The nonces are consumed either way.
    public func round2(_ package: SigningPackage<C>) throws(FROSTError) -> SignatureShare<C> {
        switch phase {
        case .idle: throw .invalidParameters("round 2 before round 1")
        case .finished: throw .nonceReuse
        case .committed: break
        }
        phase = .finished
        guard let n = nonces.take() else { throw .nonceReuse }
        return try FROSTSigning<C>.sign(package: package, nonces: n, keyPackage: keyPackage)
    }
}
