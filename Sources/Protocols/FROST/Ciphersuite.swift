internal import CSodium
internal import CSecp256k1

/// RFC 9591 §6: a FROST ciphersuite is a prime-order group plus the hash functions H1..H5, each domain
/// separated by the suite's context string. The reference implementation (ZF frost) adds HDKG ("dkg") for
/// the DKG proof of knowledge and HID ("id") for identifiers derived from strings.
public protocol FROSTCiphersuite: Sendable {
    associatedtype Element: GroupElement
    typealias Scalar = Element.Scalar

    static var contextString: String { get }
    /// A short stable id for wire formats and storage records.
    static var suiteID: UInt8 { get }

    /// H1: binding factor ("rho").
    static func H1(_ m: [UInt8]) -> Scalar
    /// H2: challenge ("chal"; Ed25519 and Taproot differ, see their suites).
    static func H2(_ m: [UInt8]) -> Scalar
    /// H3: nonce ("nonce").
    static func H3(_ m: [UInt8]) -> Scalar
    /// H4: message digest ("msg").
    static func H4(_ m: [UInt8]) -> [UInt8]
    /// H5: commitment list digest ("com").
    static func H5(_ m: [UInt8]) -> [UInt8]
    /// HDKG: the DKG proof-of-knowledge challenge ("dkg").
    static func HDKG(_ m: [UInt8]) -> Scalar

    // MARK: Signing hooks (defaults below are RFC 9591; the Taproot suite overrides them for BIP-340)

    /// Whether keys and the group commitment are normalised to even y (BIP-340) and the key tweak applies.
    static var isBIP340: Bool { get }
    /// The length of an encoded final signature.
    static var signatureByteCount: Int { get }
    /// RFC 9591 §4.6 compute_challenge: H2(SerializeElement(R) || SerializeElement(PK) || msg).
    static func challenge(R: Element, PK: Element, message: [UInt8]) throws(CurveError) -> Scalar
    /// RFC 9591 §6 signature encoding: SerializeElement(R) || SerializeScalar(z).
    static func serializeSignature(R: Element, z: Scalar) throws(CurveError) -> [UInt8]
    /// Inverse of `serializeSignature`; rejects wrong lengths, invalid points and non-canonical scalars.
    static func deserializeSignature(_ bytes: [UInt8]) throws(CurveError) -> (R: Element, z: Scalar)
    /// True when y is odd (BIP-340 suites); false for suites without the even-y rule.
    static func hasOddY(_ e: Element) -> Bool
    /// BIP-341 tweak scalar t for the group key P and a merkle root (BIP-340 suites only).
    static func tapTweak(groupKey P: Element, merkleRoot: [UInt8]) throws(CurveError) -> Scalar

    // MARK: Performance hooks over public values (defaults: the group's own operations)

    /// Σ D_i + ρ_i·E_i (RFC 9591 §4.5 compute_group_commitment); all inputs public.
    static func groupCommitment(hiding: [Element], binding: [Element], bindingFactors: [Scalar]) -> Element
    /// z·G == R + c·PK for public values.
    static func verifyEquation(R: Element, z: Scalar, PK: Element, c: Scalar) -> Bool
    /// Verification of a final signature (R, z) on `message` whose challenge c is already computed.
    static func verifySignature(R: Element, z: Scalar, PK: Element, message: [UInt8], challenge c: Scalar) -> Bool
    /// The group commitment as SerializeElement(R) (nil for the identity), with the element when the
    /// suite has it at hand; a signer needs only the encoding (challenge and parity come from it).
    static func groupCommitmentEncoded(hiding: [Element], binding: [Element], bindingFactors: [Scalar]) -> (encoding: [UInt8], element: Element?)?
    /// compute_challenge from SerializeElement(R).
    static func challenge(encodedR: [UInt8], PK: Element, message: [UInt8]) throws(CurveError) -> Scalar
    /// BIP-340 parity of R from SerializeElement(R).
    static func hasOddY(encoded: [UInt8]) -> Bool
}

extension FROSTCiphersuite {
    static var context: [UInt8] { Array(contextString.utf8) }

    public static var isBIP340: Bool { false }
    public static var signatureByteCount: Int { Element.byteCount + Scalar.byteCount }

    /// Through `challenge(encodedR:)`, so a suite overrides the challenge in one place.
    public static func challenge(R: Element, PK: Element, message: [UInt8]) throws(CurveError) -> Scalar {
        try challenge(encodedR: R.serialized(), PK: PK, message: message)
    }

