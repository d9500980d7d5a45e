import Protocols

/// BIP-143 signature hash for segwit v0 inputs (here: P2WPKH).
public enum BIP143 {
    /// The P2WPKH scriptCode: OP_DUP OP_HASH160 <20-byte key hash> OP_EQUALVERIFY OP_CHECKSIG (BIP-143, "scriptCode").
    public static func p2wpkhScriptCode(keyHash: [UInt8]) -> [UInt8] { [0x76, 0xa9, 0x14] + keyHash + [0x88, 0xac] }

    /// The BIP-143 preimage for input `index` spending `amount` satoshis with `scriptCode`.
    public static func preimage(tx: BitcoinTransaction, index: Int, scriptCode: [UInt8], amount: UInt64,
                                sighash: SighashType = .all) throws(ChainError) -> [UInt8] {
        guard tx.inputs.indices.contains(index) else { throw ChainError.range("inputIndex", "no input \(index)") }
        guard [1, 2, 3].contains(sighash.base), sighash.rawValue & 0x7c == 0 else {
            throw ChainError.invalid("sighashType", "unsupported sighash type \(sighash.rawValue)")
        }
        let zero = [UInt8](repeating: 0, count: 32)
        let hashPrevouts = sighash.isAnyoneCanPay ? zero : Hash.sha256d(tx.inputs.flatMap(\.outpoint))
        let hashSequence = (sighash.isAnyoneCanPay || sighash.isSingle || sighash.isNone) ? zero
            : Hash.sha256d(tx.inputs.flatMap { BitcoinEncoding.le32($0.sequence) })
        let hashOutputs: [UInt8]
        if !sighash.isSingle && !sighash.isNone {
            hashOutputs = Hash.sha256d(tx.outputs.flatMap(\.serialized))
        } else if sighash.isSingle && index < tx.outputs.count {
            hashOutputs = Hash.sha256d(tx.outputs[index].serialized)
        } else {
            hashOutputs = zero
        }
        let input = tx.inputs[index]
        return BitcoinEncoding.le32(tx.version) + hashPrevouts + hashSequence + input.outpoint
            + BitcoinEncoding.varBytes(scriptCode) + BitcoinEncoding.le64(amount) + BitcoinEncoding.le32(input.sequence)
            + hashOutputs + BitcoinEncoding.le32(tx.lockTime) + BitcoinEncoding.le32(UInt32(sighash.rawValue))
    }

    /// sighash = SHA256d(preimage): the 32-byte digest the ECDSA signers sign.
    public static func sighash(tx: BitcoinTransaction, index: Int, scriptCode: [UInt8], amount: UInt64,
                               sighash: SighashType = .all) throws(ChainError) -> [UInt8] {
        Hash.sha256d(try preimage(tx: tx, index: index, scriptCode: scriptCode, amount: amount, sighash: sighash))
    }

    /// P2WPKH sighash from the spending key's compressed public key.
    public static func p2wpkhSighash(tx: BitcoinTransaction, index: Int, publicKey: [UInt8], amount: UInt64,
                                     sighash: SighashType = .all) throws(ChainError) -> [UInt8] {
        let compressed = try BitcoinKeys.compressedKey(publicKey)
        return try self.sighash(tx: tx, index: index, scriptCode: p2wpkhScriptCode(keyHash: RIPEMD160.hash160(compressed)),
                                amount: amount, sighash: sighash)
    }

    /// The witness stack for a P2WPKH spend: [DER(sig) || sighash byte, compressed pubkey]. Rejects high-S (BIP-146).
    public static func p2wpkhWitness(r: [UInt8], s: [UInt8], sighash: SighashType = .all, publicKey: [UInt8]) throws(ChainError) -> [[UInt8]] {
        guard sighash.rawValue != 0 else { throw ChainError.invalid("sighashType", "SIGHASH_DEFAULT is Taproot-only") }
        return [try Secp256k1.derSignature(r: r, s: s) + [sighash.rawValue], try BitcoinKeys.compressedKey(publicKey)]
    }
}

public enum BitcoinKeys {
    /// Segwit v0 requires compressed keys (BIP-143 "Restrictions on public key type").
    static func compressedKey(_ publicKey: [UInt8]) throws(ChainError) -> [UInt8] {
        try Secp256k1.serializePublicKey(publicKey, compressed: true)
    }

    /// DER-encoded low-S ECDSA signature followed by the sighash byte (scriptSig / witness form).
    public static func derSignature(r: [UInt8], s: [UInt8], sighash: SighashType = .all) throws(ChainError) -> [UInt8] {
        try Secp256k1.derSignature(r: r, s: s) + [sighash.rawValue]
    }

    /// P2WPKH address of a public key: witness v0 with HASH160 of the compressed key.
    public static func p2wpkhAddress(publicKey: [UInt8], network: BitcoinNetwork) throws(ChainError) -> SegwitAddress {
        try SegwitAddress(network: network, version: 0, program: RIPEMD160.hash160(compressedKey(publicKey)))
    }

    /// P2TR address for an internal key (33-byte compressed or 32-byte x-only) with an optional script-tree root.
    public static func p2trAddress(internalKey: [UInt8], merkleRoot: [UInt8]? = nil, network: BitcoinNetwork) throws(ChainError) -> SegwitAddress {
        try SegwitAddress(network: network, version: 1, program: Taproot.outputKey(internalKey: internalKey, merkleRoot: merkleRoot).key)
    }
}
