import Protocols

/// A 20-byte Ethereum account address, rendered with the EIP-55 mixed-case checksum.
public struct EthereumAddress: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(ChainError) {
        guard bytes.count == 20 else { throw ChainError(.invalidAddress, "address must be 20 bytes, got \(bytes.count)") }
        self.bytes = bytes
    }

    /// Address of a secp256k1 public key (33-byte compressed or 65-byte uncompressed):
    /// the last 20 bytes of keccak256(X || Y) (Yellow Paper eq. 284).
    public init(publicKey: [UInt8]) throws(ChainError) {
        let uncompressed = try Secp256k1.serializePublicKey(publicKey, compressed: false)
        let h = Keccak.keccak256(Array(uncompressed.dropFirst()))
        self.bytes = Array(h.suffix(20))
    }

    /// Parses "0x" + 40 hex digits. All-lower or all-upper input is accepted as unchecksummed (EIP-55 allows it
    /// only as "no checksum"); mixed case must match the EIP-55 checksum exactly, unless `requireChecksum`.
    public init(parsing text: String, field: String = "address", requireChecksum: Bool = false) throws(ChainError) {
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else { throw ChainError(.invalidAddress, field: field, "missing 0x prefix") }
        let body = String(text.dropFirst(2))
        guard body.utf8.count == 40, let raw = Hex.decode(body) else {
            throw ChainError(.invalidAddress, field: field, "expected 40 hex digits")
        }
        let hasLower = body.contains(where: { $0.isLowercase })
        let hasUpper = body.contains(where: { $0.isUppercase })
        let addr = try EthereumAddress(bytes: raw)
        if (hasLower && hasUpper) || requireChecksum {
            guard addr.checksummed == "0x" + body else {
                throw ChainError(.checksumMismatch, field: field, "EIP-55 checksum does not match")
            }
        }
        self = addr
    }

    /// EIP-55: uppercase hex letter i when nibble i of keccak256(lowercase hex) is >= 8.
    public var checksummed: String {
        let lower = Hex.encode(bytes)
        let hash = Keccak.keccak256(Array(lower.utf8))
        var out = "0x"
        for (i, ch) in lower.enumerated() {
            let nibble = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f
            out.append(nibble >= 8 ? Character(ch.uppercased()) : ch)
        }
        return out
    }

    public var description: String { checksummed }
}
