import Protocols

/// What an envelope carries. The raw values are part of the wire format: never renumber.
public enum MessageType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case keygenRequest = 1
    case signRequest = 2
    case reshareRequest = 3
    case sessionPlan = 4
    case roundMessage = 5
    case partialSignature = 6
    case result = 7
    case error = 8

    public var description: String {
        switch self {
        case .keygenRequest: return "keygenRequest"
        case .signRequest: return "signRequest"
        case .reshareRequest: return "reshareRequest"
        case .sessionPlan: return "sessionPlan"
        case .roundMessage: return "roundMessage"
        case .partialSignature: return "partialSignature"
        case .result: return "result"
        case .error: return "error"
        }
    }
}

/// A 16-byte random session identifier.
public struct SessionID: Sendable, Hashable, CustomStringConvertible {
    public static let byteCount = 16
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == SessionID.byteCount else { return nil }
        self.bytes = bytes
    }

    public static func random<R: RandomSource>(using rng: inout R) -> SessionID {
        SessionID(unchecked: rng.bytes(byteCount))
    }

    init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }
}

/// Party identifiers (node ids, "coordinator", client ids): 1...64 characters of [A-Za-z0-9_-],
/// so that they can also be NATS subject tokens (`mpc.session.<id>.p2p.<party>`).
public enum PartyID {
    public static let maxLength = 64

    public static func isValid(_ id: String) -> Bool { isValid(Array(id.utf8)) }

    static func isValid(_ utf8: [UInt8]) -> Bool {
        guard (1...maxLength).contains(utf8.count) else { return false }
        return utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d || c == 0x5f
        }
    }
}

public enum Recipient: Sendable, Hashable, CustomStringConvertible {
    case broadcast
    case party(String)

    public var description: String {
        switch self {
        case .broadcast: return "*"
        case let .party(p): return p
        }
    }
}

/// The signed fields of a message. Build one with `make`, sign it with `Identity.sign`,
/// receive one only through `EnvelopeVerifier`.
public struct Envelope: Sendable, Equatable {
    public static let currentVersion: UInt8 = 1
    public static let nonceByteCount = 16

    public var version: UInt8
    public var type: MessageType
    public var sessionId: SessionID
    public var sender: String
    public var recipient: Recipient
    /// Milliseconds since the Unix epoch.
    public var timestamp: UInt64
    /// Milliseconds since the Unix epoch; the envelope is refused from this instant on.
    public var expiry: UInt64
    public var nonce: [UInt8]
    public var payload: [UInt8]

    public init(version: UInt8 = Envelope.currentVersion, type: MessageType, sessionId: SessionID, sender: String,
                recipient: Recipient, timestamp: UInt64, expiry: UInt64, nonce: [UInt8], payload: [UInt8]) {
        self.version = version; self.type = type; self.sessionId = sessionId; self.sender = sender
        self.recipient = recipient; self.timestamp = timestamp; self.expiry = expiry; self.nonce = nonce
        self.payload = payload
    }

    /// A fresh envelope: random nonce, `timestamp = now`, `expiry = now + ttlMillis`.
    public static func make<R: RandomSource>(type: MessageType, sessionId: SessionID, sender: String, recipient: Recipient,
                                             payload: [UInt8], now: UInt64, ttlMillis: UInt64,
                                             using rng: inout R) -> Envelope {
        Envelope(type: type, sessionId: sessionId, sender: sender, recipient: recipient, timestamp: now,
                 expiry: now &+ ttlMillis, nonce: rng.bytes(nonceByteCount), payload: payload)
    }
}

/// An envelope with its Ed25519 signature. Not yet trusted: pass the encoded bytes through
/// `EnvelopeVerifier` on receipt.
public struct SignedEnvelope: Sendable, Equatable {
    public static let signatureByteCount = 64
    public var envelope: Envelope
    public var signature: [UInt8]

    public init(envelope: Envelope, signature: [UInt8]) {
        self.envelope = envelope; self.signature = signature
    }

    /// The wire bytes: canonical encoding of the fields followed by the 64-byte signature.
    public func encoded() throws(EnvelopeEncodingError) -> [UInt8] { try EnvelopeCodec.encode(self) }
}
