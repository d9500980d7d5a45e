import Foundation
import Protocols
internal import CSodium

/// libsodium must be initialised before use; `sodium_init` is idempotent and thread-safe.
enum SodiumRuntime {
    static let initialized: Bool = sodium_init() >= 0
    static func ensure() { precondition(initialized, "libsodium failed to initialise") }
}

/// The public half of an identity: what a cluster configuration or key directory lists.
public struct PublicIdentity: Sendable, Hashable, Codable {
    public let id: String
    /// Ed25519 public key (32 bytes): verifies this party's envelopes.
    public let signingKey: [UInt8]
    /// X25519 public key (32 bytes): encrypts point-to-point messages to this party.
    public let agreementKey: [UInt8]

    public init(id: String, signingKey: [UInt8], agreementKey: [UInt8]) throws(IdentityError) {
        guard PartyID.isValid(id) else { throw .invalidID(id) }
        guard signingKey.count == 32, agreementKey.count == 32 else { throw .invalidKey }
        self.id = id; self.signingKey = signingKey; self.agreementKey = agreementKey
    }

    enum CodingKeys: String, CodingKey { case id, signingKey, agreementKey }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let s = Hex.decode(try c.decode(String.self, forKey: .signingKey)),
              let a = Hex.decode(try c.decode(String.self, forKey: .agreementKey)) else { throw IdentityError.invalidKey }
        try self.init(id: try c.decode(String.self, forKey: .id), signingKey: s, agreementKey: a)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(Hex.encode(signingKey), forKey: .signingKey)
        try c.encode(Hex.encode(agreementKey), forKey: .agreementKey)
    }
}

public enum IdentityError: Error, Sendable, Equatable {
    case invalidID(String)
    case invalidKey
    case invalidFile(String)
    case io(String)

    public var code: String {
        switch self {
        case .invalidID: return "invalid_party_id"
        case .invalidKey: return "invalid_key"
        case .invalidFile: return "invalid_identity_file"
        case .io: return "io_error"
        }
    }
}

