/// Versioned canonical binary encoding of key material and of the DKG's wire messages
/// (SECURITY-CHECKLIST 15, 16; STYLE "Wire formats").
///
/// Every record starts with a 3-byte header: version (1), record type, suite id (FROSTCiphersuite.suiteID).
/// Integers are big-endian; scalars and elements have the suite's fixed lengths (Ns, Ne), never trimmed.
///
///     KeyPackage        hdr(v, 0x01, suite) | id u16 | minSigners u16 | sk_i [Ns] | Y_i [Ne] | PK [Ne]
///     PublicKeyPackage  hdr(v, 0x02, suite) | minSigners u16 | PK [Ne] | n u16 | n × (id u16 | Y_id [Ne]),
///                       ids strictly ascending
///     DKG round 1       hdr(v, 0x11, suite) | t u16 | t × φ [Ne] | proof of knowledge (R [Ne] | μ [Ns];
///                       Taproot: x(R) [32] | μ [32])
///     DKG round 2       hdr(v, 0x12, suite) | f_i(ℓ) [Ns]
///     Dealer share      hdr(v, 0x21, suite) | id u16 | s_i [Ns] | t u16 | t × φ [Ne]
///
/// Decoding rejects an unknown version, record type or suite, any length mismatch, trailing bytes,
/// non-canonical scalars, invalid or identity points, zero identifiers, zero shares, thresholds below 2,
/// and (key packages) a verifying share that is not sk_i·G. The output is secret for key packages:
/// Storage seals it.
public enum KeyPackageCodec {
    public static let version: UInt8 = 1

    enum RecordType: UInt8 {
        case keyPackage = 0x01
        case publicKeyPackage = 0x02
        case dkgRound1 = 0x11
        case dkgRound2 = 0x12
        case dealerShare = 0x21
    }

    // MARK: KeyPackage

    public static func encode<C>(_ kp: KeyPackage<C>) throws(FROSTError) -> [UInt8] {
        var w = KeyGenByteWriter(.keyPackage, suite: C.self)
        w.u16(kp.identifier.value)
        try w.u16(minSigners: kp.minSigners)
        kp.signingShare.withUnsafeBytes { w.bytes.append(contentsOf: $0) }
        try w.element(kp.verifyingShare)
        try w.element(kp.groupPublicKey)
        return w.bytes
    }

    public static func decodeKeyPackage<C>(_ bytes: [UInt8], as _: C.Type = C.self) throws(FROSTError) -> KeyPackage<C> {
        var r = try KeyGenByteReader(bytes, .keyPackage, suite: C.self)
        let id = try r.identifier()
        let minSigners = try r.minSigners()
        let sk: C.Scalar = try r.nonZeroScalar()
        let Y: C.Element = try r.element()
        let PK: C.Element = try r.element()
        try r.finish()
        guard C.Element.baseMultiply(sk) == Y else {
            throw .malformed(from: nil, "verifying share is not signing share · G")
        }
        return KeyPackage(identifier: id, signingShare: sk, verifyingShare: Y, groupPublicKey: PK, minSigners: minSigners)
    }

    // MARK: PublicKeyPackage

    public static func encode<C>(_ pkp: PublicKeyPackage<C>) throws(FROSTError) -> [UInt8] {
        var w = KeyGenByteWriter(.publicKeyPackage, suite: C.self)
        try w.u16(minSigners: pkp.minSigners)
        try w.element(pkp.groupPublicKey)
        guard pkp.verifyingShares.count <= Int(UInt16.max) else { throw .invalidParameters("too many participants") }
        w.u16(UInt16(pkp.verifyingShares.count))
        for (id, share) in pkp.verifyingShares.sorted(by: { $0.key < $1.key }) {
            w.u16(id.value)
            try w.element(share)
        }
        return w.bytes
    }

    public static func decodePublicKeyPackage<C>(_ bytes: [UInt8], as _: C.Type = C.self) throws(FROSTError) -> PublicKeyPackage<C> {
        var r = try KeyGenByteReader(bytes, .publicKeyPackage, suite: C.self)
        let minSigners = try r.minSigners()
        let PK: C.Element = try r.element()
        let count = Int(try r.u16())
        guard count >= minSigners else { throw .malformed(from: nil, "fewer participants than the threshold") }
        var shares: [ParticipantID: C.Element] = [:]
        var previous: UInt16 = 0
        for _ in 0..<count {
            let id = try r.identifier()
            guard id.value > previous else { throw .malformed(from: nil, "participants not strictly ascending") }
            previous = id.value
            shares[id] = try r.element()
        }
        try r.finish()
        let pkp = PublicKeyPackage<C>(verifyingShares: shares, groupPublicKey: PK, minSigners: minSigners)
        guard isConsistent(pkp) else {
            throw .malformed(from: nil, "verifying shares and group key are not on one polynomial of degree t−1")
        }
        return pkp
    }

