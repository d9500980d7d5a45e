internal import CSodium
import Protocols

/// Argon2id (libsodium `crypto_pwhash`, ALG_ARGON2ID13) cost parameters.
public struct KDFParameters: Equatable, Sendable, CustomStringConvertible {
    public let opsLimit: UInt64
    public let memLimit: UInt64

    /// libsodium's MODERATE (3 passes, 256 MiB): the default for a node.
    public static var moderate: KDFParameters {
        KDFParameters(unchecked: UInt64(crypto_pwhash_argon2id_opslimit_moderate()),
                      UInt64(crypto_pwhash_argon2id_memlimit_moderate()))
    }
    /// libsodium's INTERACTIVE (2 passes, 64 MiB): for tests and development.
    public static var interactive: KDFParameters {
        KDFParameters(unchecked: UInt64(crypto_pwhash_argon2id_opslimit_interactive()),
                      UInt64(crypto_pwhash_argon2id_memlimit_interactive()))
    }
    /// libsodium's SENSITIVE (4 passes, 1 GiB).
    public static var sensitive: KDFParameters {
        KDFParameters(unchecked: UInt64(crypto_pwhash_argon2id_opslimit_sensitive()),
                      UInt64(crypto_pwhash_argon2id_memlimit_sensitive()))
    }

    /// Custom parameters, refused below libsodium's minimum (and above a sanity maximum, so that a hostile
    /// `meta` record cannot make the node allocate unbounded memory).
    public init(opsLimit: UInt64, memLimit: UInt64) throws(StorageError) {
        let minOps = UInt64(crypto_pwhash_argon2id_opslimit_min())
        let minMem = UInt64(crypto_pwhash_argon2id_memlimit_min())
        guard opsLimit >= minOps, memLimit >= minMem else {
            throw .invalidKDFParameters("Argon2id parameters below libsodium's minimum (opslimit \(minOps), memlimit \(minMem))")
        }
        guard opsLimit <= Self.maxOps, memLimit <= Self.maxMem else {
            throw .invalidKDFParameters("Argon2id parameters above the sanity maximum (opslimit \(Self.maxOps), memlimit \(Self.maxMem))")
        }
        self.opsLimit = opsLimit
        self.memLimit = memLimit
    }

    private init(unchecked ops: UInt64, _ mem: UInt64) { opsLimit = ops; memLimit = mem }

    static let maxOps: UInt64 = 64
    static let maxMem: UInt64 = 4 << 30

    public var description: String { "Argon2id(ops: \(opsLimit), mem: \(memLimit >> 20) MiB)" }
}

/// Derives the data key from the node's passphrase; a passphrase is never used as a key directly.
enum KeyDerivation {
    static let saltLength = Int(crypto_pwhash_argon2id_SALTBYTES)
    static let algorithm = UInt8(crypto_pwhash_argon2id_ALG_ARGON2ID13)

    static func deriveKey(passphrase: SecretBytes, salt: [UInt8], parameters: KDFParameters) throws(StorageError) -> SealingKey {
        try Sodium.ready()
        guard salt.count == saltLength else { throw .metadataInvalid("salt has \(salt.count) bytes, expected \(saltLength)") }
        guard let mem = Int(exactly: parameters.memLimit) else { throw .invalidKDFParameters("memlimit does not fit in size_t") }
        var out = [UInt8](repeating: 0, count: SealingKey.length)
        defer { zeroize(&out) }
        let rc = passphrase.withUnsafeBytes { pw in
            salt.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { o in
                    crypto_pwhash(UnsafeMutableRawBufferPointer(o).nonNull, UInt64(o.count),
                                  UnsafeRawPointer(pw.nonNull).assumingMemoryBound(to: CChar.self), UInt64(pw.count),
                                  UnsafeRawBufferPointer(s).nonNull, parameters.opsLimit, mem, Int32(algorithm))
                }
            }
        }
        guard rc == 0 else { throw .keyDerivationFailed }
        return SealingKey(copying: out)
    }
}

extension UnsafeRawBufferPointer {
    /// libsodium declares its pointer arguments non-null, but an empty Swift buffer may have no address;
    /// libsodium reads zero bytes from such an argument, so any valid address does.
    var nonNull: UnsafePointer<UInt8> {
        baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(Sodium.emptyByte)
    }
}

extension UnsafeMutableRawBufferPointer {
    /// As `UnsafeRawBufferPointer.nonNull`, for output arguments (callers size outputs to at least one byte).
    var nonNull: UnsafeMutablePointer<UInt8> {
        baseAddress?.assumingMemoryBound(to: UInt8.self) ?? Sodium.emptyByte
    }
}

/// libsodium must be initialised before use; `sodium_init` is idempotent and thread-safe.
enum Sodium {
    private static let initialized: Bool = sodium_init() >= 0
    static func ready() throws(StorageError) {
        guard initialized else { throw .sodiumUnavailable }
    }

    /// One byte that lives for the whole process, as the address of empty arguments. Never written.
    nonisolated(unsafe) static let emptyByte: UnsafeMutablePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()
}
