internal import CSecp256k1
import Protocols

/// The few libsecp256k1 operations the chains need (public-key parsing, signature checks, DER, Taproot tweak).
/// No secret keys pass through here.
enum Secp256k1 {
    // A verify-capable context, created once and only read afterwards (libsecp256k1 contexts are safe to
    // share across threads for every call except randomize, which we never make).
    nonisolated(unsafe) private static let context: OpaquePointer? = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))

    private static func ctx() throws(ChainError) -> OpaquePointer {
        guard let c = context else { throw ChainError(.invalidPublicKey, "secp256k1 context unavailable") }
        return c
    }

    /// Half the group order n/2, big-endian; an ECDSA s above this is "high" (EIP-2, BIP-62 / BIP-146).
    static let halfOrder: [UInt8] = Hex.decode("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0") ?? []
    static let order: [UInt8] = Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141") ?? []

    /// Parses a 33- or 65-byte SEC1 public key and returns it serialized compressed or uncompressed.
    static func serializePublicKey(_ key: [UInt8], compressed: Bool) throws(ChainError) -> [UInt8] {
        guard key.count == 33 || key.count == 65 else {
            throw ChainError(.invalidPublicKey, "public key must be 33 or 65 bytes, got \(key.count)")
        }
        let c = try ctx()
        var pk = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(c, &pk, key, key.count) == 1 else {
            throw ChainError(.invalidPublicKey, "not a point on secp256k1")
        }
        var out = [UInt8](repeating: 0, count: compressed ? 33 : 65)
        var len = out.count
        let flags = UInt32(compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED)
        guard secp256k1_ec_pubkey_serialize(c, &out, &len, &pk, flags) == 1 else {
            throw ChainError(.invalidPublicKey, "serialization failed")
        }
        return out
    }

    /// Checks 0 < r, s < n and s <= n/2, with r and s given as 32-byte big-endian strings.
    static func checkLowS(r: [UInt8], s: [UInt8]) throws(ChainError) {
        guard r.count == 32, s.count == 32 else { throw ChainError(.invalidSignature, "r and s must be 32 bytes") }
        for (name, v) in [("r", r), ("s", s)] {
            guard v.contains(where: { $0 != 0 }) else { throw ChainError(.invalidSignature, field: name, "zero") }
            guard v.lexicographicallyPrecedes(order) else { throw ChainError(.invalidSignature, field: name, "not below the group order") }
        }
        guard !halfOrder.lexicographicallyPrecedes(s) else { throw ChainError(.highS, field: "s", "s is above n/2 (EIP-2 / BIP-146 low-S rule)") }
    }

    /// DER encoding of a low-S ECDSA signature (r, s 32 bytes each).
    static func derSignature(r: [UInt8], s: [UInt8]) throws(ChainError) -> [UInt8] {
        try checkLowS(r: r, s: s)
        let c = try ctx()
        var sig = secp256k1_ecdsa_signature()
        let compact = r + s
        guard secp256k1_ecdsa_signature_parse_compact(c, &sig, compact) == 1 else {
            throw ChainError(.invalidSignature, "r or s out of range")
        }
        var out = [UInt8](repeating: 0, count: 72)
        var len = out.count
        guard secp256k1_ecdsa_signature_serialize_der(c, &out, &len, &sig) == 1 else {
            throw ChainError(.invalidSignature, "DER serialization failed")
        }
        return Array(out.prefix(len))
    }

    /// Tweaks an x-only key: Q = P + t*G, returns (x(Q), parity of Q).
    static func xonlyTweakAdd(xonly: [UInt8], tweak: [UInt8]) throws(ChainError) -> (key: [UInt8], parity: Int) {
        guard xonly.count == 32 else { throw ChainError(.invalidPublicKey, "x-only key must be 32 bytes") }
        guard tweak.count == 32 else { throw ChainError(.invalidPublicKey, "tweak must be 32 bytes") }
        let c = try ctx()
        var p = secp256k1_xonly_pubkey()
        guard secp256k1_xonly_pubkey_parse(c, &p, xonly) == 1 else { throw ChainError(.invalidPublicKey, "x-only key not on curve") }
        var q = secp256k1_pubkey()
        guard secp256k1_xonly_pubkey_tweak_add(c, &q, &p, tweak) == 1 else {
            throw ChainError(.invalidPublicKey, "tweak out of range or result at infinity")
        }
        var qx = secp256k1_xonly_pubkey()
        var parity: Int32 = 0
        guard secp256k1_xonly_pubkey_from_pubkey(c, &qx, &parity, &q) == 1 else { throw ChainError(.invalidPublicKey, "x-only conversion failed") }
        var out = [UInt8](repeating: 0, count: 32)
        guard secp256k1_xonly_pubkey_serialize(c, &out, &qx) == 1 else { throw ChainError(.invalidPublicKey, "serialize failed") }
        return (out, Int(parity))
    }

    /// Recovers the public key (65-byte uncompressed) from a recoverable ECDSA signature over a 32-byte digest.
    static func recover(digest: [UInt8], r: [UInt8], s: [UInt8], recoveryId: Int) throws(ChainError) -> [UInt8] {
        guard digest.count == 32, r.count == 32, s.count == 32, recoveryId == 0 || recoveryId == 1 else {
            throw ChainError(.invalidSignature, "bad digest, r, s or recovery id")
        }
        let c = try ctx()
        var sig = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(c, &sig, r + s, Int32(recoveryId)) == 1 else {
            throw ChainError(.invalidSignature, "r or s out of range")
        }
        var pk = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(c, &pk, &sig, digest) == 1 else { throw ChainError(.invalidSignature, "public key recovery failed") }
        var out = [UInt8](repeating: 0, count: 65)
        var len = 65
        guard secp256k1_ec_pubkey_serialize(c, &out, &len, &pk, UInt32(SECP256K1_EC_UNCOMPRESSED)) == 1 else {
            throw ChainError(.invalidSignature, "serialization failed")
        }
        return out
    }

    /// ECDSA verification of (r, s) over a 32-byte digest (libsecp256k1 accepts low-S only).
    static func verifyECDSA(digest: [UInt8], r: [UInt8], s: [UInt8], publicKey: [UInt8]) -> Bool {
        guard let c = context, digest.count == 32, r.count == 32, s.count == 32, publicKey.count == 33 || publicKey.count == 65 else { return false }
        var pk = secp256k1_pubkey()
        var sig = secp256k1_ecdsa_signature()
        guard secp256k1_ec_pubkey_parse(c, &pk, publicKey, publicKey.count) == 1,
              secp256k1_ecdsa_signature_parse_compact(c, &sig, r + s) == 1 else { return false }
        return secp256k1_ecdsa_verify(c, &sig, digest, &pk) == 1
    }

    /// BIP-340 verification of a 64-byte signature over a 32-byte message under an x-only key.
    static func verifySchnorr(message: [UInt8], signature: [UInt8], xonly: [UInt8]) -> Bool {
        guard let c = context, message.count == 32, signature.count == 64, xonly.count == 32 else { return false }
        var pk = secp256k1_xonly_pubkey()
        guard secp256k1_xonly_pubkey_parse(c, &pk, xonly) == 1 else { return false }
        return secp256k1_schnorrsig_verify(c, signature, message, 32, &pk) == 1
    }

    /// Validates that 32 bytes are the x coordinate of a curve point (BIP-340 lift_x succeeds).
    static func isValidXOnly(_ xonly: [UInt8]) -> Bool {
        guard xonly.count == 32, let c = context else { return false }
        var p = secp256k1_xonly_pubkey()
        return secp256k1_xonly_pubkey_parse(c, &p, xonly) == 1
    }
}