    /// Whether the group key and every verifying share lie on one polynomial of degree t−1 in the
    /// exponent: interpolating the first t verifying shares must give PK at 0 and every other Y_k at k.
    /// Catches a package stitched together from different key generations.
    public static func isConsistent<C>(_ pkp: PublicKeyPackage<C>) -> Bool {
        let ids = pkp.verifyingShares.keys.sorted()
        let t = pkp.minSigners
        guard t >= 1, ids.count >= t else { return false }
        let basis = Array(ids.prefix(t))
        func interpolate(at x: C.Scalar) -> C.Element? {
            var terms: [(C.Scalar, C.Element)] = []
            for id in basis {
                guard let Y = pkp.verifyingShares[id],
                      let lambda: C.Scalar = try? Polynomial.lagrangeCoefficient(for: id, in: basis, at: x) else { return nil }
                terms.append((lambda, Y))
            }
            return C.Element.publicSum(terms)
        }
        guard interpolate(at: .zero) == pkp.groupPublicKey else { return false }
        for id in ids.dropFirst(t) {
            guard interpolate(at: id.scalar()) == pkp.verifyingShares[id] else { return false }
        }
        return true
    }
}

// MARK: - Byte-level helpers shared by the FROST key-generation codecs

struct KeyGenByteWriter {
    var bytes: [UInt8]

    init<C: FROSTCiphersuite>(_ type: KeyPackageCodec.RecordType, suite _: C.Type) {
        bytes = [KeyPackageCodec.version, type.rawValue, C.suiteID]
    }

    mutating func u16(_ v: UInt16) { bytes += [UInt8(v >> 8), UInt8(v & 0xff)] }

    mutating func u16(minSigners t: Int) throws(FROSTError) {
        guard t >= 2, t <= Int(UInt16.max) else { throw .invalidParameters("threshold \(t) out of range") }
        u16(UInt16(t))
    }

    mutating func element<E: GroupElement>(_ e: E) throws(FROSTError) {
        do { bytes += try e.serialized() } catch { throw .curve(error) }
    }

    mutating func scalar<S: GroupScalar>(_ s: S) { bytes += s.bytes }
}

struct KeyGenByteReader {
    private let bytes: [UInt8]
    private var offset: Int
    let sender: ParticipantID?

    /// Checks the header: version, record type and suite.
    init<C: FROSTCiphersuite>(_ bytes: [UInt8], _ type: KeyPackageCodec.RecordType, suite _: C.Type,
                              from sender: ParticipantID? = nil) throws(FROSTError) {
        self.bytes = bytes
        self.offset = 0
        self.sender = sender
        guard bytes.count >= 3 else { throw .malformed(from: sender, "truncated header") }
        guard bytes[0] == KeyPackageCodec.version else { throw .malformed(from: sender, "unknown version \(bytes[0])") }
        guard bytes[1] == type.rawValue else { throw .malformed(from: sender, "unexpected record type \(bytes[1])") }
        guard bytes[2] == C.suiteID else { throw .malformed(from: sender, "unexpected suite \(bytes[2])") }
        offset = 3
    }

    mutating func take(_ n: Int) throws(FROSTError) -> [UInt8] {
        guard n >= 0, bytes.count - offset >= n else { throw .malformed(from: sender, "truncated") }
        defer { offset += n }
        return Array(bytes[offset..<(offset + n)])
    }

    mutating func u16() throws(FROSTError) -> UInt16 {
        let b = try take(2)
        return UInt16(b[0]) << 8 | UInt16(b[1])
    }

    mutating func identifier() throws(FROSTError) -> ParticipantID {
        let v = try u16()
        guard v != 0 else { throw .malformed(from: sender, "participant identifier 0") }
        return try ParticipantID(v)
    }

    mutating func minSigners() throws(FROSTError) -> Int {
        let t = Int(try u16())
        guard t >= 2 else { throw .malformed(from: sender, "threshold \(t) below 2") }
        return t
    }

    mutating func element<E: GroupElement>() throws(FROSTError) -> E {
        let b = try take(E.byteCount)
        do { return try E(serialized: b) } catch { throw .malformed(from: sender, "invalid element: \(error.code)") }
    }

    mutating func scalar<S: GroupScalar>() throws(FROSTError) -> S {
        var b = try take(S.byteCount)
        defer { zeroize(&b) }
        do { return try S(canonical: b) } catch { throw .malformed(from: sender, "non-canonical scalar") }
    }

    mutating func nonZeroScalar<S: GroupScalar>() throws(FROSTError) -> S {
        let s: S = try scalar()
        guard !s.isZero else { throw .malformed(from: sender, "zero scalar") }
        return s
    }

    mutating func rest(_ n: Int) throws(FROSTError) -> [UInt8] { try take(n) }

    /// No trailing bytes.
    func finish() throws(FROSTError) {
        guard offset == bytes.count else { throw .malformed(from: sender, "\(bytes.count - offset) trailing bytes") }
    }
}
