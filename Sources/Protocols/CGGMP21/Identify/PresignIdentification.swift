/// Verifying the identification messages after a failed δ or χ check (eprint 2021/060, Fig. 7, Output, error
/// step; see `PresignIdentify.swift`). Public data only: round-1 ciphertexts, the round-3 values as announced to
/// us (Γ_j, δ_j, Δ_j, S_j), and the MtA pairs that went between us and each peer in round 2.
public struct PresignIdentification: Sendable {
    /// The γ- and x-MtA pairs that went one way between us and a peer.
    struct Pairs: Sendable {
        let delta: PresignIdentifyMessage.MtA
        let chi: PresignIdentifyMessage.MtA
    }

    let ctx: PresignContext
    let announced: PresignRound3Public
    /// j → the pairs we sent j (D_{j,me}, F_{j,me}), and the pairs we received from j (D_{me,j}, F_{me,j}).
    let sent: [CGGMPPartyId: Pairs]
    let received: [CGGMPPartyId: Pairs]

    public var id: CGGMPPartyId { ctx.me }

    /// Checks every other signer's identification message and names each party whose message contradicts
    /// round 2 or its round-3 values, or whose Π^mul, Π^mul*, Π^aff-g or Π^dec fails. Honest parties are never named.
    public func identify(_ messages: [PresignIdentifyMessage]) throws(CGGMPProtocolError) -> PresignIdentificationResult {
        try ctx.checkSenders(messages.map { ($0.from, $0.to) })
        var culprits = [CGGMPPartyId: CGGMPBlame]()
        for m in messages {
            if let blame = try check(m) { culprits[m.from] = blame }
        }
        // Pairs of other parties that disagree about what went between them.
        var byId = [CGGMPPartyId: PresignIdentifyMessage]()
        for m in messages { byId[m.from] = m }
        func disagree(_ a: PresignIdentifyMessage.Part, _ b: PresignIdentifyMessage.Part, _ ia: CGGMPPartyId, _ ib: CGGMPPartyId) -> Bool {
            a.received[ib] != b.sent[ia]?.D || b.received[ia] != a.sent[ib]?.D
        }
        var disputes = [[CGGMPPartyId]]()
        for a in ctx.others {
            for b in ctx.others where a < b {
                guard let ma = byId[a], let mb = byId[b] else { continue }
                if disagree(ma.delta, mb.delta, a, b) || disagree(ma.chi, mb.chi, a, b) { disputes.append([a, b]) }
            }
        }
        return PresignIdentificationResult(culprits: culprits, disputes: disputes)
    }

