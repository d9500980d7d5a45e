/// CGGMP21 aux info and key refresh, round 2 (eprint 2021/060, Fig. 6, Round 2): decommitment,
/// with the echo of round 1 (checklist 12).

public struct AuxRefreshRound2Message: Sendable {
    public let from: CGGMPPartyId
    public let A: [Secp256k1Point]
    public let N: BigNum, s: BigNum, t: BigNum
    public let rid: [UInt8], u: [UInt8]
    /// H(V_j for all parties) as received in round 1.
    public let echo: [UInt8]
    public init(from: CGGMPPartyId, A: [Secp256k1Point], N: BigNum, s: BigNum, t: BigNum, rid: [UInt8], u: [UInt8], echo: [UInt8]) {
        self.from = from; self.A = A; self.N = N; self.s = s; self.t = t; self.rid = rid; self.u = u; self.echo = echo
    }
}

extension AuxRefreshRound1State {
    public consuming func receive(_ messages: [AuxRefreshRound1Message]) throws(CGGMPProtocolError)
        -> CGGMPStep<AuxRefreshRound2State, AuxRefreshRound2Message> {
        let ctx = self.ctx
        try ctx.checkSenders(messages.map { ($0.from, ctx.me) })
        var Vs = [ctx.me: V]
        for m in messages {
            guard m.V.count == 32 else { throw .culprit(m.from, .malformed("V is not 32 bytes")) }
            Vs[m.from] = m.V
        }
        var parts = [[UInt8]]()
        for j in ctx.parties { parts.append(cggmpIdBytes(j)); parts.append(Vs[j] ?? []) }
        let echo = cggmpFramedHash("CGGMP21/aux-refresh/echo", [ctx.sessionId] + parts)
        let rp = ringPedersen.parameters
        // Fig. 6, Round 2: send (A_i, N_i, s_i, t_i, rid_i, u_i) to all.
        let msg = AuxRefreshRound2Message(from: ctx.me, A: A, N: rp.n, s: rp.s, t: rp.t, rid: rid, u: u, echo: echo)
        let state = AuxRefreshRound2State(ctx: ctx, a: a, A: A, rid: rid, paillier: paillier, ringPedersen: ringPedersen,
                                          Vs: Vs, echo: echo)
        return CGGMPStep(state: state, messages: [msg])
    }
}

public struct AuxRefreshRound2State: ~Copyable, Sendable {
    let ctx: AuxRefreshContext
    let a: [BigNum]
    let A: [Secp256k1Point]
    let rid: [UInt8]
    let paillier: PaillierSecretKey
    let ringPedersen: RingPedersenSecret
    let Vs: [CGGMPPartyId: [UInt8]]
    let echo: [UInt8]
}
