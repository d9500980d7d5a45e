/// A participant identifier: a non-zero integer, used as the scalar i in Shamir's scheme (RFC 9591 §2:
/// identifiers are non-zero scalars; u16 covers every cluster this system runs, and a small integer below
/// every group order can never be zero or collide modulo the order: SECURITY-CHECKLIST item 13).
public struct ParticipantID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: UInt16

    public init(_ value: UInt16) throws(FROSTError) {
        guard value != 0 else { throw .invalidParameters("participant identifier 0") }
        self.value = value
    }

    public func scalar<S: GroupScalar>(_: S.Type = S.self) -> S { S(UInt64(value)) }
    public static func < (a: Self, b: Self) -> Bool { a.value < b.value }
    public var description: String { "party \(value)" }
}

/// What one participant holds after key generation (RFC 9591 §4 and the reference implementation's
/// KeyPackage): its secret signing share sk_i, its public verifying share PK_i = sk_i·G, the group
/// public key PK, and the threshold t (MIN_PARTICIPANTS).
public struct KeyPackage<C: FROSTCiphersuite>: Sendable {
    public let identifier: ParticipantID
    /// sk_i, kept in zeroizing storage; turned into a scalar only for the arithmetic that needs it.
    public let signingShare: SecretBytes
    public let verifyingShare: C.Element
    public let groupPublicKey: C.Element
    public let minSigners: Int

    public init(identifier: ParticipantID, signingShare: C.Scalar, verifyingShare: C.Element,
                groupPublicKey: C.Element, minSigners: Int) {
        self.identifier = identifier
        self.signingShare = SecretBytes(signingShare.bytes)
        self.verifyingShare = verifyingShare
        self.groupPublicKey = groupPublicKey
        self.minSigners = minSigners
    }

    /// sk_i as a scalar (stored bytes are canonical by construction).
    public func signingShareScalar() -> C.Scalar {
        signingShare.withUnsafeBytes { raw in
            // Canonical by construction; a failure here is a bug, not an input error.
            guard let s = try? C.Scalar(canonical: Array(raw)) else { preconditionFailure("stored share not canonical") }
            return s
        }
    }
}

/// The public side every participant and the coordinator share: the group public key and every
/// participant's verifying share (used to verify signature shares and name cheaters).
public struct PublicKeyPackage<C: FROSTCiphersuite>: Sendable {
    public let verifyingShares: [ParticipantID: C.Element]
    public let groupPublicKey: C.Element
    public let minSigners: Int

    public init(verifyingShares: [ParticipantID: C.Element], groupPublicKey: C.Element, minSigners: Int) {
        self.verifyingShares = verifyingShares
        self.groupPublicKey = groupPublicKey
        self.minSigners = minSigners
    }
}
