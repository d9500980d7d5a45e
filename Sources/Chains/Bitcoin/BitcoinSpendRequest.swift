import Protocols

/// An unsigned spend of wallet UTXOs (P2WPKH or P2TR key path), ready for per-input digests.
public struct BitcoinSpendRequest: Equatable, Sendable {
    public enum InputKind: Equatable, Sendable { case p2wpkh(keyHash: [UInt8]), p2tr(outputKey: [UInt8]) }

    public let network: BitcoinNetwork
    public let transaction: BitcoinTransaction
    public let spent: [BIP341.SpentOutput]
    public let kinds: [InputKind]
    public let sighashType: SighashType

    public init(network: BitcoinNetwork, transaction: BitcoinTransaction, spent: [BIP341.SpentOutput], sighashType: SighashType) throws(ChainError) {
        guard spent.count == transaction.inputs.count else { throw ChainError.invalid("inputs", "one spent output per input") }
        var kinds = [InputKind]()
        for (i, s) in spent.enumerated() {
            let spk = s.scriptPubKey
            if spk.count == 22, spk[0] == 0x00, spk[1] == 0x14 {
                kinds.append(.p2wpkh(keyHash: Array(spk[2...])))
            } else if spk.count == 34, spk[0] == 0x51, spk[1] == 0x20 {
                kinds.append(.p2tr(outputKey: Array(spk[2...])))
            } else {
                throw ChainError.invalid("inputs[\(i)].scriptPubKey", "only P2WPKH (0014…) and P2TR (5120…) inputs can be signed")
            }
        }
        let isTaprootOnly = kinds.allSatisfy { if case .p2tr = $0 { return true }; return false }
        if sighashType == .default, !isTaprootOnly {
            throw ChainError.invalid("sighashType", "DEFAULT applies to Taproot inputs only; use ALL")
        }
        self.network = network; self.transaction = transaction; self.spent = spent; self.kinds = kinds; self.sighashType = sighashType
    }

    /// The digest to sign for each input. `publicKey` is the wallet key (33-byte compressed; for Taproot the internal
    /// key, untweaked). Each input must belong to it: HASH160 for P2WPKH, the BIP-341 tweaked output key for P2TR.
    public func sighashes(publicKey: [UInt8]) throws(ChainError) -> [[UInt8]] {
        try signingTasks(key: WalletKey.inferred(publicKey, family: .bitcoin)).map(\.message)
    }

    /// One task per input. Each input must belong to `key`: P2WPKH to an ECDSA key (HASH160 of the compressed key);
    /// P2TR to the output key Q — given directly (`.taprootOutput`, signed as is) or derived from an internal key
    /// (`.taprootInternal` / `.ecdsa`, signed with the TapTweak the task carries).
    public func signingTasks(key: WalletKey) throws(ChainError) -> [SigningTask] {
        var out = [SigningTask]()
        for (i, kind) in kinds.enumerated() {
            let field = "inputs[\(i)].scriptPubKey"
            switch kind {
            case .p2wpkh(let keyHash):
                guard case .ecdsa(let publicKey) = key else { throw WalletKey.unsupported(key, "a P2WPKH input needs a secp256k1 ECDSA wallet", field: field) }
                let compressed = try BitcoinKeys.compressedKey(publicKey)
                guard RIPEMD160.hash160(compressed) == keyHash else {
                    throw ChainError(.signerMismatch, field: field, "P2WPKH input is not the wallet's key")
                }
                let type = sighashType == .default ? SighashType.all : sighashType
                out.append(SigningTask(scheme: .ecdsaSecp256k1,
                                       message: try BIP143.p2wpkhSighash(tx: transaction, index: i, publicKey: compressed, amount: spent[i].amount, sighash: type)))
            case .p2tr(let outputKey):
                guard let q = try key.taprootOutputKey() else { throw WalletKey.unsupported(key, "a P2TR input needs a secp256k1 Taproot wallet", field: field) }
                guard q == outputKey else {
                    throw ChainError(.signerMismatch, field: field, "P2TR input is not the wallet's tweaked key")
                }
                out.append(SigningTask(scheme: .schnorrTaproot(tweak: try key.taprootTweak()),
                                       message: try BIP341.sighash(tx: transaction, index: i, spent: spent, sighash: sighashType)))
            }
        }
        return out
    }

    /// The signed network transaction from per-input witnesses (see BIP143.p2wpkhWitness, BIP341.keyPathWitness).
    public func signedRaw(witnesses: [[[UInt8]]]) throws(ChainError) -> [UInt8] {
        guard witnesses.count == transaction.inputs.count else { throw ChainError.invalid("witnesses", "one witness per input") }
        var tx = transaction
        for i in tx.inputs.indices { tx.inputs[i].witness = witnesses[i] }
        return tx.serialized
    }
}
