/// The chains the custody system signs for.
public enum ChainFamily: String, Sendable { case ethereum, bitcoin, solana }

public enum BitcoinNetwork: String, Sendable, CaseIterable {
    case mainnet, testnet, regtest
    /// BIP-173 human-readable part.
    public var hrp: String {
        switch self {
        case .mainnet: return "bc"
        case .testnet: return "tb"
        case .regtest: return "bcrt"
        }
    }
}

public enum Chain: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Any EVM chain by its EIP-155 chain id.
    case evm(chainId: UInt64)
    case bitcoin(BitcoinNetwork)
    case solana

    public var family: ChainFamily {
        switch self {
        case .evm: return .ethereum
        case .bitcoin: return .bitcoin
        case .solana: return .solana
        }
    }

    public var evmChainId: UInt64? { if case .evm(let id) = self { return id }; return nil }

    /// Well-known EVM chains: canonical name, aliases, chain id.
    public static let knownEVM: [(name: String, aliases: [String], chainId: UInt64)] = [
        ("ethereum", ["eth", "mainnet", "ethereum-mainnet"], 1),
        ("polygon", ["matic", "polygon-pos"], 137),
        ("arbitrum", ["arbitrum-one", "arb1"], 42161),
        ("optimism", ["op", "op-mainnet"], 10),
        ("base", [], 8453),
        ("avalanche", ["avalanche-c", "avax", "avalanche-c-chain"], 43114),
        ("bsc", ["bnb", "binance", "bnb-smart-chain"], 56),
    ]

    /// Parses a chain name (case-insensitive), "evm:<id>" / "eip155:<id>" / a bare decimal chain id for any EVM chain,
    /// "bitcoin" / "bitcoin-testnet" / "bitcoin-regtest" (also "btc", "tbtc"), "solana" ("sol").
    public init(name: String) throws(ChainError) {
        let n = name.lowercased().trimmingSpaces
        if let e = Chain.knownEVM.first(where: { $0.name == n || $0.aliases.contains(n) }) { self = .evm(chainId: e.chainId); return }
        for prefix in ["evm:", "eip155:", "ethereum:"] where n.hasPrefix(prefix) {
            self = try Chain.evmId(String(n.dropFirst(prefix.count)), name: name); return
        }
        if !n.isEmpty, n.allSatisfy(\.isASCIIDigit) { self = try Chain.evmId(n, name: name); return }
        switch n {
        case "bitcoin", "btc", "bitcoin-mainnet": self = .bitcoin(.mainnet)
        case "bitcoin-testnet", "testnet", "tbtc", "bitcoin-test": self = .bitcoin(.testnet)
        case "bitcoin-regtest", "regtest": self = .bitcoin(.regtest)
        case "solana", "sol", "solana-mainnet": self = .solana
        default: throw ChainError(.unknownChain, field: "chain", "unknown chain '\(name)'")
        }
    }

    private static func evmId(_ digits: String, name: String) throws(ChainError) -> Chain {
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let id = UInt64(digits), id >= 1, id <= EthereumTransaction.maxChainId else {
            throw ChainError(.unknownChain, field: "chain", "invalid chain id in '\(name)'")
        }
        return .evm(chainId: id)
    }

    public var name: String {
        switch self {
        case .evm(let id): return Chain.knownEVM.first(where: { $0.chainId == id })?.name ?? "evm:\(id)"
        case .bitcoin(.mainnet): return "bitcoin"
        case .bitcoin(let n): return "bitcoin-\(n.rawValue)"
        case .solana: return "solana"
        }
    }

    public var description: String { name }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    var trimmingSpaces: String {
        String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
