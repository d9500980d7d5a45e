import Protocols

/// The 32-byte AES-256-GCM data key, held in zeroizing memory (`SecretBytes`) and never printed.
struct SealingKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    static let length = 32
    let secret: SecretBytes

    /// Copies `bytes` into zeroizing storage; the caller zeroizes its own array.
    init(copying bytes: [UInt8]) {
        precondition(bytes.count == Self.length, "a sealing key has 32 bytes")
        secret = SecretBytes(bytes)
    }

    var description: String { "<redacted>" }
    var debugDescription: String { "<redacted>" }
}
