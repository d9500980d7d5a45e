/// Canonical encodings of the presigning round messages (for transport between parties), of a
/// presignature (for a party's sealed store) and of its public part (for whoever combines the
/// signature shares). Fixed widths per profile; proofs as length-prefixed canonical encodings;
/// points strict and never the identity; trailing bytes rejected.

extension PresignRound1Message {
    public func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8] {
        let wd = CGGMPWire.Widths(profile)
        var out = CGGMPWire.Writer()
        out.u16(Int(from)); out.u16(Int(to))
        try out.unsigned(K, width: wd.modSquared, "K")
        try out.unsigned(G, width: wd.modSquared, "G")
        out.blob(try psi0.encoded(profile: profile))
        return out.bytes
    }

    public init(encoded bytes: [UInt8], profile: CGGMPProfile) throws(CGGMPError) {
        let wd = CGGMPWire.Widths(profile)
        var r = try CGGMPWire.Reader(bytes)
        let from = CGGMPPartyId(try r.u16("from")), to = CGGMPPartyId(try r.u16("to"))
        let K = try r.unsigned(width: wd.modSquared, "K"), G = try r.unsigned(width: wd.modSquared, "G")
        let psi0 = try PiEnc(encoded: try r.blob("ψ0"), profile: profile)
        try r.finish()
        self.init(from: from, to: to, K: K, G: G, psi0: psi0)
    }
}

extension PresignRound2Message {
    public func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8] {
        let wd = CGGMPWire.Widths(profile)
        var out = CGGMPWire.Writer()
        out.u16(Int(from)); out.u16(Int(to))
        out.point(Gamma)
        for (name, v) in [("D", D), ("F", F), ("Dhat", Dhat), ("Fhat", Fhat)] { try out.unsigned(v, width: wd.modSquared, name) }
        out.blob(try psi.encoded(profile: profile))
        out.blob(try psiHat.encoded(profile: profile))
        out.blob(try psiPrime.encoded(profile: profile))
        out.blob(echo)
        return out.bytes
    }

    public init(encoded bytes: [UInt8], profile: CGGMPProfile) throws(CGGMPError) {
        let wd = CGGMPWire.Widths(profile)
        var r = try CGGMPWire.Reader(bytes)
        let from = CGGMPPartyId(try r.u16("from")), to = CGGMPPartyId(try r.u16("to"))
        let Gamma = try r.point("Γ")
        let D = try r.unsigned(width: wd.modSquared, "D"), F = try r.unsigned(width: wd.modSquared, "F")
        let Dhat = try r.unsigned(width: wd.modSquared, "Dhat"), Fhat = try r.unsigned(width: wd.modSquared, "Fhat")
        let psi = try PiAffG<Secp256k1Group>(encoded: try r.blob("ψ"), profile: profile)
        let psiHat = try PiAffG<Secp256k1Group>(encoded: try r.blob("ψ̂"), profile: profile)
        let psiPrime = try PiLogStar<Secp256k1Group>(encoded: try r.blob("ψ'"), profile: profile)
        let echo = try r.blob("echo")
        guard echo.count == 32 else { throw .malformedEncoding("echo") }
        try r.finish()
        self.init(from: from, to: to, Gamma: Gamma, D: D, F: F, Dhat: Dhat, Fhat: Fhat, psi: psi, psiHat: psiHat,
                  psiPrime: psiPrime, echo: echo)
    }
}

extension PresignRound3Message {
    public func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8] {
        var out = CGGMPWire.Writer()
        out.u16(Int(from)); out.u16(Int(to))
        try out.unsigned(delta, width: 32, "δ")
        out.point(Delta); out.point(S)
        out.blob(try psiDoublePrime.encoded(profile: profile))
        return out.bytes
    }

    public init(encoded bytes: [UInt8], profile: CGGMPProfile) throws(CGGMPError) {
        var r = try CGGMPWire.Reader(bytes)
        let from = CGGMPPartyId(try r.u16("from")), to = CGGMPPartyId(try r.u16("to"))
        let delta = try r.unsigned(width: 32, "δ")
        let Delta = try r.point("Δ"), S = try r.point("S")
        let psi = try PiLogStar<Secp256k1Group>(encoded: try r.blob("ψ''"), profile: profile)
        try r.finish()
        self.init(from: from, to: to, delta: delta, Delta: Delta, S: S, psiDoublePrime: psi)
    }
}

extension CGGMPPresignaturePublic {
    /// signers (u16 count, u16 ids ascending), R, Γ, X, then Δ_j, S_j per signer.
    public func encoded() -> [UInt8] {
        var out = CGGMPWire.Writer()
        write(&out)
        return out.bytes
    }

    func write(_ out: inout CGGMPWire.Writer) {
        out.u16(signers.count)
        for j in signers { out.u16(Int(j)) }
        out.point(R); out.point(Gamma); out.point(publicKey)
        for j in signers {
            out.point(Delta[j] ?? .identity)
            out.point(S[j] ?? .identity)
        }
    }

    public init(encoded bytes: [UInt8]) throws(CGGMPError) {
        var r = try CGGMPWire.Reader(bytes)
        try self.init(reading: &r)
        try r.finish()
    }

    init(reading r: inout CGGMPWire.Reader) throws(CGGMPError) {
        let count = try r.u16("signer count")
        guard (2...255).contains(count) else { throw .malformedEncoding("signer count") }
        var signers: [CGGMPPartyId] = []
        for _ in 0..<count { signers.append(CGGMPPartyId(try r.u16("signer"))) }
        guard signers == signers.sorted(), Set(signers).count == count, !signers.contains(0) else {
            throw .malformedEncoding("signers must be distinct, nonzero, ascending")
        }
        let R = try r.point("R"), Gamma = try r.point("Γ"), X = try r.point("X")
        var Delta = [CGGMPPartyId: Secp256k1Point](), S = [CGGMPPartyId: Secp256k1Point]()
        for j in signers {
            Delta[j] = try r.point("Δ")
            S[j] = try r.point("S")
        }
        self.init(signers: signers, R: R, Gamma: Gamma, Delta: Delta, S: S, publicKey: X)
    }
}

extension CGGMPPresignature {
    /// For a party's sealed store only (holds k_i and χ_i): id, the public part, k_i, χ_i.
    public func encodedSecret() throws(CGGMPError) -> [UInt8] {
        var out = CGGMPWire.Writer()
        out.u16(Int(id))
        publicData.write(&out)
        try out.unsigned(k, width: 32, "k")
        try out.unsigned(chi, width: 32, "χ")
        return out.bytes
    }

    public init(encodedSecret bytes: [UInt8]) throws(CGGMPError) {
        var r = try CGGMPWire.Reader(bytes)
        let id = CGGMPPartyId(try r.u16("id"))
        let pub = try CGGMPPresignaturePublic(reading: &r)
        let k = try r.unsigned(width: 32, "k"), chi = try r.unsigned(width: 32, "χ")
        try r.finish()
        let q = CGGMPProfile.curveOrder
        guard pub.signers.contains(id), k < q, chi < q else { throw .malformedEncoding("presignature") }
        self.init(id: id, publicData: pub, k: k, chi: chi)
    }
}
