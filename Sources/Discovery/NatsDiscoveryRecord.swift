import Foundation

/// What one registration looks like in the discovery bucket: the instance, the TTL it registered
/// with and the writer's clock at the write (diagnostics; freshness uses the server's write time).
struct NatsDiscoveryRecord: Codable, Equatable, Sendable {
    static let currentVersion = 1
    var version: Int
    var instance: ServiceInstance
    var ttlMillis: Int64
    var lastSeenMillis: Int64

    init(instance: ServiceInstance, ttlMillis: Int64, lastSeenMillis: Int64) {
        self.version = Self.currentVersion
        self.instance = instance; self.ttlMillis = ttlMillis; self.lastSeenMillis = lastSeenMillis
    }

    func encoded() throws(DiscoveryError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do { return Array(try encoder.encode(self)) } catch {
            throw .invalidConfiguration("cannot encode registration of \(instance.id): \(error)")
        }
    }

    /// nil for anything that is not a well-formed record of a supported version (never traps on
    /// what another writer put in the bucket).
    static func decode(_ bytes: [UInt8]) -> NatsDiscoveryRecord? {
        guard !bytes.isEmpty, let record = try? JSONDecoder().decode(NatsDiscoveryRecord.self, from: Data(bytes)),
              record.version == currentVersion, record.ttlMillis > 0 else { return nil }
        return record
    }
}

/// Key layout in the bucket: `<service>.<instance id>`, each part escaped so that it only holds
/// characters JetStream KV accepts (`A-Z a-z 0-9 - _`) plus `=XX` hex escapes for anything else.
/// An escaped part never contains `.`, so the prefix `<service>.` matches exactly one service.
enum NatsDiscoveryKey {
    static func escape(_ part: String) -> String {
        var out = ""
        for byte in part.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "=" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// Inverse of `escape`; nil for text `escape` cannot have produced.
    static func unescape(_ part: String) -> String? {
        var bytes: [UInt8] = []
        var it = Array(part.utf8).makeIterator()
        while let b = it.next() {
            if b == UInt8(ascii: "=") {
                guard let h = it.next(), let l = it.next(),
                      let v = UInt8(String(decoding: [h, l], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(v)
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func key(service: String, id: String) -> String { escape(service) + "." + escape(id) }
    static func prefix(service: String) -> String { escape(service) + "." }

    /// The instance id of a key under `service`, or nil if the key belongs elsewhere.
    static func instanceID(fromKey key: String, service: String) -> String? {
        let prefix = prefix(service: service)
        guard key.hasPrefix(prefix) else { return nil }
        let rest = String(key.dropFirst(prefix.count))
        guard !rest.isEmpty, !rest.contains(".") else { return nil }
        return unescape(rest)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension Duration {
    /// Whole milliseconds (rounded down), saturating.
    var discoveryMillis: Int64 {
        let c = components
        let (ms, overflow) = c.seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? .max : ms.addingReportingOverflow(c.attoseconds / 1_000_000_000_000_000).partialValue
    }
}
