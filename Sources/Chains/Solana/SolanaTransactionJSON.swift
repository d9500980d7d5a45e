import Protocols

/// JSON input for a Solana transaction: the message the wallet signs, as produced by any Solana SDK
/// (`Transaction.serializeMessage()` / `VersionedMessage.serialize()`):
/// ```json
/// { "message": "AQABA…",        // base64 (default), or hex when "encoding" is "hex" or the value starts with 0x
///   "encoding": "base64" }      // optional: "base64" | "hex"
/// ```
public enum SolanaTransactionJSON {
    public static func decode(_ value: JSONValue) throws(ChainError) -> SolanaMessage {
        let f = try JSONFields(value, path: "")
        try f.rejectUnknown(["message", "encoding"])
        let text = try f.string("message")
        let encoding = f.optional("encoding") != nil ? try f.string("encoding").lowercased() : (text.hasPrefix("0x") ? "hex" : "base64")
        let bytes: [UInt8]?
        switch encoding {
        case "hex": bytes = Hex.decode(text)
        case "base64": bytes = Base64.decode(text)
        default: throw ChainError.invalid("encoding", "must be base64 or hex")
        }
        guard let b = bytes, !b.isEmpty else { throw ChainError.invalid("message", "not valid \(encoding)") }
        do { return try SolanaMessage(bytes: b) } catch {
            throw ChainError(error.code, field: "message", error.detail)
        }
    }
}