    public static func serializeSignature(R: Element, z: Scalar) throws(CurveError) -> [UInt8] {
        try R.serialized() + z.bytes
    }

    public static func deserializeSignature(_ bytes: [UInt8]) throws(CurveError) -> (R: Element, z: Scalar) {
        guard bytes.count == signatureByteCount else { throw .invalidPoint }
        let R = try Element(serialized: Array(bytes[0..<Element.byteCount]))
        let z = try Scalar(canonical: Array(bytes[Element.byteCount...]))
        return (R, z)
    }

    public static func hasOddY(_ e: Element) -> Bool { false }

    /// R = Σ D_i + ρ_i·E_i in one public multi-scalar product (every operand is public; secp256k1 computes
    /// it with its variable-time Straus code over the already decoded commitments).
    public static func groupCommitment(hiding: [Element], binding: [Element], bindingFactors: [Scalar]) -> Element {
        let n = min(bindingFactors.count, hiding.count, binding.count)
        var terms = [(Scalar, Element)]()
        terms.reserveCapacity(2 * n)
        for i in 0..<n { terms.append((bindingFactors[i], binding[i])); terms.append((Scalar.one, hiding[i])) }
        return Element.publicSum(terms)
    }

    /// z·G = R + c·PK, checked as z·G − c·PK = R in one public multi-scalar product (z, c, R and PK are
    /// all public here: this verifies a signature, it does not make one).
    public static func verifyEquation(R: Element, z: Scalar, PK: Element, c: Scalar) -> Bool {
        guard !R.isIdentity else { return false }
        return Element.publicSum([(z, .generator), (-c, PK)]) == R
    }

    public static func verifySignature(R: Element, z: Scalar, PK: Element, message: [UInt8], challenge c: Scalar) -> Bool {
        verifyEquation(R: R, z: z, PK: PK, c: c)
    }

    public static func groupCommitmentEncoded(hiding: [Element], binding: [Element], bindingFactors: [Scalar]) -> (encoding: [UInt8], element: Element?)? {
        let R = groupCommitment(hiding: hiding, binding: binding, bindingFactors: bindingFactors)
        guard !R.isIdentity, let enc = try? R.serialized() else { return nil }
        return (enc, R)
    }

    public static func challenge(encodedR: [UInt8], PK: Element, message: [UInt8]) throws(CurveError) -> Scalar {
        H2(encodedR + (try PK.serialized()) + message)
    }

    public static func hasOddY(encoded: [UInt8]) -> Bool { false }

    /// Suites without BIP-341 have no tweak (SigningPackage refuses a tweak for them).
    public static func tapTweak(groupKey P: Element, merkleRoot: [UInt8]) throws(CurveError) -> Scalar {
        throw .invalidPoint
    }
}

/// FROST(Ed25519, SHA-512), RFC 9591 §6.1: hashes are SHA-512 reduced little-endian modulo ℓ, and H2 has
/// no domain prefix so that the result is a plain RFC 8032 signature.
public enum FROSTEd25519: FROSTCiphersuite {
    public typealias Element = Ed25519Point
    public static let contextString = "FROST-ED25519-SHA512-v1"
    public static let suiteID: UInt8 = 1

    static func h(_ tag: String, _ m: [UInt8]) -> [UInt8] { Hash.sha512([context, Array(tag.utf8), m]) }
    public static func H1(_ m: [UInt8]) -> Ed25519Scalar { Ed25519Scalar(reducingWide: h("rho", m)) }
    public static func H2(_ m: [UInt8]) -> Ed25519Scalar { Ed25519Scalar(reducingWide: Hash.sha512(m)) }
    public static func H3(_ m: [UInt8]) -> Ed25519Scalar { Ed25519Scalar(reducingWide: h("nonce", m)) }
    public static func H4(_ m: [UInt8]) -> [UInt8] { h("msg", m) }
    public static func H5(_ m: [UInt8]) -> [UInt8] { h("com", m) }
    public static func HDKG(_ m: [UInt8]) -> Ed25519Scalar { Ed25519Scalar(reducingWide: h("dkg", m)) }

    /// R = Σ D_i + ρ_i·E_i in one public multi-scalar product over the already decoded commitments
    /// (Ed25519Point keeps extended coordinates: nothing is re-decoded, R is encoded once when asked).
    public static func groupCommitment(hiding: [Ed25519Point], binding: [Ed25519Point], bindingFactors: [Ed25519Scalar]) -> Ed25519Point {
        Ed25519Point.publicSum(Array(zip(bindingFactors, binding)) + hiding.map { (Ed25519Scalar.one, $0) })
    }

