/// BIP-341 key tweak for the BIP-340 ciphersuite, as the reference implementation (frost-secp256k1-tr)
/// applies it: t = int(hash_TapTweak(P.x || merkle_root)), Q = P' + t·G where P' is P with even y; the
/// shares follow linearly (sk_i' + t, PK_i' + t·G), and the result is normalised to even y again before
/// signing. The tweak is applied exactly once, from the untweaked key package, on every signing.
public enum TaprootTweak: Sendable, Equatable {
    /// Sign for the internal key P itself (no BIP-341 tweak; the vectors' mode).
    case untweaked
    /// Key-path-only output (BIP-341's recommendation without scripts): t = hash_TapTweak(P.x).
    case keyPathOnly
    /// An output committing to a script tree: t = hash_TapTweak(P.x || merkle_root), 32-byte root.
    case scriptTree(merkleRoot: [UInt8])

    /// The bytes appended to P.x in the TapTweak hash; nil when no tweak applies.
    var merkleRoot: [UInt8]? {
        switch self {
        case .untweaked: return nil
        case .keyPathOnly: return []
        case .scriptTree(let root): return root
        }
    }
}

/// BIP-341: t = int(hash_TapTweak(P.x || merkle_root)), failing when t ≥ n (probability ~2^-128).
public enum BIP341 {
    public static func tweakScalar(internalKey P: Secp256k1Point, merkleRoot: [UInt8]) throws(CurveError) -> Secp256k1Scalar {
        let h = Hash.taggedSHA256(tag: "TapTweak", [try P.xOnly(), merkleRoot])
        return try Secp256k1Scalar(canonical: h)
    }

    /// The output key Q = lift_x(P.x) + t·G, returned with its x-only encoding and parity.
    public static func outputKey(internalKey P: Secp256k1Point, merkleRoot: [UInt8]) throws(CurveError) -> (Q: Secp256k1Point, xOnly: [UInt8], oddY: Bool) {
        let even = try Secp256k1Point(liftX: P.xOnly())
        let t = try tweakScalar(internalKey: P, merkleRoot: merkleRoot)
        let Q = even + Secp256k1Point.baseMultiply(t)
        return (Q, try Q.xOnly(), !(try Q.hasEvenY()))
    }
}
