/// The key material a signing actually uses. For RFC 9591 suites it is the key package unchanged. For the
/// BIP-340 suite it follows the reference implementation (frost-secp256k1-tr `into_even_y` and `tweak`):
///   1. if PK has odd y, negate sk_i, PK_i and PK (BIP-340 keys are x-only, i.e. even y);
///   2. with a BIP-341 tweak t: sk_i += t, PK_i += t·G, PK += t·G (Q = P + t·G), once;
///   3. if the tweaked Q has odd y, negate all three again.
/// Step 1-3 are linear, so the Shamir relation between shares and key survives.
struct SignerKey<C: FROSTCiphersuite> {
    let identifier: ParticipantID
    let signingShare: C.Scalar
    let verifyingShare: C.Element
    let groupPublicKey: C.Element
    let minSigners: Int

    init(_ kp: KeyPackage<C>, tweak: TaprootTweak) throws(FROSTError) {
        var sk = kp.signingShareScalar(), pki = kp.verifyingShare, pk = kp.groupPublicKey
        if C.isBIP340 {
            let t = try EffectiveKey<C>.tweak(pk, tweak)
            EffectiveKey<C>.normalise(&pk) { negate in if negate { sk = -sk; pki = C.Element.identity - pki } }
            if let t {
                let tG = C.Element.baseMultiply(t)
                sk = sk + t; pki = pki + tG; pk = pk + tG
                EffectiveKey<C>.normalise(&pk) { negate in if negate { sk = -sk; pki = C.Element.identity - pki } }
            }
        }
        identifier = kp.identifier
        signingShare = sk
        verifyingShare = pki
        groupPublicKey = pk
        minSigners = kp.minSigners
    }
}

/// The public side of the same transformation (the coordinator's view).
struct GroupKey<C: FROSTCiphersuite>: Sendable {
    let verifyingShares: [ParticipantID: C.Element]
    let groupPublicKey: C.Element
    let minSigners: Int

    init(_ pkp: PublicKeyPackage<C>, tweak: TaprootTweak) throws(FROSTError) {
        var shares = pkp.verifyingShares, pk = pkp.groupPublicKey
        if C.isBIP340 {
            let t = try EffectiveKey<C>.tweak(pk, tweak)
            let negateAll = { (negate: Bool) in if negate { shares = shares.mapValues { C.Element.identity - $0 } } }
            EffectiveKey<C>.normalise(&pk, negateAll)
            if let t {
                let tG = C.Element.baseMultiply(t)
                shares = shares.mapValues { $0 + tG }
                pk = pk + tG
                EffectiveKey<C>.normalise(&pk, negateAll)
            }
        }
        verifyingShares = shares
        groupPublicKey = pk
        minSigners = pkp.minSigners
    }
}

enum EffectiveKey<C: FROSTCiphersuite> {
    /// t for the tweak, or nil when none applies.
    static func tweak(_ pk: C.Element, _ tweak: TaprootTweak) throws(FROSTError) -> C.Scalar? {
        guard let root = tweak.merkleRoot else { return nil }
        do { return try C.tapTweak(groupKey: pk, merkleRoot: root) } catch { throw .curve(error) }
    }

    /// Negates `pk` to even y when it is odd, telling `others` whether to follow.
    static func normalise(_ pk: inout C.Element, _ others: (Bool) -> Void) {
        let odd = C.hasOddY(pk)
        if odd { pk = C.Element.identity - pk }
        others(odd)
    }
}
