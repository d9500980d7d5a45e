/// Canonical binary encoding of the signing messages. Every message starts with
///   version (1 byte: 2 for FROST(Ed25519, SHA-512), whose commitments carry subgroup certificates; 1 for the
///   secp256k1 suites) || suite id (1 byte, C.suiteID) || message type (1 byte)
/// followed by fixed-length fields (identifiers u16 big-endian, elements Ne bytes, scalars Ns bytes; the
/// only variable field, the message to sign, carries a u32 big-endian length). Decoding rejects unknown
/// versions, another suite, another type, wrong lengths, invalid points or the identity, non-canonical
/// scalars and trailing bytes (SECURITY-CHECKLIST items 15, 16).
///
///   SigningCommitments (type 1): header || id || D_i || E_i || cert(D_i) || cert(E_i)
///   SigningPackage     (type 2): header || tweak || count u16 || count × (id || D || E || certs) || len u32 || message
///                                tweak = 0x00 (untweaked) | 0x01 (key path only) | 0x02 || merkle root (32)
///   SignatureShare     (type 3): header || id || z_i
///   Signature          (type 4): header || the suite's signature encoding (C.signatureByteCount bytes)
/// cert(P) is the suite's subgroup certificate ([8⁻¹]P for edwards25519, `GroupElement.subgroupCertificate`;
/// empty for the prime-order secp256k1): a receiver checks [8]cert(P) = P instead of a subgroup test.
public enum WireFormat {
    /// The version of the suites without subgroup certificates; `version(C.self)` is a suite's.
    public static let version: UInt8 = 1

    public enum MessageType: UInt8, Sendable {
        case signingCommitments = 1, signingPackage = 2, signatureShare = 3, signature = 4
    }

    /// Version 2: the suite's commitments carry subgroup certificates (edwards25519); 1 otherwise.
    static func version<C: FROSTCiphersuite>(_: C.Type) -> UInt8 { C.Element.subgroupCertificateByteCount > 0 ? 2 : version }

    static func header<C: FROSTCiphersuite>(_: C.Type, _ type: MessageType) -> [UInt8] {
        [version(C.self), C.suiteID, type.rawValue]
    }
}

/// A bounds-checked reader over received bytes: every read checks the remaining length.
struct WireReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func take(_ n: Int) throws(FROSTError) -> [UInt8] {
        guard n >= 0, bytes.count - offset >= n else { throw .malformed(from: nil, "message too short") }
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }

    mutating func u8() throws(FROSTError) -> UInt8 { try take(1)[0] }

    mutating func u16() throws(FROSTError) -> UInt16 {
        let b = try take(2)
        return UInt16(b[0]) << 8 | UInt16(b[1])
    }

    mutating func u32() throws(FROSTError) -> UInt32 {
        let b = try take(4)
        return b.reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func header<C: FROSTCiphersuite>(_: C.Type, _ type: WireFormat.MessageType) throws(FROSTError) {
        let v = try u8(), s = try u8(), t = try u8()
        guard v == WireFormat.version(C.self) else { throw .malformed(from: nil, "unknown wire version \(v)") }
        guard s == C.suiteID else { throw .malformed(from: nil, "suite \(s), expected \(C.suiteID)") }
        guard t == type.rawValue else { throw .malformed(from: nil, "message type \(t), expected \(type.rawValue)") }
    }

    mutating func identifier() throws(FROSTError) -> ParticipantID {
        let v = try u16()
        guard v != 0 else { throw .malformed(from: nil, "participant identifier 0") }
        return try ParticipantID(v)
    }

    /// `count` elements, then (for a suite with subgroup certificates) their `count` certificates; each element is
    /// validated with its certificate.
    mutating func certifiedElements<C: FROSTCiphersuite>(_: C.Type, count: Int, from id: ParticipantID?) throws(FROSTError) -> (elements: [C.Element], certificates: [UInt8]) {
        let n = C.Element.byteCount, c = C.Element.subgroupCertificateByteCount
        let points = try take(count * n), certificates = try take(count * c)
        var out = [C.Element]()
        out.reserveCapacity(count)
        for i in 0..<count {
            let b = Array(points[i * n..<(i + 1) * n])
            do { out.append(c == 0 ? try C.Element(serialized: b) : try C.Element(serialized: b, certificate: Array(certificates[i * c..<(i + 1) * c]))) }
            catch { throw .malformed(from: id, "invalid group element (\(error.code))") }
        }
        return (out, certificates)
    }

    mutating func scalar<C: FROSTCiphersuite>(_: C.Type, from id: ParticipantID?) throws(FROSTError) -> C.Scalar {
        let b = try take(C.Scalar.byteCount)
        do { return try C.Scalar(canonical: b) } catch {
            throw .malformed(from: id, "non-canonical scalar")
        }
    }

    func finish() throws(FROSTError) {
        guard offset == bytes.count else { throw .malformed(from: nil, "\(bytes.count - offset) trailing bytes") }
    }
}

extension UInt16 { var bigEndianBytes: [UInt8] { [UInt8(self >> 8), UInt8(self & 0xff)] } }

