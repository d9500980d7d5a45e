/// Canonical fixed-length encodings of the CGGMP21 proofs (checklist 16). Every field has a width
/// fixed by the profile, so encodings never depend on values (no dropped leading zeros):
/// - element of Z_N / Z_{N²}: big-endian, `modulusBytes` / 2·`modulusBytes`;
/// - signed integer: one sign byte (0 = non-negative, 1 = negative; negative zero rejected) and a
///   big-endian magnitude of the width of the field's bound;
/// - flags / booleans: one byte with only the defined bits set;
/// - group element: the group's fixed-length encoding.
/// Each encoding starts with a format version byte (1). Decoding rejects short input, trailing
/// bytes and any non-canonical byte; range checks against the bounds stay in `verify`.
enum CGGMPWire {
    static let version: UInt8 = 1

    struct Writer {
        private(set) var bytes: [UInt8] = [CGGMPWire.version]

        mutating func unsigned(_ x: BigNum, width: Int, _ field: String) throws(CGGMPError) {
            guard !x.isNegative, let b = x.bytes(width: width) else { throw .malformedEncoding("\(field) does not fit") }
            bytes += b
        }

        mutating func signed(_ x: BigNum, width: Int, _ field: String) throws(CGGMPError) {
            guard let b = x.magnitude().bytes(width: width) else { throw .malformedEncoding("\(field) does not fit") }
            bytes.append(x.isNegative ? 1 : 0)
            bytes += b
        }

        mutating func byte(_ b: UInt8) { bytes.append(b) }
        mutating func raw(_ b: [UInt8]) { bytes += b }
    }

    struct Reader {
        private let bytes: [UInt8]
        private var offset = 0

        init(_ bytes: [UInt8]) throws(CGGMPError) {
            self.bytes = bytes
            guard bytes.first == CGGMPWire.version else { throw .malformedEncoding("unknown version") }
            offset = 1
        }

        mutating func raw(_ count: Int, _ field: String) throws(CGGMPError) -> [UInt8] {
            guard count >= 0, bytes.count - offset >= count else { throw .malformedEncoding("\(field) truncated") }
            let out = Array(bytes[offset..<(offset + count)])
            offset += count
            return out
        }

        mutating func unsigned(width: Int, _ field: String) throws(CGGMPError) -> BigNum {
            BigNum(bytes: try raw(width, field))
        }

        mutating func signed(width: Int, _ field: String) throws(CGGMPError) -> BigNum {
            let s = try raw(1, field)
            let mag = BigNum(bytes: try raw(width, field))
            switch s.first {
            case 0: return mag
            case 1:
                guard !mag.isZero else { throw .malformedEncoding("\(field) negative zero") }
                return mag.negated()
            default: throw .malformedEncoding("\(field) sign byte")
            }
        }

        mutating func byte(_ field: String) throws(CGGMPError) -> UInt8 {
            let b = try raw(1, field)
            guard let v = b.first else { throw .malformedEncoding("\(field) truncated") }
            return v
        }

        func finish() throws(CGGMPError) {
            guard offset == bytes.count else { throw .malformedEncoding("trailing bytes") }
        }
    }

    /// Field widths in bytes for a profile.
    struct Widths {
        let mod: Int          // Z_N, Z_N̂
        let modSquared: Int   // Z_{N²}
        let ellEps: Int       // ±2^{ℓ+ε}
        let ellPrimeEps: Int  // ±2^{ℓ'+ε}
        let commitmentMask: Int   // ±2^{ℓ+ε+1}·N̂ (z3, z4, w1, w2)
        let facZ: Int         // ±2^{ℓ+ε}·2^{primeBits}
        let facSigma: Int     // ±2^ℓ·N0·N̂
        let facV: Int         // ±2^{ℓ+ε+1}·N0·N̂

        init(_ p: CGGMPProfile) {
            func w(_ bits: Int) -> Int { (bits + 8) / 8 } // room for the bound itself (bits + 1)
            mod = p.modulusBits / 8
            modSquared = 2 * mod
            ellEps = w(p.ell + p.epsilon)
            ellPrimeEps = w(p.ellPrime + p.epsilon)
            commitmentMask = w(p.ell + p.epsilon + 1 + p.modulusBits)
            facZ = w(p.ell + p.epsilon + p.primeBits)
            facSigma = w(p.ell + 2 * p.modulusBits)
            facV = w(p.ell + p.epsilon + 1 + 2 * p.modulusBits)
        }
    }
}

