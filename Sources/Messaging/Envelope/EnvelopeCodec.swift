/// The envelope wire format, version 1. All integers big-endian.
///
/// ```
/// u8   version            (= 1; leads so that a reader can refuse other versions first)
/// u8   type               (MessageType raw value)
/// [16] sessionId
/// u16  len, [len] sender  (PartyID: 1...64 of [A-Za-z0-9_-])
/// u8   recipient tag      (0 = broadcast, 1 = party)
///      if 1: u16 len, [len] recipient (PartyID)
/// u64  timestamp          (ms since epoch)
/// u64  expiry             (ms since epoch)
/// [16] nonce
/// u32  len, [len] payload
/// [64] Ed25519 signature  over  "threshold-custody/envelope/v1" || 0x00 || all bytes above
/// ```
/// Nothing may follow the signature. The golden test in EnvelopeTests pins this layout.
public enum EnvelopeCodec {
    /// Domain separation for the signature: an envelope signature cannot be mistaken for a
    /// signature made by the same key in another context (requests, results, identities).
    static let signatureContext: [UInt8] = Array("threshold-custody/envelope/v1".utf8) + [0]

    static let tagBroadcast: UInt8 = 0
    static let tagParty: UInt8 = 1

    /// The canonical encoding of every field except the signature.
    public static func canonicalFields(_ e: Envelope) throws(EnvelopeEncodingError) -> [UInt8] {
        let sender = Array(e.sender.utf8)
        guard PartyID.isValid(sender) else { throw .invalidPartyID(e.sender) }
        guard e.nonce.count == Envelope.nonceByteCount else { throw .invalidNonce }
        guard e.payload.count <= Int(UInt32.max) else { throw .payloadTooLarge }
        var w = ByteWriter()
        w.u8(e.version)
        w.u8(e.type.rawValue)
        w.raw(e.sessionId.bytes)
        w.short(sender)
        switch e.recipient {
        case .broadcast:
            w.u8(tagBroadcast)
        case let .party(p):
            let r = Array(p.utf8)
            guard PartyID.isValid(r) else { throw .invalidPartyID(p) }
            w.u8(tagParty)
            w.short(r)
        }
        w.u64(e.timestamp)
        w.u64(e.expiry)
        w.raw(e.nonce)
        w.long(e.payload)
        return w.bytes
    }

    /// The exact bytes the Ed25519 signature covers.
    public static func signingMessage(_ e: Envelope) throws(EnvelopeEncodingError) -> [UInt8] {
        signatureContext + (try canonicalFields(e))
    }

    public static func encode(_ s: SignedEnvelope) throws(EnvelopeEncodingError) -> [UInt8] {
        guard s.signature.count == SignedEnvelope.signatureByteCount else { throw .invalidSignatureLength }
        return try canonicalFields(s.envelope) + s.signature
    }

    /// Parses wire bytes. Structural checks only: the signature is not verified here.
    public static func decode(_ bytes: [UInt8]) throws(EnvelopeDecodingError) -> SignedEnvelope {
        var r = ByteReader(bytes)
        guard let version = r.u8() else { throw .malformed("empty") }
        guard version == Envelope.currentVersion else { throw .unsupportedVersion(version) }
        guard let typeRaw = r.u8() else { throw .malformed("truncated type") }
        guard let type = MessageType(rawValue: typeRaw) else { throw .malformed("unknown type \(typeRaw)") }
        guard let sid = r.raw(SessionID.byteCount) else { throw .malformed("truncated session id") }
        guard let senderBytes = r.short() else { throw .malformed("truncated sender") }
        guard PartyID.isValid(senderBytes) else { throw .malformed("invalid sender id") }
        guard let tag = r.u8() else { throw .malformed("truncated recipient") }
        let recipient: Recipient
        switch tag {
        case tagBroadcast:
            recipient = .broadcast
        case tagParty:
            guard let rb = r.short() else { throw .malformed("truncated recipient id") }
            guard PartyID.isValid(rb) else { throw .malformed("invalid recipient id") }
            recipient = .party(String(decoding: rb, as: UTF8.self))
        default:
            throw .malformed("unknown recipient tag \(tag)")
        }
        guard let timestamp = r.u64() else { throw .malformed("truncated timestamp") }
        guard let expiry = r.u64() else { throw .malformed("truncated expiry") }
        guard let nonce = r.raw(Envelope.nonceByteCount) else { throw .malformed("truncated nonce") }
        guard let payload = r.long() else { throw .malformed("truncated payload") }
        guard let signature = r.raw(SignedEnvelope.signatureByteCount) else { throw .malformed("truncated signature") }
        guard r.remaining == 0 else { throw .malformed("\(r.remaining) trailing bytes") }
        let envelope = Envelope(version: version, type: type, sessionId: SessionID(unchecked: sid),
                                sender: String(decoding: senderBytes, as: UTF8.self), recipient: recipient,
                                timestamp: timestamp, expiry: expiry, nonce: nonce, payload: payload)
        return SignedEnvelope(envelope: envelope, signature: signature)
    }
}

public enum EnvelopeEncodingError: Error, Sendable, Equatable {
    case invalidPartyID(String)
    case invalidNonce
    case invalidSignatureLength
    case payloadTooLarge

    public var code: String {
        switch self {
        case .invalidPartyID: return "invalid_party_id"
        case .invalidNonce: return "invalid_nonce"
        case .invalidSignatureLength: return "invalid_signature_length"
        case .payloadTooLarge: return "payload_too_large"
        }
    }
}

public enum EnvelopeDecodingError: Error, Sendable, Equatable {
    case unsupportedVersion(UInt8)
    case malformed(String)
}
