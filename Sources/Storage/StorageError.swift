import Protocols

/// Everything the storage layer can fail with. Each case has a stable string `code` for logs, metrics and
/// operators; no case ever carries secret material (passphrases, keys, plaintext values).
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An LMDB call failed; `code` is the MDB / errno value, `message` is `mdb_strerror(code)`.
    case lmdb(operation: String, code: Int32, message: String)
    /// The passphrase does not open this store (the key-check record does not authenticate).
    case wrongPassphrase
    /// A stored record failed to open: tampered, truncated, moved to another key or table.
    case corrupted(table: String, key: [UInt8])
    /// The `meta` table exists but its records are missing or malformed.
    case metadataInvalid(String)
    /// The store was written by a format version this code does not understand.
    case unsupportedFormatVersion(UInt32)
    /// AES-256-GCM (hardware AES) is not available on this CPU; libsodium refuses to use it.
    case aesGCMUnavailable
    /// libsodium could not be initialised.
    case sodiumUnavailable
    /// The Argon2id parameters are below libsodium's minimum or above this layer's sanity maximum.
    case invalidKDFParameters(String)
    /// Argon2id failed (usually: not enough memory for `memlimit`).
    case keyDerivationFailed
    /// Sealing a value failed (libsodium returned an error).
    case sealingFailed
    /// A key is empty or longer than LMDB's maximum key size.
    case invalidKey(String)
    /// Insert-only record (share generation, presignature) already exists.
    case alreadyExists(table: String, key: [UInt8])
    /// The store was closed; no further operations are possible.
    case closed
    /// This process already has the environment in that directory open (LMDB forbids a second handle).
    case alreadyOpen(path: String)
    /// The directory for the store could not be created or is not a directory.
    case directoryUnusable(path: String, errno: Int32)
    /// The passphrase file is readable by group or others (mode shown in octal).
    case passphraseFileInsecure(path: String, mode: UInt32)
    /// The passphrase file could not be read.
    case passphraseFileUnreadable(path: String, errno: Int32)
    /// The named environment variable is not set.
    case passphraseEnvironmentMissing(name: String)
    /// The passphrase is empty (after trimming the trailing newline).
    case passphraseEmpty
    /// The interactive prompt failed (no terminal, read error).
    case passphrasePromptFailed(errno: Int32)
    /// A read, write, sync or truncate of one of the store's plain files failed.
    case fileIO(path: String, operation: String, errno: Int32)

    /// A stable identifier, e.g. `STORAGE_WRONG_PASSPHRASE`.
    public var code: String {
        switch self {
        case .lmdb: "STORAGE_LMDB"
        case .wrongPassphrase: "STORAGE_WRONG_PASSPHRASE"
        case .corrupted: "STORAGE_CORRUPTED"
        case .metadataInvalid: "STORAGE_METADATA_INVALID"
        case .unsupportedFormatVersion: "STORAGE_UNSUPPORTED_FORMAT"
        case .aesGCMUnavailable: "STORAGE_AESGCM_UNAVAILABLE"
        case .sodiumUnavailable: "STORAGE_SODIUM_UNAVAILABLE"
        case .invalidKDFParameters: "STORAGE_INVALID_KDF_PARAMETERS"
        case .keyDerivationFailed: "STORAGE_KDF_FAILED"
        case .sealingFailed: "STORAGE_SEALING_FAILED"
        case .invalidKey: "STORAGE_INVALID_KEY"
        case .alreadyExists: "STORAGE_ALREADY_EXISTS"
        case .closed: "STORAGE_CLOSED"
        case .alreadyOpen: "STORAGE_ALREADY_OPEN"
        case .directoryUnusable: "STORAGE_DIRECTORY_UNUSABLE"
        case .passphraseFileInsecure: "STORAGE_PASSPHRASE_FILE_INSECURE"
        case .passphraseFileUnreadable: "STORAGE_PASSPHRASE_FILE_UNREADABLE"
        case .passphraseEnvironmentMissing: "STORAGE_PASSPHRASE_ENV_MISSING"
        case .passphraseEmpty: "STORAGE_PASSPHRASE_EMPTY"
        case .passphrasePromptFailed: "STORAGE_PASSPHRASE_PROMPT_FAILED"
        case .fileIO: "STORAGE_FILE_IO"
        }
    }

    public var description: String {
        switch self {
        case let .lmdb(operation, code, message): "\(self.code): \(operation) failed (\(code)): \(message)"
        case .wrongPassphrase: "\(code): the passphrase does not open this store"
        case let .corrupted(table, key): "\(code): record \(table)/\(StorageError.render(key)) failed authentication"
        case let .metadataInvalid(what): "\(code): \(what)"
        case let .unsupportedFormatVersion(v): "\(code): store format version \(v) is not supported"
        case .aesGCMUnavailable: "\(code): AES-256-GCM is not available on this CPU (libsodium needs AES-NI and CLMUL)"
        case .sodiumUnavailable: "\(code): libsodium failed to initialise"
        case let .invalidKDFParameters(what): "\(code): \(what)"
        case .keyDerivationFailed: "\(code): Argon2id failed (out of memory?)"
        case .sealingFailed: "\(code): sealing a value failed"
        case let .invalidKey(why): "\(code): \(why)"
        case let .alreadyExists(table, key): "\(code): \(table)/\(StorageError.render(key)) already exists"
        case .closed: "\(code): the store is closed"
        case let .alreadyOpen(path): "\(code): \(path) is already open in this process"
        case let .directoryUnusable(path, e): "\(code): \(path) (errno \(e))"
        case let .passphraseFileInsecure(path, mode):
            "\(code): \(path) has mode \(String(mode, radix: 8)); it must not be readable or writable by group or others (chmod 600)"
        case let .passphraseFileUnreadable(path, e): "\(code): cannot read \(path) (errno \(e))"
        case let .passphraseEnvironmentMissing(name): "\(code): environment variable \(name) is not set"
        case .passphraseEmpty: "\(code): the passphrase is empty"
        case let .passphrasePromptFailed(e): "\(code): reading the passphrase from the terminal failed (errno \(e))"
        case let .fileIO(path, operation, e): "\(code): \(operation) \(path) failed (errno \(e))"
        }
    }

    /// Keys are identifiers (wallet ids, message ids), not secrets: printable ASCII as is, anything else in hex.
    static func render(_ key: [UInt8]) -> String {
        if !key.isEmpty, key.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) { return String(decoding: key, as: UTF8.self) }
        return "0x" + Hex.encode(key)
    }
}
