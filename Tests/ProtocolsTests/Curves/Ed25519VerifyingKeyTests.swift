import Testing
import CSodium
@testable import Protocols

/// `Ed25519VerifyingKey` answers exactly as libsodium's `crypto_sign_verify_detached` for keys of the prime-order
/// subgroup: on valid signatures, on altered ones, and on the cases libsodium refuses before computing anything.
@Suite struct Ed25519VerifyingKeyTests {
    struct Signer {
        let pk: [UInt8], sk: [UInt8], seed: [UInt8]
        init(_ rng: inout SeededRandom) {
            seed = rng.bytes(32)
            var pk = [UInt8](repeating: 0, count: 32), sk = [UInt8](repeating: 0, count: 64)
            _ = crypto_sign_seed_keypair(&pk, &sk, seed)
            self.pk = pk; self.sk = sk
        }
        func sign(_ m: [UInt8]) -> [UInt8] {
            var sig = [UInt8](repeating: 0, count: 64)
            _ = crypto_sign_detached(&sig, nil, m, UInt64(m.count), sk)
            return sig
        }
        /// The secret scalar a (RFC 8032 §5.1.5), A = a·B.
        var scalar: Ed25519Scalar {
            var h = Hash.sha512(seed)
            h[0] &= 248; h[31] &= 127; h[31] |= 64
            return Ed25519Scalar(reducingWide: Array(h[0..<32]))
        }
    }

    static func libsodium(_ sig: [UInt8], _ m: [UInt8], _ pk: [UInt8]) -> Bool {
        crypto_sign_verify_detached(sig, m, UInt64(m.count), pk) == 0
    }

    @Test func answersAsLibsodiumOnValidAndAlteredSignatures() throws {
        var rng = SeededRandom(seed: 11)
        var refused = 0
        for _ in 0..<30 {
            let signer = Signer(&rng)
            let key = try #require(Ed25519VerifyingKey(encoding: signer.pk))
            for _ in 0..<8 {
                let m = rng.bytes(Int(rng.bytes(1)[0]))
                let sig = signer.sign(m)
                #expect(key.verify(signature: sig, message: m))
                #expect(Self.libsodium(sig, m, signer.pk))
                // One bit of the signature or the message flipped, or the message extended.
                var alteredSig = sig, alteredMessage = m
                let choice = Int(rng.bytes(1)[0]) % 3
                if choice == 0 || m.isEmpty {
                    let bit = Int(rng.bytes(1)[0]) * 2 + Int(rng.bytes(1)[0] & 1)
                    alteredSig[bit / 8 % 64] ^= 1 << (bit % 8)
                } else if choice == 1 {
                    alteredMessage[Int(rng.bytes(1)[0]) % m.count] ^= 0x10
                } else {
                    alteredMessage.append(0)
                }
                let expected = Self.libsodium(alteredSig, alteredMessage, signer.pk)
                #expect(key.verify(signature: alteredSig, message: alteredMessage) == expected)
                if !expected { refused += 1 }
                // Another signer's key never accepts it.
                #expect(!Ed25519VerifyingKey(encoding: Signer(&rng).pk)!.verify(signature: sig, message: m))
            }
        }
        #expect(refused == 240)
        #expect(!(try #require(Ed25519VerifyingKey(encoding: Signer(&rng).pk))).verify(signature: [UInt8](repeating: 0, count: 63), message: []))
    }

    /// s + ℓ satisfies the equation too; RFC 8032 and libsodium refuse a non-canonical s.
    @Test func nonCanonicalSIsRefused() throws {
        var rng = SeededRandom(seed: 12)
        let signer = Signer(&rng)
        let key = try #require(Ed25519VerifyingKey(encoding: signer.pk))
        let m = Array("pay 1 ETH".utf8)
        var sig = signer.sign(m)
        var carry = 0
        for i in 0..<32 {
            let v = Int(sig[32 + i]) + Int(Ed25519Vartime.groupOrderBytes[i]) + carry
            sig[32 + i] = UInt8(truncatingIfNeeded: v); carry = v >> 8
        }
        #expect(carry == 0)
        #expect(!Self.libsodium(sig, m, signer.pk))
        #expect(!key.verify(signature: sig, message: m))
    }

