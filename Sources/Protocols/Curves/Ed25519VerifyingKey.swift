/// RFC 8032 §5.1.7 verification under a public key that is checked many times (a node's, the coordinator's or
/// a client's envelope key), with the key's multiples precomputed once.
///
/// The check is libsodium's `crypto_sign_verify_detached` (cofactorless: encode([s]B − [h]A) must equal the
/// bytes of R), restricted to keys of the prime-order subgroup (which every key we generate is):
/// - s must be canonical (s < ℓ), R must not be the identity, and k = SHA-512(R ‖ A ‖ M) mod ℓ;
/// - [s]B + [k](−A) lies in the prime-order subgroup, so the only small-order R it can equal is the identity
///   (libsodium's small-order list, checked on R's bytes, rejects nothing else that could match), and a
///   non-canonical R never equals a canonical encoding (libsodium compares the bytes the same way).
/// So the answers are libsodium's (tested against it, valid and altered signatures, in Ed25519VerifyingKeyTests).
///
/// Speed: both scalars are split into `parts` chunks of 32 bits, k = Σ k_j·2^(32j), and [k]A = Σ k_j·A_j with
/// A_j = [2^(32j)]A precomputed (likewise B_j for the base point): one multi-scalar product of 16 terms with
/// 33-bit scalars, i.e. 33 doublings instead of 253. Wide NAF digits cut the additions: width 8 for the base
/// point (64 odd multiples per chunk, one static table of 512 points), width 6 for a key (16 per chunk, 128 points,
/// ~20 KB per cached key): ~29 + ~37 additions instead of 2 × ~43 at width 5. A key's tables cost ~250 doublings and
/// ~130 additions once. Variable time: everything here is public.
public struct Ed25519VerifyingKey: Sendable {
    /// The key's 32-byte encoding.
    public let encoding: [UInt8]
    /// (−A_j) odd multiples, `Ed25519VerifyingKey.parts` chunks × `keyHalf` entries: (2i+1)·[2^(32j)](−A).
    let negatedTable: [Ed25519Vartime.Cached]

    static let chunkBits = 32
    static let parts = 8
    /// NAF widths: the base point's table is built once, a key's once per cached key.
    static let baseWidth = 8, keyWidth = 6
    /// Odd multiples per chunk point: P, 3P, ..., (2·half − 1)P.
    static let baseHalf = 1 << (baseWidth - 2), keyHalf = 1 << (keyWidth - 2)
    /// Digits per chunk: 32 bits and the NAF's carry.
    static let digitsPerChunk = chunkBits + 1

    /// The base point's table, built once.
    static let baseTable: [Ed25519Vartime.Cached] = {
        guard let b = Ed25519Vartime.Point(encoding: Ed25519Point.generator.encoding) else {
            preconditionFailure("the base point decodes")
        }
        return chunkTable(b, half: baseHalf)
    }()

    /// Nil unless `encoding` is a canonical encoding of a point of the prime-order subgroup other than the
    /// identity (libsodium accepts some other keys; verify those with libsodium).
    public init?(encoding: [UInt8]) {
        guard encoding.count == 32, let a = Ed25519Vartime.Point(encoding: encoding), !a.isIdentity,
              Ed25519Vartime.isTorsionFree(a) else { return nil }
        self.encoding = encoding
        negatedTable = Self.chunkTable(-a, half: Self.keyHalf)
    }

    /// For j in 0..<parts: the first `half` odd multiples of [2^(32j)]P.
    static func chunkTable(_ p: Ed25519Vartime.Point, half: Int) -> [Ed25519Vartime.Cached] {
        var table = [Ed25519Vartime.Cached]()
        table.reserveCapacity(parts * half)
        var base = p
        for j in 0..<parts {
            if j > 0 { for _ in 0..<chunkBits { base = base.doubled() } }
            let twice = base.doubled().cached
            var odd = base
            table.append(odd.cached)
            for _ in 1..<half { odd = (odd + twice).extended; table.append(odd.cached) }
        }
        return table
    }

    /// Whether `signature` (R ‖ s, 64 bytes) is a valid Ed25519 signature of `message` under this key.
    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        guard signature.count == 64 else { return false }
        let rBytes = Array(signature[0..<32])
        guard rBytes != Ed25519Point.identity.encoding, let s = try? Ed25519Scalar(canonical: Array(signature[32..<64])) else { return false }
        let k = Ed25519Scalar(reducingWide: Hash.sha512([rBytes, encoding, message]))
        let p = Self.combination(s.bytes, k.bytes, negatedTable)
        return p.encoding() == rBytes
    }

    /// [s]B + [k](−A) from the chunk tables.
    static func combination(_ s: [UInt8], _ k: [UInt8], _ negA: [Ed25519Vartime.Cached]) -> Ed25519Vartime.Point {
        let n = digitsPerChunk
        var digits = [Int8](repeating: 0, count: 2 * parts * n)
        var top = -1
        for (which, scalar) in [s, k].enumerated() {
            for j in 0..<parts {
                var w: UInt64 = 0
                for b in 0..<4 { w |= UInt64(scalar[4 * j + b]) << (8 * b) }
                top = max(top, WNAF.digits((w, 0, 0, 0), width: which == 0 ? baseWidth : keyWidth, count: n,
                                           into: &digits, offset: (which * parts + j) * n))
            }
        }
        if top < 0 { return .identity }
        return baseTable.withUnsafeBufferPointer { bTab in
            negA.withUnsafeBufferPointer { aTab in
                digits.withUnsafeBufferPointer { dig in
                    Ed25519Vartime.straus(top: top, rows: 2 * parts, digitsPerRow: n, digits: dig, first: bTab, firstHalf: baseHalf,
                                          second: aTab, secondHalf: keyHalf, split: parts)
                }
            }
        }
    }
}
