import Protocols

/// One EIP-2930 access-list entry.
public struct AccessListEntry: Equatable, Sendable {
    public let address: EthereumAddress
    public let storageKeys: [[UInt8]]

    public init(address: EthereumAddress, storageKeys: [[UInt8]]) throws(ChainError) {
        for (i, k) in storageKeys.enumerated() where k.count != 32 {
            throw ChainError.invalid("accessList.storageKeys[\(i)]", "storage key must be 32 bytes")
        }
        self.address = address; self.storageKeys = storageKeys
    }

    var rlp: RLPItem { .list([.bytes(address.bytes), .list(storageKeys.map { .bytes($0) })]) }
}

/// The fee fields, which is also the transaction type.
public enum EthereumFees: Equatable, Sendable {
    /// Legacy with EIP-155 replay protection.
    case legacy(gasPrice: UInt256)
    /// EIP-2930, type 1.
    case accessList(gasPrice: UInt256)
    /// EIP-1559, type 2.
    case dynamic(maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256)
    /// EIP-4844, type 3 (to is mandatory; the sidecar is not part of this value).
    case blob(maxPriorityFeePerGas: UInt256, maxFeePerGas: UInt256, maxFeePerBlobGas: UInt256, blobVersionedHashes: [[UInt8]])
}

/// An unsigned Ethereum-family transaction. `signingDigest` is what the threshold group signs;
/// `signedRaw` assembles the broadcastable bytes from the group's (r, s, recovery id).
public struct EthereumTransaction: Equatable, Sendable {
    public let chainId: UInt64
    public let nonce: UInt64
    public let gas: UInt64
    public let to: EthereumAddress?
    public let value: UInt256
    public let data: [UInt8]
    public let accessList: [AccessListEntry]
    public let fees: EthereumFees

    /// EIP-2294: chain ids above floor(2^64-1 / 2) - 36 cannot be represented in an EIP-155 v.
    public static let maxChainId: UInt64 = UInt64.max / 2 - 36

    public init(chainId: UInt64, nonce: UInt64, gas: UInt64, to: EthereumAddress?, value: UInt256, data: [UInt8],
                accessList: [AccessListEntry] = [], fees: EthereumFees) throws(ChainError) {
        guard chainId >= 1, chainId <= Self.maxChainId else { throw ChainError.range("chainId", "must be in 1...\(Self.maxChainId)") }
        switch fees {
        case .legacy:
            guard accessList.isEmpty else { throw ChainError.invalid("accessList", "a legacy transaction has no access list") }
        case .accessList:
            break
        case .dynamic(let tip, let max):
            guard tip <= max else { throw ChainError.range("maxPriorityFeePerGas", "exceeds maxFeePerGas") }
        case .blob(let tip, let max, _, let hashes):
            guard tip <= max else { throw ChainError.range("maxPriorityFeePerGas", "exceeds maxFeePerGas") }
            guard to != nil else { throw ChainError.missing("to") }
            guard !hashes.isEmpty else { throw ChainError.invalid("blobVersionedHashes", "at least one blob is required") }
            for (i, h) in hashes.enumerated() {
                // EIP-4844: versioned hash = 0x01 || sha256(commitment)[1:]
                guard h.count == 32, h.first == 0x01 else {
                    throw ChainError.invalid("blobVersionedHashes[\(i)]", "must be 32 bytes starting with version 0x01")
                }
            }
        }
        self.chainId = chainId; self.nonce = nonce; self.gas = gas; self.to = to
        self.value = value; self.data = data; self.accessList = accessList; self.fees = fees
    }

    /// EIP-2718 type byte; nil for legacy.
    public var typeByte: UInt8? {
        switch fees {
        case .legacy: return nil
        case .accessList: return 0x01
        case .dynamic: return 0x02
        case .blob: return 0x03
        }
    }

    private var toItem: RLPItem { .bytes(to?.bytes ?? []) }
    private var accessListItem: RLPItem { .list(accessList.map(\.rlp)) }

    /// The fields common to the payload, in order, without the signature.
    private var payloadFields: [RLPItem] {
        switch fees {
        case .legacy(let gasPrice):
            return [.uint(nonce), .quantity(gasPrice), .uint(gas), toItem, .quantity(value), .bytes(data)]
        case .accessList(let gasPrice):
            return [.uint(chainId), .uint(nonce), .quantity(gasPrice), .uint(gas), toItem, .quantity(value), .bytes(data), accessListItem]
        case .dynamic(let tip, let max):
            return [.uint(chainId), .uint(nonce), .quantity(tip), .quantity(max), .uint(gas), toItem, .quantity(value), .bytes(data), accessListItem]
        case .blob(let tip, let max, let blobFee, let hashes):
            return [.uint(chainId), .uint(nonce), .quantity(tip), .quantity(max), .uint(gas), toItem, .quantity(value), .bytes(data),
                    accessListItem, .quantity(blobFee), .list(hashes.map { .bytes($0) })]
        }
    }

    private func typed(_ items: [RLPItem]) -> [UInt8] {
        let body = RLP.encode(.list(items))
        if let t = typeByte { return [t] + body }
        return body
    }

    /// The unsigned encoding that is hashed: EIP-155 appends (chainId, 0, 0) for legacy;
    /// typed transactions are type || rlp(fields) (EIP-2718).
    public var signingPayload: [UInt8] {
        if case .legacy = fees { return typed(payloadFields + [.uint(chainId), .bytes([]), .bytes([])]) }
        return typed(payloadFields)
    }

    /// keccak256 of the signing payload: the 32-byte digest the signers sign.
    public var signingDigest: [UInt8] { Keccak.keccak256(signingPayload) }

    /// The raw signed transaction (network form; for type 3 the canonical form WITHOUT the blob sidecar,
    /// i.e. what is included in blocks and hashed). Rejects high-S and out-of-range r/s.
    public func signedRaw(r: [UInt8], s: [UInt8], recoveryId: Int) throws(ChainError) -> [UInt8] {
        try Secp256k1.checkLowS(r: r, s: s)
        guard recoveryId == 0 || recoveryId == 1 else {
            throw ChainError(.invalidSignature, field: "recoveryId", "must be 0 or 1")
        }
        guard let rq = UInt256(bigEndian: r), let sq = UInt256(bigEndian: s) else {
            throw ChainError(.invalidSignature, "r or s too long")
        }
        let v: RLPItem
        if case .legacy = fees {
            // EIP-155: v = chainId * 2 + 35 + recid (maxChainId keeps this within UInt64).
            v = .uint(chainId * 2 + 35 + UInt64(recoveryId))
        } else {
            v = .uint(UInt64(recoveryId))
        }
        return typed(payloadFields + [v, .quantity(rq), .quantity(sq)])
    }

    /// Transaction hash = keccak256(raw signed transaction).
    public func hash(r: [UInt8], s: [UInt8], recoveryId: Int) throws(ChainError) -> [UInt8] {
        Keccak.keccak256(try signedRaw(r: r, s: s, recoveryId: recoveryId))
    }
}