    /// An RFC 9591 FROST(Ed25519) signature is an RFC 8032 signature: libsodium verifies it (its check
    /// [s]B = R + [H(R || A || M)]A is this suite's, c being that hash; it also refuses small-order R and A).
    public static func verifySignature(R: Ed25519Point, z: Ed25519Scalar, PK: Ed25519Point, message: [UInt8], challenge c: Ed25519Scalar) -> Bool {
        guard !R.isIdentity, !PK.isIdentity else { return false }
        // libsodium's answer, through the group key's precomputed multiples (a wallet key signs again and again).
        return Ed25519VerifyingKey.check(signature: R.encoding + z.bytes, message: message, publicKey: PK.encoding)
    }

    /// R and its encoding, computed once (no libsodium decode-and-validate of R: it is computed, not received).
    public static func groupCommitmentEncoded(hiding: [Ed25519Point], binding: [Ed25519Point], bindingFactors: [Ed25519Scalar]) -> (encoding: [UInt8], element: Ed25519Point?)? {
        let R = groupCommitment(hiding: hiding, binding: binding, bindingFactors: bindingFactors)
        guard !R.isIdentity else { return nil }
        return (R.encoding, R)
    }

    public static func verifyEquation(R: Ed25519Point, z: Ed25519Scalar, PK: Ed25519Point, c: Ed25519Scalar) -> Bool {
        guard !R.isIdentity else { return false }
        return Ed25519Point.publicSum([(z, .generator), (-c, PK)]) == R
    }
}

/// FROST(secp256k1, SHA-256), RFC 9591 §6.5: scalar hashes are RFC 9380 hash_to_field (expand_message_xmd
/// with SHA-256, L = 48) with DST = contextString || tag.
public enum FROSTSecp256k1: FROSTCiphersuite {
    public typealias Element = Secp256k1Point
    public static let contextString = "FROST-secp256k1-SHA256-v1"
    public static let suiteID: UInt8 = 2

    public static func H1(_ m: [UInt8]) -> Secp256k1Scalar { HashToField.secp256k1(m, dst: context + Array("rho".utf8)) }
    public static func H2(_ m: [UInt8]) -> Secp256k1Scalar { HashToField.secp256k1(m, dst: context + Array("chal".utf8)) }
    public static func H3(_ m: [UInt8]) -> Secp256k1Scalar { HashToField.secp256k1(m, dst: context + Array("nonce".utf8)) }
    public static func H4(_ m: [UInt8]) -> [UInt8] { Hash.sha256([context, Array("msg".utf8), m]) }
    public static func H5(_ m: [UInt8]) -> [UInt8] { Hash.sha256([context, Array("com".utf8), m]) }
    public static func HDKG(_ m: [UInt8]) -> Secp256k1Scalar { HashToField.secp256k1(m, dst: context + Array("dkg".utf8)) }
}

/// FROST(secp256k1, SHA-256) for BIP-340 / Taproot (the reference implementation's
/// "FROST-secp256k1-SHA256-TR-v1"): H2 is the BIP-340 challenge tagged hash; the other hashes are those of
/// FROSTSecp256k1 under this context string. The even-y and tweak rules live with the signing code.
public enum FROSTSecp256k1Taproot: FROSTCiphersuite {
    public typealias Element = Secp256k1Point
    public static let contextString = "FROST-secp256k1-SHA256-TR-v1"
    public static let suiteID: UInt8 = 3

    public static func H1(_ m: [UInt8]) -> Secp256k1Scalar { HashToField.secp256k1(m, dst: context + Array("rho".utf8)) }
    /// BIP-340: e = int(hash_BIP0340/challenge(R.x || P.x || m)) mod n; m is that concatenation.
    public static func H2(_ m: [UInt8]) -> Secp256k1Scalar {
        Secp256k1Scalar(reducing32: Hash.taggedSHA256(tag: "BIP0340/challenge", [m]))
    }
    public static func H3(_ m: [UInt8]) -> Secp256k1Scalar { HashToField.secp256k1(m, dst: context + Array("nonce".utf8)) }
    public static func H4(_ m: [UInt8]) -> [UInt8] { Hash.sha256([context, Array("msg".utf8), m]) }
    public static func H5(_ m: [UInt8]) -> [UInt8] { Hash.sha256([context, Array("com".utf8), m]) }
    public static func HDKG(_ m: [UInt8]) -> Secp256k1Scalar { HashToField.secp256k1(m, dst: context + Array("dkg".utf8)) }

