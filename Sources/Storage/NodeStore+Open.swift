import Foundation

extension NodeStore {
    /// Opens (or creates, mode 0700) the store in `directory` with the passphrase in `passphraseFile`
    /// (0600 or 0400); the passphrase is zeroized when this returns.
    public static func open(directory: String, passphraseFile: String, kdf: KDFParameters) throws(StorageError) -> NodeStore {
        let passphrase = try PassphraseSource.file(path: passphraseFile).read()
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        return try NodeStore(directory: directory, passphrase: passphrase, options: .init(kdf: kdf))
    }
}
