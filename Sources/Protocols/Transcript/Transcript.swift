/// Fiat-Shamir transcript over SHA-512 (checklists 4, 10, 11).
///
/// Encoding: every appended item is `u32 BE label length ‖ label ‖ u64 BE value length ‖ value`,
/// so no two different sequences of (label, value) pairs give the same byte string (("ab","c") and
/// ("a","bc") differ). A transcript is created bound to a protocol label, the session id, the
/// prover's id and the round; these are the first items absorbed.
///
/// Challenges: drawing a challenge first absorbs ("challenge", label ‖ u64 index), then hashes
/// the whole transcript into a 64-byte seed that replaces the state (a ratchet), and expands the
/// seed with SHA-512 in counter mode. Every challenge (and every repetition, which passes its
/// index) therefore depends on everything absorbed before it and on all earlier challenges.
public struct Transcript: Sendable {
    private var state: [UInt8] = []
    private static let domain = "threshold-custody/cggmp21/transcript/v1"

    public init(protocolLabel: String, sessionId: [UInt8], proverId: [UInt8], round: UInt32) {
        append("domain", Array(Self.domain.utf8))
        append("protocol", Array(protocolLabel.utf8))
        append("session-id", sessionId)
        append("prover-id", proverId)
        append("round", Self.be(UInt64(round)))
    }

    /// Absorbs one labelled, length-prefixed item.
    public mutating func append(_ label: String, _ value: [UInt8]) {
        let l = Array(label.utf8)
        state += Self.be32(UInt32(l.count)) + l + Self.be(UInt64(value.count)) + value
    }

    /// Absorbs an integer: sign byte (0 = non-negative, 1 = negative) and big-endian magnitude.
    public mutating func append(_ label: String, _ value: BigNum) {
        append(label, [value.isNegative ? 1 : 0] + value.magnitudeBytes)
    }

    public mutating func append(_ label: String, _ values: [BigNum]) {
        append(label + "#count", Self.be(UInt64(values.count)))
        for (i, v) in values.enumerated() { append(label + "[\(i)]", v) }
    }

    // MARK: Challenges

    /// A fresh 64-byte seed for the challenge `label` / `index`; ratchets the state.
    private mutating func seed(_ label: String, index: UInt64) -> [UInt8] {
        append("challenge", Array(label.utf8) + Self.be(index))
        let s = Hash.sha512(state)
        state = []
        append("ratchet", s)
        return s
    }

    /// An XOF stream from a seed: SHA-512(seed ‖ u64 counter) blocks.
    private struct Stream {
        let seed: [UInt8]
        var counter: UInt64 = 0
        var buffer: [UInt8] = []
        mutating func take(_ n: Int) -> [UInt8] {
            while buffer.count < n {
                buffer += Hash.sha512([seed, Transcript.be(counter)])
                counter += 1
            }
            let out = Array(buffer.prefix(n))
            buffer.removeFirst(n)
            return out
        }
    }

    /// `count` challenge bytes.
    public mutating func challengeBytes(_ label: String, count: Int, index: UInt64 = 0) -> [UInt8] {
        var stream = Stream(seed: seed(label, index: index))
        return stream.take(count)
    }

    /// `count` challenge bits.
    public mutating func challengeBits(_ label: String, count: Int, index: UInt64 = 0) -> [Bool] {
        let bytes = challengeBytes(label, count: (count + 7) / 8, index: index)
        return (0..<count).map { i in (bytes[i / 8] >> (7 - UInt8(i % 8))) & 1 == 1 }
    }

    /// Uniform in [0, bound) by rejection sampling.
    public mutating func challengeBelow(_ label: String, bound: BigNum, index: UInt64 = 0) -> BigNum {
        precondition(bound.sign > 0, "bound must be positive")
        var stream = Stream(seed: seed(label, index: index))
        return Self.sample(&stream, below: bound)
    }

    private static func sample(_ stream: inout Stream, below bound: BigNum) -> BigNum {
        let bits = bound.bitLength
        let topMask: UInt8 = bits % 8 == 0 ? 0xff : UInt8((1 << (bits % 8)) - 1)
        while true {
            var b = stream.take((bits + 7) / 8)
            b[0] &= topMask
            let c = BigNum(bytes: b)
            if c < bound { return c }
        }
    }

    /// A scalar mod q (the secp256k1 order), uniform in [0, q).
    public mutating func challengeScalar(_ label: String, index: UInt64 = 0) -> BigNum {
        challengeBelow(label, bound: CGGMPProfile.curveOrder, index: index)
    }

    /// Uniform in the symmetric range ±bound = [-bound, bound] (e.g. e ∈ ±q).
    public mutating func challengeSigned(_ label: String, magnitude bound: BigNum, index: UInt64 = 0) -> BigNum {
        challengeBelow(label, bound: bound.shiftedLeft(1).adding(.one), index: index).subtracting(bound)
    }

    /// Uniform in Z*_N by rejection sampling.
    public mutating func challengeUnit(_ label: String, modulus n: BigNum, index: UInt64 = 0) -> BigNum {
        var stream = Stream(seed: seed(label, index: index))
        while true {
            let c = Self.sample(&stream, below: n)
            if !c.isZero && c.gcd(n) == .one { return c }
        }
    }

    // MARK: Encoding helpers

    static func be(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64($0))) } }
    static func be32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * UInt32($0))) } }
}

/// What a proof is bound to (checklist 11): the session, the prover and the round.
public struct CGGMPProofContext: Sendable, Equatable {
    public let sessionId: [UInt8]
    public let proverId: [UInt8]
    public let round: UInt32

    public init(sessionId: [UInt8], proverId: [UInt8], round: UInt32) {
        self.sessionId = sessionId
        self.proverId = proverId
        self.round = round
    }

    func transcript(_ proof: CGGMPProofKind) -> Transcript {
        Transcript(protocolLabel: "CGGMP21/" + proof.rawValue, sessionId: sessionId, proverId: proverId, round: round)
    }
}