// MARK: Π^mod

extension PiMod {
    public func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8] {
        let wd = CGGMPWire.Widths(profile)
        guard x.count == profile.m, z.count == profile.m, a.count == profile.m, b.count == profile.m else {
            throw .malformedEncoding("repetitions")
        }
        var out = CGGMPWire.Writer()
        try out.unsigned(w, width: wd.mod, "w")
        for i in 0..<profile.m {
            try out.unsigned(x[i], width: wd.mod, "x")
            try out.unsigned(z[i], width: wd.mod, "z")
            out.byte((a[i] ? 1 : 0) | (b[i] ? 2 : 0))
        }
        return out.bytes
    }

    public init(encoded bytes: [UInt8], profile: CGGMPProfile) throws(CGGMPError) {
        let wd = CGGMPWire.Widths(profile)
        var r = try CGGMPWire.Reader(bytes)
        let w = try r.unsigned(width: wd.mod, "w")
        var x: [BigNum] = [], z: [BigNum] = [], a: [Bool] = [], b: [Bool] = []
        for _ in 0..<profile.m {
            x.append(try r.unsigned(width: wd.mod, "x"))
            z.append(try r.unsigned(width: wd.mod, "z"))
            let f = try r.byte("flags")
            guard f & ~3 == 0 else { throw .malformedEncoding("flags") }
            a.append(f & 1 == 1); b.append(f & 2 == 2)
        }
        try r.finish()
        self.init(w: w, x: x, a: a, b: b, z: z)
    }
}

// MARK: Π^prm

extension PiPrm {
    public func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8] {
        let wd = CGGMPWire.Widths(profile)
        guard A.count == profile.m, z.count == profile.m else { throw .malformedEncoding("repetitions") }
        var out = CGGMPWire.Writer()
        for i in 0..<profile.m {
            try out.unsigned(A[i], width: wd.mod, "A")
            try out.unsigned(z[i], width: wd.mod, "z")
        }
        return out.bytes
    }

    public init(encoded bytes: [UInt8], profile: CGGMPProfile) throws(CGGMPError) {
        let wd = CGGMPWire.Widths(profile)
        var r = try CGGMPWire.Reader(bytes)
        var A: [BigNum] = [], z: [BigNum] = []
        for _ in 0..<profile.m {
            A.append(try r.unsigned(width: wd.mod, "A"))
            z.append(try r.unsigned(width: wd.mod, "z"))
        }
        try r.finish()
        self.init(A: A, z: z)
    }
}

// MARK: Π^fac

extension PiFac {
    public func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8] {
        let wd = CGGMPWire.Widths(profile)
        var out = CGGMPWire.Writer()
        for (n, c) in [("P", P), ("Q", Q), ("A", A), ("B", B), ("T", T)] { try out.unsigned(c, width: wd.mod, n) }
        try out.signed(sigma, width: wd.facSigma, "sigma")
        try out.signed(z1, width: wd.facZ, "z1")
        try out.signed(z2, width: wd.facZ, "z2")
        try out.signed(w1, width: wd.commitmentMask, "w1")
        try out.signed(w2, width: wd.commitmentMask, "w2")
        try out.signed(v, width: wd.facV, "v")
        return out.bytes
    }

    public init(encoded bytes: [UInt8], profile: CGGMPProfile) throws(CGGMPError) {
        let wd = CGGMPWire.Widths(profile)
        var r = try CGGMPWire.Reader(bytes)
        let P = try r.unsigned(width: wd.mod, "P"), Q = try r.unsigned(width: wd.mod, "Q")
        let A = try r.unsigned(width: wd.mod, "A"), B = try r.unsigned(width: wd.mod, "B")
        let T = try r.unsigned(width: wd.mod, "T")
        let sigma = try r.signed(width: wd.facSigma, "sigma")
        let z1 = try r.signed(width: wd.facZ, "z1"), z2 = try r.signed(width: wd.facZ, "z2")
        let w1 = try r.signed(width: wd.commitmentMask, "w1"), w2 = try r.signed(width: wd.commitmentMask, "w2")
        let v = try r.signed(width: wd.facV, "v")
        try r.finish()
        self.init(P: P, Q: Q, A: A, B: B, T: T, sigma: sigma, z1: z1, z2: z2, w1: w1, w2: w2, v: v)
    }
}

