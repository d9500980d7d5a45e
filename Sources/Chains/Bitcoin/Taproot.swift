import Protocols

/// BIP-341 key tweaking.
public enum Taproot {
    /// x-only form of a 33/65-byte SEC1 key (drops the parity) or a 32-byte x-only key, validated on the curve.
    /// BIP-341 lifts x to the point with even y: a signer whose key has odd y must negate its secret (shares).
    public static func xOnly(_ key: [UInt8]) throws(ChainError) -> [UInt8] {
        let x: [UInt8]
        if key.count == 33 || key.count == 65 {
            x = Array(try Secp256k1.serializePublicKey(key, compressed: true).dropFirst())
        } else {
            x = key
        }
        guard Secp256k1.isValidXOnly(x) else { throw ChainError(.invalidPublicKey, "not a valid x-only public key") }
        return x
    }

    /// t = hash_TapTweak(P_x || merkle_root), merkle root omitted for key-path-only outputs (BIP-341 taproot_tweak_pubkey).
    public static func tweak(internalKey: [UInt8], merkleRoot: [UInt8]?) throws(ChainError) -> [UInt8] {
        let p = try xOnly(internalKey)
        if let m = merkleRoot, m.count != 32 { throw ChainError.invalid("merkleRoot", "must be 32 bytes") }
        return Hash.taggedSHA256(tag: "TapTweak", [p] + (merkleRoot.map { [$0] } ?? []))
    }

    /// Q = P + t*G: returns x(Q) (the witness program) and its parity.
    public static func outputKey(internalKey: [UInt8], merkleRoot: [UInt8]?) throws(ChainError) -> (key: [UInt8], parity: Int) {
        let p = try xOnly(internalKey)
        return try Secp256k1.xonlyTweakAdd(xonly: p, tweak: tweak(internalKey: p, merkleRoot: merkleRoot))
    }

    /// OP_1 <32-byte x(Q)>.
    public static func scriptPubKey(outputKey: [UInt8]) -> [UInt8] { [0x51, 0x20] + outputKey }
}
