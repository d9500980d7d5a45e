/// CGGMP21 key generation by reuse of the FROST Pedersen DKG over secp256k1 (`FROSTSecp256k1`, not
/// the Taproot suite): its output is a Shamir sharing of an ECDSA key with Feldman public shares,
/// which is exactly what presigning needs (the paper's threshold keygen has the same output shape).
/// The DKG's `commitmentDigest` must be compared by all parties (echo, checklist 12) before use:
/// `init` takes every party's digest as echoed and refuses on any mismatch.
extension CGGMPKeyShare {
    public init(dkg: DKGOutput<FROSTSecp256k1>, echoedDigests: [CGGMPPartyId: [UInt8]]) throws(CGGMPProtocolError) {
        let pkp = dkg.publicKeyPackage
        let mismatched = echoedDigests.filter { $0.value != dkg.commitmentDigest }.map(\.key).sorted()
        guard mismatched.isEmpty else { throw .echoMismatch(mismatched) }
        var ids = Set(echoedDigests.keys)
        ids.insert(dkg.keyPackage.identifier.value)
        guard ids == Set(pkp.verifyingShares.keys.map(\.value)) else {
            throw .invalidInput("an echoed digest is needed from every other party")
        }
        try self.init(keyPackage: dkg.keyPackage, publicKeyPackage: pkp)
    }

    /// The key share from a stored key package of the DKG (after its echo was checked at keygen).
    public init(keyPackage: KeyPackage<FROSTSecp256k1>, publicKeyPackage pkp: PublicKeyPackage<FROSTSecp256k1>) throws(CGGMPProtocolError) {
        var shares = [CGGMPPartyId: Secp256k1Point]()
        for (id, X) in pkp.verifyingShares { shares[id.value] = X }
        let sk = Secp256k1Group.bigNum(keyPackage.signingShareScalar())
        try self.init(id: keyPackage.identifier.value, threshold: keyPackage.minSigners, secretShare: sk,
                      publicShares: shares, publicKey: pkp.groupPublicKey)
    }
}
