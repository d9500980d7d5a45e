internal import CSodium

/// Solana "compact-u16" (shortvec): 7 bits per byte, little-endian, at most 3 bytes, canonical.
enum CompactU16 {
    static func encode(_ v: Int) -> [UInt8] {
        var out = [UInt8]()
        var x = v & 0xffff
        repeat {
            var b = UInt8(x & 0x7f)
            x >>= 7
            if x != 0 { b |= 0x80 }
            out.append(b)
        } while x != 0
        return out
    }

    static func decode(_ r: inout ByteReader) throws(ChainError) -> Int {
        var v = 0
        for i in 0..<3 {
            let b = try r.bytes(1)[0]
            let part = Int(b & 0x7f)
            if i == 2 && (b & 0x80 != 0 || part > 0x03) { throw ChainError(.encodingInvalid, "compact-u16 overflow") }
            v |= part << (7 * i)
            if b & 0x80 == 0 {
                if i > 0 && b == 0 { throw ChainError(.encodingInvalid, "non-canonical compact-u16") }
                return v
            }
        }
        throw ChainError(.encodingInvalid, "compact-u16 too long")
    }
}

/// A parsed Solana transaction message (legacy or v0). The message bytes are exactly what the Ed25519 group signs.
public struct SolanaMessage: Equatable, Sendable {
    /// nil for a legacy message, otherwise the version number (0 for v0).
    public let version: Int?
    public let numRequiredSignatures: Int
    public let numReadonlySigned: Int
    public let numReadonlyUnsigned: Int
    public let accountKeys: [[UInt8]]
    public let recentBlockhash: [UInt8]
    public let instructionCount: Int
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(ChainError) {
        var r = ByteReader(bytes)
        guard let first = r.peek() else { throw ChainError(.encodingInvalid, field: "message", "empty message") }
        if first & 0x80 != 0 {
            _ = try r.bytes(1)
            let v = Int(first & 0x7f)
            guard v == 0 else { throw ChainError(.unsupportedType, field: "message", "unsupported message version \(v)") }
            version = v
        } else {
            version = nil
        }
        let header = try r.bytes(3)
        numRequiredSignatures = Int(header[0]); numReadonlySigned = Int(header[1]); numReadonlyUnsigned = Int(header[2])
        let nKeys = try CompactU16.decode(&r)
        var keys = [[UInt8]]()
        for _ in 0..<nKeys { keys.append(try r.bytes(32)) }
        accountKeys = keys
        guard numRequiredSignatures >= 1, numRequiredSignatures <= nKeys,
              numReadonlySigned < numRequiredSignatures, numReadonlyUnsigned <= nKeys - numRequiredSignatures else {
            throw ChainError(.encodingInvalid, field: "message", "inconsistent message header")
        }
        recentBlockhash = try r.bytes(32)
        let nIx = try CompactU16.decode(&r)
        for _ in 0..<nIx {
            let program = Int(try r.bytes(1)[0])
            let nAcc = try CompactU16.decode(&r)
            _ = try r.bytes(nAcc)
            let nData = try CompactU16.decode(&r)
            _ = try r.bytes(nData)
            // With address lookup tables (v0) indexes may point past the static keys; legacy must not.
            if version == nil, program >= nKeys { throw ChainError(.encodingInvalid, field: "message", "program index out of range") }
        }
        instructionCount = nIx
        if version != nil {
            let nLookups = try CompactU16.decode(&r)
            for _ in 0..<nLookups {
                _ = try r.bytes(32)
                _ = try r.bytes(try CompactU16.decode(&r))
                _ = try r.bytes(try CompactU16.decode(&r))
            }
        }
        guard r.remaining == 0 else { throw ChainError(.encodingInvalid, field: "message", "trailing bytes") }
        self.bytes = bytes
    }

    /// The fee payer: the first account key.
    public var feePayer: [UInt8]? { accountKeys.first }
}

public enum SolanaTransaction {
    /// Checks that `signer` is the fee payer and the only required signer (a threshold wallet signs alone).
    public static func validate(message: SolanaMessage, signer: [UInt8]) throws(ChainError) {
        guard signer.count == 32 else { throw ChainError(.invalidPublicKey, field: "signer", "Ed25519 public key must be 32 bytes") }
        guard message.feePayer == signer else {
            throw ChainError(.signerMismatch, field: "message.accountKeys[0]", "the fee payer is not the wallet's key")
        }
        guard message.numRequiredSignatures == 1 else {
            throw ChainError(.signerMismatch, field: "message.header.numRequiredSignatures",
                             "message requires \(message.numRequiredSignatures) signatures, the wallet provides 1")
        }
    }

    /// Wire transaction: compact-u16(signature count) || signatures || message.
    public static func signed(message: SolanaMessage, signatures: [[UInt8]]) throws(ChainError) -> [UInt8] {
        guard signatures.count == message.numRequiredSignatures else {
            throw ChainError(.invalidSignature, field: "signatures", "expected \(message.numRequiredSignatures) signatures")
        }
        for (i, s) in signatures.enumerated() where s.count != 64 {
            throw ChainError(.invalidSignature, field: "signatures[\(i)]", "Ed25519 signature must be 64 bytes")
        }
        return CompactU16.encode(signatures.count) + signatures.flatMap { $0 } + message.bytes
    }

    /// Single-signer convenience: validates the signer, verifies the Ed25519 signature over the message
    /// (so a bad aggregate is caught before broadcast), then assembles the wire bytes.
    public static func signed(message: SolanaMessage, signer: [UInt8], signature: [UInt8]) throws(ChainError) -> [UInt8] {
        try validate(message: message, signer: signer)
        guard signature.count == 64 else { throw ChainError(.invalidSignature, field: "signature", "Ed25519 signature must be 64 bytes") }
        guard sodium_init() >= 0,
              crypto_sign_verify_detached(signature, message.bytes, UInt64(message.bytes.count), signer) == 0 else {
            throw ChainError(.invalidSignature, field: "signature", "Ed25519 signature does not verify under the signer's key")
        }
        return try signed(message: message, signatures: [signature])
    }

    /// The transaction id: base58 of the first (fee payer's) signature.
    public static func transactionId(signature: [UInt8]) -> String { Base58.encode(signature) }
}
