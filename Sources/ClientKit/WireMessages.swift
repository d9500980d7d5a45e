import Foundation
import Messaging
import Protocols

/// Payloads carried inside signed envelopes: JSON with bytes as lowercase hex (plans and node replies also in a compact binary form, CompactBody.swift).
/// Everything decoded here came from the network: callers validate before use.

/// Client -> coordinator, envelope type `keygenRequest`; the envelope's session id is the request id.
public struct KeygenRequestBody: Codable, Sendable, Equatable {
    public var walletId: String
    public var curve: Curve
    public init(walletId: String, curve: Curve) { self.walletId = walletId; self.curve = curve }
}

/// Client -> coordinator, envelope type `signRequest`.
public struct SignRequestBody: Codable, Sendable, Equatable {
    public var walletId: String
    public var digest: String
    public var derivationPath: String
    /// Optional exact signer set (node ids); the client signs it, so only an authorized client can force it.
    public var signers: [String]?
    public init(walletId: String, digest: String, derivationPath: String = "", signers: [String]? = nil) {
        self.walletId = walletId; self.digest = digest; self.derivationPath = derivationPath; self.signers = signers
    }

    /// Key derivation (HD tweaks of the wallet key) is not implemented, so a request that names a derivation path is
    /// refused, by the coordinator before it picks signers and by every node before it touches a nonce or a
    /// presignature (SECURITY-CHECKLIST 20: a tweak must be bound before a presignature is used; signing with the
    /// wallet's root key for a request that asked for a derived key would answer a different key than asked).
    public func checkDerivation() throws(ClusterError) {
        guard derivationPath.isEmpty else {
            throw ClusterError("derivation_unsupported", "key derivation is not supported: derivationPath must be empty")
        }
    }
}

/// `sign`: two rounds (plan -> commitments, signing package -> share). `commit` and `signPrepared` are the
/// preprocessed form of RFC 9591 §5.1: a node commits ahead (`count` fresh commitments for the wallet, its
/// nonces kept in memory only, each used at most once), and a sign then takes one round: the plan carries the
/// whole signing package and the node answers its share (plus fresh commitments for the coordinator's pool).
public enum SessionKind: String, Codable, Sendable, CaseIterable { case keygen, sign, commit, signPrepared }

/// Coordinator -> node, envelope type `sessionPlan` (NATS request on `Subjects.nodePlan(node)`).
public struct SessionPlanBody: Codable, Sendable, Equatable {
    public var kind: SessionKind
    public var walletId: String
    public var curve: Curve
    /// Node ids, exact signer / participant set fixed by the coordinator.
    public var participants: [String]
    public var threshold: Int
    public var digest: String?
    /// The client's original signed request (hex): nodes check it themselves.
    public var clientRequest: String
    /// Sign: the wallet's current share generation; a node holding another generation refuses (`stale_generation`).
    public var generation: UInt64?
    /// `signPrepared`: the RFC 9591 signing package (wire format, hex) built from preprocessed commitments.
    public var package: String?
    /// `commit`: how many commitments to prepare; `signPrepared`: how many fresh ones to return with the share.
    public var count: Int?
    public init(kind: SessionKind, walletId: String, curve: Curve, participants: [String], threshold: Int, digest: String?, clientRequest: String) {
        self.kind = kind; self.walletId = walletId; self.curve = curve; self.participants = participants
        self.threshold = threshold; self.digest = digest; self.clientRequest = clientRequest
    }
}

/// Node -> coordinator reply to a plan or a signing package (envelope type `partialSignature`,
/// or `error` when `code` is set).
public struct NodeReplyBody: Codable, Sendable, Equatable {
    public var code: String?
    public var message: String?
    /// Sign round 1: the signer's commitments (wire format); round 2: its signature share.
    public var data: String?
    /// `commit` and `signPrepared`: fresh preprocessed commitments (wire format, hex), each usable once.
    public var commitments: [String]?
    public init(code: String? = nil, message: String? = nil, data: String? = nil, commitments: [String]? = nil) {
        self.code = code; self.message = message; self.data = data; self.commitments = commitments
    }
}

/// Node -> coordinator when its DKG finished (envelope type `result`, on `Subjects.keygenResponse`).
public struct KeygenResultBody: Codable, Sendable, Equatable {
    public var walletId: String
    public var curve: Curve
    public var code: String?
    public var message: String?
    public var publicKeyPackage: String?
    public var groupPublicKey: String?
    public init(walletId: String, curve: Curve, code: String? = nil, message: String? = nil,
                publicKeyPackage: String? = nil, groupPublicKey: String? = nil) {
        self.walletId = walletId; self.curve = curve; self.code = code; self.message = message
        self.publicKeyPackage = publicKeyPackage; self.groupPublicKey = groupPublicKey
    }
}

