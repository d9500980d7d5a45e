import Foundation
import Testing
import Protocols
@testable import Chains
internal import CSecp256k1

/// Locates the shared read-only vectors: <repo>/../shared/vectors (repo root computed from this file's path),
/// then $MPC_SHARED_DIR/vectors, then /work/shared/vectors.
enum SharedVectors {
    static var directory: URL {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            repo.deletingLastPathComponent().appendingPathComponent("shared/vectors"),
            ProcessInfo.processInfo.environment["MPC_SHARED_DIR"].map { URL(fileURLWithPath: $0).appendingPathComponent("vectors") },
            URL(fileURLWithPath: "/work/shared/vectors"),
        ].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[candidates.count - 1]
    }

    static func json(_ name: String) throws -> Any {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONSerialization.jsonObject(with: data)
    }
}

enum Fixtures {
    /// A fixture parsed with the module's own strict JSON reader (keeps big integers exact).
    static func json(_ name: String) throws -> JSONValue {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw FixtureError.missing(name)
        }
        return try JSONValue.parse([UInt8](Data(contentsOf: url)))
    }
}

/// The documented example inputs in <repo>/examples (`mpc sign-tx --tx examples/tx/NAME`), located from this file's path.
enum Examples {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples")
    }

    /// `name` relative to examples/, e.g. "tx/ethereum-legacy.json".
    static func json(_ name: String) throws -> JSONValue {
        try JSONValue.parse([UInt8](Data(contentsOf: directory.appendingPathComponent(name))))
    }
}

extension JSONValue {
    var str: String { if case .string(let s) = self { return s }; return "" }
    var arr: [JSONValue] { if case .array(let a) = self { return a }; return [] }
    var int: Int { if case .number(let n) = self { return Int(n) ?? -1 }; return -1 }
    var bool: Bool { if case .bool(let b) = self { return b }; return false }
    func at(_ key: String) -> JSONValue { self[key] ?? .null }
}

enum FixtureError: Error { case missing(String), bad(String) }

func hex(_ s: String) -> [UInt8] { Hex.decode(s) ?? [0xde, 0xad] }  // a bad literal makes the test fail, not crash

/// Test-only signer: recoverable ECDSA with a known private key (RFC 6979 nonces, low-S by construction).
enum TestSigner {
    static func signRecoverable(digest: [UInt8], privateKey: [UInt8]) -> (r: [UInt8], s: [UInt8], recid: Int)? {
        guard let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else { return nil }
        defer { secp256k1_context_destroy(ctx) }
        var sig = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_sign_recoverable(ctx, &sig, digest, privateKey, nil, nil) == 1 else { return nil }
        var out = [UInt8](repeating: 0, count: 64)
        var recid: Int32 = 0
        guard secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, &out, &recid, &sig) == 1 else { return nil }
        return (Array(out[0..<32]), Array(out[32..<64]), Int(recid))
    }

    static func publicKey(privateKey: [UInt8], compressed: Bool) -> [UInt8]? {
        guard let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else { return nil }
        defer { secp256k1_context_destroy(ctx) }
        var pk = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_create(ctx, &pk, privateKey) == 1 else { return nil }
        var out = [UInt8](repeating: 0, count: compressed ? 33 : 65)
        var len = out.count
        guard secp256k1_ec_pubkey_serialize(ctx, &out, &len, &pk, UInt32(compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED)) == 1 else { return nil }
        return out
    }
}

extension JSONValue: CustomTestStringConvertible {
    /// Fixture entries show their "name" in test output instead of the whole document.
    public var testDescription: String { self["name"].map { $0.str } ?? "json" }
}
