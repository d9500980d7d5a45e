import Foundation
import Yams

/// Configuration files: YAML (`.yaml`, `.yml`) or JSON (`.json`), chosen by the file's extension.
/// Every error is `config_invalid` (or `config_unreadable`) and names the field: a missing field, a value
/// of the wrong type, a null, and a key the configuration does not have (a typo is never ignored).
public enum ConfigFile {
    public enum Format: Sendable { case yaml, json }

    public static func format(of path: String) throws(ClusterError) -> Format {
        switch (path as NSString).pathExtension.lowercased() {
        case "yaml", "yml": return .yaml
        case "json": return .json
        default: throw ClusterError("config_invalid", "\(path): unknown configuration format (use .yaml, .yml or .json)")
        }
    }

    /// Decodes `path`; `knownKeys` are the top-level keys the type has (anything else is refused).
    public static func read<T: Decodable>(_ path: String, knownKeys: Set<String>) throws(ClusterError) -> T {
        let format = try format(of: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ClusterError("config_unreadable", "cannot read \(path)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let keys: [String]
        switch format {
        case .yaml:
            let node: Node?
            do { node = try Yams.compose(yaml: text) }
            catch { throw ClusterError("config_invalid", "\(path): not YAML: \(yamlProblem(error))") }
            guard let mapping = node?.mapping else { throw ClusterError("config_invalid", "\(path): not a YAML mapping") }
            keys = mapping.keys.compactMap(\.string)
        case .json:
            guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                throw ClusterError("config_invalid", "\(path): not a JSON object")
            }
            keys = Array(object.keys)
        }
        if let unknown = keys.sorted().first(where: { !knownKeys.contains($0) }) {
            throw ClusterError("config_invalid", "\(path): unknown field \(unknown)")
        }
        do {
            switch format {
            case .yaml: return try YAMLDecoder().decode(T.self, from: text)
            case .json: return try JSONDecoder().decode(T.self, from: data)
            }
        } catch let e as DecodingError {
            throw ClusterError("config_invalid", "\(path): \(describe(e))")
        } catch {
            throw ClusterError("config_invalid", "\(path): \(error)")
        }
    }

    /// Writes `value` in the format the extension names (mode 0600 by default: configurations name secrets' paths).
    public static func write<T: Encodable>(_ value: T, to path: String, mode: Int = 0o600) throws(ClusterError) {
        let data: Data
        do {
            switch try format(of: path) {
            case .yaml:
                let encoder = YAMLEncoder()
                encoder.options.sortKeys = true
                data = Data(try encoder.encode(value).utf8)
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                data = try encoder.encode(value)
            }
        } catch let e as ClusterError { throw e } catch { throw ClusterError("io_error", "cannot encode \(path): \(error)") }
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: mode]) else {
            throw ClusterError("io_error", "cannot write \(path)")
        }
    }

    /// The stored property names of a value (the keys its synthesized Codable conformance uses).
    public static func keys(of value: Any) -> Set<String> {
        Set(Mirror(reflecting: value).children.compactMap(\.label))
    }

    /// A sentence naming the field a decoding error is about.
    public static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String { path.map(\.stringValue).joined(separator: ".") }
        switch error {
        case let .keyNotFound(key, ctx): return "missing field \(field(ctx.codingPath + [key]))"
        case let .typeMismatch(type, ctx): return "bad field \(field(ctx.codingPath)): expected \(typeName(type))"
        case let .valueNotFound(type, ctx): return "null field \(field(ctx.codingPath)): expected \(typeName(type))"
        case let .dataCorrupted(ctx):
            return ctx.codingPath.isEmpty ? "unreadable: \(ctx.debugDescription)" : "bad field \(field(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int?.Type: return "an integer"
        case is String.Type, is String?.Type: return "a string"
        case is Bool.Type, is Bool?.Type: return "true or false"
        case is [String].Type, is [String]?.Type: return "a list of strings"
        case is Node.Scalar.Type: return "a single value, not a list or mapping"
        default: return "\(type)"
        }
    }

    static func yamlProblem(_ error: any Error) -> String {
        switch error as? YamlError {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return "\(problem) at line \(mark.line)"
        default: return "\(error)"
        }
    }
}
