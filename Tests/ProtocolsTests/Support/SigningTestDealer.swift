@testable import Protocols

/// Test-only Shamir split (the production dealer and DKG live in Protocols/FROST/Dealer and DKG):
/// f(x) = a0 + a1·x + ... + a_{t-1}·x^{t-1}, share_i = f(i), PK = a0·G.
enum SigningTestDealer<C: FROSTCiphersuite> {
    struct Keys {
        let secret: C.Scalar
        let packages: [ParticipantID: KeyPackage<C>]
        let publicKeyPackage: PublicKeyPackage<C>
        var ids: [ParticipantID] { packages.keys.sorted() }
    }

    static func split(t: Int, n: Int, rng: inout SeededRandom) -> Keys {
        split(secret: C.Scalar.random(using: &rng), t: t, n: n, rng: &rng)
    }

    static func split(secret: C.Scalar, t: Int, n: Int, rng: inout SeededRandom) -> Keys {
        let coefficients = [secret] + (1..<max(t, 1)).map { _ in C.Scalar.random(using: &rng) }
        let pk = C.Element.baseMultiply(secret)
        var packages = [ParticipantID: KeyPackage<C>](), shares = [ParticipantID: C.Element]()
        for i in 1...n {
            let id = try! ParticipantID(UInt16(i))
            var fx = C.Scalar.zero
            for c in coefficients.reversed() { fx = fx * C.Scalar(UInt64(i)) + c }
            let vs = C.Element.baseMultiply(fx)
            packages[id] = KeyPackage(identifier: id, signingShare: fx, verifyingShare: vs, groupPublicKey: pk, minSigners: t)
            shares[id] = vs
        }
        return Keys(secret: secret, packages: packages,
                    publicKeyPackage: PublicKeyPackage(verifyingShares: shares, groupPublicKey: pk, minSigners: t))
    }

    /// The same key package with another threshold (to forge a t−1 signing past the guards).
    static func lowered(_ kp: KeyPackage<C>, minSigners: Int) -> KeyPackage<C> {
        KeyPackage(identifier: kp.identifier, signingShare: kp.signingShareScalar(), verifyingShare: kp.verifyingShare,
                   groupPublicKey: kp.groupPublicKey, minSigners: minSigners)
    }
}

/// Runs a whole signing in process through the sessions and the coordinator.
enum SigningTestRun<C: FROSTCiphersuite> {
    static func run(keys: SigningTestDealer<C>.Keys, signers: [ParticipantID], message: [UInt8], tweak: TaprootTweak = .untweaked,
                    rng: inout SeededRandom) throws -> (Signature<C>, C.Element) {
        let coordinator = try SigningCoordinator<C>(publicKeyPackage: keys.publicKeyPackage, signers: signers,
                                                    message: message, tweak: tweak)
        let sessions = signers.map { SignerSession<C>(keyPackage: keys.packages[$0]!) }
        var package: SigningPackage<C>?
        for s in sessions {
            if case .sendSigningPackage(let p) = try coordinator.receive(try s.round1(using: &rng)) { package = p }
        }
        var signature: Signature<C>?
        for s in sessions {
            if case .finished(let sig) = try coordinator.receive(try s.round2(package!)) { signature = sig }
        }
        return (signature!, try coordinator.verifyingKey())
    }
}

/// All k-subsets of `items` when there are at most `limit` of them, else `limit` random ones.
func signingSubsets<T>(_ items: [T], _ k: Int, limit: Int, rng: inout SeededRandom) -> [[T]] {
    var all = [[T]]()
    func rec(_ start: Int, _ cur: [T]) {
        if all.count > limit { return }
        if cur.count == k { all.append(cur); return }
        guard start < items.count else { return }
        for i in start..<items.count { rec(i + 1, cur + [items[i]]) }
    }
    rec(0, [])
    if all.count <= limit { return all }
    return (0..<limit).map { _ in
        var idx = Array(items.indices)
        var g = SigningSeededGenerator(source: rng)
        idx.shuffle(using: &g)
        rng = g.source
        return idx.prefix(k).sorted().map { items[$0] }
    }
}

/// A SeededRandom stream as a RandomNumberGenerator (for shuffles).
struct SigningSeededGenerator: RandomNumberGenerator {
    var source: SeededRandom
    mutating func next() -> UInt64 { source.bytes(8).reduce(0) { $0 << 8 | UInt64($1) } }
}
