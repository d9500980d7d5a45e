/// A peer's auxiliary material — Paillier modulus N and ring-Pedersen (s, t) over the same N, as
/// in the aux-info phase (eprint 2021/060, Fig. 7 / Section 4) — that can only be obtained by
/// verifying Π^mod, Π^prm and Π^fac (checklist 1, 2). Protocol rounds that encrypt to a peer or
/// use its ring-Pedersen parameters take this type, never a bare modulus.
public struct VerifiedPeerAuxInfo: Sendable, Equatable {
    public let paillier: PaillierPublicKey
    public let ringPedersen: RingPedersenParameters

    /// Checks the exact size of N (checklist 6), s and t (units, not ±1), then verifies
    /// Π^mod (N is Paillier-Blum), Π^prm (s ∈ <t>) and Π^fac made against OUR ring-Pedersen
    /// parameters `ownAux` (checklist 2). All proofs are bound to `context` (the peer is the prover).
    public static func verify(n: BigNum, s: BigNum, t: BigNum, piMod: PiMod, piPrm: PiPrm, piFac: PiFac,
                              ownAux: RingPedersenParameters, profile: CGGMPProfile,
                              context: CGGMPProofContext) throws(CGGMPError) -> VerifiedPeerAuxInfo {
        let pk = try PaillierPublicKey(n: n, profile: profile)
        let rp = try RingPedersenParameters(n: n, s: s, t: t, profile: profile)
        try piMod.verify(n: n, profile: profile, context: context)
        try piPrm.verify(rp, profile: profile, context: context)
        try piFac.verify(n0: n, ownAux: ownAux, profile: profile, context: context)
        return VerifiedPeerAuxInfo(paillier: pk, ringPedersen: rp)
    }

    private init(paillier: PaillierPublicKey, ringPedersen: RingPedersenParameters) {
        self.paillier = paillier
        self.ringPedersen = ringPedersen
    }

    /// The same verified values with other (table-carrying) parameters: only from an already verified value.
    init(verified paillier: PaillierPublicKey, ringPedersen: RingPedersenParameters) {
        self.init(paillier: paillier, ringPedersen: ringPedersen)
    }

    /// TEST SUPPORT ONLY (internal): skips Π^mod / Π^prm / Π^fac for fixture keys whose proofs are
    /// covered by their own tests, so protocol tests do not pay for them. Never used by protocol code.
    init(unverifiedFixture paillier: PaillierPublicKey, ringPedersen: RingPedersenParameters) {
        self.init(paillier: paillier, ringPedersen: ringPedersen)
    }
}
