import Foundation
internal import CSecp256k1

extension TestSigner {
    /// Plain ECDSA (RFC 6979) returning compact r || s.
    static func sign(digest: [UInt8], privateKey: [UInt8]) -> (r: [UInt8], s: [UInt8])? {
        guard let s = signRecoverable(digest: digest, privateKey: privateKey) else { return nil }
        return (s.r, s.s)
    }

    /// BIP-340 signature with a (already tweaked) private key, aux randomness all zero.
    static func signSchnorr(message: [UInt8], privateKey: [UInt8]) -> [UInt8]? {
        guard let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else { return nil }
        defer { secp256k1_context_destroy(ctx) }
        var keypair = secp256k1_keypair()
        guard secp256k1_keypair_create(ctx, &keypair, privateKey) == 1 else { return nil }
        var sig = [UInt8](repeating: 0, count: 64)
        let aux = [UInt8](repeating: 0, count: 32)
        guard secp256k1_schnorrsig_sign32(ctx, &sig, message, &keypair, aux) == 1 else { return nil }
        return sig
    }
}

/// a - b for 32-byte big-endian numbers with a >= b.
func bigEndianDifference(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 32)
    var borrow = 0
    for i in stride(from: 31, through: 0, by: -1) {
        var d = Int(a[i]) - Int(b[i]) - borrow
        borrow = d < 0 ? 1 : 0
        if d < 0 { d += 256 }
        out[i] = UInt8(d)
    }
    return out
}
