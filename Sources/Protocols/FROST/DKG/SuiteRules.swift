/// Where the DKG differs by suite. Only FROST(secp256k1, SHA-256)-TR differs, as the reference
/// implementation's frost-secp256k1-tr does it:
/// - the proof of knowledge is a BIP-340 style signature: R has even y and is sent as its 32-byte x;
/// - the DKG output is post-processed (`post_dkg`): the group key P is made even-y (negating every share
///   when it is odd), then tweaked with the BIP-341 "unspendable script path" tweak
///   t = H_TapTweak(x(P)), so that no party can have slipped a hidden script path into the joint key.
/// Dispatch is on the suite type, so Ciphersuite.swift stays untouched.
enum DKGSuiteRules<C: FROSTCiphersuite> {
    static var isTaproot: Bool { C.self == FROSTSecp256k1Taproot.self }

    /// The length of an encoded proof of knowledge.
    static var proofByteCount: Int { isTaproot ? 64 : C.Element.byteCount + C.Scalar.byteCount }

    /// True when the suite normalises to even y and `e` has odd y (SEC1 prefix 0x03).
    static func hasOddY(_ e: C.Element) -> Bool {
        guard isTaproot, let bytes = try? e.serialized() else { return false }
        return bytes.first == 0x03
    }

    /// The x-only (32-byte) encoding of a secp256k1 element.
    static func xOnly(_ e: C.Element) throws(CurveError) -> [UInt8] { Array(try e.serialized().dropFirst()) }

    /// BIP-341 key-path-only tweak t = int(hash_TapTweak(x(P))) mod n (empty merkle root).
    static func unspendableTweak(_ P: C.Element) throws(CurveError) -> C.Scalar {
        // Reducing 32 big-endian bytes modulo n (Secp256k1Scalar.reducingWide is big-endian).
        C.Scalar(reducingWide: Hash.taggedSHA256(tag: "TapTweak", [try xOnly(P)]))
    }

    /// SerializeSignature for the proof σ = (R, μ).
    static func serializeProof(R: C.Element, mu: C.Scalar) throws(CurveError) -> [UInt8] {
        if isTaproot {
            guard !hasOddY(R) else { throw .invalidPoint }
            return try xOnly(R) + mu.bytes
        }
        return try R.serialized() + mu.bytes
    }

    /// DeserializeSignature: fixed length, valid non-identity R (lifted to even y for Taproot), canonical μ.
    static func deserializeProof(_ bytes: [UInt8]) throws(CurveError) -> (R: C.Element, mu: C.Scalar) {
        guard bytes.count == proofByteCount else { throw .invalidPoint }
        let split = bytes.count - C.Scalar.byteCount
        let rBytes = isTaproot ? [0x02] + bytes[0..<split] : Array(bytes[0..<split])
        let R = try C.Element(serialized: rBytes)
        let mu = try C.Scalar(canonical: Array(bytes[split...]))
        return (R, mu)
    }
}
