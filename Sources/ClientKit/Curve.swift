import Protocols

/// The signature schemes a wallet can use. Raw values are the CLI and wire spellings.
public enum Curve: String, Codable, Sendable, CaseIterable {
    case ed25519
    case secp256k1
    case secp256k1Taproot = "secp256k1-taproot"
}

/// Stable error codes shared by node, coordinator and client.
public struct ClusterError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: String
    public let message: String
    public init(_ code: String, _ message: String) { self.code = code; self.message = message }
    public var description: String { "\(code): \(message)" }
}
