/// CGGMP21 signing, one round (eprint 2021/060, Fig. 8 "ECDSA Signing").

/// A signature share σ_i = k_i·m + r·χ_i mod q.
public struct CGGMPSignatureShare: Sendable, Equatable {
    public let from: CGGMPPartyId
    public let sigma: BigNum
    public init(from: CGGMPPartyId, sigma: BigNum) { self.from = from; self.sigma = sigma }
}

/// An ECDSA signature over secp256k1: low-S (s ≤ q/2) with the recovery id v ∈ 0...3.
public struct CGGMPSignature: Sendable, Equatable {
    public let r: [UInt8]   // 32 bytes
    public let s: [UInt8]   // 32 bytes
    public let v: UInt8
    /// r || s (64 bytes, the compact encoding).
    public var compact: [UInt8] { r + s }
}

enum CGGMPSignMath {
    /// m = the 32-byte digest as an integer mod q (checklist 19: only 32-byte digests).
    static func message(_ digest: [UInt8]) throws(CGGMPProtocolError) -> BigNum {
        guard digest.count == 32 else { throw .invalidDigest }
        return BigNum(bytes: digest).mod(CGGMPProfile.curveOrder)
    }

    /// R = (x, y): r = x mod q, with the recovery id bits (y odd) | (x ≥ q)<<1.
    static func rAndRecovery(_ R: Secp256k1Point) throws(CGGMPProtocolError) -> (r: BigNum, v: UInt8) {
        guard let enc = try? R.serialized() else { throw .signatureInvalid }
        let x = BigNum(bytes: enc.dropFirst())
        let q = CGGMPProfile.curveOrder
        let r = x.mod(q)
        guard !r.isZero else { throw .signatureInvalid }
        return (r, (enc[0] == 0x03 ? 1 : 0) | (x < q ? 0 : 2))
    }
}

extension CGGMPPresignature {
    /// Fig. 8, step 1: σ_i = k_i·m + r·χ_i mod q. Consumes the presignature (checklist 17): a
    /// presignature signs at most one digest, even if combining then fails.
    public consuming func sign(digest: [UInt8]) throws(CGGMPProtocolError) -> CGGMPSignatureShare {
        let m = try CGGMPSignMath.message(digest)
        let (r, _) = try CGGMPSignMath.rAndRecovery(publicData.R)
        // Constant-time scalar arithmetic on the secrets k_i, χ_i.
        let S = Secp256k1Group.self
        let sigma = S.scalar(k) * S.scalar(m) + S.scalar(r) * S.scalar(chi)
        return CGGMPSignatureShare(from: id, sigma: S.bigNum(sigma))
    }
}

extension CGGMPPresignaturePublic {
    /// Fig. 8, output: σ = Σ σ_j; (r, σ) must verify, else every share with σ_j·Γ ≠ m·Δ_j + r·S_j is
    /// named (terminal abort: the presignature is spent; no retry with the same material, checklist 18).
    public func combine(_ shares: [CGGMPSignatureShare], digest: [UInt8]) throws(CGGMPProtocolError) -> CGGMPSignature {
        let m = try CGGMPSignMath.message(digest)
        guard shares.count == signers.count else { throw .wrongMessageCount(expected: signers.count, got: shares.count) }
        var byId = [CGGMPPartyId: BigNum]()
        for sh in shares {
            guard signers.contains(sh.from) else { throw .unknownSender(sh.from) }
            guard byId[sh.from] == nil else { throw .duplicateSender(sh.from) }
            byId[sh.from] = sh.sigma
        }
        let q = CGGMPProfile.curveOrder
        let (r, v0) = try CGGMPSignMath.rAndRecovery(R)
        var culprits = [CGGMPPartyId: CGGMPBlame]()
        var sigma = BigNum.zero
        for j in signers {
            guard let sj = byId[j], Delta[j] != nil, S[j] != nil else { throw .invalidInput("missing data for \(j)") }
            guard sj.sign >= 0, sj < q else { culprits[j] = .malformed("σ not in [0, q)"); continue }
            sigma = sigma + sj
        }
        guard culprits.isEmpty else { throw .culprits(culprits) }
        sigma = sigma.mod(q)
        // Verify R = s^{-1}(m·G + r·X): with v from R, libsecp256k1's recovery from (r, s, v) gives X exactly then
        // (it rebuilds R from r and v and returns r^{-1}(s·R − m·G)). Low-S: s > q/2 → q − s, flipping y's parity in v.
        if !sigma.isZero, let X = try? publicKey.serialized() {
            var s = sigma, v = v0
            if s > q.shiftedRight(1) { s = q - s; v ^= 1 }
            guard let rb = r.bytes(width: 32), let sb = s.bytes(width: 32) else { throw .signatureInvalid }
            if ECDSAVerify.recover(digest: digest, compact: rb + sb, recoveryId: Int(v)) == X {
                return CGGMPSignature(r: rb, s: sb, v: v)
            }
        }
        // Identification (Fig. 8): σ_j·Γ = m·Δ_j + r·S_j.
        for j in signers {
            guard let sj = byId[j], let Dj = Delta[j], let Sj = S[j] else { continue }
            let lhs = Secp256k1Group.multiplyPublic(Gamma, by: sj)
            let rhs = Secp256k1Group.multiplyPublic(Dj, by: m) + Secp256k1Group.multiplyPublic(Sj, by: r)
            if lhs != rhs { culprits[j] = .wrongSignatureShare }
        }
        guard culprits.isEmpty else { throw .culprits(culprits) }
        throw .signatureInvalid
    }
}
