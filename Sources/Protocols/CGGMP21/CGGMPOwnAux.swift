/// A party's own aux material (eprint 2021/060, Fig. 6/7 "auxiliary info"): the Paillier key over
/// N = pq (safe primes) and ring-Pedersen (s, t, λ) over the same N. It belongs to one party and is
/// reused across wallets; only its public part (N, s, t) with proofs ever leaves the party.
public struct CGGMPOwnAux: Sendable {
    public let profile: CGGMPProfile
    public let paillier: PaillierSecretKey
    public let ringPedersen: RingPedersenSecret

    /// From two distinct safe primes (generated, or imported by an operator step): fresh (s, t, λ).
    public static func from<R: RandomSource>(p: BigNum, q: BigNum, profile: CGGMPProfile,
                                             using rng: inout R) throws(CGGMPError) -> CGGMPOwnAux {
        guard SafePrime.isSafePrime(p, using: &rng), SafePrime.isSafePrime(q, using: &rng) else {
            throw .invalidInput("aux primes must be safe primes")
        }
        let sk = try PaillierSecretKey(p: p, q: q, profile: profile)
        let rp = try RingPedersenSecret.generate(over: sk, profile: profile, using: &rng)
        return CGGMPOwnAux(profile: profile, paillier: sk, ringPedersen: rp)
    }

    /// Generates two safe primes (slow: minutes for the 2048 profile, more for 3072), then (s, t, λ).
    public static func generate<R: RandomSource>(profile: CGGMPProfile, using rng: inout R,
                                                 progress: (Int) -> Void = { _ in }) throws(CGGMPError) -> CGGMPOwnAux {
        let sk = try PaillierSecretKey.generate(profile: profile, using: &rng, progress: progress)
        let rp = try RingPedersenSecret.generate(over: sk, profile: profile, using: &rng)
        return CGGMPOwnAux(profile: profile, paillier: sk, ringPedersen: rp)
    }

    /// The aux info for a session: ours plus every peer's verified aux info (keyed by party id).
    public func auxInfo(id: CGGMPPartyId, peers: [CGGMPPartyId: VerifiedPeerAuxInfo]) throws(CGGMPProtocolError) -> CGGMPAuxInfo {
        try CGGMPAuxInfo(id: id, paillier: paillier, ringPedersen: ringPedersen, peers: peers)
    }

    /// The same material whose ring-Pedersen parameters carry the verifier tables (s, t mod p̂, q̂; see
    /// `RingPedersenTables`) and whose Paillier key carries its nonce tables (`PaillierNonceGenerator`): build
    /// once when the material is loaded, keep it for every presignature.
    public func withPresignTables() -> CGGMPOwnAux {
        let rp = ringPedersen
        return CGGMPOwnAux(profile: profile, paillier: paillier.withNonceTables(),
                           ringPedersen: RingPedersenSecret(parameters: rp.parameters.withVerifierTables(), lambda: rp.lambda,
                                                            p: rp.p, q: rp.q, phi: rp.phi))
    }

    // MARK: sealed-storage encoding: version, modulus bits u16, p, q, s, t, λ (fixed widths)

    public func encoded() throws(CGGMPError) -> [UInt8] {
        let wd = CGGMPWire.Widths(profile)
        var out = CGGMPWire.Writer()
        out.u16(profile.modulusBits)
        try out.unsigned(paillier.p, width: wd.mod / 2, "p")
        try out.unsigned(paillier.q, width: wd.mod / 2, "q")
        try out.unsigned(ringPedersen.parameters.s, width: wd.mod, "s")
        try out.unsigned(ringPedersen.parameters.t, width: wd.mod, "t")
        try out.unsigned(ringPedersen.lambda, width: wd.mod, "lambda")
        return out.bytes
    }