extension SigningCommitments {
    func body() -> [UInt8] {
        // Validated commitments are never the identity, so serialization cannot fail.
        identifier.value.bigEndianBytes + ((try? hiding.serialized()) ?? []) + ((try? binding.serialized()) ?? []) + certificates
    }

    /// The length of `body()`: identifier, D, E and their certificates.
    static var bodyByteCount: Int { 2 + 2 * C.Element.byteCount + 2 * C.Element.subgroupCertificateByteCount }

    /// `known`: commitments this party made itself (validated when they were made); when the next bytes are
    /// exactly their encoding they are taken as they are, without decoding the points again.
    static func readBody(_ r: inout WireReader, known: Self? = nil) throws(FROSTError) -> Self {
        if let known {
            let body = known.body()
            if r.bytes.count - r.offset >= body.count, r.bytes[r.offset..<r.offset + body.count].elementsEqual(body) {
                r.offset += body.count
                return known
            }
        }
        let id = try r.identifier()
        let (points, certificates) = try r.certifiedElements(C.self, count: 2, from: id)
        return try Self(identifier: id, hiding: points[0], binding: points[1], certificates: certificates)
    }

    public func serialize() -> [UInt8] { WireFormat.header(C.self, .signingCommitments) + body() }

    public init(wire bytes: [UInt8]) throws(FROSTError) {
        var r = WireReader(bytes)
        try r.header(C.self, .signingCommitments)
        self = try Self.readBody(&r)
        try r.finish()
    }
}

extension SigningPackage {
    public func serialize() -> [UInt8] {
        var out = WireFormat.header(C.self, .signingPackage)
        switch tweak {
        case .untweaked: out.append(0)
        case .keyPathOnly: out.append(1)
        case .scriptTree(let root): out.append(2); out += root
        }
        out += UInt16(commitments.count).bigEndianBytes
        for c in commitments { out += c.body() }
        let n = UInt32(message.count)
        out += [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
        out += message
        return out
    }

    /// The encoding (as `SigningCommitments.serialize()`) of participant `id`'s commitments in a package's wire
    /// bytes, found without decoding any point: a signer learns which of its prepared nonces a package names
    /// before it pays for the package's validation. Nil if the bytes are not such a package or `id` is absent.
    public static func encodedCommitments(of id: ParticipantID, inWire bytes: [UInt8]) -> [UInt8]? {
        var r = WireReader(bytes)
        do {
            try r.header(C.self, .signingPackage)
            switch try r.u8() {
            case 0, 1: break
            case 2: _ = try r.take(32)
            default: return nil
            }
            let count = Int(try r.u16())
            for _ in 0..<count {
                let body = try r.take(SigningCommitments<C>.bodyByteCount)
                if UInt16(body[0]) << 8 | UInt16(body[1]) == id.value { return WireFormat.header(C.self, .signingCommitments) + body }
            }
        } catch { return nil }
        return nil
    }

    /// Also rejects an unsorted or duplicated commitment list (the encoding is canonical: one byte string
    /// per package). `known`: this party's own commitments, taken without decoding their points again when
    /// the package carries exactly them.
    public init(wire bytes: [UInt8], known: SigningCommitments<C>? = nil) throws(FROSTError) {
        var r = WireReader(bytes)
        try r.header(C.self, .signingPackage)
        let tweak: TaprootTweak
        switch try r.u8() {
        case 0: tweak = .untweaked
        case 1: tweak = .keyPathOnly
        case 2: tweak = .scriptTree(merkleRoot: try r.take(32))
        case let t: throw .malformed(from: nil, "unknown tweak tag \(t)")
        }
        let count = Int(try r.u16())
        guard count > 0 else { throw .malformed(from: nil, "empty commitment list") }
        var list = [SigningCommitments<C>]()
        for _ in 0..<count {
            let c = try SigningCommitments<C>.readBody(&r, known: known)
            if let last = list.last, !(last.identifier < c.identifier) {
                throw .malformed(from: nil, "commitment list not strictly ascending")
            }
            list.append(c)
        }
        let len = Int(try r.u32())
        let message = try r.take(len)
        try r.finish()
        try self.init(commitments: list, message: message, tweak: tweak)
    }
}

extension SignatureShare {
    public func serialize() -> [UInt8] {
        WireFormat.header(C.self, .signatureShare) + identifier.value.bigEndianBytes + share.bytes
    }

    public init(wire bytes: [UInt8]) throws(FROSTError) {
        var r = WireReader(bytes)
        try r.header(C.self, .signatureShare)
        let id = try r.identifier()
        let z = try r.scalar(C.self, from: id)
        try r.finish()
        self.init(identifier: id, share: z)
    }
}

extension Signature {
    public func serialize() throws(FROSTError) -> [UInt8] {
        WireFormat.header(C.self, .signature) + (try bytes())
    }

    public init(wire bytes: [UInt8]) throws(FROSTError) {
        var r = WireReader(bytes)
        try r.header(C.self, .signature)
        let body = try r.take(C.signatureByteCount)
        try r.finish()
        try self.init(bytes: body)
    }
}
