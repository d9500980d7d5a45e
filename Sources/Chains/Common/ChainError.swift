/// Every failure of the Chains module. `code` is a stable string for the CLI and logs;
/// `field` names the offending input field (JSON path such as `inputs[1].amount`) when there is one.
public struct ChainError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case fieldMissing = "CHAIN_FIELD_MISSING"
        case fieldInvalid = "CHAIN_FIELD_INVALID"
        case outOfRange = "CHAIN_VALUE_OUT_OF_RANGE"
        case chainMismatch = "CHAIN_ID_MISMATCH"
        case unknownChain = "CHAIN_UNKNOWN"
        case unsupportedType = "CHAIN_TX_TYPE_UNSUPPORTED"
        case invalidJSON = "CHAIN_JSON_INVALID"
        case invalidAddress = "CHAIN_ADDRESS_INVALID"
        case checksumMismatch = "CHAIN_ADDRESS_CHECKSUM"
        case invalidPublicKey = "CHAIN_PUBLIC_KEY_INVALID"
        case invalidSignature = "CHAIN_SIGNATURE_INVALID"
        case highS = "CHAIN_SIGNATURE_HIGH_S"
        case rlpInvalid = "CHAIN_RLP_INVALID"
        case encodingInvalid = "CHAIN_ENCODING_INVALID"
        case signerMismatch = "CHAIN_SIGNER_MISMATCH"
        case typedDataInvalid = "CHAIN_TYPED_DATA_INVALID"
        /// The wallet's key type cannot serve this chain or input (an Ed25519 wallet for Ethereum, ...).
        case walletKeyUnsupported = "CHAIN_WALLET_KEY_UNSUPPORTED"
    }

    public let code: Code
    public let field: String?
    public let detail: String

    public init(_ code: Code, field: String? = nil, _ detail: String = "") {
        self.code = code; self.field = field; self.detail = detail
    }

    public var description: String {
        var s = code.rawValue
        if let field { s += " [\(field)]" }
        if !detail.isEmpty { s += ": \(detail)" }
        return s
    }

    static func missing(_ field: String) -> ChainError { ChainError(.fieldMissing, field: field, "required field is missing") }
    static func invalid(_ field: String, _ why: String) -> ChainError { ChainError(.fieldInvalid, field: field, why) }
    static func range(_ field: String, _ why: String) -> ChainError { ChainError(.outOfRange, field: field, why) }
}