    /// The blame for P_i's message, or nil if it verifies.
    func check(_ m: PresignIdentifyMessage) throws(CGGMPProtocolError) -> CGGMPBlame? {
        let i = m.from, me = ctx.me, q = CGGMPProfile.curveOrder
        let pki = try ctx.peer(i).paillier
        guard let Ki = announced.round1.K[i], let Gi = announced.round1.G[i], let Gammai = announced.Gammas[i],
              let deltai = announced.deltas[i], let Deltai = announced.Deltas[i], let Si = announced.Ss[i],
              let Xi = ctx.X[i] else {
            throw .invalidInput("missing round values of \(i)")
        }
        let othersOfI = Set(ctx.signers.filter { $0 != i })
        var pks = [CGGMPPartyId: PaillierPublicKey]()
        for j in othersOfI { pks[j] = j == me ? ctx.aux.paillier.publicKey : try ctx.peer(j).paillier }
        // Shape, ciphertexts (checklist 9) and first-hand consistency of both parts, before any proof arithmetic.
        for (part, pairs) in [(m.delta, \Pairs.delta), (m.chi, \Pairs.chi)] as [(PresignIdentifyMessage.Part, KeyPath<Pairs, PresignIdentifyMessage.MtA>)] {
            guard Set(part.sent.keys) == othersOfI, Set(part.received.keys) == othersOfI,
                  Set(part.affG.keys) == othersOfI.subtracting([me]) else { return .malformed("identification: wrong entries") }
            guard pki.isValidCiphertext(part.H) else { return .malformed("H not in Z*_{N²}") }
            for j in othersOfI {
                guard let pkj = pks[j], let s = part.sent[j], let d = part.received[j], pkj.isValidCiphertext(s.D),
                      pki.isValidCiphertext(s.F), pki.isValidCiphertext(d) else {
                    return .malformed("identification: ciphertext not in Z*_{N²}")
                }
            }
            // What i says went between it and us must be what did (we know it first hand).
            guard part.sent[me] == received[i]?[keyPath: pairs] else { return .inconsistent("the MtA pair it sent us differs from round 2") }
            guard part.received[me] == sent[i]?[keyPath: pairs].D else { return .inconsistent("claims a D from us that we did not send") }
        }
        guard m.sigmaStar.sign >= 0, m.sigmaStar < q else { return .malformed("σ* not in [0, q)") }
        // σ*_i·Γ = m*·Δ_i + S_i (as announced to us in round 3).
        let mStar = ctx.chiIdentifyMessage
        guard Secp256k1Group.multiplyPublic(announced.Gamma, by: m.sigmaStar)
                == Secp256k1Group.multiplyPublic(Deltai, by: mStar) + Si else {
            return .inconsistent("σ* does not match the Δ_i and S_i it announced")
        }
        let aux = ctx.aux.ringPedersen, profile = ctx.profile
        // δ part: H_i = enc_i(k_i·γ_i) w.r.t. K_i, G_i; each γ-pair sent to a third party is well formed
        // (Γ_i = γ_i·G, the same β in D and F); δ_i = dec_i(U_i) mod q.
        let pcDelta = ctx.proofContext(prover: i, round: PresignContext.deltaIdentifyRound)
        do throws(CGGMPError) {
            try m.piMul.verify(.init(pk: pki, X: Ki, Y: Gi, C: m.delta.H), profile: profile, context: pcDelta)
            if let bad = try verifyAffG(m.delta, prover: i, pki: pki, pks: pks, X: Gammai, context: pcDelta) { return bad }
            guard let U = m.delta.aggregate(pk: pki) else { return .malformed("U_i") }
            try m.delta.piDec.verify(.init(pk: pki, C: U, x: deltai), ownAux: aux, profile: profile, context: pcDelta)
        } catch {
            return blame(error, round: Int(PresignContext.deltaIdentifyRound))
        }
        // χ part: Ĥ_i = K_i^{x_i}·ρ^{N_i} with X_i = x_i·G; each x-pair well formed (X_i); σ*_i = dec_i(K_i^{m*}·Û_i) mod q.
        let pcChi = ctx.proofContext(prover: i, round: PresignContext.chiIdentifyRound)
        do throws(CGGMPError) {
            try m.piMulStar.verify(.init(pk: pki, C: Ki, D: m.chi.H, X: Xi, g: .generator), ownAux: aux, profile: profile,
                                   context: pcChi)
            if let bad = try verifyAffG(m.chi, prover: i, pki: pki, pks: pks, X: Xi, context: pcChi) { return bad }
            guard let base = m.chi.aggregate(pk: pki), let KiM = pki.unitPow(Ki, mStar) else { return .malformed("Û_i") }
            try m.chi.piDec.verify(.init(pk: pki, C: KiM.mulMod(base, pki.nSquared), x: m.sigmaStar), ownAux: aux,
                                   profile: profile, context: pcChi)
        } catch {
            return blame(error, round: Int(PresignContext.chiIdentifyRound))
        }
        return nil
    }

    /// Π^aff-g for each pair P_i sent to a third party j: (N_j, N_i, K_j, D_{j,i}, F_{j,i}, X).
    private func verifyAffG(_ part: PresignIdentifyMessage.Part, prover i: CGGMPPartyId, pki: PaillierPublicKey,
                            pks: [CGGMPPartyId: PaillierPublicKey], X: Secp256k1Point,
                            context: CGGMPProofContext) throws(CGGMPError) -> CGGMPBlame? {
        for j in ctx.signers where j != i && j != ctx.me {
            guard let s = part.sent[j], let Kj = announced.round1.K[j], let proof = part.affG[j], let pkj = pks[j] else {
                return .malformed("affG")
            }
            let st = PiAffG<Secp256k1Group>.Statement(pk0: pkj, pk1: pki, C: Kj, D: s.D, Y: s.F, X: X, g: .generator)
            try proof.verify(st, ownAux: ctx.aux.ringPedersen, profile: ctx.profile, context: context)
        }
        return nil
    }
}
