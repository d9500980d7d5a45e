/// A decoded raw signed Ethereum transaction, used to validate what is about to be broadcast
/// (round trip of our own encoding, or inspection of a raw transaction from elsewhere).
public struct EthereumSignedTransaction: Equatable, Sendable {
    public let transaction: EthereumTransaction
    /// 32-byte big-endian r and s.
    public let r: [UInt8]
    public let s: [UInt8]
    public let recoveryId: Int

    /// keccak256 of the raw bytes.
    public let hash: [UInt8]

    /// The sender, recovered from the signature over the signing digest.
    public func sender() throws(ChainError) -> EthereumAddress {
        try transaction.recoverSigner(r: r, s: s, recoveryId: recoveryId)
    }

    /// Strict decoder: canonical RLP, minimal quantities, field counts per type, low-S, EIP-155 v for legacy.
    public init(raw: [UInt8]) throws(ChainError) {
        guard let first = raw.first else { throw ChainError(.rlpInvalid, "empty transaction") }
        let type: UInt8? = first >= 0xc0 ? nil : first
        let payload = type == nil ? raw : Array(raw.dropFirst())
        guard case .list(let items) = try RLP.decode(payload) else { throw ChainError(.rlpInvalid, "transaction is not an RLP list") }
        var it = Fields(items: items)
        let expectedCount: Int
        switch type {
        case nil: expectedCount = 9
        case 0x01?: expectedCount = 11
        case 0x02?: expectedCount = 12
        case 0x03?: expectedCount = 14
        default: throw ChainError(.unsupportedType, field: "type", "unsupported transaction type \(first)")
        }
        guard items.count == expectedCount else { throw ChainError(.rlpInvalid, "expected \(expectedCount) fields, got \(items.count)") }

        var chainId: UInt64 = 0
        if type != nil { chainId = try it.uint64("chainId") }
        let nonce = try it.uint64("nonce")
        var fees: EthereumFees
        switch type {
        case nil: fees = .legacy(gasPrice: try it.quantity("gasPrice"))
        case 0x01?: fees = .accessList(gasPrice: try it.quantity("gasPrice"))
        default: fees = .dynamic(maxPriorityFeePerGas: try it.quantity("maxPriorityFeePerGas"), maxFeePerGas: try it.quantity("maxFeePerGas"))
        }
        let gas = try it.uint64("gas")
        let toBytes = try it.bytes("to")
        let to: EthereumAddress? = toBytes.isEmpty ? nil : try EthereumAddress(bytes: toBytes)
        let value = try it.quantity("value")
        let data = try it.bytes("data")
        var accessList = [AccessListEntry]()
        if type != nil {
            guard case .list(let entries) = try it.next("accessList") else { throw ChainError(.rlpInvalid, field: "accessList", "expected a list") }
            for (i, e) in entries.enumerated() {
                guard case .list(let pair) = e, pair.count == 2, case .bytes(let a) = pair[0], case .list(let keys) = pair[1] else {
                    throw ChainError(.rlpInvalid, field: "accessList[\(i)]", "expected [address, [keys]]")
                }
                var storageKeys = [[UInt8]]()
                for k in keys {
                    guard case .bytes(let kb) = k else { throw ChainError(.rlpInvalid, field: "accessList[\(i)].storageKeys", "expected bytes") }
                    storageKeys.append(kb)
                }
                accessList.append(try AccessListEntry(address: EthereumAddress(bytes: a), storageKeys: storageKeys))
            }
        }
        if type == 0x03, case .dynamic(let tip, let max) = fees {
            let blobFee = try it.quantity("maxFeePerBlobGas")
            guard case .list(let hs) = try it.next("blobVersionedHashes") else {
                throw ChainError(.rlpInvalid, field: "blobVersionedHashes", "expected a list")
            }
            var hashes = [[UInt8]]()
            for h in hs {
                guard case .bytes(let hb) = h else { throw ChainError(.rlpInvalid, field: "blobVersionedHashes", "expected bytes") }
                hashes.append(hb)
            }
            fees = .blob(maxPriorityFeePerGas: tip, maxFeePerGas: max, maxFeePerBlobGas: blobFee, blobVersionedHashes: hashes)
        }
        let v = try it.uint64("v")
        let rq = try it.quantity("r"), sq = try it.quantity("s")
        var recoveryId: Int
        if type == nil {
            // EIP-155 only: v = chainId * 2 + 35 + recid. Pre-EIP-155 (27/28) transactions are replayable across chains.
            guard v >= 37 else { throw ChainError(.invalidSignature, field: "v", "not an EIP-155 signature (v = \(v))") }
            chainId = (v - 35) / 2
            recoveryId = Int((v - 35) % 2)
        } else {
            guard v <= 1 else { throw ChainError(.invalidSignature, field: "yParity", "must be 0 or 1") }
            recoveryId = Int(v)
        }
        transaction = try EthereumTransaction(chainId: chainId, nonce: nonce, gas: gas, to: to, value: value, data: data,
                                              accessList: accessList, fees: fees)
        r = rq.word; s = sq.word; self.recoveryId = recoveryId
        try Secp256k1.checkLowS(r: r, s: s)
        // Re-encoding must reproduce the input exactly (rejects any non-canonical variant).
        guard try transaction.signedRaw(r: r, s: s, recoveryId: recoveryId) == raw else {
            throw ChainError(.rlpInvalid, "not the canonical encoding")
        }
        hash = Keccak.keccak256(raw)
    }

    private struct Fields {
        let items: [RLPItem]
        var index = 0
        init(items: [RLPItem]) { self.items = items }

        mutating func next(_ name: String) throws(ChainError) -> RLPItem {
            guard index < items.count else { throw ChainError(.rlpInvalid, field: name, "missing") }
            defer { index += 1 }
            return items[index]
        }
        mutating func bytes(_ name: String) throws(ChainError) -> [UInt8] {
            guard case .bytes(let b) = try next(name) else { throw ChainError(.rlpInvalid, field: name, "expected a byte string") }
            return b
        }
        mutating func quantity(_ name: String) throws(ChainError) -> UInt256 {
            let b = try bytes(name)
            guard b.first != 0 else { throw ChainError(.rlpInvalid, field: name, "quantity with leading zero") }
            guard let q = UInt256(bigEndian: b) else { throw ChainError(.outOfRange, field: name, "exceeds 256 bits") }
            return q
        }
        mutating func uint64(_ name: String) throws(ChainError) -> UInt64 {
            guard let v = try quantity(name).uint64 else { throw ChainError(.outOfRange, field: name, "exceeds 2^64-1") }
            return v
        }
    }
}

extension EthereumTransaction {
    /// The address whose key produced (r, s, recoveryId) over `signingDigest`. Comparing it with the wallet's address
    /// before broadcast catches a wrong recovery id or a bad aggregate signature.
    public func recoverSigner(r: [UInt8], s: [UInt8], recoveryId: Int) throws(ChainError) -> EthereumAddress {
        try EthereumAddress(publicKey: Secp256k1.recover(digest: signingDigest, r: r, s: s, recoveryId: recoveryId))
    }

    /// `signedRaw` plus the check that the signature recovers to `expectedSigner`.
    public func signedRaw(r: [UInt8], s: [UInt8], recoveryId: Int, expectedSigner: EthereumAddress) throws(ChainError) -> [UInt8] {
        let raw = try signedRaw(r: r, s: s, recoveryId: recoveryId)
        guard try recoverSigner(r: r, s: s, recoveryId: recoveryId) == expectedSigner else {
            throw ChainError(.signerMismatch, field: "signature", "signature does not recover to \(expectedSigner)")
        }
        return raw
    }
}
