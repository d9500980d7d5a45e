import Foundation
import Testing

/// Locates the read-only conformance vectors: <repo root>/../shared/vectors (the CI layout), else
/// $MPC_SHARED_DIR/vectors, else /work/shared/vectors. Missing vectors FAIL the test, never skip it.
enum SharedVectors {
    static var directory: URL? {
        let repoRoot = URL(fileURLWithPath: #filePath)          // <root>/Tests/ProtocolsTests/Support/SharedVectors.swift
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        var candidates = [repoRoot.appendingPathComponent("../shared/vectors").standardizedFileURL]
        if let env = ProcessInfo.processInfo.environment["MPC_SHARED_DIR"], !env.isEmpty {
            candidates.append(URL(fileURLWithPath: env).appendingPathComponent("vectors"))
        }
        candidates.append(URL(fileURLWithPath: "/work/shared/vectors"))
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The bytes of one vector file; records a test failure (and throws) when it cannot be found.
    static func load(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        guard let dir = directory else {
            Issue.record("shared vectors directory not found (../shared/vectors, $MPC_SHARED_DIR, /work/shared)",
                         sourceLocation: sourceLocation)
            throw MissingVectors(name: name)
        }
        let url = dir.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("vector file missing: \(url.path)", sourceLocation: sourceLocation)
            throw MissingVectors(name: name)
        }
        return [UInt8](data)
    }

    struct MissingVectors: Error { let name: String }
}
