import Protocols

/// What a threshold group must sign for a transaction request, and how the results become broadcastable bytes.
/// One path for every family: `signingTasks(publicKey:)` → group signatures → `assemble(publicKey:signatures:)`.
public enum SigningScheme: Equatable, Sendable {
    /// Recoverable ECDSA over secp256k1 (Ethereum family, Bitcoin P2WPKH). Low-S required.
    case ecdsaSecp256k1
    /// BIP-340 Schnorr with the key tweaked by `tweak` (BIP-341 key path; t = hash_TapTweak(P_x)).
    case schnorrTaproot(tweak: [UInt8])
    /// Ed25519 over the raw message bytes (Solana).
    case ed25519
}

public struct SigningTask: Equatable, Sendable {
    public let scheme: SigningScheme
    /// The 32-byte digest (ECDSA, Schnorr) or the full message (Ed25519).
    public let message: [UInt8]
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
    /// The signatures the group must produce, in order. `publicKey`: secp256k1 33/65-byte key (Ethereum, Bitcoin;
    /// for Taproot the untweaked internal key) or the 32-byte Ed25519 key (Solana). Ownership is checked here.
    public func signingTasks(publicKey: [UInt8]) throws(ChainError) -> [SigningTask] {
        switch self {
        case .ethereum(let r):
            let wallet = try EthereumAddress(publicKey: publicKey)
            if let from = r.from, from != wallet {
                throw ChainError(.signerMismatch, field: "from", "transaction is from \(from), the wallet is \(wallet)")
            }
            return [SigningTask(scheme: .ecdsaSecp256k1, message: r.transaction.signingDigest)]
        case .bitcoin(let b):
            let digests = try b.sighashes(publicKey: publicKey)
            var tasks = [SigningTask]()
            for (kind, d) in zip(b.kinds, digests) {
                switch kind {
                case .p2wpkh: tasks.append(SigningTask(scheme: .ecdsaSecp256k1, message: d))
                case .p2tr: tasks.append(SigningTask(scheme: .schnorrTaproot(tweak: try Taproot.tweak(internalKey: publicKey, merkleRoot: nil)), message: d))
                }
            }
            return tasks
        case .solana(let m):
            try SolanaTransaction.validate(message: m, signer: publicKey)
            return [SigningTask(scheme: .ed25519, message: m.bytes)]
        }
    }

    /// Verifies every group signature against the wallet key, then builds the network transaction.
    public func assemble(publicKey: [UInt8], signatures: [GroupSignature]) throws(ChainError) -> AssembledTransaction {
        let tasks = try signingTasks(publicKey: publicKey)
        guard signatures.count == tasks.count else {
            throw ChainError(.invalidSignature, field: "signatures", "expected \(tasks.count) signatures, got \(signatures.count)")
        }
        switch self {
        case .ethereum(let r):
            guard case .ecdsa(let sr, let ss, let recid) = signatures[0] else {
                throw ChainError(.invalidSignature, field: "signatures[0]", "expected an ECDSA signature")
            }
            let raw = try r.transaction.signedRaw(r: sr, s: ss, recoveryId: recid, expectedSigner: EthereumAddress(publicKey: publicKey))
            return AssembledTransaction(raw: raw, id: "0x" + Hex.encode(Keccak.keccak256(raw)))
        case .bitcoin(let b):
            var witnesses = [[[UInt8]]]()
            for (i, (task, sig)) in zip(tasks, signatures).enumerated() {
                let field = "signatures[\(i)]"
                switch (task.scheme, sig) {
                case (.ecdsaSecp256k1, .ecdsa(let sr, let ss, _)):
                    let compressed = try Secp256k1.serializePublicKey(publicKey, compressed: true)
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
            let raw = try SolanaTransaction.signed(message: m, signer: publicKey, signature: sig)
            return AssembledTransaction(raw: raw, id: SolanaTransaction.transactionId(signature: sig))
        }
    }
}
