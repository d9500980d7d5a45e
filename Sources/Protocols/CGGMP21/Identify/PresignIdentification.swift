/// Verifying the identification messages after a failed δ check (eprint 2021/060, Fig. 7, Output,
/// error step). Public data only: round-1 ciphertexts, Γ_j, the announced δ_j, and the γ-MtA pairs
/// that went between us and each peer in round 2.
public struct PresignIdentification: Sendable {
    let ctx: PresignContext
    let round1: PresignRound1Public
    let Gammas: [CGGMPPartyId: Secp256k1Point]
    /// δ_j as announced in round 3.
    let deltas: [CGGMPPartyId: BigNum]
    /// j → the pair we sent j (D_{j,me}, F_{j,me}), and the pair we received from j (D_{me,j}, F_{me,j}).
    let sent: [CGGMPPartyId: PresignIdentifyMessage.MtA]
    let received: [CGGMPPartyId: PresignIdentifyMessage.MtA]

    public var id: CGGMPPartyId { ctx.me }

    /// Checks every other signer's identification message and names each party whose message
    /// contradicts round 2 or whose Π^mul, Π^aff-g or Π^dec fails. Honest parties are never named.
    public func identify(_ messages: [PresignIdentifyMessage]) throws(CGGMPProtocolError) -> PresignIdentificationResult {
        try ctx.checkSenders(messages.map { ($0.from, $0.to) })
        var culprits = [CGGMPPartyId: CGGMPBlame]()
        for m in messages {
            if let blame = try check(m) { culprits[m.from] = blame }
        }
        // Pairs of other parties that disagree about what went between them.
        var byId = [CGGMPPartyId: PresignIdentifyMessage]()
        for m in messages { byId[m.from] = m }
        var disputes = [[CGGMPPartyId]]()
        for a in ctx.others {
            for b in ctx.others where a < b {
                guard let ma = byId[a], let mb = byId[b] else { continue }
                if ma.received[b] != mb.sent[a]?.D || mb.received[a] != ma.sent[b]?.D { disputes.append([a, b]) }
            }
        }
        return PresignIdentificationResult(culprits: culprits, disputes: disputes)
    }

    /// The blame for P_i's message, or nil if it verifies.
    func check(_ m: PresignIdentifyMessage) throws(CGGMPProtocolError) -> CGGMPBlame? {
        let i = m.from, me = ctx.me
        let pki = try ctx.peer(i).paillier
        guard let Ki = round1.K[i], let Gi = round1.G[i], let Gammai = Gammas[i], let deltai = deltas[i] else {
            throw .invalidInput("missing round values of \(i)")
        }
        let othersOfI = Set(ctx.signers.filter { $0 != i })
        guard Set(m.sent.keys) == othersOfI, Set(m.received.keys) == othersOfI,
              Set(m.affG.keys) == othersOfI.subtracting([me]) else { return .malformed("identification: wrong entries") }
        // Checklist 9: ciphertexts in Z*_{N²} (D_{j,i} under N_j, F_{j,i}, D_{i,j}, H_i under N_i).
        guard pki.isValidCiphertext(m.H) else { return .malformed("H not in Z*_{N²}") }
        var pks = [CGGMPPartyId: PaillierPublicKey]()
        for j in othersOfI { pks[j] = j == me ? ctx.aux.paillier.publicKey : try ctx.peer(j).paillier }
        for j in othersOfI {
            guard let pkj = pks[j], let s = m.sent[j], let d = m.received[j], pkj.isValidCiphertext(s.D), pki.isValidCiphertext(s.F),
                  pki.isValidCiphertext(d) else { return .malformed("identification: ciphertext not in Z*_{N²}") }
        }
        // What i says went between it and us must be what did (we know it first hand).
        guard m.sent[me] == received[i] else { return .inconsistent("the MtA pair it sent us differs from round 2") }
        guard m.received[me] == sent[i]?.D else { return .inconsistent("claims a D from us that we did not send") }
        let pc = ctx.proofContext(prover: i, round: 4)
        do throws(CGGMPError) {
            // H_i = enc_i(k_i·γ_i) w.r.t. K_i = enc_i(k_i), G_i = enc_i(γ_i).
            try m.piMul.verify(.init(pk: pki, X: Ki, Y: Gi, C: m.H), profile: ctx.profile, context: pc)
            // Each MtA pair i sent to a third party j is well formed (Γ_i = γ_i·G, same β in D and F).
            for j in othersOfI where j != me {
                guard let s = m.sent[j], let Kj = round1.K[j], let proof = m.affG[j], let pkj = pks[j] else { return .malformed("affG") }
                let st = PiAffG<Secp256k1Group>.Statement(pk0: pkj, pk1: pki, C: Kj, D: s.D, Y: s.F,
                                                          X: Gammai, g: .generator)
                try proof.verify(st, ownAux: ctx.aux.ringPedersen, profile: ctx.profile, context: pc)
            }
            // δ_i = dec_i(U_i) mod q.
            guard let U = m.aggregate(pk: pki) else { return .malformed("U_i") }
            try m.piDec.verify(.init(pk: pki, C: U, x: deltai), ownAux: ctx.aux.ringPedersen, profile: ctx.profile, context: pc)
        } catch {
            return blame(error, round: 4)
        }
        return nil
    }
}
