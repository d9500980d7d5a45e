/// Canonical encodings of Π^mul, Π^mul*, Π^dec and the identification message (fixed widths per profile,
/// trailing bytes rejected; ranges are checked in `verify`).

extension CGGMPWire.Widths {
    /// Π^mul z = α + e·x with α ∈ [0, N), |e·x| < q²: N's bits + 1.
    static func mulZ(_ p: CGGMPProfile) -> Int { (p.modulusBits + 1 + 8) / 8 }
    /// Π^dec z1 ∈ ±2^{L+ε+1}, z2 ∈ ±2^{L+ε+1}·N̂ (L = witness bits).
    static func decZ1(_ p: CGGMPProfile) -> Int { (PiDec.witnessBits(p) + p.epsilon + 1 + 8) / 8 }
    static func decZ2(_ p: CGGMPProfile) -> Int { (PiDec.witnessBits(p) + p.epsilon + 1 + p.modulusBits + 8) / 8 }
}

extension PiMul {
    public func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8] {
        let wd = CGGMPWire.Widths(profile)
        var out = CGGMPWire.Writer()
        try out.unsigned(A, width: wd.modSquared, "A"); try out.unsigned(B, width: wd.modSquared, "B")
        try out.signed(z, width: CGGMPWire.Widths.mulZ(profile), "z")
        try out.unsigned(u, width: wd.mod, "u"); try out.unsigned(v, width: wd.mod, "v")
        return out.bytes
    }

    public init(encoded bytes: [UInt8], profile: CGGMPProfile) throws(CGGMPError) {
        let wd = CGGMPWire.Widths(profile)
        var r = try CGGMPWire.Reader(bytes)
        let A = try r.unsigned(width: wd.modSquared, "A"), B = try r.unsigned(width: wd.modSquared, "B")
        let z = try r.signed(width: CGGMPWire.Widths.mulZ(profile), "z")
        let u = try r.unsigned(width: wd.mod, "u"), v = try r.unsigned(width: wd.mod, "v")
        try r.finish()
        self.init(A: A, B: B, z: z, u: u, v: v)
    }
}

extension PiDec {
    public func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8] {
        let wd = CGGMPWire.Widths(profile)
        var out = CGGMPWire.Writer()
        try out.unsigned(S, width: wd.mod, "S"); try out.unsigned(T, width: wd.mod, "T")
        try out.unsigned(A, width: wd.modSquared, "A"); try out.unsigned(gamma, width: 32, "γ")
        try out.signed(z1, width: CGGMPWire.Widths.decZ1(profile), "z1")
        try out.signed(z2, width: CGGMPWire.Widths.decZ2(profile), "z2")
        try out.unsigned(w, width: wd.mod, "w")
        return out.bytes
    }

    public init(encoded bytes: [UInt8], profile: CGGMPProfile) throws(CGGMPError) {
        let wd = CGGMPWire.Widths(profile)
        var r = try CGGMPWire.Reader(bytes)
        let S = try r.unsigned(width: wd.mod, "S"), T = try r.unsigned(width: wd.mod, "T")
        let A = try r.unsigned(width: wd.modSquared, "A"), gamma = try r.unsigned(width: 32, "γ")
        let z1 = try r.signed(width: CGGMPWire.Widths.decZ1(profile), "z1")
        let z2 = try r.signed(width: CGGMPWire.Widths.decZ2(profile), "z2")
        let w = try r.unsigned(width: wd.mod, "w")
        try r.finish()
        self.init(S: S, T: T, A: A, gamma: gamma, z1: z1, z2: z2, w: w)
    }
}

extension PiMulStar {
    public func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8] {
        let wd = CGGMPWire.Widths(profile)
        var out = CGGMPWire.Writer()
        try out.unsigned(A, width: wd.modSquared, "A")
        out.raw(G.encode(Bx))
        try out.unsigned(E, width: wd.mod, "E"); try out.unsigned(S, width: wd.mod, "S")
        try out.signed(z1, width: wd.ellEps, "z1")
        try out.signed(z2, width: wd.commitmentMask, "z2")
        try out.unsigned(w, width: wd.mod, "w")
        return out.bytes
    }

    public init(encoded bytes: [UInt8], profile: CGGMPProfile) throws(CGGMPError) {
        let wd = CGGMPWire.Widths(profile)
        var r = try CGGMPWire.Reader(bytes)
        let A = try r.unsigned(width: wd.modSquared, "A")
        guard let Bx = G.decode(try r.raw(G.encodedPointLength, "Bx")) else { throw .malformedEncoding("Bx") }
        let E = try r.unsigned(width: wd.mod, "E"), S = try r.unsigned(width: wd.mod, "S")
        let z1 = try r.signed(width: wd.ellEps, "z1")
        let z2 = try r.signed(width: wd.commitmentMask, "z2")
        let w = try r.unsigned(width: wd.mod, "w")
        try r.finish()
        self.init(A: A, Bx: Bx, E: E, S: S, z1: z1, z2: z2, w: w)
    }
}