/// Coordinator -> client, envelope type `result` (or `error`), session id = request id.
public struct ClientResultBody: Codable, Sendable, Equatable {
    public var requestId: String
    public var code: String?
    public var message: String?
    public var walletId: String?
    public var curve: Curve?
    public var publicKey: String?
    public var signature: String?
    public var signers: [String]?
    public var nodes: [String: Bool]?
    /// Sign: each signer's own Ed25519-signed envelope carrying its signature share (hex), so a client can
    /// check who answered.
    public var evidence: [String]?
    /// Threshold ECDSA (curve `secp256k1`) only: `signature` is r‖s (64 bytes, low-S) and this is the recovery id
    /// v ∈ {0, 1} (the parity of R's y); `publicKey` is the 33-byte compressed key.
    public var recoveryId: Int?
    /// Status only: where the healthy set came from ("nats" or "consul" discovery; "probe" when discovery
    /// could not be asked and the coordinator probed the nodes itself).
    public var discovery: String?
    /// Status only: how many client requests the coordinator has claimed (taken on) since its log began.
    public var requestsClaimed: Int?
    /// Reshare only: the wallet's new threshold and share generation (`signers` lists the new members).
    public var threshold: Int?
    public var generation: UInt64?
    public init(requestId: String, code: String? = nil, message: String? = nil, walletId: String? = nil, curve: Curve? = nil,
                publicKey: String? = nil, signature: String? = nil, signers: [String]? = nil, nodes: [String: Bool]? = nil,
                evidence: [String]? = nil, recoveryId: Int? = nil) {
        self.requestId = requestId; self.code = code; self.message = message; self.walletId = walletId
        self.curve = curve; self.publicKey = publicKey; self.signature = signature; self.signers = signers; self.nodes = nodes
        self.evidence = evidence; self.recoveryId = recoveryId
    }
    public var ok: Bool { code == nil }
}

/// Cluster subjects beyond `Messaging.Subjects`.
public enum ClusterSubjects {
    public static func nodePlan(_ node: String) -> String { "mpc.node.\(node).plan" }
    public static func nodeRound(_ node: String) -> String { "mpc.node.\(node).round" }
    public static func health(_ node: String) -> String { "mpc.health.\(node)" }
    public static func keygenResponse(_ s: SessionID) -> String { "mpc.keygen.response.\(s.hex)" }
    public static let pubkeyRequest = "mpc.pubkey.request"
    public static let statusRequest = "mpc.status.request"
    public static func result(_ requestId: String) -> String { "mpc.result.\(requestId)" }
    public static let resultStream = "MPC_RESULTS"
}

/// The bodies inside envelopes: JSON, except the plans and node replies, which go in their compact binary form
/// (`CompactWireBody`); their decoder takes either form.
public enum WireBody {
    public static func encode<T: CompactWireBody>(_ v: T) -> [UInt8] { v.compactEncoded() }

    public static func decode<T: CompactWireBody>(_ t: T.Type, _ bytes: [UInt8]) throws(ClusterError) -> T {
        if bytes.first == UInt8(ascii: "{") { return try decodeJSON(t, bytes) }
        return try T(compact: bytes)
    }

    public static func encode(_ v: ClientResultBody) -> [UInt8] { v.jsonEncoded() }

    public static func encode<T: Encodable>(_ v: T) -> [UInt8] { encodeJSON(v) }

    static func encodeJSON<T: Encodable>(_ v: T) -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return (try? Array(e.encode(v))) ?? []
    }
    public static func decode<T: Decodable>(_ t: T.Type, _ bytes: [UInt8]) throws(ClusterError) -> T {
        try decodeJSON(t, bytes)
    }

    /// The plain form without `JSONDecoder` (`FlatJSONReader`), anything else with it: the same value either way.
    public static func decode<T: FlatJSONDecodable>(_ t: T.Type, _ bytes: [UInt8]) throws(ClusterError) -> T {
        if let v = T(flatJSON: bytes) { return v }
        return try decodeJSON(t, bytes)
    }

    static func decodeJSON<T: Decodable>(_ t: T.Type, _ bytes: [UInt8]) throws(ClusterError) -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(bytes)) }
        catch { throw ClusterError("malformed_payload", "cannot decode \(T.self)") }
    }
    public static func hex(_ s: String?, _ field: String) throws(ClusterError) -> [UInt8] {
        guard let s, let b = Hex.decode(s) else { throw ClusterError("malformed_payload", "\(field): not hex") }
        return b
    }
}

public enum Clock {
    public static func nowMillis() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970 * 1000)) }
}

extension Identity {
    /// A freshly signed envelope.
    public func envelope(_ type: MessageType, session: SessionID, to recipient: Recipient = .broadcast,
                         payload: [UInt8], ttlMillis: UInt64 = 120_000) -> SignedEnvelope? {
        var rng = SystemRandom()
        let e = Envelope.make(type: type, sessionId: session, sender: id, recipient: recipient, payload: payload,
                              now: Clock.nowMillis(), ttlMillis: ttlMillis, using: &rng)
        return try? sign(e)
    }
}
