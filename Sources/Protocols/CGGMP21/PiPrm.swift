/// Π^prm — ring-Pedersen parameters proof. eprint 2021/060, Appendix C, Fig. 17.
///
/// Statement: s ∈ <t> in Z*_N̂, i.e. the prover knows λ with s = t^λ mod N̂.
/// m repetitions (profile.m), each with its own challenge bit e_i (checklist 4, 5).
public struct PiPrm: Sendable, Equatable {
    /// A_i = t^{a_i} mod N̂.
    public let A: [BigNum]
    /// z_i = a_i + e_i·λ mod φ(N̂).
    public let z: [BigNum]

    public init(A: [BigNum], z: [BigNum]) { self.A = A; self.z = z }

    static func challenges(_ params: RingPedersenParameters, A: [BigNum], context: CGGMPProofContext) -> [Bool] {
        var tr = context.transcript(.prm)
        tr.append("N", params.n)
        tr.append("s", params.s)
        tr.append("t", params.t)
        tr.append("A", A)
        // Fig. 17, step 2 (Fiat-Shamir): e_i ∈ {0, 1}, one bit per repetition.
        return tr.challengeBits("e", count: A.count)
    }

    public static func prove<R: RandomSource>(secret: RingPedersenSecret, profile: CGGMPProfile,
                                              context: CGGMPProofContext, using rng: inout R) throws(CGGMPError) -> PiPrm {
        let params = secret.parameters
        guard let crt = secret.crtModulus else { throw .proverFailed(proof: .prm, "bad primes") }
        // Fig. 17, step 1: a_i ← Z_φ(N̂) (drawn in order from `rng`), A_i = t^{a_i} (CRT, powm_sec), the
        // exponentiations concurrently.
        let as_ = (0..<profile.m).map { _ in BigNum.random(below: secret.phi, using: &rng) }
        let powers = CGGMPConcurrent.map(as_.count) { (i: Int) in crt.powUnit(params.t, as_[i]) }
        var A: [BigNum] = []
        for Ai in powers {
            guard let Ai else { throw .proverFailed(proof: .prm, "t not a unit") }
            A.append(Ai)
        }
        let e = challenges(params, A: A, context: context)
        // Fig. 17, step 3: z_i = a_i + e_i λ mod φ(N̂).
        let z = (0..<profile.m).map { i in e[i] ? as_[i].adding(secret.lambda).mod(secret.phi) : as_[i] }
        return PiPrm(A: A, z: z)
    }

    /// Verifies against (N̂, s, t): exact size of N̂, s and t units and not ±1 (checklist 6),
    /// counts and ranges, then t^{z_i} = A_i · s^{e_i} mod N̂.
    public func verify(_ params: RingPedersenParameters, profile: CGGMPProfile,
                       context: CGGMPProofContext) throws(CGGMPError) {
        func reject(_ r: CGGMPProofRejection) -> CGGMPError { .proofRejected(proof: .prm, reason: r) }
        let n = params.n
        guard n.bitLength == profile.modulusBits, n.isOdd else { throw reject(.invalidStatement("N̂ size")) }
        do { try RingPedersenParameters.checkElement(params.s, n, "s"); try RingPedersenParameters.checkElement(params.t, n, "t") }
        catch { throw reject(.invalidStatement("s, t must be units other than ±1")) }
        let m = profile.m
        guard A.count == m, z.count == m else { throw reject(.malformed("expected \(m) repetitions")) }
        for i in 0..<m {
            guard A[i].sign > 0, A[i] < n else { throw reject(.outOfRange("A[\(i)]")) }
            guard z[i].sign >= 0, z[i] < n else { throw reject(.outOfRange("z[\(i)]")) }
        }
        let e = Self.challenges(params, A: A, context: context)
        // t^{z_i} for m public exponents z_i < N̂ with the same public base t: one fixed-base table
        // (`FixedBasePowers`, variable time: everything here is public), the repetitions concurrently;
        // the lowest failing index is reported.
        let tPowers = FixedBasePowers(base: params.t, modulus: n, maxBits: n.bitLength)
        let (A, z) = (self.A, self.z)
        let failures = CGGMPConcurrent.map(m) { (i: Int) -> Bool in
            let lhs = tPowers.pow(z[i])
            let rhs = e[i] ? A[i].mulMod(params.s, n) : A[i]
            return lhs != rhs
        }
        if let i = failures.firstIndex(of: true) { throw reject(.equationFailed("t^z[\(i)] != A[\(i)]·s^e[\(i)]")) }
    }
}
