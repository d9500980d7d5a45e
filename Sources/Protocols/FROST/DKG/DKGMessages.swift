/// The DKG's two wire messages (FROST paper, Figure 1; ZF frost-core keys/dkg.rs round1::Package and
/// round2::Package). The sender is not inside the message: it is the authenticated sender of the envelope
/// that carries it (SECURITY-CHECKLIST 26, 31), and every API here takes it alongside the package.

/// Round 1, broadcast: the commitment C_i = ⟨φ_{i0}, ..., φ_{i(t−1)}⟩ and the proof of knowledge σ_i.
/// As received it is unchecked; round 2 validates it into a `VSSCommitment` or names the sender.
public struct DKGRound1Package<C: FROSTCiphersuite>: Sendable, Equatable {
    public let commitment: [C.Element]
    public let proofOfKnowledge: DKGProofOfKnowledge<C>

    public init(commitment: [C.Element], proofOfKnowledge: DKGProofOfKnowledge<C>) {
        self.commitment = commitment
        self.proofOfKnowledge = proofOfKnowledge
    }

    public func serialized() throws(FROSTError) -> [UInt8] {
        var w = KeyGenByteWriter(.dkgRound1, suite: C.self)
        guard commitment.count <= Int(UInt16.max) else { throw .invalidParameters("commitment too long") }
        w.u16(UInt16(commitment.count))
        for phi in commitment { try w.element(phi) }
        do {
            w.bytes += try DKGSuiteRules<C>.serializeProof(R: proofOfKnowledge.R, mu: proofOfKnowledge.mu)
        } catch { throw .curve(error) }
        return w.bytes
    }

    /// Decodes a package received from `sender`; failures name the sender.
    public init(serialized bytes: [UInt8], from sender: ParticipantID? = nil) throws(FROSTError) {
        var r = try KeyGenByteReader(bytes, .dkgRound1, suite: C.self, from: sender)
        let t = Int(try r.u16())
        guard t >= 1 else { throw .malformed(from: sender, "empty commitment") }
        var phis: [C.Element] = []
        for _ in 0..<t { phis.append(try r.element()) }
        let proofBytes = try r.rest(DKGSuiteRules<C>.proofByteCount)
        try r.finish()
        let proof: (R: C.Element, mu: C.Scalar)
        do { proof = try DKGSuiteRules<C>.deserializeProof(proofBytes) } catch {
            throw .malformed(from: sender, "invalid proof of knowledge encoding: \(error.code)")
        }
        self.init(commitment: phis, proofOfKnowledge: DKGProofOfKnowledge(R: proof.R, mu: proof.mu))
    }
}

/// Round 2, point to point (confidential and authenticated): the secret share f_i(ℓ) for participant ℓ.
public struct DKGRound2Package<C: FROSTCiphersuite>: Sendable, Equatable {
    /// f_i(ℓ), canonical, in zeroizing storage.
    public let share: SecretBytes

    public init(share: C.Scalar) { self.share = SecretBytes(share.bytes) }

    /// f_i(ℓ) as a scalar (canonical by construction).
    func shareScalar() -> C.Scalar {
        share.withUnsafeBytes { raw in
            guard let s = try? C.Scalar(canonical: Array(raw)) else { preconditionFailure("stored share not canonical") }
            return s
        }
    }

    /// The encoding is secret: encrypt it to the recipient (SECURITY-CHECKLIST 31).
    public func serialized() -> [UInt8] {
        var w = KeyGenByteWriter(.dkgRound2, suite: C.self)
        share.withUnsafeBytes { w.bytes.append(contentsOf: $0) }
        return w.bytes
    }

    /// Rejects a zero or non-canonical share, naming the sender.
    public init(serialized bytes: [UInt8], from sender: ParticipantID? = nil) throws(FROSTError) {
        var r = try KeyGenByteReader(bytes, .dkgRound2, suite: C.self, from: sender)
        let s: C.Scalar = try r.nonZeroScalar()
        try r.finish()
        self.init(share: s)
    }

    public static func == (a: Self, b: Self) -> Bool { a.share == b.share }
}

/// What a DKG participant ends with (ZF frost-core part3).
public struct DKGOutput<C: FROSTCiphersuite>: Sendable {
    public let keyPackage: KeyPackage<C>
    public let publicKeyPackage: PublicKeyPackage<C>
    /// SHA-256 over every participant's commitment C_ℓ in identifier order (see `commitmentDigest`).
    /// The DKG needs a broadcast on which nobody can show different commitments to different peers
    /// (SECURITY-CHECKLIST 12): participants compare this digest (an echo round) before using the key.
    public let commitmentDigest: [UInt8]
    /// Taproot only: the even-y internal key P = ±Σ_ℓ φ_{ℓ0} before post_dkg's BIP-341 tweak. The key
    /// packages already hold the output key Q = P + H_TapTweak(x(P))·G (key-path only, no script tree):
    /// signing with them must not apply that tweak again (SECURITY-CHECKLIST 26). nil for other suites.
    public let taprootInternalKey: C.Element?

    /// H("FROST-DKG-commitments-v1" || suite || len u16 || session id || t u16 || n u16 ||
    ///   for each ℓ ascending: id u16 || φ_{ℓ0..ℓ(t−1)}).
    static func commitmentDigest(_ commitments: [ParticipantID: VSSCommitment<C.Element>], threshold t: Int,
                                 session: [UInt8]) throws(FROSTError) -> [UInt8] {
        var parts: [[UInt8]] = [Array("FROST-DKG-commitments-v1".utf8), [C.suiteID],
                                [UInt8(session.count >> 8), UInt8(session.count & 0xff)], session,
                                [UInt8(t >> 8), UInt8(t & 0xff)],
                                [UInt8(commitments.count >> 8), UInt8(commitments.count & 0xff)]]
        for (id, c) in commitments.sorted(by: { $0.key < $1.key }) {
            parts.append([UInt8(id.value >> 8), UInt8(id.value & 0xff)])
            for phi in c.coefficients {
                do { parts.append(try phi.serialized()) } catch { throw .curve(error) }
            }
        }
        return Hash.sha256(parts)
    }
}
