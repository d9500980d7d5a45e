/// Prime-order-subgroup membership by point halving (T. Pornin, "Point-Halving and Subgroup Membership in
/// Twisted Edwards Curves", IACR eprint 2022/1164: doubling as two 2-isogenies and an isomorphism, inverted).
/// E(F_p) is cyclic of order 8ℓ, so P is in the order-ℓ subgroup iff P = [8]Q, i.e. iff P can be halved three
/// times; any half will do: two halves differ by the 2-torsion point (0, −1) = [4]T₈ (T₈ of order 8), which is
/// in 4E, so every half of a point of 8E is in 4E. Cost: four square roots and one Legendre symbol (five exponentiations
/// of ~265 field operations) instead of the 253 doublings of [ℓ]P (`isTorsionFreeByOrder`, the reference it
/// is tested against). Variable time: only for public points.
///
/// The curves: Curve(A, B) is u·w² = u² + A·u + B (v = u·w gives v² = u(u² + A·u + B)). edwards25519
/// (−x² + y² = 1 + d·x²·y²) maps to Curve(A, B) by u = (a − d)(1 + y)/(1 − y), w = 2/x, with a = −1,
/// A = 2(a + d), B = (a − d)². Doubling on Curve(A, B) is iso ∘ ψ2 ∘ ψ1 (Vélu's formulas for the kernel
/// {O, (0, 0)}):
///   ψ1: Curve(A, B)  → Curve(A', B'),  (u, w) ↦ (w², −(u − B/u)/w),   A' = −2A, B' = A² − 4B = −16d,
///   ψ2: Curve(A', B') → Curve(4A, 16B), the same formula over (A', B'),
///   iso: Curve(4A, 16B) → Curve(A, B),  (u, w) ↦ (u/4, w/2).
/// Inverting ψ over Curve(A₀, B₀): from (u', w'), w = √u' and u = (u' − A₀ − w·w')/2 (a preimage exists iff u'
/// is a square; then (u'·w'² = u'² + A'u' + B' gives (u' − A₀)² − u'·w'² = 4B₀, so u·u' = u² + A₀u + B₀).
/// ψ2⁻¹ fails exactly when P ∉ 2E. ψ1⁻¹ never fails: the two ψ2-preimages are (u', w') and its translate by
/// (0, 0), (B'/u', −w'), and B' = −16d is not a square, so one of u', B'/u' is. A third halving is possible
/// iff the u of the second half is a square: only that Legendre symbol is needed, not the half.
/// No divisions: (u, w) ↦ (u·e², w·e) maps Curve(A, B) onto Curve(A·e², B·e⁴), and the code carries e.
/// The eight low-order points hit the exceptional cases (x = 0 or y = 1, u = 0) and are decided first.
extension Ed25519Vartime {
    /// a − d with a = −1.
    static let aMinusD: FE = (-FE.one - d).reduced()
    /// −A = −2(a + d) = 2(1 − d).
    static let minusMontA: FE = ((FE.one - d) * FE(2)).reduced()
    /// B' = A² − 4B = −16d.
    static let halvingBPrime: FE = (-(d * FE(16))).reduced()
    /// 4·√(√−1·d): √(B'·u') = c·k for c = u'^((p+3)/8) of a non-square u' (`FE.squareRoot()`), with k this
    /// constant when c² = √−1·u' (B'·u' = c²·16√−1·d) and √−1 times it when c² = −√−1·u'.
    static let halvingRootConstant: FE = {
        guard case .root(let r) = (sqrtM1 * d).squareRoot() else { preconditionFailure("√−1·d is a square") }
        return (r * FE(4)).reduced()
    }()
    static let oneHalf: FE = FE(2).inverted().reduced()

    /// Whether P lies in the prime-order subgroup (the identity included); the same points as
    /// `isTorsionFreeByOrder` ([ℓ]P = O), tested against it and libsodium in Ed25519SubgroupTests.
    static func isTorsionFree(_ p: Point) -> Bool {
        // Low order: x = 0 (O and (0, −1)), y = 0 (order 4), x = ±√−1·y (order 8); only O is in the subgroup.
        let iY = p.Y * sqrtM1
        if p.X.isZero || p.Y.isZero || p.X == iY || p.X == -iY { return p.isIdentity }
        // e = X(Z − Y): u = (a − d)(Z + Y)(Z − Y)X², w = 2Z(Z − Y) on Curve(A·e², B·e⁴).
        var e = p.X * (p.Z - p.Y)
        var u = aMinusD * (p.Z + p.Y) * p.X * e
        var w = p.Z * (p.Z - p.Y) * FE(2)
        for _ in 0..<2 {
            let e2 = e.squared()
            // iso⁻¹ then ψ2⁻¹: (4u, 2w) on Curve(4A·e², 16B·e⁴); w' = √(4u) = 2√u;
            // u' = (4u − A'·e² − w'·2w)/2 = 2(u − √u·w) − (−A)·e², on Curve(A'·e², B'·e⁴).
            guard case .root(let s) = u.squareRoot() else { return false }   // P ∉ 2E
            let t = u - s * w
            var up = (t + t) - minusMontA * e2
            var wp = s + s
            // ψ1⁻¹: w = √u' when u' is a square; otherwise the translate (B'·e⁴/u', −w'), taken on the curve
            // scaled by u' (e ← e·u') to avoid the division: (B'·e⁴·u', −w'·u'), whose root is e²·√(B'·u').
            let nonSquareRoot: FE   // √(B'·u') when u' is not a square
            switch up.squareRoot() {
            case .root(let c): w = c; nonSquareRoot = .zero
            case .timesSqrtM1(let c): nonSquareRoot = c * halvingRootConstant
            case .timesMinusSqrtM1(let c): nonSquareRoot = c * halvingRootConstant * sqrtM1
            }
            if !nonSquareRoot.isZero {
                w = e2 * nonSquareRoot
                wp = -(wp * up)
                e = e * up
                up = halvingBPrime * e2.squared() * up
            }
            // u = (u' − A·e² − w·w')/2 on Curve(A·e², B·e⁴) (e possibly updated).
            u = ((up + minusMontA * e.squared()) - w * wp) * oneHalf
        }
        if u.isZero { return false }
        if case .root = u.squareRoot() { return true }
        return false
    }
}
