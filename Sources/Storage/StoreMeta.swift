import Protocols

/// The `meta` table: format version, Argon2id parameters and salt, and the key-check record.
/// Unlocking an existing store reads only; a wrong passphrase is detected before anything is written.
enum StoreMeta {
    static let table = "meta"
    static let formatVersion: UInt32 = 1

    private static let versionKey = Array("format-version".utf8)
    private static let kdfKey = Array("kdf".utf8)
    private static let keyCheckKey = Array("key-check".utf8)
    /// A known constant sealed under the data key: it opens only under the right passphrase.
    private static let keyCheckPlaintext = Array("tss-custody storage key check v1".utf8)

    /// Derives the data key for the store in `env`, creating the metadata (fresh salt, `parameters`) if the
    /// store is new. An existing store is opened with its own stored parameters; `parameters` is ignored.
    /// `dataTables` are the store's other tables: if any exists while `meta` does not, the store lost its
    /// metadata and is refused (creating a fresh salt would orphan every sealed value).
    static func unlock(env: LMDBEnvironment, passphrase: SecretBytes, parameters: KDFParameters,
                       dataTables: [String]) throws(StorageError) -> Sealer {
        if let existing = try readExisting(env, dataTables: dataTables) {
            return try unlockExisting(existing, passphrase: passphrase)
        }
        return try initialize(env: env, passphrase: passphrase, parameters: parameters)
    }

    private struct Records {
        let version: [UInt8]?
        let kdf: [UInt8]?
        let keyCheck: [UInt8]?
    }

    private static func readExisting(_ env: LMDBEnvironment, dataTables: [String]) throws(StorageError) -> Records? {
        try env.read { txn throws(StorageError) -> Records? in
            guard let db = try txn.openDatabase(table, create: false) else {
                for name in dataTables where try txn.openDatabase(name, create: false) != nil {
                    throw .metadataInvalid("table \(name) exists but the meta table is missing")
                }
                return nil
            }
            return Records(version: try txn.get(db, versionKey), kdf: try txn.get(db, kdfKey),
                           keyCheck: try txn.get(db, keyCheckKey))
        }
    }

    private static func unlockExisting(_ records: Records, passphrase: SecretBytes) throws(StorageError) -> Sealer {
        guard let versionBytes = records.version, let kdfBytes = records.kdf, let keyCheck = records.keyCheck else {
            throw .metadataInvalid("the meta table lacks its format version, KDF or key-check record")
        }
        guard let version = decodeVersion(versionBytes) else { throw .metadataInvalid("malformed format version record") }
        guard version == formatVersion else { throw .unsupportedFormatVersion(version) }
        let (parameters, salt) = try decodeKDF(kdfBytes)
        let key = try KeyDerivation.deriveKey(passphrase: passphrase, salt: salt, parameters: parameters)
        let sealer = try Sealer(key: key)
        var opened: [UInt8]
        do {
            opened = try sealer.open(keyCheck, table: table, key: keyCheckKey)
        } catch {
            // Under AES-GCM a wrong key and a tampered key-check record are indistinguishable.
            throw .wrongPassphrase
        }
        defer { zeroize(&opened) }
        guard ConstantTime.equal(opened, keyCheckPlaintext) else { throw .wrongPassphrase }
        return sealer
    }

    private static func initialize(env: LMDBEnvironment, passphrase: SecretBytes, parameters: KDFParameters) throws(StorageError) -> Sealer {
        var rng = SystemRandom()
        let salt = rng.bytes(KeyDerivation.saltLength)
        let key = try KeyDerivation.deriveKey(passphrase: passphrase, salt: salt, parameters: parameters)
        let sealer = try Sealer(key: key)
        let keyCheck = try sealer.seal(keyCheckPlaintext, table: table, key: keyCheckKey)
        try env.write { txn throws(StorageError) in
            guard let db = try txn.openDatabase(table, create: true) else { throw .metadataInvalid("cannot create meta") }
            // Insert-only: if another opener initialised the store meanwhile, fail instead of overwriting.
            guard try txn.put(db, versionKey, encodeVersion(formatVersion), overwrite: false),
                  try txn.put(db, kdfKey, encodeKDF(parameters, salt: salt), overwrite: false),
                  try txn.put(db, keyCheckKey, keyCheck, overwrite: false) else {
                throw .metadataInvalid("the meta table was initialised concurrently")
            }
        }
        return sealer
    }

    // MARK: encodings (big-endian, fixed length)

    static func encodeVersion(_ v: UInt32) -> [UInt8] { bigEndian(UInt64(v), bytes: 4) }

    static func decodeVersion(_ b: [UInt8]) -> UInt32? {
        guard b.count == 4 else { return nil }
        return UInt32(readBigEndian(b[...]))
    }

    /// `algorithm (1) || opslimit (8) || memlimit (8) || salt (16)`.
    static func encodeKDF(_ p: KDFParameters, salt: [UInt8]) -> [UInt8] {
        [KeyDerivation.algorithm] + bigEndian(p.opsLimit, bytes: 8) + bigEndian(p.memLimit, bytes: 8) + salt
    }

    static func decodeKDF(_ b: [UInt8]) throws(StorageError) -> (KDFParameters, [UInt8]) {
        guard b.count == 17 + KeyDerivation.saltLength else { throw .metadataInvalid("malformed KDF record") }
        guard b[0] == KeyDerivation.algorithm else { throw .metadataInvalid("unknown KDF algorithm \(b[0])") }
        let parameters = try KDFParameters(opsLimit: readBigEndian(b[1..<9]), memLimit: readBigEndian(b[9..<17]))
        return (parameters, Array(b[17...]))
    }
}

func bigEndian(_ v: UInt64, bytes: Int) -> [UInt8] {
    (0..<bytes).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64(bytes - 1 - $0))) }
}

func readBigEndian(_ b: ArraySlice<UInt8>) -> UInt64 {
    b.reduce(0) { $0 << 8 | UInt64($1) }
}
