/// A Solana account address: base58 of a 32-byte Ed25519 public key.
public struct SolanaAddress: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let publicKey: [UInt8]

    public init(publicKey: [UInt8]) throws(ChainError) {
        guard publicKey.count == 32 else { throw ChainError(.invalidPublicKey, "Ed25519 public key must be 32 bytes") }
        self.publicKey = publicKey
    }

    public init(parsing text: String, field: String = "address") throws(ChainError) {
        guard let b = Base58.decode(text, maxLength: 44), b.count == 32 else {
            throw ChainError(.invalidAddress, field: field, "not a base58 32-byte Solana address")
        }
        self.publicKey = b
    }

    public var string: String { Base58.encode(publicKey) }
    public var description: String { string }
}
