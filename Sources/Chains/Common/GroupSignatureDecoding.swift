extension GroupSignature {
    /// A group signature as a threshold cluster returns it, for `task`: ECDSA r‖s (64 bytes, low-S) with its recovery
    /// id, or the 64-byte BIP-340 / Ed25519 signature. A missing recovery id is found by recovering the wallet key;
    /// a given one is checked when the transaction is assembled (the signature must recover to the wallet).
    public static func decode(_ signature: [UInt8], recoveryId: Int?, for task: SigningTask, key: WalletKey) throws(ChainError) -> GroupSignature {
        guard signature.count == 64 else {
            throw ChainError(.invalidSignature, field: "signature", "expected 64 bytes, got \(signature.count)")
        }
        switch task.scheme {
        case .schnorrTaproot, .ed25519:
            return .bytes(signature)
        case .ecdsaSecp256k1:
            let r = Array(signature[0..<32]), s = Array(signature[32..<64])
            try Secp256k1.checkLowS(r: r, s: s)
            if let id = recoveryId {
                guard id == 0 || id == 1 else { throw ChainError(.invalidSignature, field: "recoveryId", "must be 0 or 1") }
                return .ecdsa(r: r, s: s, recoveryId: id)
            }
            let wallet = try Secp256k1.serializePublicKey(key.bytes, compressed: false)
            for id in 0...1 where (try? Secp256k1.recover(digest: task.message, r: r, s: s, recoveryId: id)) == wallet {
                return .ecdsa(r: r, s: s, recoveryId: id)
            }
            throw ChainError(.signerMismatch, field: "signature", "the ECDSA signature does not recover to the wallet key")
        }
    }
}
