import Messaging
import Protocols

/// Public-key display and independent signature verification, per curve.
public enum SignatureCheck {
    /// The key a client sees: Ed25519 32 bytes, secp256k1 33 bytes compressed, Taproot 32 bytes x-only.
    public static func displayKey(curve: Curve, groupKey: [UInt8]) -> [UInt8] {
        curve == .secp256k1Taproot && groupKey.count == 33 ? Array(groupKey.dropFirst()) : groupKey
    }

    /// Verifies `signature` over `message` under the displayed public key.
    public static func verify(curve: Curve, publicKey: [UInt8], message: [UInt8], signature: [UInt8]) -> Bool {
        switch curve {
        // An RFC 9591 FROST(Ed25519) signature is an RFC 8032 signature: libsodium's check, as a chain would run it
        // (decoding key and R through our own group code first only cost two subgroup checks per answer).
        case .ed25519: return Identity.verify(signature: signature, message: message, publicKey: publicKey)
        case .secp256k1Schnorr: return check(FROSTSecp256k1.self, publicKey, message, signature)
        case .secp256k1: return ECDSAVerify.verify(publicKey: publicKey, digest: message, compact: signature)
        case .secp256k1Taproot:
            return check(FROSTSecp256k1Taproot.self, publicKey.count == 32 ? [0x02] + publicKey : publicKey, message, signature)
        }
    }

    static func check<C: FROSTCiphersuite>(_: C.Type, _ key: [UInt8], _ message: [UInt8], _ sig: [UInt8]) -> Bool {
        guard let pk = try? C.Element(serialized: key), let s = try? Signature<C>(bytes: sig) else { return false }
        return FROSTSigning<C>.verify(signature: s, groupPublicKey: pk, message: message)
    }
}
