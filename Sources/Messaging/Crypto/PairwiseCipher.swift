import Protocols
internal import CSodium

public enum PairwiseCipherError: Error, Sendable, Equatable {
    /// The peer's X25519 key is a low-order point (shared secret would be all zero).
    case invalidPeerKey
    case malformedCiphertext
    /// Wrong key, wrong session, wrong sender/recipient, wrong type or tampered bytes.
    case authenticationFailed

    public var code: String {
        switch self {
        case .invalidPeerKey: return "invalid_peer_key"
        case .malformedCiphertext: return "malformed_ciphertext"
        case .authenticationFailed: return "authentication_failed"
        }
    }
}

/// Point-to-point encryption between this party and one peer.
///
/// - Key agreement: X25519 between the two identities' agreement keys (static-static; the
///   envelope around the ciphertext is signed, and the random nonce makes each message unique).
/// - One key per direction: K(A→B) = BLAKE2b-256(key: X25519(a, B), "threshold-custody/p2p/v1" ||
///   lp(A.id) || A.x25519 || lp(B.id) || B.x25519). Both sides compute the same K(A→B); A seals with
///   it, B opens with it, and a message cannot be reflected back to its sender.
/// - AEAD: XChaCha20-Poly1305-IETF with a random 24-byte nonce; associated data
///   "threshold-custody/p2p/v1" || sessionId || lp(sender) || lp(recipient) || type.
/// - Ciphertext: nonce (24) || AEAD output (plaintext + 16-byte tag).
public struct PairwiseCipher: Sendable {
    static let context: [UInt8] = Array("threshold-custody/p2p/v1".utf8)
    public static let nonceByteCount = 24
    public static let tagByteCount = 16

    public let localId: String
    public let peerId: String
    let sendKey: SecretBytes
    let receiveKey: SecretBytes

    public init(local: Identity, peer: PublicIdentity) throws(PairwiseCipherError) {
        SodiumRuntime.ensure()
        guard peer.agreementKey.count == 32 else { throw .invalidPeerKey }
        var shared = [UInt8](repeating: 0, count: 32)
        defer { zeroize(&shared) }
        let ok = local.agreementSecret.withUnsafeBytes { sk -> Bool in
            guard let skp = sk.bindMemory(to: UInt8.self).baseAddress else { return false }
            return crypto_scalarmult(&shared, skp, peer.agreementKey) == 0
        }
        guard ok else { throw .invalidPeerKey }
        let me = local.publicIdentity
        localId = me.id
        peerId = peer.id
        sendKey = PairwiseCipher.directionKey(shared: shared, from: me, to: peer)
        receiveKey = PairwiseCipher.directionKey(shared: shared, from: peer, to: me)
    }

    static func directionKey(shared: [UInt8], from: PublicIdentity, to: PublicIdentity) -> SecretBytes {
        var w = ByteWriter()
        w.raw(context)
        w.short(Array(from.id.utf8)); w.raw(from.agreementKey)
        w.short(Array(to.id.utf8)); w.raw(to.agreementKey)
        let input = w.bytes
        var key = [UInt8](repeating: 0, count: 32)
        defer { zeroize(&key) }
        _ = crypto_generichash(&key, 32, input, UInt64(input.count), shared, shared.count)
        return SecretBytes(key)
    }

    static func associatedData(sessionId: SessionID, sender: String, recipient: String, type: MessageType) -> [UInt8] {
        var w = ByteWriter()
        w.raw(context)
        w.raw(sessionId.bytes)
        w.short(Array(sender.utf8))
        w.short(Array(recipient.utf8))
        w.u8(type.rawValue)
        return w.bytes
    }

    /// Encrypts `plaintext` for the peer, bound to the session and message type.
    public func seal<R: RandomSource>(_ plaintext: [UInt8], sessionId: SessionID, type: MessageType,
                                      using rng: inout R) -> [UInt8] {
        let nonce = rng.bytes(PairwiseCipher.nonceByteCount)
        let ad = PairwiseCipher.associatedData(sessionId: sessionId, sender: localId, recipient: peerId, type: type)
        var out = [UInt8](repeating: 0, count: plaintext.count + PairwiseCipher.tagByteCount)
        var outLen: UInt64 = 0
        sendKey.withUnsafeBytes { k in
            guard let kp = k.bindMemory(to: UInt8.self).baseAddress else { return }
            _ = crypto_aead_xchacha20poly1305_ietf_encrypt(&out, &outLen, plaintext, UInt64(plaintext.count),
                                                           ad, UInt64(ad.count), nil, nonce, kp)
        }
        return nonce + out.prefix(Int(outLen))
    }

    /// Decrypts a message the peer sealed for us in this session with this type.
    public func open(_ ciphertext: [UInt8], sessionId: SessionID, type: MessageType) throws(PairwiseCipherError) -> [UInt8] {
        guard ciphertext.count >= PairwiseCipher.nonceByteCount + PairwiseCipher.tagByteCount else { throw .malformedCiphertext }
        let nonce = Array(ciphertext.prefix(PairwiseCipher.nonceByteCount))
        let body = Array(ciphertext.dropFirst(PairwiseCipher.nonceByteCount))
        let ad = PairwiseCipher.associatedData(sessionId: sessionId, sender: peerId, recipient: localId, type: type)
        var out = [UInt8](repeating: 0, count: body.count - PairwiseCipher.tagByteCount)
        var outLen: UInt64 = 0
        let rc = receiveKey.withUnsafeBytes { k -> Int32 in
            guard let kp = k.bindMemory(to: UInt8.self).baseAddress else { return -1 }
            return crypto_aead_xchacha20poly1305_ietf_decrypt(&out, &outLen, nil, body, UInt64(body.count),
                                                              ad, UInt64(ad.count), nonce, kp)
        }
        guard rc == 0 else { zeroize(&out); throw .authenticationFailed }
        return Array(out.prefix(Int(outLen)))
    }
}