    /// R = O with s = k·a satisfies [s]B − [k]A = R; libsodium refuses a small-order R, and so does the key.
    @Test func identityRIsRefused() throws {
        var rng = SeededRandom(seed: 13)
        let signer = Signer(&rng)
        let key = try #require(Ed25519VerifyingKey(encoding: signer.pk))
        let m = Array("identity".utf8)
        let rBytes = Ed25519Point.identity.encoding
        let k = Ed25519Scalar(reducingWide: Hash.sha512([rBytes, signer.pk, m]))
        let s = k * signer.scalar
        let sig = rBytes + s.bytes
        // The equation holds: only the identity check refuses it.
        #expect(Ed25519VerifyingKey.combination(s.bytes, k.bytes, key.negatedTable).isIdentity)
        #expect(!Self.libsodium(sig, m, signer.pk))
        #expect(!key.verify(signature: sig, message: m))
    }

    /// Keys outside the prime-order subgroup (or not canonical, or not on the curve) get no table: the caller
    /// falls back to libsodium for them.
    @Test func onlySubgroupKeysArePrecomputed() throws {
        var rng = SeededRandom(seed: 14)
        let signer = Signer(&rng)
        let a = try #require(Ed25519Vartime.Point(encoding: signer.pk))
        // A + (0, −1) = (−x, −y): a key with an order-2 component.
        let mixed = Ed25519Vartime.Point(X: -a.X, Y: -a.Y, Z: a.Z, T: a.T).encoding()
        #expect(Ed25519Vartime.Point(encoding: mixed) != nil)
        #expect(Ed25519VerifyingKey(encoding: mixed) == nil)
        #expect(Ed25519VerifyingKey(encoding: Ed25519Point.identity.encoding) == nil)
        // (0, −1), order 2: y = p − 1.
        var orderTwo = [UInt8](repeating: 0xff, count: 32); orderTwo[0] = 0xec; orderTwo[31] = 0x7f
        #expect(Ed25519VerifyingKey(encoding: orderTwo) == nil)
        // y = p (non-canonical encoding of y = 0).
        var nonCanonical = [UInt8](repeating: 0xff, count: 32); nonCanonical[0] = 0xed; nonCanonical[31] = 0x7f
        #expect(Ed25519VerifyingKey(encoding: nonCanonical) == nil)
        #expect(Ed25519VerifyingKey(encoding: Array(signer.pk.prefix(31))) == nil)
    }

    /// `Ed25519VerifyingKey.check` keeps precomputed keys up to `VerifyingKeyCache.capacity` and checks the rest with
    /// libsodium: more distinct keys than that, each checked twice (kept or not), give libsodium's answers.
    @Test func checkAnswersTheSameWithinAndBeyondTheKeyCache() throws {
        var rng = SeededRandom(seed: 21)
        for _ in 0..<(VerifyingKeyCache.capacity + 40) {
            let signer = Signer(&rng)
            let m = rng.bytes(40)
            let sig = signer.sign(m)
            var altered = sig
            altered[Int(rng.bytes(1)[0]) % 64] ^= 0x04
            for _ in 0..<2 {
                #expect(Ed25519VerifyingKey.check(signature: sig, message: m, publicKey: signer.pk))
                #expect(!Ed25519VerifyingKey.check(signature: altered, message: m, publicKey: signer.pk))
                #expect(!Ed25519VerifyingKey.check(signature: sig, message: m + [0], publicKey: signer.pk))
            }
        }
        #expect(VerifyingKeyCache.count == VerifyingKeyCache.capacity)
        // A key with an order-2 component is not precomputed: libsodium answers for it.
        let signer = Signer(&rng)
        let a = try #require(Ed25519Vartime.Point(encoding: signer.pk))
        let mixed = Ed25519Vartime.Point(X: -a.X, Y: -a.Y, Z: a.Z, T: a.T).encoding()
        let sig = signer.sign([1, 2, 3])
        #expect(Ed25519VerifyingKey.check(signature: sig, message: [1, 2, 3], publicKey: mixed) == Self.libsodium(sig, [1, 2, 3], mixed))
    }

    /// The chunked product equals the plain multi-scalar product [s]B + [k](−A).
    @Test func chunkedProductMatchesMultiscalar() throws {
        var rng = SeededRandom(seed: 15)
        let b = try #require(Ed25519Vartime.Point(encoding: Ed25519Point.generator.encoding))
        for _ in 0..<20 {
            let signer = Signer(&rng)
            let key = try #require(Ed25519VerifyingKey(encoding: signer.pk))
            let a = try #require(Ed25519Vartime.Point(encoding: signer.pk))
            let s = Ed25519Scalar(reducingWide: rng.bytes(64)), k = Ed25519Scalar(reducingWide: rng.bytes(64))
            let expected = Ed25519Vartime.multiscalar(scalars: [s.bytes, k.bytes], points: [b, -a])
            #expect(Ed25519VerifyingKey.combination(s.bytes, k.bytes, key.negatedTable) == expected)
        }
    }
}
