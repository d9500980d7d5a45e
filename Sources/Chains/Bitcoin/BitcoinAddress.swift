import Protocols

/// Output addresses a Bitcoin spend may pay to: segwit (bech32/bech32m) and legacy Base58Check P2PKH / P2SH.
public enum BitcoinAddress {
    /// The scriptPubKey an address pays to, checked against the network.
    public static func scriptPubKey(for address: String, network: BitcoinNetwork, field: String = "address") throws(ChainError) -> [UInt8] {
        let lower = address.lowercased()
        if lower.hasPrefix(network.hrp + "1") {
            do { return try SegwitAddress(parsing: address, expectedHRP: network.hrp).scriptPubKey } catch {
                throw ChainError(error.code, field: field, error.detail)
            }
        }
        guard let raw = Base58.decode(address, maxLength: 40), raw.count == 25 else {
            throw ChainError(.invalidAddress, field: field, "not a \(network.rawValue) address")
        }
        // Base58Check: version || payload || first 4 bytes of SHA256d(version || payload).
        let body = Array(raw.prefix(21))
        guard Array(Hash.sha256d(body).prefix(4)) == Array(raw.suffix(4)) else {
            throw ChainError(.checksumMismatch, field: field, "Base58Check checksum mismatch")
        }
        let hash = Array(body.dropFirst())
        let (p2pkh, p2sh): (UInt8, UInt8) = network == .mainnet ? (0x00, 0x05) : (0x6f, 0xc4)
        switch body[0] {
        case p2pkh: return [0x76, 0xa9, 0x14] + hash + [0x88, 0xac]
        case p2sh: return [0xa9, 0x14] + hash + [0x87]
        default: throw ChainError(.invalidAddress, field: field, "address version byte is not for \(network.rawValue)")
        }
    }
}
