import Protocols

/// What a threshold group must sign for a transaction request, and how the results become broadcastable bytes.
/// One path for every family: `signingTasks(key:)` → group signatures → `assemble(key:signatures:)`.
public enum SigningScheme: Equatable, Sendable {
    /// Recoverable ECDSA over secp256k1 (Ethereum family, Bitcoin P2WPKH). Low-S required.
    case ecdsaSecp256k1
    /// BIP-340 Schnorr for a BIP-341 key-path spend. `tweak` is t = hash_TapTweak(P_x) when the wallet key is an
    /// untweaked internal key (the signer must sign with the tweaked secret); nil when the wallet key already is the
    /// output key Q (cluster `secp256k1-taproot` wallets): sign as is.
    case schnorrTaproot(tweak: [UInt8]?)
    /// Ed25519 over the raw message bytes (Solana).
    case ed25519
}

public struct SigningTask: Equatable, Sendable {
    public let scheme: SigningScheme
    /// The 32-byte digest (ECDSA, Schnorr) or the full message (Ed25519).
    public let message: [UInt8]

    public init(scheme: SigningScheme, message: [UInt8]) { self.scheme = scheme; self.message = message }
}

public enum GroupSignature: Equatable, Sendable {
    case ecdsa(r: [UInt8], s: [UInt8], recoveryId: Int)
    /// 64-byte BIP-340 or Ed25519 signature.
    case bytes([UInt8])
}

public struct AssembledTransaction: Equatable, Sendable {
    /// Raw network bytes (Ethereum: typed/legacy envelope, no blob sidecar; Bitcoin: BIP-144; Solana: wire format).
    public let raw: [UInt8]
    /// Ethereum 0x-hash, Bitcoin txid (display order), Solana base58 first signature.
    public let id: String
}

extension TransactionRequest {
    public var family: ChainFamily {
        switch self {
        case .ethereum: return .ethereum
        case .bitcoin: return .bitcoin
        case .solana: return .solana
        }
    }

    /// The signatures the group must produce, in order. Ownership is checked here: the Ethereum `from`, each Bitcoin
    /// input's scriptPubKey, the Solana fee payer must be the wallet's.
    public func signingTasks(key: WalletKey) throws(ChainError) -> [SigningTask] {
        switch self {
        case .ethereum(let r):
            guard case .ecdsa(let publicKey) = key else { throw WalletKey.unsupported(key, "Ethereum transactions need a secp256k1 ECDSA wallet") }
            let wallet = try EthereumAddress(publicKey: publicKey)
            if let from = r.from, from != wallet {
                throw ChainError(.signerMismatch, field: "from", "transaction is from \(from), the wallet is \(wallet)")
            }
            return [SigningTask(scheme: .ecdsaSecp256k1, message: r.transaction.signingDigest)]
        case .bitcoin(let b):
            return try b.signingTasks(key: key)
        case .solana(let m):
            guard case .ed25519(let publicKey) = key else { throw WalletKey.unsupported(key, "Solana transactions need an Ed25519 wallet") }
            try SolanaTransaction.validate(message: m, signer: publicKey)
            return [SigningTask(scheme: .ed25519, message: m.bytes)]
        }
    }

    /// `signingTasks(key:)` with the key inferred from its length (see `WalletKey.inferred`): secp256k1 33/65 bytes
    /// (Ethereum, Bitcoin; for Taproot the untweaked internal key, also as 32-byte x-only), Ed25519 32 bytes (Solana).
    public func signingTasks(publicKey: [UInt8]) throws(ChainError) -> [SigningTask] {
        try signingTasks(key: WalletKey.inferred(publicKey, family: family))
    }

    public func assemble(publicKey: [UInt8], signatures: [GroupSignature]) throws(ChainError) -> AssembledTransaction {
        try assemble(key: WalletKey.inferred(publicKey, family: family), signatures: signatures)
    }

    /// Verifies every group signature against the wallet key, then builds the network transaction.
    public func assemble(key: WalletKey, signatures: [GroupSignature]) throws(ChainError) -> AssembledTransaction {
        let tasks = try signingTasks(key: key)
        guard signatures.count == tasks.count else {
            throw ChainError(.invalidSignature, field: "signatures", "expected \(tasks.count) signatures, got \(signatures.count)")
        }
        switch self {
        case .ethereum(let r):
            guard case .ecdsa(let sr, let ss, let recid) = signatures[0] else {
                throw ChainError(.invalidSignature, field: "signatures[0]", "expected an ECDSA signature")
            }
            let raw = try r.transaction.signedRaw(r: sr, s: ss, recoveryId: recid, expectedSigner: EthereumAddress(publicKey: key.bytes))
            return AssembledTransaction(raw: raw, id: "0x" + Hex.encode(Keccak.keccak256(raw)))
        case .bitcoin(let b):
            var witnesses = [[[UInt8]]]()
            for (i, (task, sig)) in zip(tasks, signatures).enumerated() {
                let field = "signatures[\(i)]"
                switch (task.scheme, sig) {
                case (.ecdsaSecp256k1, .ecdsa(let sr, let ss, _)):
                    let compressed = try Secp256k1.serializePublicKey(key.bytes, compressed: true)
                    let w = try BIP143.p2wpkhWitness(r: sr, s: ss, sighash: b.sighashType == .default ? .all : b.sighashType, publicKey: compressed)
                    guard Secp256k1.verifyECDSA(digest: task.message, r: sr, s: ss, publicKey: compressed) else {
                        throw ChainError(.invalidSignature, field: field, "ECDSA signature does not verify for the input")
                    }
                    witnesses.append(w)
                case (.schnorrTaproot, .bytes(let sig64)):
                    guard case .p2tr(let outputKey) = b.kinds[i], Secp256k1.verifySchnorr(message: task.message, signature: sig64, xonly: outputKey) else {
                        throw ChainError(.invalidSignature, field: field, "BIP-340 signature does not verify under the tweaked output key")
                    }
                    witnesses.append(try BIP341.keyPathWitness(signature: sig64, sighash: b.sighashType))
                default:
                    throw ChainError(.invalidSignature, field: field, "signature kind does not match the input type")
                }
            }
            let raw = try b.signedRaw(witnesses: witnesses)
            return AssembledTransaction(raw: raw, id: b.transaction.txid)
        case .solana(let m):
            guard case .bytes(let sig) = signatures[0] else {
                throw ChainError(.invalidSignature, field: "signatures[0]", "expected an Ed25519 signature")
            }
            let raw = try SolanaTransaction.signed(message: m, signer: key.bytes, signature: sig)
            return AssembledTransaction(raw: raw, id: SolanaTransaction.transactionId(signature: sig))
        }
    }
}
