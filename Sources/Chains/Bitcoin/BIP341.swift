import Protocols

/// BIP-341 signature message and hash for Taproot key-path spends (ext_flag = 0, no annex).
public enum BIP341 {
    public struct SpentOutput: Equatable, Sendable {
        public let amount: UInt64
        public let scriptPubKey: [UInt8]
        public init(amount: UInt64, scriptPubKey: [UInt8]) { self.amount = amount; self.scriptPubKey = scriptPubKey }
    }

    /// SigMsg(hash_type, ext_flag = 0) from BIP-341 "Common signature message", prefixed with the epoch 0x00.
    public static func signatureMessage(tx: BitcoinTransaction, index: Int, spent: [SpentOutput],
                                        sighash: SighashType = .default) throws(ChainError) -> [UInt8] {
        guard tx.inputs.indices.contains(index) else { throw ChainError.range("inputIndex", "no input \(index)") }
        guard spent.count == tx.inputs.count else { throw ChainError.invalid("inputs", "one spent output (amount, scriptPubKey) is required per input") }
        // Valid types: 0x00, 0x01, 0x02, 0x03, 0x81, 0x82, 0x83.
        guard [0x00, 0x01, 0x02, 0x03, 0x81, 0x82, 0x83].contains(sighash.rawValue) else {
            throw ChainError.invalid("sighashType", "invalid Taproot sighash type \(sighash.rawValue)")
        }
        if sighash.isSingle, index >= tx.outputs.count {
            throw ChainError.invalid("sighashType", "SIGHASH_SINGLE without a corresponding output")
        }
        var m: [UInt8] = [0x00, sighash.rawValue]  // epoch, hash_type
        m += BitcoinEncoding.le32(tx.version) + BitcoinEncoding.le32(tx.lockTime)
        if !sighash.isAnyoneCanPay {
            m += Hash.sha256(tx.inputs.flatMap(\.outpoint))                                    // sha_prevouts
            m += Hash.sha256(spent.flatMap { BitcoinEncoding.le64($0.amount) })                 // sha_amounts
            m += Hash.sha256(spent.flatMap { BitcoinEncoding.varBytes($0.scriptPubKey) })       // sha_scriptpubkeys
            m += Hash.sha256(tx.inputs.flatMap { BitcoinEncoding.le32($0.sequence) })           // sha_sequences
        }
        if !sighash.isNone && !sighash.isSingle {
            m += Hash.sha256(tx.outputs.flatMap(\.serialized))                                 // sha_outputs
        }
        m.append(0x00)  // spend_type = (ext_flag * 2) + annex_present = 0
        if sighash.isAnyoneCanPay {
            let i = tx.inputs[index]
            m += i.outpoint + BitcoinEncoding.le64(spent[index].amount) + BitcoinEncoding.varBytes(spent[index].scriptPubKey)
                + BitcoinEncoding.le32(i.sequence)
        } else {
            m += BitcoinEncoding.le32(UInt32(index))
        }
        if sighash.isSingle { m += Hash.sha256(tx.outputs[index].serialized) }
        return m
    }

    /// hash_TapSighash(SigMsg): the 32-byte message the BIP-340 signers sign.
    public static func sighash(tx: BitcoinTransaction, index: Int, spent: [SpentOutput],
                               sighash: SighashType = .default) throws(ChainError) -> [UInt8] {
        Hash.taggedSHA256(tag: "TapSighash", [try signatureMessage(tx: tx, index: index, spent: spent, sighash: sighash)])
    }

    /// Key-path witness: the 64-byte signature, plus the sighash byte unless SIGHASH_DEFAULT.
    public static func keyPathWitness(signature: [UInt8], sighash: SighashType = .default) throws(ChainError) -> [[UInt8]] {
        guard signature.count == 64 else { throw ChainError(.invalidSignature, "BIP-340 signature must be 64 bytes") }
        return [sighash.rawValue == 0 ? signature : signature + [sighash.rawValue]]
    }
}
