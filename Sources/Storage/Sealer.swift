internal import CSodium
import Protocols

/// Seals and opens stored values with AES-256-GCM (libsodium), a fresh random 96-bit nonce per value, and
/// associated data that binds the format version, the table and the key, so a sealed value cannot be
/// moved to another key or table, or replayed under another format.
///
/// Sealed layout: `version (1) || nonce (12) || ciphertext || tag (16)`.
struct Sealer: Sendable {
    static let formatVersion: UInt8 = 1
    static let nonceLength = Int(crypto_aead_aes256gcm_NPUBBYTES)
    static let tagLength = Int(crypto_aead_aes256gcm_ABYTES)
    static let overhead = 1 + nonceLength + tagLength
    private static let domain = Array("tss-custody/storage/v1".utf8)

    private let key: SealingKey

    /// Refuses to exist where AES-256-GCM is not available (libsodium needs AES-NI and CLMUL).
    init(key: SealingKey) throws(StorageError) {
        try Sodium.ready()
        guard crypto_aead_aes256gcm_is_available() == 1 else { throw .aesGCMUnavailable }
        self.key = key
    }

    func seal(_ plaintext: [UInt8], table: String, key recordKey: [UInt8]) throws(StorageError) -> [UInt8] {
        var rng = SystemRandom()
        return try seal(plaintext, table: table, key: recordKey, nonce: rng.bytes(Self.nonceLength))
    }

    /// Sealing with a given nonce: only for the golden-format test; a nonce must never repeat under a key.
    func seal(_ plaintext: [UInt8], table: String, key recordKey: [UInt8], nonce: [UInt8]) throws(StorageError) -> [UInt8] {
        guard nonce.count == Self.nonceLength else { throw .sealingFailed }
        let aad = Self.associatedData(version: Self.formatVersion, table: table, key: recordKey)
        var out = [UInt8](repeating: 0, count: Self.overhead + plaintext.count)
        out[0] = Self.formatVersion
        for i in 0..<Self.nonceLength { out[1 + i] = nonce[i] }
        var written: UInt64 = 0
        let rc = out.withUnsafeMutableBufferPointer { o in
            plaintext.withUnsafeBufferPointer { m in
                aad.withUnsafeBufferPointer { a in
                    nonce.withUnsafeBufferPointer { n in
                        self.key.secret.withUnsafeBytes { k in
                            crypto_aead_aes256gcm_encrypt(
                                UnsafeMutableRawBufferPointer(o).nonNull + 1 + Self.nonceLength, &written,
                                UnsafeRawBufferPointer(m).nonNull, UInt64(m.count),
                                UnsafeRawBufferPointer(a).nonNull, UInt64(a.count), nil,
                                UnsafeRawBufferPointer(n).nonNull, k.nonNull)
                        }
                    }
                }
            }
        }
        guard rc == 0, Int(written) == plaintext.count + Self.tagLength else { throw .sealingFailed }
        return out
    }

    /// Opens a sealed value; anything that does not authenticate (tampered, truncated, wrong table or key,
    /// unknown version) is `StorageError.corrupted(table:key:)`.
    func open(_ sealed: [UInt8], table: String, key recordKey: [UInt8]) throws(StorageError) -> [UInt8] {
        guard sealed.count >= Self.overhead, sealed[0] == Self.formatVersion else {
            throw .corrupted(table: table, key: recordKey)
        }
        let aad = Self.associatedData(version: sealed[0], table: table, key: recordKey)
        let length = sealed.count - Self.overhead
        // At least one byte so the output has an address even for an empty value; trimmed below.
        var out = [UInt8](repeating: 0, count: max(1, length))
        var written: UInt64 = 0
        let rc = out.withUnsafeMutableBufferPointer { o in
            sealed.withUnsafeBufferPointer { s in
                aad.withUnsafeBufferPointer { a in
                    self.key.secret.withUnsafeBytes { k in
                        crypto_aead_aes256gcm_decrypt(
                            UnsafeMutableRawBufferPointer(o).nonNull, &written, nil,
                            UnsafeRawBufferPointer(s).nonNull + 1 + Self.nonceLength, UInt64(s.count - 1 - Self.nonceLength),
                            UnsafeRawBufferPointer(a).nonNull, UInt64(a.count),
                            UnsafeRawBufferPointer(s).nonNull + 1, k.nonNull)
                    }
                }
            }
        }
        guard rc == 0, Int(written) == length else {
            zeroize(&out)
            throw .corrupted(table: table, key: recordKey)
        }
        if length == 0 { out.removeAll() }
        return out
    }

    /// `domain || version || len32(table) || table || len32(key) || key`: unambiguous, length-prefixed.
    static func associatedData(version: UInt8, table: String, key: [UInt8]) -> [UInt8] {
        let t = Array(table.utf8)
        var aad = domain
        aad.reserveCapacity(domain.count + 9 + t.count + key.count)
        aad.append(version)
        appendLength(t.count, to: &aad); aad += t
        appendLength(key.count, to: &aad); aad += key
        return aad
    }

    private static func appendLength(_ n: Int, to out: inout [UInt8]) {
        let v = UInt32(truncatingIfNeeded: n)
        out += [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]
    }
}