    /// Decodes and re-checks: N of the profile's size, s = t^λ, s and t valid.
    public init(encoded bytes: [UInt8]) throws(CGGMPError) {
        var r = try CGGMPWire.Reader(bytes)
        let bits = try r.u16("modulus bits")
        let profile: CGGMPProfile
        switch bits {
        case CGGMPProfile.bits2048.modulusBits: profile = .bits2048
        case CGGMPProfile.bits3072.modulusBits: profile = .bits3072
        default: throw .malformedEncoding("unknown profile")
        }
        let wd = CGGMPWire.Widths(profile)
        let p = try r.unsigned(width: wd.mod / 2, "p"), q = try r.unsigned(width: wd.mod / 2, "q")
        let s = try r.unsigned(width: wd.mod, "s"), t = try r.unsigned(width: wd.mod, "t")
        let lambda = try r.unsigned(width: wd.mod, "lambda")
        try r.finish()
        let sk = try PaillierSecretKey(p: p, q: q, profile: profile)
        let n = sk.publicKey.n
        _ = try RingPedersenParameters(n: n, s: s, t: t, profile: profile)
        guard t.powSecret(lambda, modulus: n) == s, let crt = CRTModulus(p: p, q: q) else {
            throw .invalidRingPedersen("s is not t^λ")
        }
        let params = RingPedersenParameters(unchecked: n, s: s, t: t, accelerator: crt)
        self.profile = profile
        self.paillier = sk
        self.ringPedersen = RingPedersenSecret(parameters: params, lambda: lambda, p: p, q: q, phi: (p - .one) * (q - .one))
    }

    private init(profile: CGGMPProfile, paillier: PaillierSecretKey, ringPedersen: RingPedersenSecret) {
        self.profile = profile; self.paillier = paillier; self.ringPedersen = ringPedersen
    }
}

/// What a party shows a verifier so that the verifier obtains `VerifiedPeerAuxInfo`: (N, s, t) with
/// Π^mod, Π^prm and Π^fac, the last one made against the verifier's own ring-Pedersen parameters
/// (checklist 2), which binds it to that verifier. Π^mod and Π^prm are statements about the prover's N alone:
/// made once (`CGGMPModulusProofs`) and shown to every verifier. The verifier's parameters must have been
/// checked with their Π^prm first (`CGGMPAuxRequest`), so the prover never runs Π^fac against malformed ones.
public struct CGGMPAuxProofs: Sendable {
    public let n: BigNum, s: BigNum, t: BigNum
    public let piMod: PiMod, piPrm: PiPrm, piFac: PiFac

    public static func prove<R: RandomSource>(own: CGGMPOwnAux, modulus: CGGMPModulusProofs, verifierAux: RingPedersenParameters,
                                              context: CGGMPProofContext, using rng: inout R) throws(CGGMPError) -> CGGMPAuxProofs {
        let p = own.ringPedersen.parameters
        return CGGMPAuxProofs(n: p.n, s: p.s, t: p.t, piMod: modulus.piMod, piPrm: modulus.piPrm,
                              piFac: try PiFac.prove(secretKey: own.paillier, verifierAux: verifierAux, profile: own.profile,
                                                     context: context, using: &rng))
    }

    /// Verifies every proof against our own parameters (`VerifiedPeerAuxInfo.verify`).
    public func verify(ownAux: RingPedersenParameters, profile: CGGMPProfile, context: CGGMPProofContext) throws(CGGMPError) -> VerifiedPeerAuxInfo {
        try VerifiedPeerAuxInfo.verify(n: n, s: s, t: t, piMod: piMod, piPrm: piPrm, piFac: piFac, ownAux: ownAux,
                                       profile: profile, context: context)
    }

    public func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8] {
        let wd = CGGMPWire.Widths(profile)
        var out = CGGMPWire.Writer()
        for (name, v) in [("n", n), ("s", s), ("t", t)] { try out.unsigned(v, width: wd.mod, name) }
        out.blob(try piMod.encoded(profile: profile))
        out.blob(try piPrm.encoded(profile: profile))
        out.blob(try piFac.encoded(profile: profile))
        return out.bytes
    }

    public init(encoded bytes: [UInt8], profile: CGGMPProfile) throws(CGGMPError) {
        let wd = CGGMPWire.Widths(profile)
        var r = try CGGMPWire.Reader(bytes)
        n = try r.unsigned(width: wd.mod, "n"); s = try r.unsigned(width: wd.mod, "s"); t = try r.unsigned(width: wd.mod, "t")
        piMod = try PiMod(encoded: try r.blob("Π^mod"), profile: profile)
        piPrm = try PiPrm(encoded: try r.blob("Π^prm"), profile: profile)
        piFac = try PiFac(encoded: try r.blob("Π^fac"), profile: profile)
        try r.finish()
    }

    private init(n: BigNum, s: BigNum, t: BigNum, piMod: PiMod, piPrm: PiPrm, piFac: PiFac) {
        self.n = n; self.s = s; self.t = t; self.piMod = piMod; self.piPrm = piPrm; self.piFac = piFac
    }
}

