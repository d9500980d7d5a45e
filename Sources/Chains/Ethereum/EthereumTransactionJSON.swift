/// JSON input for Ethereum-family transactions (`mpc sign-tx --tx FILE.json`).
///
/// Shape (camelCase, as in eth_signTransaction / eth-account):
/// ```json
/// { "type": 2,                       // 0|1|2|3 (integer, "0x2", or "legacy"|"eip2930"|"eip1559"|"eip4844"); required
///   "chainId": 1,                    // required; must equal the chain the command names
///   "nonce": 0, "gas": 21000,        // required (≤ 2^64-1); "gasLimit" is accepted for "gas"
///   "to": "0x…",                     // EIP-55 if mixed case; absent/null/"" = contract creation (not for type 3)
///   "value": "1000000000000000000",  // optional, default 0
///   "data": "0x…",                   // optional ("input" accepted), default empty
///   "gasPrice": …,                   // types 0 and 1
///   "maxFeePerGas": …, "maxPriorityFeePerGas": …,   // types 2 and 3
///   "accessList": [{"address": "0x…", "storageKeys": ["0x…32 bytes"]}],  // types 1-3, optional
///   "maxFeePerBlobGas": …, "blobVersionedHashes": ["0x01…"],          // type 3
///   "from": "0x…" }                  // optional; returned for the caller to compare with the wallet
/// ```
/// Quantities: JSON integers, decimal strings or 0x-hex strings, 0 ... 2^256-1. Unknown fields are rejected.
public struct EthereumTransactionRequest: Equatable, Sendable {
    public let transaction: EthereumTransaction
    public let from: EthereumAddress?
}

public enum EthereumTransactionJSON {
    public static func decode(_ json: [UInt8], expectedChainId: UInt64?) throws(ChainError) -> EthereumTransactionRequest {
        try decode(JSONValue.parse(json), expectedChainId: expectedChainId)
    }

    public static func decode(_ value: JSONValue, expectedChainId: UInt64?) throws(ChainError) -> EthereumTransactionRequest {
        let f = try JSONFields(value, path: "")
        let type = try txType(f.required("type"))
        var allowed: Set<String> = ["type", "chainId", "nonce", "gas", "gasLimit", "to", "value", "data", "input", "from"]
        switch type {
        case 0: allowed.formUnion(["gasPrice"])
        case 1: allowed.formUnion(["gasPrice", "accessList"])
        case 2: allowed.formUnion(["maxFeePerGas", "maxPriorityFeePerGas", "accessList"])
        default: allowed.formUnion(["maxFeePerGas", "maxPriorityFeePerGas", "accessList", "maxFeePerBlobGas", "blobVersionedHashes"])
        }
        try f.rejectUnknown(allowed)

        let chainQ = try f.quantity("chainId")
        guard let chainId = chainQ.uint64, chainId >= 1, chainId <= EthereumTransaction.maxChainId else {
            throw ChainError.range("chainId", "must be in 1...\(EthereumTransaction.maxChainId)")
        }
        if let expected = expectedChainId, expected != chainId {
            throw ChainError(.chainMismatch, field: "chainId", "transaction chainId \(chainId) but the command names chain \(expected)")
        }
        let nonce = try f.uint64("nonce")
        if f.optional("gas") != nil, f.optional("gasLimit") != nil { throw ChainError.invalid("gasLimit", "give either gas or gasLimit") }
        let gas = f.optional("gasLimit") != nil ? try f.uint64("gasLimit") : try f.uint64("gas")

        var to: EthereumAddress?
        if let t = f.optional("to") {
            guard case .string(let s) = t else { throw ChainError.invalid("to", "expected an address string") }
            if !s.isEmpty { to = try EthereumAddress(parsing: s, field: "to") }
        }
        let value = try f.optionalQuantity("value") ?? .zero
        if f.optional("data") != nil, f.optional("input") != nil { throw ChainError.invalid("input", "give either data or input") }
        let data = f.optional("input") != nil ? try f.hexBytes("input") : (f.optional("data") != nil ? try f.hexBytes("data") : [])
        let accessList = f.optional("accessList") != nil ? try parseAccessList(f.array("accessList")) : []
        var from: EthereumAddress?
        if let fr = f.optional("from") {
            guard case .string(let s) = fr else { throw ChainError.invalid("from", "expected an address string") }
            from = try EthereumAddress(parsing: s, field: "from")
        }

        let fees: EthereumFees
        switch type {
        case 0: fees = .legacy(gasPrice: try f.quantity("gasPrice"))
        case 1: fees = .accessList(gasPrice: try f.quantity("gasPrice"))
        case 2: fees = .dynamic(maxPriorityFeePerGas: try f.quantity("maxPriorityFeePerGas"), maxFeePerGas: try f.quantity("maxFeePerGas"))
        default:
            guard to != nil else { throw ChainError.missing("to") }
            let tip = try f.quantity("maxPriorityFeePerGas"), max = try f.quantity("maxFeePerGas")
            let blobFee = try f.quantity("maxFeePerBlobGas")
            let hashes = try f.array("blobVersionedHashes").enumerated().map { (i, h) throws(ChainError) in
                try JSONFields.hexBytes(h, field: "blobVersionedHashes[\(i)]")
            }
            fees = .blob(maxPriorityFeePerGas: tip, maxFeePerGas: max, maxFeePerBlobGas: blobFee, blobVersionedHashes: hashes)
        }
        let tx = try EthereumTransaction(chainId: chainId, nonce: nonce, gas: gas, to: to, value: value, data: data,
                                         accessList: accessList, fees: fees)
        return EthereumTransactionRequest(transaction: tx, from: from)
    }

    static func txType(_ v: JSONValue) throws(ChainError) -> Int {
        if case .string(let s) = v {
            switch s.lowercased() {
            case "legacy": return 0
            case "eip2930", "access-list": return 1
            case "eip1559", "dynamic-fee": return 2
            case "eip4844", "blob": return 3
            default: break
            }
        }
        let q = try JSONFields.quantity(v, field: "type")
        guard let t = q.uint64, t <= 3 else { throw ChainError(.unsupportedType, field: "type", "supported types are 0, 1, 2, 3") }
        return Int(t)
    }

    static func parseAccessList(_ items: [JSONValue]) throws(ChainError) -> [AccessListEntry] {
        var out = [AccessListEntry]()
        for (i, item) in items.enumerated() {
            let f = try JSONFields(item, path: "accessList[\(i)]")
            try f.rejectUnknown(["address", "storageKeys"])
            let addr = try EthereumAddress(parsing: f.string("address"), field: f.name("address"))
            var keys = [[UInt8]]()
            for (j, k) in try f.array("storageKeys").enumerated() {
                let field = f.name("storageKeys[\(j)]")
                let b = try JSONFields.hexBytes(k, field: field)
                guard b.count == 32 else { throw ChainError.invalid(field, "storage key must be 32 bytes") }
                keys.append(b)
            }
            out.append(try AccessListEntry(address: addr, storageKeys: keys))
        }
        return out
    }
}
