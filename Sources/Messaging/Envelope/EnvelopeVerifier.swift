import Foundation
import Protocols

/// Why an envelope was refused. `code` is stable (metrics, logs, CLI output).
public enum EnvelopeRejection: Error, Sendable, Equatable, CustomStringConvertible {
    case tooLarge(size: Int, max: Int)
    case unsupportedVersion(UInt8)
    case malformed(String)
    case unknownSender(String)
    case badSignature(sender: String)
    case wrongRecipient(String)
    case expired(expiry: UInt64, now: UInt64)
    case notYetValid(timestamp: UInt64, now: UInt64)
    case replayed(sender: String)

    public enum Reason: String, Sendable, CaseIterable {
        case tooLarge = "too_large"
        case unsupportedVersion = "unsupported_version"
        case malformed
        case unknownSender = "unknown_sender"
        case badSignature = "bad_signature"
        case wrongRecipient = "wrong_recipient"
        case expired
        case notYetValid = "not_yet_valid"
        case replayed
    }

    public var reason: Reason {
        switch self {
        case .tooLarge: return .tooLarge
        case .unsupportedVersion: return .unsupportedVersion
        case .malformed: return .malformed
        case .unknownSender: return .unknownSender
        case .badSignature: return .badSignature
        case .wrongRecipient: return .wrongRecipient
        case .expired: return .expired
        case .notYetValid: return .notYetValid
        case .replayed: return .replayed
        }
    }

    public var code: String { reason.rawValue }

    public var description: String {
        switch self {
        case let .tooLarge(size, max): return "\(code): \(size) > \(max) bytes"
        case let .unsupportedVersion(v): return "\(code): \(v)"
        case let .malformed(why): return "\(code): \(why)"
        case let .unknownSender(s): return "\(code): \(s)"
        case let .badSignature(s): return "\(code): from \(s)"
        case let .wrongRecipient(r): return "\(code): for \(r)"
        case let .expired(e, n): return "\(code): expiry \(e) <= now \(n)"
        case let .notYetValid(t, n): return "\(code): timestamp \(t) ahead of now \(n)"
        case let .replayed(s): return "\(code): from \(s)"
        }
    }
}

/// Who may send: sender id -> Ed25519 public key.
public protocol SenderKeyDirectory: Sendable {
    func signingKey(for sender: String) async -> [UInt8]?
}

public struct StaticKeyDirectory: SenderKeyDirectory {
    let keys: [String: [UInt8]]
    public init(_ identities: [PublicIdentity]) {
        keys = Dictionary(identities.map { ($0.id, $0.signingKey) }, uniquingKeysWith: { first, _ in first })
    }
    public func signingKey(for sender: String) async -> [UInt8]? { keys[sender] }
}

/// The replay cache (it lives in the store, so that it survives restarts). Must record the
/// (sender, nonce) pair atomically and return whether it was seen for the first time; it may
/// forget a pair after `expiresAt` since the verifier refuses expired envelopes anyway.
/// If it cannot record, it must return false (fail closed).
public protocol ReplayGuard: Sendable {
    func recordFirstUse(sender: String, nonce: [UInt8], expiresAt: UInt64) async -> Bool
    /// As above, also given the envelope's (authenticated) timestamp, for a guard that refuses envelopes older
    /// than a fence (see `TimestampedReplayGuard`). The default ignores the timestamp.
    func recordFirstUse(sender: String, nonce: [UInt8], timestamp: UInt64, expiresAt: UInt64) async -> Bool
}

extension ReplayGuard {
    public func recordFirstUse(sender: String, nonce: [UInt8], timestamp: UInt64, expiresAt: UInt64) async -> Bool {
        await recordFirstUse(sender: sender, nonce: nonce, expiresAt: expiresAt)
    }
}

/// A replay guard from a closure that also receives the envelope's timestamp (e.g. Storage's `ReplayCache`,
/// which refuses envelopes below its boot fence).
public struct TimestampedReplayGuard: ReplayGuard {
    let body: @Sendable (String, [UInt8], UInt64, UInt64) async -> Bool
    public init(_ body: @escaping @Sendable (_ sender: String, _ nonce: [UInt8], _ timestamp: UInt64, _ expiresAt: UInt64) async -> Bool) {
        self.body = body
    }
    public func recordFirstUse(sender: String, nonce: [UInt8], expiresAt: UInt64) async -> Bool {
        await body(sender, nonce, 0, expiresAt)
    }
    public func recordFirstUse(sender: String, nonce: [UInt8], timestamp: UInt64, expiresAt: UInt64) async -> Bool {
        await body(sender, nonce, timestamp, expiresAt)
    }
}

/// A replay guard from a closure (e.g. `{ try? await store.recordNonce(...) ?? false }`).
public struct ClosureReplayGuard: ReplayGuard {
    let body: @Sendable (String, [UInt8], UInt64) async -> Bool
    public init(_ body: @escaping @Sendable (_ sender: String, _ nonce: [UInt8], _ expiresAt: UInt64) async -> Bool) {
        self.body = body
    }
    public func recordFirstUse(sender: String, nonce: [UInt8], expiresAt: UInt64) async -> Bool {
        await body(sender, nonce, expiresAt)
    }
}

