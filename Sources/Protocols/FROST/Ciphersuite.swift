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
}

extension FROSTCiphersuite {
    static var context: [UInt8] { Array(contextString.utf8) }
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