// MARK: Π^enc

extension PiEnc {
    public func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8] {
        let wd = CGGMPWire.Widths(profile)
        var out = CGGMPWire.Writer()
        try core.encodeHead(&out, wd)
        try core.encodeTail(&out, wd)
        return out.bytes
    }

    public init(encoded bytes: [UInt8], profile: CGGMPProfile) throws(CGGMPError) {
        let wd = CGGMPWire.Widths(profile)
        var r = try CGGMPWire.Reader(bytes)
        let (S, A) = try EncRangeCore.decodeHead(&r, wd)
        let core = try EncRangeCore.decodeTail(&r, wd, S: S, A: A)
        try r.finish()
        self.init(core: core)
    }
}

// MARK: Π^log*

extension PiLogStar {
    public func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8] {
        let wd = CGGMPWire.Widths(profile)
        var out = CGGMPWire.Writer()
        try core.encodeHead(&out, wd)
        out.raw(G.encode(Y))
        try core.encodeTail(&out, wd)
        return out.bytes
    }

    public init(encoded bytes: [UInt8], profile: CGGMPProfile) throws(CGGMPError) {
        let wd = CGGMPWire.Widths(profile)
        var r = try CGGMPWire.Reader(bytes)
        let (S, A) = try EncRangeCore.decodeHead(&r, wd)
        guard let Y = G.decode(try r.raw(G.encodedPointLength, "Y")) else { throw .malformedEncoding("Y") }
        let core = try EncRangeCore.decodeTail(&r, wd, S: S, A: A)
        try r.finish()
        self.init(core: core, Y: Y)
    }
}

// MARK: Π^aff-g

extension PiAffG {
    public func encoded(profile: CGGMPProfile) throws(CGGMPError) -> [UInt8] {
        let wd = CGGMPWire.Widths(profile)
        var out = CGGMPWire.Writer()
        try out.unsigned(A, width: wd.modSquared, "A")
        out.raw(G.encode(Bx))
        try out.unsigned(By, width: wd.modSquared, "By")
        for (n, c) in [("E", E), ("S", S), ("F", F), ("T", T)] { try out.unsigned(c, width: wd.mod, n) }
        try out.signed(z1, width: wd.ellEps, "z1")
        try out.signed(z2, width: wd.ellPrimeEps, "z2")
        try out.signed(z3, width: wd.commitmentMask, "z3")
        try out.signed(z4, width: wd.commitmentMask, "z4")
        try out.unsigned(w, width: wd.mod, "w")
        try out.unsigned(wy, width: wd.mod, "wy")
        return out.bytes
    }

    public init(encoded bytes: [UInt8], profile: CGGMPProfile) throws(CGGMPError) {
        let wd = CGGMPWire.Widths(profile)
        var r = try CGGMPWire.Reader(bytes)
        let A = try r.unsigned(width: wd.modSquared, "A")
        guard let Bx = G.decode(try r.raw(G.encodedPointLength, "Bx")) else { throw .malformedEncoding("Bx") }
        let By = try r.unsigned(width: wd.modSquared, "By")
        let E = try r.unsigned(width: wd.mod, "E"), S = try r.unsigned(width: wd.mod, "S")
        let F = try r.unsigned(width: wd.mod, "F"), T = try r.unsigned(width: wd.mod, "T")
        let z1 = try r.signed(width: wd.ellEps, "z1"), z2 = try r.signed(width: wd.ellPrimeEps, "z2")
        let z3 = try r.signed(width: wd.commitmentMask, "z3"), z4 = try r.signed(width: wd.commitmentMask, "z4")
        let w = try r.unsigned(width: wd.mod, "w"), wy = try r.unsigned(width: wd.mod, "wy")
        try r.finish()
        self.init(A: A, Bx: Bx, By: By, E: E, S: S, F: F, T: T, z1: z1, z2: z2, z3: z3, z4: z4, w: w, wy: wy)
    }
}