/// An in-memory replay guard for tests and single-process tools.
public actor InMemoryReplayGuard: ReplayGuard {
    private var seen: [String: UInt64] = [:]
    public init() {}
    public func recordFirstUse(sender: String, nonce: [UInt8], expiresAt: UInt64) async -> Bool {
        let key = sender + "/" + Hex.encode(nonce)
        if seen[key] != nil { return false }
        seen[key] = expiresAt
        return true
    }
    /// Drops entries that expired before `now`.
    public func prune(now: UInt64) { seen = seen.filter { $0.value > now } }
    public var count: Int { seen.count }
}

/// An envelope that passed every check. Only `EnvelopeVerifier` makes one.
public struct VerifiedEnvelope: Sendable, Equatable {
    public let envelope: Envelope
    public let signature: [UInt8]
}

/// Checks received envelopes, in this order: size, version and structure, sender known,
/// signature, recipient, validity window, replay (last, so that only authentic envelopes ever
/// reach the replay cache). Every rejection is counted by reason and returned, never only logged.
public actor EnvelopeVerifier {
    public struct Policy: Sendable {
        public var maxEnvelopeBytes: Int
        /// How far a sender's clock may be ahead of ours.
        public var maxClockSkewMillis: UInt64
        /// Longest accepted expiry - timestamp (bounds the replay cache).
        public var maxLifetimeMillis: UInt64

        public init(maxEnvelopeBytes: Int = 1 << 20, maxClockSkewMillis: UInt64 = 30_000,
                    maxLifetimeMillis: UInt64 = 3_600_000) {
            self.maxEnvelopeBytes = maxEnvelopeBytes; self.maxClockSkewMillis = maxClockSkewMillis
            self.maxLifetimeMillis = maxLifetimeMillis
        }
    }

    public let localId: String
    public let policy: Policy
    let keys: any SenderKeyDirectory
    let replay: any ReplayGuard
    let now: @Sendable () -> UInt64
    private var rejected: [EnvelopeRejection.Reason: Int] = [:]
    public private(set) var acceptedCount = 0

    public init(localId: String, keys: any SenderKeyDirectory, replay: any ReplayGuard, policy: Policy = Policy(),
                now: @escaping @Sendable () -> UInt64) {
        self.localId = localId; self.keys = keys; self.replay = replay; self.policy = policy; self.now = now
    }

    /// Wall-clock milliseconds since the epoch (inject a fixed clock in tests).
    public static let systemClock: @Sendable () -> UInt64 = { UInt64(max(0, Date().timeIntervalSince1970 * 1000)) }

    public func rejectionCount(_ reason: EnvelopeRejection.Reason) -> Int { rejected[reason, default: 0] }
    public var rejectionCounts: [EnvelopeRejection.Reason: Int] { rejected }

    /// The checks run outside the actor (concurrent verifications use every core); only the counters are isolated.
    public nonisolated func verify(_ bytes: [UInt8]) async -> Result<VerifiedEnvelope, EnvelopeRejection> {
        let result = await check(bytes)
        await count(result)
        return result
    }

    private func count(_ result: Result<VerifiedEnvelope, EnvelopeRejection>) {
        switch result {
        case .success: acceptedCount += 1
        case let .failure(r): rejected[r.reason, default: 0] += 1
        }
    }

    private nonisolated func check(_ bytes: [UInt8]) async -> Result<VerifiedEnvelope, EnvelopeRejection> {
        guard bytes.count <= policy.maxEnvelopeBytes else {
            return .failure(.tooLarge(size: bytes.count, max: policy.maxEnvelopeBytes))
        }
        let signed: SignedEnvelope
        do { signed = try EnvelopeCodec.decode(bytes) }
        catch {
            switch error {
            case let .unsupportedVersion(v): return .failure(.unsupportedVersion(v))
            case let .malformed(why): return .failure(.malformed(why))
            }
        }
        let e = signed.envelope
        guard let key = await keys.signingKey(for: e.sender) else { return .failure(.unknownSender(e.sender)) }
        // Signature over the received canonical bytes (decode guarantees they are canonical).
        let fields = bytes.prefix(bytes.count - SignedEnvelope.signatureByteCount)
        guard Identity.verify(signature: signed.signature, message: EnvelopeCodec.signatureContext + fields, publicKey: key) else {
            return .failure(.badSignature(sender: e.sender))
        }
        if case let .party(p) = e.recipient, p != localId { return .failure(.wrongRecipient(p)) }
        guard e.expiry > e.timestamp, e.expiry - e.timestamp <= policy.maxLifetimeMillis else {
            return .failure(.malformed("validity window \(e.timestamp)...\(e.expiry) outside policy"))
        }
        let t = now()
        guard t < e.expiry else { return .failure(.expired(expiry: e.expiry, now: t)) }
        guard e.timestamp <= t &+ policy.maxClockSkewMillis else { return .failure(.notYetValid(timestamp: e.timestamp, now: t)) }
        guard await replay.recordFirstUse(sender: e.sender, nonce: e.nonce, timestamp: e.timestamp, expiresAt: e.expiry) else {
            return .failure(.replayed(sender: e.sender))
        }
        return .success(VerifiedEnvelope(envelope: e, signature: signed.signature))
    }
}
