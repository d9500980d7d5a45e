/// A record key: a `String` (its UTF-8) or raw bytes. Keys are identifiers, stored in clear (they index the
/// tables); values are always sealed.
public protocol StorageKey: Sendable {
    var storageKeyBytes: [UInt8] { get }
}

extension String: StorageKey {
    public var storageKeyBytes: [UInt8] { Array(utf8) }
}

extension Array: StorageKey where Element == UInt8 {
    public var storageKeyBytes: [UInt8] { self }
}

/// A record read back from a table.
public struct StoredRecord: Sendable, Equatable {
    public let key: [UInt8]
    public let value: [UInt8]
}
