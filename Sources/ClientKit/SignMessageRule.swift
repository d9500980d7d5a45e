/// What a sign request may ask a wallet to sign. secp256k1 wallets (ECDSA, BIP-340, RFC 9591 Schnorr) sign a
/// 32-byte digest. Ed25519 signs the message itself (PureEdDSA, no pre-hash), so an Ed25519 wallet also signs a whole
/// message of 1...1232 bytes: a Solana transaction message fits one 1232-byte packet.
public enum SignMessageRule {
    public static let maxEd25519MessageBytes = 1232

    /// nil when `message` is acceptable for a `curve` wallet, else the `invalid_digest` error to answer.
    public static func check(curve: Curve, message: [UInt8]) -> ClusterError? {
        switch curve {
        case .ed25519:
            guard (1...maxEd25519MessageBytes).contains(message.count) else {
                return ClusterError("invalid_digest", "an Ed25519 message must be 1...\(maxEd25519MessageBytes) bytes")
            }
        case .secp256k1, .secp256k1Schnorr, .secp256k1Taproot:
            guard message.count == 32 else { return ClusterError("invalid_digest", "digest must be 32 bytes of hex") }
        }
        return nil
    }
}