    // BIP-340 hooks, as the reference implementation's frost-secp256k1-tr does it.
    public static var isBIP340: Bool { true }
    /// BIP-340: R.x || s.
    public static var signatureByteCount: Int { 64 }

    public static func serializeSignature(R: Secp256k1Point, z: Secp256k1Scalar) throws(CurveError) -> [UInt8] {
        try R.xOnly() + z.bytes
    }

    /// R is lifted to even y (a BIP-340 signature always carries an even R).
    public static func deserializeSignature(_ bytes: [UInt8]) throws(CurveError) -> (R: Secp256k1Point, z: Secp256k1Scalar) {
        guard bytes.count == 64 else { throw .invalidPoint }
        let R = try Secp256k1Point(liftX: Array(bytes[0..<32]))
        let z = try Secp256k1Scalar(canonical: Array(bytes[32...]))
        return (R, z)
    }

    /// BIP-340 challenge: only the x coordinates of R and of the (even-y) key are hashed.
    public static func challenge(encodedR: [UInt8], PK: Secp256k1Point, message: [UInt8]) throws(CurveError) -> Secp256k1Scalar {
        guard encodedR.count == 33 else { throw .invalidPoint }
        return H2(Array(encodedR.dropFirst()) + (try PK.xOnly()) + message)
    }

    public static func hasOddY(encoded: [UInt8]) -> Bool { encoded.first == 0x03 }

    /// The final signature is a BIP-340 signature: libsecp256k1's `schnorrsig_verify` checks it against the
    /// x-only (even-y, tweaked) key in one multi-scalar pass.
    public static func verifySignature(R: Secp256k1Point, z: Secp256k1Scalar, PK: Secp256k1Point, message: [UInt8],
                                       challenge c: Secp256k1Scalar) -> Bool {
        guard let rx = try? R.xOnly(), let px = try? PK.xOnly() else { return false }
        let ctx = Secp256k1Context.shared.raw
        var key = secp256k1_xonly_pubkey()
        guard secp256k1_xonly_pubkey_parse(ctx, &key, px) == 1 else { return false }
        let sig = rx + z.bytes
        return secp256k1_schnorrsig_verify(ctx, sig, message, message.count, &key) == 1
    }

    public static func hasOddY(_ e: Secp256k1Point) -> Bool {
        guard let even = try? e.hasEvenY() else { return false }
        return !even
    }

    public static func tapTweak(groupKey P: Secp256k1Point, merkleRoot: [UInt8]) throws(CurveError) -> Secp256k1Scalar {
        try BIP341.tweakScalar(internalKey: P, merkleRoot: merkleRoot)
    }
}

/// RFC 9380 §5: hash_to_field with expand_message_xmd over SHA-256.
enum HashToField {
    /// hash_to_field(msg, count = 1) into GF(n) of secp256k1 with L = 48 (k = 128).
    static func secp256k1(_ msg: [UInt8], dst: [UInt8]) -> Secp256k1Scalar {
        Secp256k1Scalar(reducingWide: expandMessageXMD(msg, dst: dst, length: 48))
    }

    /// RFC 9380 §5.3.1 expand_message_xmd with H = SHA-256 (b_in_bytes = 32, s_in_bytes = 64).
    static func expandMessageXMD(_ msg: [UInt8], dst: [UInt8], length: Int) -> [UInt8] {
        precondition(dst.count <= 255 && length <= 255 * 32 && length > 0)
        let ell = (length + 31) / 32
        let dstPrime = dst + [UInt8(dst.count)]
        let zPad = [UInt8](repeating: 0, count: 64)
        let lenBytes: [UInt8] = [UInt8(length >> 8), UInt8(length & 0xff)]
        let b0 = Hash.sha256([zPad, msg, lenBytes, [0], dstPrime])
        var bi = Hash.sha256([b0, [1], dstPrime])
        var uniform = bi
        var i = 2
        while i <= ell {
            let x = zip(b0, bi).map { $0 ^ $1 }
            bi = Hash.sha256([x, [UInt8(i)], dstPrime])
            uniform += bi
            i += 1
        }
        return Array(uniform[0..<length])
    }
}
