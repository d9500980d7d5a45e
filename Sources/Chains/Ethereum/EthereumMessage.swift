/// An off-chain message an Ethereum wallet signs: EIP-191 personal_sign or EIP-712 typed data.
public enum EthereumMessage: Sendable {
    case personal([UInt8])
    case typedData(TypedData)

    /// The 32-byte digest the wallet signs. Typed data whose domain names a chainId must name `chainId`.
    public func digest(chainId: UInt64) throws(ChainError) -> [UInt8] {
        switch self {
        case .personal(let m): return PersonalSign.digest(message: m)
        case .typedData(let t): return try t.digest(expectedChainId: chainId)
        }
    }

    /// The 65-byte r‖s‖v signature (v = 27 + recovery id) wallets return for personal_sign and eth_signTypedData_v4,
    /// after checking that it recovers to `expectedSigner` over `digest` (a wrong recovery id or a bad group signature
    /// never leaves the signer).
    public static func signature(digest: [UInt8], r: [UInt8], s: [UInt8], recoveryId: Int,
                                 expectedSigner: EthereumAddress) throws(ChainError) -> [UInt8] {
        let sig = try PersonalSign.signature(r: r, s: s, recoveryId: recoveryId)
        let recovered = try EthereumAddress(publicKey: Secp256k1.recover(digest: digest, r: r, s: s, recoveryId: recoveryId))
        guard recovered == expectedSigner else {
            throw ChainError(.signerMismatch, field: "signature", "signature recovers to \(recovered), not the wallet \(expectedSigner)")
        }
        return sig
    }
}
