/// What `mpc sign-tx --tx FILE.json` decodes, by chain family.
public enum TransactionRequest: Equatable, Sendable {
    case ethereum(EthereumTransactionRequest)
    case bitcoin(BitcoinSpendRequest)
    case solana(SolanaMessage)
}

/// Entry point for transaction JSON: dispatches on the chain the command names. A document may carry an optional
/// top-level "chain" (a chain name, see `Chain(name:)`); it must agree with the command's chain.
/// Per-family shapes: `EthereumTransactionJSON`, `BitcoinTransactionJSON`, `SolanaTransactionJSON`.
public enum TransactionJSON {
    public static func decode(_ json: [UInt8], chain: Chain) throws(ChainError) -> TransactionRequest {
        try decode(JSONValue.parse(json), chain: chain)
    }

    public static func decode(_ value: JSONValue, chain: Chain) throws(ChainError) -> TransactionRequest {
        guard case .object(var object) = value else { throw ChainError.invalid("$", "expected a JSON object") }
        if let named = object.removeValue(forKey: "chain") {
            guard case .string(let s) = named else { throw ChainError.invalid("chain", "expected a chain name") }
            let declared: Chain
            do { declared = try Chain(name: s) } catch { throw ChainError(.unknownChain, field: "chain", error.detail) }
            guard declared == chain else {
                throw ChainError(.chainMismatch, field: "chain", "document is for \(declared), the command names \(chain)")
            }
        }
        let body = JSONValue.object(object)
        switch chain {
        case .evm(let id): return .ethereum(try EthereumTransactionJSON.decode(body, expectedChainId: id))
        case .bitcoin(let network): return .bitcoin(try BitcoinTransactionJSON.decode(body, network: network))
        case .solana: return .solana(try SolanaTransactionJSON.decode(body))
        }
    }
}
