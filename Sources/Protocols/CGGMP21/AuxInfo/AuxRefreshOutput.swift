/// CGGMP21 aux info and key refresh, output (eprint 2021/060, Fig. 6, Output): verify every
/// peer's Π^mod, Π^prm, Π^fac (→ `VerifiedPeerAuxInfo`), decrypt and Feldman-check its share of
/// zero, and build the refreshed key share (same public key, every share changed) and aux info.

public struct CGGMPAuxRefreshOutput: Sendable {
    public let keyShare: CGGMPKeyShare
    public let aux: CGGMPAuxInfo
}

/// One sender's round-3 message after verification (computed concurrently, folded in message order).
enum AuxRefreshVerdict: Sendable {
    case verified(VerifiedPeerAuxInfo, share: BigNum)
    case blame(CGGMPBlame)
}

extension AuxRefreshRound3State {
    public consuming func receive(_ messages: [AuxRefreshRound3Message]) throws(CGGMPProtocolError) -> CGGMPAuxRefreshOutput {
        let ctx = self.ctx
        try ctx.checkSenders(messages.map { ($0.from, $0.to) })
        let q = CGGMPProfile.curveOrder
        let ownAux = ringPedersen.parameters
        var culprits = [CGGMPPartyId: CGGMPBlame]()
        var verified = [CGGMPPartyId: VerifiedPeerAuxInfo]()
        var newShare = (ctx.keyShare.secretShare + ownShareOfZero).mod(q)
        // Fig. 6, Output, steps 1-2, per sender concurrently.
        let senders = try messages.map { m throws(CGGMPProtocolError) -> AuxRefreshPeerData in
            guard let pj = peers[m.from] else { throw .invalidInput("missing peer data") }
            return pj
        }
        let paillier = self.paillier, rid = self.rid
        let verdicts = CGGMPConcurrent.map(messages.count) { (n: Int) -> AuxRefreshVerdict in
            let m = messages[n], pj = senders[n]
            // Step 1: Π^mod, Π^prm, Π^fac.
            let info: VerifiedPeerAuxInfo
            do throws(CGGMPError) {
                info = try VerifiedPeerAuxInfo.verify(n: pj.N, s: pj.s, t: pj.t, piMod: m.psiMod, piPrm: m.psiPrm,
                                                      piFac: m.psiFac, ownAux: ownAux, profile: ctx.profile,
                                                      context: ctx.proofContext(prover: m.from, rid: rid))
            } catch {
                return .blame(blame(error, round: 3))
            }
            // Step 2: x_j^i = dec_i(C_j^i), x_j^i·G = F_j(i).
            guard let x = try? paillier.decrypt(m.C), x < q,
                  Secp256k1Group.multiplyGenerator(x) == AuxRefreshContext.evaluate(pj.A, at: ctx.me) else {
                return .blame(.badOpening("share of zero does not match its Feldman commitments"))
            }
            return .verified(info, share: x)
        }
        for (m, verdict) in zip(messages, verdicts) {
            switch verdict {
            case .blame(let b): culprits[m.from] = b
            case .verified(let info, let x):
                verified[m.from] = info
                newShare = (newShare + x).mod(q)
            }
        }
        guard culprits.isEmpty else { throw .culprits(culprits) }
        // New public shares X_k' = X_k + Σ_j F_j(k); the public key is unchanged (f_j(0) = 0).
        var publicShares = [CGGMPPartyId: Secp256k1Point]()
        for k in ctx.parties {
            guard var Xk = ctx.keyShare.publicShares[k] else { throw .invalidInput("missing public share") }
            Xk = Xk + AuxRefreshContext.evaluate(ownA, at: k)
            for (_, pj) in peers { Xk = Xk + AuxRefreshContext.evaluate(pj.A, at: k) }
            publicShares[k] = Xk
        }
        let share = try CGGMPKeyShare(id: ctx.me, threshold: ctx.keyShare.threshold, secretShare: newShare,
                                      publicShares: publicShares, publicKey: ctx.keyShare.publicKey)
        let aux = try CGGMPAuxInfo(id: ctx.me, paillier: paillier, ringPedersen: ringPedersen, peers: verified)
        return CGGMPAuxRefreshOutput(keyShare: share, aux: aux)
    }
}
