/// Parameter profiles of CGGMP21 (eprint 2021/060, Section C.1 "Concrete security" and the
/// parameter discussion in Section 1 / Appendix): ℓ = κ = |q| = 256, ε = 2ℓ, ℓ' = 5ℓ.
/// Only two fixed profiles exist; the repetition count m of Π^mod and Π^prm cannot be lowered
/// (checklist 5): `CGGMPProfile` has no public initializer.
public struct CGGMPProfile: Sendable, Equatable, CustomStringConvertible {
    /// Exact bit length of every Paillier / ring-Pedersen modulus N (checked on receipt).
    public let modulusBits: Int
    /// Bit length of each safe prime p, q (N = pq).
    public var primeBits: Int { modulusBits / 2 }
    /// ℓ: bit size of plaintexts in range proofs (= |q| of secp256k1).
    public let ell: Int
    /// ℓ': bit size of the larger plaintexts (affine operations, Π^aff-g).
    public let ellPrime: Int
    /// ε: slack for the statistical zero-knowledge of range proofs.
    public let epsilon: Int
    /// m: repetitions of Π^mod and Π^prm (soundness 2^-m).
    public let m: Int
    public let name: String

    private init(name: String, modulusBits: Int, m: Int) {
        self.name = name
        self.modulusBits = modulusBits
        self.ell = 256
        self.ellPrime = 5 * 256
        self.epsilon = 2 * 256
        self.m = m
        precondition(m >= 80, "repetitions must never be configurable below 80")
    }

    /// 2048-bit Paillier modulus (1024-bit safe primes), m = 80 repetitions (the paper's value).
    public static let bits2048 = CGGMPProfile(name: "cggmp21-2048", modulusBits: 2048, m: 80)
    /// 3072-bit Paillier modulus (1536-bit safe primes), m = 128: 128-bit security. Default.
    public static let bits3072 = CGGMPProfile(name: "cggmp21-3072", modulusBits: 3072, m: 128)
    public static let `default` = bits3072

    public var description: String { name }

    /// Checks the exact bit length of a received modulus (checklist 6).
    public func checkModulus(_ n: BigNum) throws(CGGMPError) {
        guard n.bitLength == modulusBits else {
            throw .modulusBitLength(expected: modulusBits, actual: n.bitLength)
        }
        guard n.isOdd else { throw .invalidModulus("even modulus") }
    }
}

extension CGGMPProfile {
    /// The secp256k1 group order q = FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFE BAAEDCE6 AF48A03B BFD25E8C D0364141:
    /// the challenge space ±q of Π^enc, Π^fac, Π^log*, Π^aff-g (|q| = ℓ = 256).
    public static let curveOrder: BigNum =
        BigNum(hex: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141") ?? .zero
}
