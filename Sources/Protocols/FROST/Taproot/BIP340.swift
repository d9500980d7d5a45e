/// BIP-340 single-signer Schnorr signatures over the curve types (used by the BIP-340 vector runner and as
/// an independent check of the threshold signatures). Follows the BIP's "Default Signing" and "Verification"
/// algorithms step by step; secret arithmetic uses the constant-time scalar type and base multiplication.
public enum BIP340 {
    public enum Failure: Error, Equatable, Sendable {
        case invalidSecretKey, invalidAuxRand, zeroNonce
    }

    /// The x-only public key of a secret key (32 bytes).
    public static func publicKey(secretKey: [UInt8]) throws(Failure) -> [UInt8] {
        guard let d = try? Secp256k1Scalar(canonical: secretKey), !d.isZero,
              let x = try? Secp256k1Point.baseMultiply(d).xOnly() else { throw .invalidSecretKey }
        return x
    }

    /// Sign(sk, m, a) of BIP-340 for a message of any length.
    public static func sign(secretKey: [UInt8], message m: [UInt8], auxRand a: [UInt8]) throws(Failure) -> [UInt8] {
        guard a.count == 32 else { throw .invalidAuxRand }
        // d' = int(sk); fail if d' = 0 or d' ≥ n. P = d'·G.
        guard let d0 = try? Secp256k1Scalar(canonical: secretKey), !d0.isZero else { throw .invalidSecretKey }
        let P = Secp256k1Point.baseMultiply(d0)
        guard let px = try? P.xOnly(), let pEven = try? P.hasEvenY() else { throw .invalidSecretKey }
        // d = d' if has_even_y(P), otherwise n − d'.
        let d = pEven ? d0 : -d0
        // t = bytes(d) xor hash_BIP0340/aux(a).
        var db = d.bytes
        let aux = Hash.taggedSHA256(tag: "BIP0340/aux", [a])
        var t = zip(db, aux).map { $0 ^ $1 }
        zeroize(&db)
        // rand = hash_BIP0340/nonce(t || bytes(P) || m); k' = int(rand) mod n; fail if k' = 0.
        var rand = Hash.taggedSHA256(tag: "BIP0340/nonce", [t, px, m])
        zeroize(&t)
        let k0 = Secp256k1Scalar(reducing32: rand)
        zeroize(&rand)
        guard !k0.isZero else { throw .zeroNonce }
        // R = k'·G; k = k' if has_even_y(R), otherwise n − k'.
        let R = Secp256k1Point.baseMultiply(k0)
        guard let rx = try? R.xOnly(), let rEven = try? R.hasEvenY() else { throw .zeroNonce }
        let k = rEven ? k0 : -k0
        // e = int(hash_BIP0340/challenge(bytes(R) || bytes(P) || m)) mod n; sig = bytes(R) || bytes((k + ed) mod n).
        let e = Secp256k1Scalar(reducing32: Hash.taggedSHA256(tag: "BIP0340/challenge", [rx, px, m]))
        return rx + (k + e * d).bytes
    }

    /// Verify(pk, m, sig) of BIP-340.
    public static func verify(publicKey pk: [UInt8], message m: [UInt8], signature sig: [UInt8]) -> Bool {
        guard pk.count == 32, sig.count == 64 else { return false }
        // P = lift_x(int(pk)); fail if that fails (x ≥ p or not on the curve).
        guard let P = try? Secp256k1Point(liftX: pk) else { return false }
        // r = int(sig[0:32]); fail if r ≥ p. s = int(sig[32:64]); fail if s ≥ n.
        let r = Array(sig[0..<32])
        guard let s = try? Secp256k1Scalar(canonical: Array(sig[32..<64])) else { return false }
        // e = int(hash_BIP0340/challenge(bytes(r) || bytes(P) || m)) mod n.
        let e = Secp256k1Scalar(reducing32: Hash.taggedSHA256(tag: "BIP0340/challenge", [r, pk, m]))
        // R = s·G − e·P; fail if infinite, if not has_even_y(R), or x(R) ≠ r (r ≥ p never equals x(R)).
        let R = Secp256k1Point.baseMultiply(s) - P.multipliedPublic(by: e)
        guard !R.isIdentity, let even = try? R.hasEvenY(), even, let rx = try? R.xOnly() else { return false }
        return rx == r
    }
}
