import Protocols

/// The signature schemes a wallet can use. Raw values are the CLI and wire spellings.
public enum Curve: String, Codable, Sendable, CaseIterable {
    case ed25519
    /// Threshold ECDSA (CGGMP21): Ethereum, Bitcoin SegWit v0 and most other chains.
    case secp256k1
    /// FROST(secp256k1, SHA-256), RFC 9591 Schnorr signatures.
    case secp256k1Schnorr = "secp256k1-schnorr"
    /// FROST(secp256k1, SHA-256)-TR: BIP-340 signatures under a BIP-341 key-path output key.
    case secp256k1Taproot = "secp256k1-taproot"
}

/// Stable error codes shared by node, coordinator and client.
public struct ClusterError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: String
    public let message: String
    public init(_ code: String, _ message: String) { self.code = code; self.message = message }
    public var description: String { "\(code): \(message)" }
}
