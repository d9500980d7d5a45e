/// A wallet's public key in the form its signer holds it, which decides what the wallet can sign and how.
///
/// Cluster curves map one to one: `secp256k1` (threshold ECDSA) → `.ecdsa`, `secp256k1-taproot` (FROST-TR, whose DKG
/// output is already BIP-341 tweaked) → `.taprootOutput`, `ed25519` → `.ed25519`. `.taprootInternal` is for keys
/// given untweaked (a signer that applies the TapTweak itself).
public enum WalletKey: Equatable, Sendable, CustomStringConvertible {
    /// secp256k1 ECDSA key, 33-byte compressed or 65-byte uncompressed SEC1: Ethereum family, Bitcoin P2WPKH.
    case ecdsa([UInt8])
    /// An untweaked BIP-341 internal key P (32-byte x-only or 33/65-byte SEC1). The output key is
    /// Q = P + hash_TapTweak(P)·G and the signer must sign with the tweaked secret.
    case taprootInternal([UInt8])
    /// A BIP-341 output key Q (32-byte x-only), already tweaked: the signer signs with it as it is.
    case taprootOutput([UInt8])
    /// A 32-byte Ed25519 key: Solana.
    case ed25519([UInt8])

    public var bytes: [UInt8] {
        switch self {
        case .ecdsa(let k), .taprootInternal(let k), .taprootOutput(let k), .ed25519(let k): return k
        }
    }

    /// What kind of key this is, for error messages.
    public var description: String {
        switch self {
        case .ecdsa: return "secp256k1 ECDSA key"
        case .taprootInternal: return "Taproot internal key"
        case .taprootOutput: return "Taproot output key"
        case .ed25519: return "Ed25519 key"
        }
    }

    /// The key a raw `publicKey` stands for in `signingTasks(publicKey:)` / `assemble(publicKey:signatures:)`:
    /// Ethereum → ECDSA; Bitcoin → ECDSA when 33/65 bytes (for P2TR inputs the untweaked internal key), a 32-byte
    /// x-only internal key otherwise; Solana → Ed25519.
    static func inferred(_ publicKey: [UInt8], family: ChainFamily) -> WalletKey {
        switch family {
        case .ethereum: return .ecdsa(publicKey)
        case .bitcoin: return publicKey.count == 32 ? .taprootInternal(publicKey) : .ecdsa(publicKey)
        case .solana: return .ed25519(publicKey)
        }
    }

    /// The 32-byte x-only output key Q a P2TR output of this key pays to, or nil if the key cannot sign Taproot.
    func taprootOutputKey() throws(ChainError) -> [UInt8]? {
        switch self {
        case .ecdsa(let p), .taprootInternal(let p): return try Taproot.outputKey(internalKey: p, merkleRoot: nil).key
        case .taprootOutput(let q):
            guard Secp256k1.isValidXOnly(q) else { throw ChainError(.invalidPublicKey, "Taproot output key must be a valid 32-byte x-only key") }
            return q
        case .ed25519: return nil
        }
    }

    /// The TapTweak the signer must still apply: nil for an output key (already tweaked).
    func taprootTweak() throws(ChainError) -> [UInt8]? {
        switch self {
        case .ecdsa(let p), .taprootInternal(let p): return try Taproot.tweak(internalKey: p, merkleRoot: nil)
        case .taprootOutput, .ed25519: return nil
        }
    }

    static func unsupported(_ key: WalletKey, _ what: String, field: String = "wallet") -> ChainError {
        ChainError(.walletKeyUnsupported, field: field, "\(what); the wallet has \(key.description.first == "E" ? "an" : "a") \(key)")
    }
}

extension WalletKey {
    /// The wallet's address on `chain`: EIP-55 for the Ethereum family (ECDSA key), bech32 P2WPKH (ECDSA key) or
    /// bech32m P2TR (Taproot key) for Bitcoin, base58 for Solana (Ed25519 key). A chain the key cannot serve is
    /// `CHAIN_WALLET_KEY_UNSUPPORTED`.
    public func address(on chain: Chain) throws(ChainError) -> ChainAddress {
        switch (chain, self) {
        case (.evm, .ecdsa(let k)):
            return ChainAddress(chain: chain, address: try EthereumAddress(publicKey: k).checksummed, scriptPubKey: nil)
        case (.bitcoin(let network), .ecdsa(let k)):
            let a = try BitcoinKeys.p2wpkhAddress(publicKey: k, network: network)
            return ChainAddress(chain: chain, address: a.string, scriptPubKey: a.scriptPubKey)
        case (.bitcoin(let network), .taprootInternal), (.bitcoin(let network), .taprootOutput):
            let a = try SegwitAddress(network: network, version: 1, program: taprootOutputKey() ?? [])
            return ChainAddress(chain: chain, address: a.string, scriptPubKey: a.scriptPubKey)
        case (.solana, .ed25519(let k)):
            return ChainAddress(chain: chain, address: try SolanaAddress(publicKey: k).string, scriptPubKey: nil)
        case (.evm, _): throw WalletKey.unsupported(self, "\(chain) needs a secp256k1 ECDSA wallet")
        case (.bitcoin, _): throw WalletKey.unsupported(self, "\(chain) needs a secp256k1 ECDSA (P2WPKH) or secp256k1-taproot (P2TR) wallet")
        case (.solana, _): throw WalletKey.unsupported(self, "solana needs an Ed25519 wallet")
        }
    }
}

/// A wallet address on one chain; Bitcoin addresses also carry the scriptPubKey they pay to.
public struct ChainAddress: Equatable, Sendable {
    public let chain: Chain
    public let address: String
    public let scriptPubKey: [UInt8]?
}