/// A party's long-term keys, all derived from one 32-byte master seed:
///   Ed25519 seed = SHA-256("threshold-custody/identity/ed25519/v1" || 0x00 || master)
///   X25519 key   = SHA-256("threshold-custody/identity/x25519/v1"  || 0x00 || master)
/// Two independent keys rather than converting the Ed25519 key to Curve25519: no key is used by two
/// primitives, and the agreement key can be rotated by format version without touching the
/// signing key. One seed keeps the file and backups to a single secret.
public struct Identity: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let id: String
    let seed: SecretBytes
    /// libsodium's 64-byte Ed25519 secret key (seed || public key).
    let signingSecret: SecretBytes
    let agreementSecret: SecretBytes
    public let publicIdentity: PublicIdentity

    public var signingPublicKey: [UInt8] { publicIdentity.signingKey }
    public var agreementPublicKey: [UInt8] { publicIdentity.agreementKey }

    public static func generate<R: RandomSource>(id: String, using rng: inout R) throws(IdentityError) -> Identity {
        var s = rng.bytes(32)
        defer { zeroize(&s) }
        return try Identity(id: id, seed: SecretBytes(s))
    }

    public init(id: String, seed: SecretBytes) throws(IdentityError) {
        SodiumRuntime.ensure()
        guard PartyID.isValid(id) else { throw .invalidID(id) }
        guard seed.count == 32 else { throw .invalidKey }
        var master = seed.copyBytes()
        defer { zeroize(&master) }
        var edSeed = Hash.sha256([Array("threshold-custody/identity/ed25519/v1".utf8), [0], master])
        var xSecret = Hash.sha256([Array("threshold-custody/identity/x25519/v1".utf8), [0], master])
        defer { zeroize(&edSeed); zeroize(&xSecret) }
        var pk = [UInt8](repeating: 0, count: 32)
        var sk = [UInt8](repeating: 0, count: 64)
        defer { zeroize(&sk) }
        guard crypto_sign_seed_keypair(&pk, &sk, edSeed) == 0 else { throw .invalidKey }
        var xpk = [UInt8](repeating: 0, count: 32)
        guard crypto_scalarmult_base(&xpk, xSecret) == 0 else { throw .invalidKey }
        self.id = id
        self.seed = seed
        self.signingSecret = SecretBytes(sk)
        self.agreementSecret = SecretBytes(xSecret)
        self.publicIdentity = try PublicIdentity(id: id, signingKey: pk, agreementKey: xpk)
    }

    /// Ed25519 detached signature over `message`.
    public func sign(message: [UInt8]) -> [UInt8] {
        var sig = [UInt8](repeating: 0, count: 64)
        signingSecret.withUnsafeBytes { sk in
            guard let key = sk.bindMemory(to: UInt8.self).baseAddress, sk.count == 64 else { return }
            _ = crypto_sign_detached(&sig, nil, message, UInt64(message.count), key)
        }
        return sig
    }

    /// Signs an envelope (its canonical fields, under the envelope signature context).
    public func sign(_ envelope: Envelope) throws(EnvelopeEncodingError) -> SignedEnvelope {
        SignedEnvelope(envelope: envelope, signature: sign(message: try EnvelopeCodec.signingMessage(envelope)))
    }

    /// RFC 8032 verification with libsodium's answers (`Ed25519VerifyingKey.check`: precomputed multiples for a key
    /// seen before, libsodium otherwise).
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        Ed25519VerifyingKey.check(signature: signature, message: message, publicKey: publicKey)
    }

    public var description: String { "Identity(\(id), signing: \(Hex.encode(signingPublicKey)), secret: <redacted>)" }
    public var debugDescription: String { description }

    // MARK: File format
    //
    // JSON, one object (keys sorted):
    //   {"agreementKey":"<64 hex>","format":"threshold-custody-identity","id":"node-1",
    //    "seed":"<64 hex>","signingKey":"<64 hex>","version":1}
    // The public keys are redundant and checked on load (catches a corrupted or hand-edited file).
    // Written with mode 0600. The seed is in clear: protect the file (or seal it with Storage).
    // The seed never passes through a Swift String (which could not be wiped): it is hex-encoded
    // into and decoded from byte arrays that are zeroized.

    static let fileFormat = "threshold-custody-identity"

    /// The public fields; the seed is handled separately, as bytes.
    private struct PublicFileModel: Decodable {
        var format: String
        var version: Int
        var id: String
        var signingKey: String
        var agreementKey: String
    }

    public func fileContents() -> [UInt8] {
        var seedBytes = seed.copyBytes()
        defer { zeroize(&seedBytes) }
        var out: [UInt8] = []
        out.reserveCapacity(320)
        func text(_ t: String) { out.append(contentsOf: Array(t.utf8)) }
        text("{\"agreementKey\":\"\(Hex.encode(agreementPublicKey))\",\"format\":\"\(Identity.fileFormat)\",")
        text("\"id\":\"\(id)\",\"seed\":\"")
        let digits = Array("0123456789abcdef".utf8)
        for b in seedBytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0x0f)]) }
        text("\",\"signingKey\":\"\(Hex.encode(signingPublicKey))\",\"version\":1}\n")
        return out
    }

    public init(fileContents: [UInt8]) throws(IdentityError) {
        let model: PublicFileModel
        do { model = try JSONDecoder().decode(PublicFileModel.self, from: Data(fileContents)) }
        catch { throw .invalidFile("not an identity JSON object") }
        guard model.format == Identity.fileFormat else { throw .invalidFile("unknown format \(model.format)") }
        guard model.version == 1 else { throw .invalidFile("unsupported version \(model.version)") }
        guard var seedBytes = Identity.extractSeed(fileContents) else { throw .invalidFile("bad seed") }
        defer { zeroize(&seedBytes) }
        try self.init(id: model.id, seed: SecretBytes(seedBytes))
        guard Hex.decode(model.signingKey) == signingPublicKey, Hex.decode(model.agreementKey) == agreementPublicKey else {
            throw .invalidFile("public keys do not match the seed")
        }
    }

    /// Finds exactly one `"seed" : "<64 hex>"` member and decodes it straight into bytes.
    static func extractSeed(_ file: [UInt8]) -> [UInt8]? {
        let key = Array("\"seed\"".utf8)
        var matches: [Int] = []
        if file.count >= key.count {
            for i in 0...(file.count - key.count) where file[i..<i + key.count].elementsEqual(key) { matches.append(i) }
        }
        guard matches.count == 1, let start = matches.first else { return nil }
        var i = start + key.count
        func skipSpace() { while i < file.count, [0x20, 0x09, 0x0a, 0x0d].contains(file[i]) { i += 1 } }
        skipSpace()
        guard i < file.count, file[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        skipSpace()
        guard i < file.count, file[i] == UInt8(ascii: "\"") else { return nil }
        i += 1
        guard i + 64 < file.count, file[i + 64] == UInt8(ascii: "\"") else { return nil }
        var out = [UInt8](repeating: 0, count: 32)
        for j in 0..<32 {
            guard let hi = Hex.nibble(file[i + 2 * j]), let lo = Hex.nibble(file[i + 2 * j + 1]) else { zeroize(&out); return nil }
            out[j] = hi << 4 | lo
        }
        return out
    }

    /// Writes the identity file (mode 0600). Refuses to replace an existing file unless asked:
    /// overwriting a key by mistake loses it.
    public func save(to path: String, overwrite: Bool = false) throws(IdentityError) {
        if !overwrite && FileManager.default.fileExists(atPath: path) { throw .io("\(path) exists") }
        var contents = fileContents()
        defer { zeroize(&contents) }
        let created = FileManager.default.createFile(atPath: path, contents: Data(contents),
                                                     attributes: [.posixPermissions: 0o600])
        guard created else { throw .io("cannot write \(path)") }
    }

    public static func load(from path: String) throws(IdentityError) -> Identity {
        guard let data = FileManager.default.contents(atPath: path) else { throw .io("cannot read \(path)") }
        var bytes = Array(data)
        defer { zeroize(&bytes) }
        return try Identity(fileContents: bytes)
    }
}
