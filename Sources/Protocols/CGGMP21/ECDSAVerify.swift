internal import CSecp256k1

/// Plain ECDSA over secp256k1 through libsecp256k1, independent of the threshold code: verification
/// (libsecp256k1 refuses high-S) and public-key recovery with the recovery id.
public enum ECDSAVerify {
    nonisolated(unsafe) private static let context: OpaquePointer? = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))

    /// secp256k1_ecdsa_verify of r‖s (64 bytes) over a 32-byte digest under a 33- or 65-byte key.
    public static func verify(publicKey: [UInt8], digest: [UInt8], compact: [UInt8]) -> Bool {
        guard let c = context, digest.count == 32, compact.count == 64, publicKey.count == 33 || publicKey.count == 65 else { return false }
        var pk = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(c, &pk, publicKey, publicKey.count) == 1 else { return false }
        var sig = secp256k1_ecdsa_signature()
        guard secp256k1_ecdsa_signature_parse_compact(c, &sig, compact) == 1 else { return false }
        return secp256k1_ecdsa_verify(c, &sig, digest, &pk) == 1
    }

    /// The compressed key that r‖s with recovery id v (0...3) recovers to, or nil.
    public static func recover(digest: [UInt8], compact: [UInt8], recoveryId v: Int) -> [UInt8]? {
        guard let c = context, digest.count == 32, compact.count == 64, (0...3).contains(v) else { return nil }
        var rs = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(c, &rs, compact, Int32(v)) == 1 else { return nil }
        var pk = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(c, &pk, &rs, digest) == 1 else { return nil }
        var out = [UInt8](repeating: 0, count: 33)
        var len = 33
        guard secp256k1_ec_pubkey_serialize(c, &out, &len, &pk, UInt32(SECP256K1_EC_COMPRESSED)) == 1 else { return nil }
        return out
    }
}
