/// Precomputation for presigning: constant-time power tables of every peer's ring-Pedersen (s, t) mod N̂ (the
/// bases of the commitments we make in Π^enc, Π^log*, Π^aff-g, the same for every presignature with that peer)
/// and of our own (s, t) mod p̂, q̂ (the verifier's s^{z1} t^{z3}), see `RingPedersenTables`; and the tables of
/// our Paillier key's fresh nonces (`PaillierNonceGenerator`).
extension VerifiedPeerAuxInfo {
    /// The same verified aux info carrying prover tables for its ring-Pedersen parameters (≈ 4.9 MB at 2048 bits).
    public func withProverTables(profile: CGGMPProfile) -> VerifiedPeerAuxInfo {
        VerifiedPeerAuxInfo(verified: paillier, ringPedersen: ringPedersen.withProverTables(profile: profile))
    }
}

extension CGGMPAuxInfo {
    /// The same aux info with every table presigning uses: build once per aux info (the peers' concurrently on
    /// every core), keep it, and pass it to `CGGMPPresign.start` for every presignature. Pure: no I/O, no
    /// randomness; the values of every proof are the same with or without tables.
    public func withPresignTables(profile: CGGMPProfile) -> CGGMPAuxInfo {
        enum Built: Sendable { case peer(VerifiedPeerAuxInfo), own(RingPedersenParameters), key(PaillierSecretKey) }
        let ids = peers.keys.sorted(), all = peers, mine = ringPedersen, sk = paillier
        let built = CGGMPConcurrent.map(ids.count + 2) { (n: Int) -> Built? in
            if n == ids.count { return .own(mine.withVerifierTables()) }
            if n == ids.count + 1 { return .key(sk.withNonceTables()) }
            return all[ids[n]].map { .peer($0.withProverTables(profile: profile)) }
        }
        var out = peers, own = ringPedersen, key = paillier
        for (n, b) in built.enumerated() {
            switch b {
            case .peer(let p): out[ids[n]] = p
            case .own(let r): own = r
            case .key(let k): key = k
            case nil: break
            }
        }
        return CGGMPAuxInfo(id: id, paillier: key, ringPedersen: own, peers: out)
    }
}