extension PresignIdentifyMessage.Part {
    /// H, then per other signer j (ascending): j, D_{j,i}, F_{j,i}, D_{i,j}; then the Π^aff-g count and per j:
    /// j, proof; then Π^dec.
    func encode(_ out: inout CGGMPWire.Writer, profile: CGGMPProfile) throws(CGGMPError) {
        let wd = CGGMPWire.Widths(profile)
        try out.unsigned(H, width: wd.modSquared, "H")
        let ids = sent.keys.sorted()
        guard Set(ids) == Set(received.keys) else { throw .malformedEncoding("sent / received entries differ") }
        out.u16(ids.count)
        for j in ids {
            guard let s = sent[j], let d = received[j] else { throw .malformedEncoding("entry") }
            out.u16(Int(j))
            try out.unsigned(s.D, width: wd.modSquared, "D"); try out.unsigned(s.F, width: wd.modSquared, "F")
            try out.unsigned(d, width: wd.modSquared, "D received")
        }
        out.u16(affG.count)
        for j in affG.keys.sorted() {
            guard let p = affG[j] else { continue }
            out.u16(Int(j)); out.blob(try p.encoded(profile: profile))
        }
        out.blob(try piDec.encoded(profile: profile))
    }

    init(decoding r: inout CGGMPWire.Reader, profile: CGGMPProfile) throws(CGGMPError) {
        let wd = CGGMPWire.Widths(profile)
        let H = try r.unsigned(width: wd.modSquared, "H")
        let count = try r.u16("count")
        guard count <= 255 else { throw .malformedEncoding("count") }
        var sent = [CGGMPPartyId: PresignIdentifyMessage.MtA](), received = [CGGMPPartyId: BigNum]()
        var last = 0
        for _ in 0..<count {
            let j = try r.u16("j")
            guard j > last else { throw .malformedEncoding("ids must ascend") }
            last = j
            let D = try r.unsigned(width: wd.modSquared, "D"), F = try r.unsigned(width: wd.modSquared, "F")
            sent[CGGMPPartyId(j)] = .init(D: D, F: F)
            received[CGGMPPartyId(j)] = try r.unsigned(width: wd.modSquared, "D received")
        }
        let affCount = try r.u16("affG count")
        guard affCount <= count else { throw .malformedEncoding("affG count") }
        var affG = [CGGMPPartyId: PiAffG<Secp256k1Group>]()
        last = 0
        for _ in 0..<affCount {
            let j = try r.u16("j")
            guard j > last else { throw .malformedEncoding("ids must ascend") }
            last = j
            affG[CGGMPPartyId(j)] = try PiAffG<Secp256k1Group>(encoded: try r.blob("Π^aff-g"), profile: profile)
        }
        let piDec = try PiDec(encoded: try r.blob("Π^dec"), profile: profile)
        self.init(H: H, sent: sent, received: received, affG: affG, piDec: piDec)
    }
}

extension PresignIdentifyMessage {
    /// from, to, the δ part, Π^mul, the χ part, Π^mul*, σ* (32 bytes).
    public func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8] {
        var out = CGGMPWire.Writer()
        out.u16(Int(from)); out.u16(Int(to))
        try delta.encode(&out, profile: profile)
        out.blob(try piMul.encoded(profile: profile))
        try chi.encode(&out, profile: profile)
        out.blob(try piMulStar.encoded(profile: profile))
        try out.unsigned(sigmaStar, width: 32, "σ*")
        return out.bytes
    }

    public init(encoded bytes: [UInt8], profile: CGGMPProfile) throws(CGGMPError) {
        var r = try CGGMPWire.Reader(bytes)
        let from = CGGMPPartyId(try r.u16("from")), to = CGGMPPartyId(try r.u16("to"))
        let delta = try Part(decoding: &r, profile: profile)
        let piMul = try PiMul(encoded: try r.blob("Π^mul"), profile: profile)
        let chi = try Part(decoding: &r, profile: profile)
        let piMulStar = try PiMulStar<Secp256k1Group>(encoded: try r.blob("Π^mul*"), profile: profile)
        let sigmaStar = try r.unsigned(width: 32, "σ*")
        try r.finish()
        self.init(from: from, to: to, delta: delta, piMul: piMul, chi: chi, piMulStar: piMulStar, sigmaStar: sigmaStar)
    }
}
