/// The typed values of FROST signing (RFC 9591 §5): what round 1 broadcasts, what the coordinator sends
/// back, what round 2 returns and what aggregation produces. Constructors validate; a value of these types
/// is always well-formed (points on the curve and never the identity, scalars canonical, ids distinct).

/// RFC 9591 §5.1: a participant's (hiding, binding) nonce commitments (D_i, E_i).
public struct SigningCommitments<C: FROSTCiphersuite>: Sendable, Equatable {
    public let identifier: ParticipantID
    public let hiding: C.Element
    public let binding: C.Element
    /// The subgroup certificates of D and E, concatenated (`GroupElement.subgroupCertificate`; empty for a
    /// prime-order group): they travel with the commitments so that every receiver validates the points with a
    /// few doublings instead of a subgroup test. Not part of the commitments' value (== ignores them).
    public let certificates: [UInt8]

    /// Rejects the identity for either commitment (SECURITY-CHECKLIST item 15). The certificates are computed
    /// from the public points (variable time); the signer's own come from its nonces (`init(nonces:)`).
    public init(identifier: ParticipantID, hiding: C.Element, binding: C.Element) throws(FROSTError) {
        try self.init(identifier: identifier, hiding: hiding, binding: binding,
                      certificates: hiding.subgroupCertificate() + binding.subgroupCertificate())
    }

    /// `certificates` as received or made from the nonces; the caller has checked them.
    init(identifier: ParticipantID, hiding: C.Element, binding: C.Element, certificates: [UInt8]) throws(FROSTError) {
        guard !hiding.isIdentity, !binding.isIdentity else {
            throw .malformed(from: identifier, "nonce commitment is the identity")
        }
        self.identifier = identifier
        self.hiding = hiding
        self.binding = binding
        self.certificates = certificates
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.identifier == b.identifier && a.hiding == b.hiding && a.binding == b.binding
    }
}

/// RFC 9591 §5.2 input: the message and the commitment list of exactly the chosen signers, sorted by
/// identifier, plus (for the BIP-340 suite) the BIP-341 tweak the group signs under.
public struct SigningPackage<C: FROSTCiphersuite>: Sendable, Equatable {
    /// Sorted ascending by identifier, identifiers distinct.
    public let commitments: [SigningCommitments<C>]
    public let message: [UInt8]
    public let tweak: TaprootTweak

    public init(commitments: [SigningCommitments<C>], message: [UInt8], tweak: TaprootTweak = .untweaked) throws(FROSTError) {
        guard !commitments.isEmpty else { throw .invalidParameters("empty commitment list") }
        let sorted = commitments.sorted { $0.identifier < $1.identifier }
        for k in 1..<max(sorted.count, 1) where sorted[k].identifier == sorted[k - 1].identifier {
            throw .invalidParameters("duplicate commitment from \(sorted[k].identifier)")
        }
        guard C.isBIP340 || tweak == .untweaked else {
            throw .invalidParameters("a Taproot tweak needs the BIP-340 ciphersuite")
        }
        if case .scriptTree(let root) = tweak, root.count != 32 {
            throw .invalidParameters("merkle root must be 32 bytes")
        }
        self.commitments = sorted
        self.message = message
        self.tweak = tweak
    }

    /// The signer set, ascending.
    public var participants: [ParticipantID] { commitments.map { $0.identifier } }

    public func commitment(of id: ParticipantID) -> SigningCommitments<C>? {
        commitments.first { $0.identifier == id }
    }
}

/// RFC 9591 §5.2 output: z_i.
public struct SignatureShare<C: FROSTCiphersuite>: Sendable, Equatable {
    public let identifier: ParticipantID
    public let share: C.Scalar

    public init(identifier: ParticipantID, share: C.Scalar) {
        self.identifier = identifier
        self.share = share
    }
}

/// RFC 9591 §5.3 output: (R, z). `bytes` is the suite's encoding (Ed25519: RFC 8032, 64 bytes;
/// secp256k1: SerializeElement(R) || z, 65 bytes; Taproot: BIP-340 R.x || z, 64 bytes).
public struct Signature<C: FROSTCiphersuite>: Sendable, Equatable {
    public let R: C.Element
    public let z: C.Scalar

    public init(R: C.Element, z: C.Scalar) {
        self.R = R
        self.z = z
    }

    public init(bytes: [UInt8]) throws(FROSTError) {
        do {
            let (R, z) = try C.deserializeSignature(bytes)
            self.init(R: R, z: z)
        } catch { throw .curve(error) }
    }

    public func bytes() throws(FROSTError) -> [UInt8] {
        do { return try C.serializeSignature(R: R, z: z) } catch { throw .curve(error) }
    }

    /// Signatures are equal when their encodings are (BIP-340 keeps only R.x, so R and −R encode alike).
    public static func == (a: Self, b: Self) -> Bool {
        guard let x = try? a.bytes(), let y = try? b.bytes() else { return a.R == b.R && a.z == b.z }
        return x == y
    }
}