/// Π^mod (N is a Paillier-Blum modulus) and Π^prm (s ∈ <t>) of a party's own aux material, made once under
/// a context naming the prover.
public struct CGGMPModulusProofs: Sendable {
    public let piMod: PiMod
    public let piPrm: PiPrm

    public static func prove<R: RandomSource>(own: CGGMPOwnAux, context: CGGMPProofContext, using rng: inout R) throws(CGGMPError) -> CGGMPModulusProofs {
        CGGMPModulusProofs(piMod: try PiMod.prove(secretKey: own.paillier, profile: own.profile, context: context, using: &rng),
                           piPrm: try PiPrm.prove(secret: own.ringPedersen, profile: own.profile, context: context, using: &rng))
    }
}

/// The verifier's side of the exchange: its ring-Pedersen parameters with Π^prm, checked by the prover
/// before it makes Π^fac against them.
public struct CGGMPAuxRequest: Sendable {
    public let parameters: RingPedersenParameters
    public let piPrm: PiPrm

    public init(own: CGGMPOwnAux, modulus: CGGMPModulusProofs) {
        parameters = own.ringPedersen.parameters
        piPrm = modulus.piPrm
    }

    public func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8] {
        let wd = CGGMPWire.Widths(profile)
        var out = CGGMPWire.Writer()
        for (name, v) in [("n", parameters.n), ("s", parameters.s), ("t", parameters.t)] { try out.unsigned(v, width: wd.mod, name) }
        out.blob(try piPrm.encoded(profile: profile))
        return out.bytes
    }

    /// Decodes and verifies: valid (N̂, s, t) of the profile's size and Π^prm (s ∈ <t>).
    public init(verifying bytes: [UInt8], profile: CGGMPProfile, context: CGGMPProofContext) throws(CGGMPError) {
        let wd = CGGMPWire.Widths(profile)
        var r = try CGGMPWire.Reader(bytes)
        let n = try r.unsigned(width: wd.mod, "n"), s = try r.unsigned(width: wd.mod, "s"), t = try r.unsigned(width: wd.mod, "t")
        let prm = try PiPrm(encoded: try r.blob("Π^prm"), profile: profile)
        try r.finish()
        let params = try RingPedersenParameters(n: n, s: s, t: t, profile: profile)
        try prm.verify(params, profile: profile, context: context)
        self.parameters = params; self.piPrm = prm
    }
}

extension CGGMPWire.Writer {
    mutating func u16(_ v: Int) { raw([UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]) }
    /// u32 length, then the bytes.
    mutating func blob(_ b: [UInt8]) {
        let n = UInt32(b.count)
        raw([UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)])
        raw(b)
    }
    mutating func point(_ p: Secp256k1Point) { raw(Secp256k1Group.encode(p)) }
}

extension CGGMPWire.Reader {
    mutating func u16(_ field: String) throws(CGGMPError) -> Int {
        let b = try raw(2, field)
        return Int(b[0]) << 8 | Int(b[1])
    }
    mutating func blob(_ field: String) throws(CGGMPError) -> [UInt8] {
        let b = try raw(4, field)
        let n = Int(b[0]) << 24 | Int(b[1]) << 16 | Int(b[2]) << 8 | Int(b[3])
        return try raw(n, field)
    }
    /// A non-identity point (checklist 15).
    mutating func point(_ field: String) throws(CGGMPError) -> Secp256k1Point {
        guard let p = Secp256k1Group.decode(try raw(33, field)), !p.isIdentity else { throw .malformedEncoding(field) }
        return p
    }
}
