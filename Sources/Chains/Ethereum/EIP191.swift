/// EIP-191 version 0x45 ("personal_sign"): keccak256("\x19Ethereum Signed Message:\n" || len(message) || message).
public enum PersonalSign {
    public static func digest(message: [UInt8]) -> [UInt8] {
        let prefix = Array("\u{19}Ethereum Signed Message:\n\(message.count)".utf8)
        return Keccak.keccak256(prefix + message)
    }

    /// The 65-byte r || s || v signature personal_sign returns (v = 27 + recovery id). Rejects high-S.
    public static func signature(r: [UInt8], s: [UInt8], recoveryId: Int) throws(ChainError) -> [UInt8] {
        try Secp256k1.checkLowS(r: r, s: s)
        guard recoveryId == 0 || recoveryId == 1 else { throw ChainError(.invalidSignature, field: "recoveryId", "must be 0 or 1") }
        return r + s + [UInt8(27 + recoveryId)]
    }
}
