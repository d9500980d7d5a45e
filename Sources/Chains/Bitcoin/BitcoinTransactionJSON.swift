import Protocols

/// JSON input for a Bitcoin spend:
/// ```json
/// { "version": 2,                    // optional, default 2
///   "lockTime": 0,                   // optional, default 0
///   "sighashType": "ALL",            // optional: DEFAULT (Taproot only, the default for all-P2TR), ALL, NONE, SINGLE, *|ANYONECANPAY
///   "inputs":  [{ "txid": "…64 hex, display order…", "vout": 0, "amount": 100000,   // or "outpoint": "<txid>:<vout>"
///                 "scriptPubKey": "0014…" | "5120…", "sequence": 4294967293 }],   // sequence optional (0xfffffffd)
///   "outputs": [{ "address": "bc1…", "amount": 90000 } | { "scriptPubKey": "6a…", "amount": 0 }] }
/// ```
/// Amounts are satoshis (integer, decimal or 0x-hex string), at most 21 000 000 BTC; outputs may not exceed inputs.
public enum BitcoinTransactionJSON {
    public static let maxMoney: UInt64 = 21_000_000 * 100_000_000

    public static func decode(_ value: JSONValue, network: BitcoinNetwork) throws(ChainError) -> BitcoinSpendRequest {
        let f = try JSONFields(value, path: "")
        try f.rejectUnknown(["version", "lockTime", "sighashType", "inputs", "outputs"])
        let version = f.optional("version") != nil ? try uint32(f, "version") : 2
        let lockTime = f.optional("lockTime") != nil ? try uint32(f, "lockTime") : 0

        let rawInputs = try f.array("inputs")
        guard !rawInputs.isEmpty else { throw ChainError.invalid("inputs", "at least one input is required") }
        var inputs = [BitcoinTransaction.Input](), spent = [BIP341.SpentOutput]()
        var total: UInt64 = 0
        for (i, item) in rawInputs.enumerated() {
            let g = try JSONFields(item, path: "inputs[\(i)]")
            try g.rejectUnknown(["outpoint", "txid", "vout", "amount", "scriptPubKey", "sequence"])
            let (txid, vout) = try outpoint(g)
            let sequence = g.optional("sequence") != nil ? try uint32(g, "sequence") : 0xffff_fffd
            let amount = try satoshis(g, "amount")
            let (sum, overflow) = total.addingReportingOverflow(amount)
            guard !overflow, sum <= maxMoney else { throw ChainError.range(g.name("amount"), "input total exceeds 21M BTC") }
            total = sum
            // txid is given in the usual display order; the wire uses the reverse.
            inputs.append(try BitcoinTransaction.Input(prevTxid: txid.reversed(), vout: vout, sequence: sequence))
            spent.append(BIP341.SpentOutput(amount: amount, scriptPubKey: try g.hexBytes("scriptPubKey")))
        }

        let rawOutputs = try f.array("outputs")
        guard !rawOutputs.isEmpty else { throw ChainError.invalid("outputs", "at least one output is required") }
        var outputs = [BitcoinTransaction.Output]()
        var totalOut: UInt64 = 0
        for (i, item) in rawOutputs.enumerated() {
            let g = try JSONFields(item, path: "outputs[\(i)]")
            try g.rejectUnknown(["address", "scriptPubKey", "amount"])
            let amount = try satoshis(g, "amount")
            let script: [UInt8]
            switch (g.optional("address"), g.optional("scriptPubKey")) {
            case (.some, .some): throw ChainError.invalid(g.name("scriptPubKey"), "give either address or scriptPubKey")
            case (.some, nil): script = try BitcoinAddress.scriptPubKey(for: g.string("address"), network: network, field: g.name("address"))
            case (nil, .some): script = try g.hexBytes("scriptPubKey")
            case (nil, nil): throw ChainError.missing(g.name("address"))
            }
            totalOut += amount  // each ≤ maxMoney, count bounded by input size: cannot overflow UInt64 in practice
            guard totalOut <= total else { throw ChainError.range(g.name("amount"), "outputs exceed inputs (\(totalOut) > \(total) sat)") }
            outputs.append(BitcoinTransaction.Output(value: amount, scriptPubKey: script))
        }

        let allTaproot = spent.allSatisfy { $0.scriptPubKey.count == 34 && $0.scriptPubKey.first == 0x51 }
        let sighash = f.optional("sighashType") != nil ? try sighashType(f.string("sighashType")) : (allTaproot ? .default : .all)
        let tx = BitcoinTransaction(version: version, inputs: inputs, outputs: outputs, lockTime: lockTime)
        return try BitcoinSpendRequest(network: network, transaction: tx, spent: spent, sighashType: sighash)
    }

    /// Either "outpoint": "<txid>:<vout>" or separate "txid" and "vout".
    static func outpoint(_ g: JSONFields) throws(ChainError) -> ([UInt8], UInt32) {
        if g.optional("outpoint") != nil {
            guard g.optional("txid") == nil, g.optional("vout") == nil else {
                throw ChainError.invalid(g.name("outpoint"), "give either outpoint or txid and vout")
            }
            let parts = try g.string("outpoint").split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let txid = Hex.decode(String(parts[0])), txid.count == 32,
                  parts[1].allSatisfy(\.isASCIIDigit), let vout = UInt32(parts[1]) else {
                throw ChainError.invalid(g.name("outpoint"), "expected <64-hex txid>:<vout>")
            }
            return (txid, vout)
        }
        let txid = try g.hexBytes("txid")
        guard txid.count == 32 else { throw ChainError.invalid(g.name("txid"), "must be 32 bytes (64 hex digits)") }
        return (txid, try uint32(g, "vout"))
    }

    static func uint32(_ f: JSONFields, _ key: String) throws(ChainError) -> UInt32 {
        guard let v = try f.quantity(key).uint64, v <= UInt64(UInt32.max) else { throw ChainError.range(f.name(key), "exceeds 2^32-1") }
        return UInt32(v)
    }

    static func satoshis(_ f: JSONFields, _ key: String) throws(ChainError) -> UInt64 {
        guard let v = try f.quantity(key).uint64, v <= maxMoney else { throw ChainError.range(f.name(key), "exceeds 21 000 000 BTC in satoshis") }
        return v
    }

    static func sighashType(_ s: String) throws(ChainError) -> SighashType {
        let names: [String: UInt8] = ["DEFAULT": 0x00, "ALL": 0x01, "NONE": 0x02, "SINGLE": 0x03,
                                      "ALL|ANYONECANPAY": 0x81, "NONE|ANYONECANPAY": 0x82, "SINGLE|ANYONECANPAY": 0x83]
        guard let v = names[s.uppercased()] else { throw ChainError.invalid("sighashType", "unknown sighash type '\(s)'") }
        return SighashType(rawValue: v)
    }
}
