import Foundation
import Messaging
import Protocols

/// The public description of a cluster, shared by every process and the clients.
public struct ClusterManifest: Codable, Sendable, Equatable {
    public static let fileName = "manifest.json"
    public var threshold: Int
    /// Node identities in participant order: node i (0-based) is FROST participant i + 1.
    public var nodes: [PublicIdentity]
    public var coordinator: PublicIdentity
    /// Keys allowed to request keygen / sign / reshare (EVENT_INITIATOR_PUBKEY).
    public var clients: [PublicIdentity]
    public var natsURL: String

    public init(threshold: Int, nodes: [PublicIdentity], coordinator: PublicIdentity, clients: [PublicIdentity], natsURL: String) {
        self.threshold = threshold; self.nodes = nodes; self.coordinator = coordinator; self.clients = clients
        self.natsURL = natsURL
    }

    /// Checks the shape; names the bad field.
    public func validate() throws(ClusterError) {
        guard !nodes.isEmpty else { throw ClusterError("config_invalid", "nodes: empty") }
        guard nodes.count <= 255 else { throw ClusterError("config_invalid", "nodes: more than 255") }
        guard threshold >= 1, threshold <= nodes.count else {
            throw ClusterError("config_invalid", "threshold: \(threshold) not in 1...\(nodes.count)")
        }
        guard Set(nodes.map(\.id)).count == nodes.count else { throw ClusterError("config_invalid", "nodes: duplicate id") }
        guard !clients.isEmpty else { throw ClusterError("config_invalid", "clients: empty") }
    }

    public func participantID(of node: String) -> ParticipantID? {
        guard let i = nodes.firstIndex(where: { $0.id == node }) else { return nil }
        return try? ParticipantID(UInt16(i + 1))
    }

    public func node(_ id: String) -> PublicIdentity? { nodes.first { $0.id == id } }

    public static func load(path: String) throws(ClusterError) -> ClusterManifest {
        let m: ClusterManifest = try JSONFile.read(path)
        try m.validate()
        return m
    }
}

/// Small JSON file helpers with typed errors naming the file.
public enum JSONFile {
    public static func read<T: Decodable>(_ path: String) throws(ClusterError) -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ClusterError("config_unreadable", "cannot read \(path)")
        }
        do { return try JSONDecoder().decode(T.self, from: data) }
        catch let DecodingError.keyNotFound(key, _) { throw ClusterError("config_invalid", "\(path): missing field \(key.stringValue)") }
        catch let DecodingError.typeMismatch(_, ctx) {
            throw ClusterError("config_invalid", "\(path): bad field \(ctx.codingPath.map(\.stringValue).joined(separator: "."))")
        }
        catch let DecodingError.valueNotFound(_, ctx) {
            throw ClusterError("config_invalid", "\(path): null field \(ctx.codingPath.map(\.stringValue).joined(separator: "."))")
        }
        catch { throw ClusterError("config_invalid", "\(path): \(error)") }
    }

    public static func write<T: Encodable>(_ value: T, to path: String, mode: Int = 0o644) throws(ClusterError) {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? enc.encode(value),
              FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: mode]) else {
            throw ClusterError("io_error", "cannot write \(path)")
        }
    }
}
