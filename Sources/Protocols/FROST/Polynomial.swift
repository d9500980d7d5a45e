/// Shamir secret sharing with Feldman commitments, shared by the trusted dealer and the DKG
/// (RFC 9591 Appendix C: polynomial_evaluate, secret_share_shard, vss_commit, vss_verify,
/// derive_group_info; Appendix A.2 polynomial_interpolate_constant).
///
/// A polynomial f(x) = a_0 + a_1·x + ... + a_{t-1}·x^{t-1} of degree t-1 is held as its coefficient
/// list [a_0, ..., a_{t-1}], lowest degree first (the paper's and the RFC's order).
public enum Polynomial {
    /// t-1 random non-zero coefficients after the given constant term a_0 (RFC 9591 Appendix C.1:
    /// coefficients = [s] + [RandomScalar() for i in range(MIN_PARTICIPANTS - 1)]).
    static func random<S: GroupScalar, R: RandomSource>(constant: S, degree: Int, using rng: inout R) -> [S] {
        var coefficients = [constant]
        coefficients.reserveCapacity(degree + 1)
        for _ in 0..<degree { coefficients.append(S.random(using: &rng)) }
        return coefficients
    }

    /// polynomial_evaluate(x, coeffs) by Horner's rule (RFC 9591 Appendix C.1). Constant time in the
    /// coefficients: the loop runs once per coefficient whatever their values.
    public static func evaluate<S: GroupScalar>(_ coefficients: [S], at x: S) -> S {
        var value = S.zero
        for a in coefficients.reversed() { value = value * x + a }
        return value
    }

    /// vss_commit (RFC 9591 Appendix C.2): φ_j = a_j·G for every coefficient. The coefficients are
    /// secret, so the constant-time base multiplication is used.
    static func commit<E: GroupElement>(_ coefficients: [E.Scalar], as _: E.Type = E.self) -> [E] {
        coefficients.map { E.baseMultiply($0) }
    }

    /// The Lagrange coefficient λ_i = Π_{j≠i} x_j / (x_j − x_i) for interpolating at 0 over the
    /// identifiers `ids` (RFC 9591 §4.2 derive_interpolating_value). Fails on an identifier that is not
    /// in the set or on duplicates.
    public static func lagrangeCoefficientAtZero<S: GroupScalar>(
        for id: ParticipantID, in ids: [ParticipantID], as _: S.Type = S.self
    ) throws(FROSTError) -> S {
        guard ids.contains(id) else { throw .invalidParameters("\(id) is not among the interpolation points") }
        guard Set(ids).count == ids.count else { throw .invalidParameters("duplicate interpolation points") }
        let xi: S = id.scalar()
        var numerator = S.one, denominator = S.one
        for other in ids where other != id {
            let xj: S = other.scalar()
            numerator = numerator * xj
            denominator = denominator * (xj - xi)
        }
        do { return numerator * (try denominator.inverted()) } catch { throw .curve(error) }
    }

    /// The Lagrange coefficient λ_i(x) = Π_{j≠i} (x − x_j) / (x_i − x_j) for interpolating at a point x.
    static func lagrangeCoefficient<S: GroupScalar>(for id: ParticipantID, in ids: [ParticipantID], at x: S) throws(FROSTError) -> S {
        guard ids.contains(id) else { throw .invalidParameters("\(id) is not among the interpolation points") }
        let xi: S = id.scalar()
        var numerator = S.one, denominator = S.one
        for other in ids where other != id {
            let xj: S = other.scalar()
            numerator = numerator * (x - xj)
            denominator = denominator * (xi - xj)
        }
        do { return numerator * (try denominator.inverted()) } catch { throw .curve(error) }
    }

    /// polynomial_interpolate_constant (RFC 9591 Appendix A.2): f(0) from points (x_i, f(x_i)). Used by
    /// tests (and by nobody in production: no party ever reconstructs the group secret).
    public static func interpolateAtZero<S: GroupScalar>(_ points: [(id: ParticipantID, value: S)]) throws(FROSTError) -> S {
        let ids = points.map { $0.id }
        var secret = S.zero
        for point in points {
            let lambda: S = try lagrangeCoefficientAtZero(for: point.id, in: ids)
            secret = secret + lambda * point.value
        }
        return secret
    }
}

/// A Feldman VSS commitment C = ⟨φ_0, ..., φ_{t-1}⟩ with φ_j = a_j·G (RFC 9591 Appendix C.2). Every
/// entry is a valid non-identity element (checked on construction), and the vector has t ≥ 1 entries.
public struct VSSCommitment<E: GroupElement>: Sendable, Equatable {
    /// φ_0, ..., φ_{t-1}, lowest degree first.
    public let coefficients: [E]

    /// Validates: at least one entry, none the identity (SECURITY-CHECKLIST 15).
    public init(_ coefficients: [E]) throws(CurveError) {
        guard !coefficients.isEmpty else { throw .invalidPoint }
        for phi in coefficients where phi.isIdentity { throw .identityElement }
        self.coefficients = coefficients
    }

    /// The number of entries, which is the threshold t of the sharing.
    public var threshold: Int { coefficients.count }

    /// φ_0 = a_0·G: the public key of the shared secret.
    public var constantTerm: E { coefficients[0] }

    /// Σ_k φ_k·x^k, the public image f(x)·G of the committed polynomial at x (Horner's rule in the
    /// group; x and the φ are public, so the variable-time multiplication is used).
    public func evaluate(at x: E.Scalar) -> E { Self.evaluate(coefficients, at: x) }

    /// vss_verify (RFC 9591 Appendix C.2): share·G == Σ_k φ_k·i^k.
    public func verify(share: E.Scalar, for id: ParticipantID) -> Bool {
        E.baseMultiply(share) == evaluate(at: id.scalar())
    }

    /// The entry-wise sum of several commitments: the commitment to the sum of the polynomials. Every
    /// input must have the same length (callers validate that first).
    static func sum(_ commitments: [VSSCommitment<E>]) -> [E] {
        guard let first = commitments.first else { return [] }
        var total = first.coefficients
        for c in commitments.dropFirst() {
            for k in 0..<min(total.count, c.coefficients.count) { total[k] = total[k] + c.coefficients[k] }
        }
        return total
    }

    /// Σ_k φ_k·x^k at every identifier (derive_group_info's PK_i for all i). When the identifiers are dense
    /// (the usual 1...n), the values at 0, 1, 2, ... are produced by forward differences: a polynomial of
    /// degree t−1 has a constant (t−1)-th difference, so after the t starting values each further value
    /// costs t−1 additions instead of t−1 scalar multiplications. The starting values use Horner's rule
    /// with multiplications by the small integers 2, ..., t−1 done as double-and-add.
    static func evaluateAll(_ coefficients: [E], at ids: [ParticipantID]) -> [ParticipantID: E] {
        var out: [ParticipantID: E] = [:]
        let t = coefficients.count
        guard let maxID = ids.max().map({ Int($0.value) }), t >= 1 else { return out }
        guard maxID <= 2 * ids.count + t else {
            for id in ids { out[id] = evaluate(coefficients, at: id.scalar()) }
            return out
        }
        // F(0), ..., F(t−1).
        var start: [E] = []
        for m in 0..<t {
            if m == 0, let phi0 = coefficients.first { start.append(phi0); continue }
            var acc = E.identity
            for phi in coefficients.reversed() { acc = sum(smallMultiple(acc, m), phi) }
            start.append(acc)
        }
        // Forward-difference table at 0: d[j] = Δ^j F(0).
        var d = start
        for level in 1..<max(t, 1) {
            for i in stride(from: t - 1, through: level, by: -1) { d[i] = d[i] - d[i - 1] }
        }
        let wanted = Set(ids.map { Int($0.value) })
        for k in 1...maxID {
            // Step: F(k) = F(k−1) + ΔF(k−1), and so on down the table.
            for j in 0..<(t - 1) { d[j] = d[j] + d[j + 1] }
            if wanted.contains(k), let id = try? ParticipantID(UInt16(k)) { out[id] = d[0] }
        }
        return out
    }

    /// m·P for a small public m by double-and-add (cheaper than a full multiplication for tiny m).
    static func smallMultiple(_ P: E, _ m: Int) -> E {
        if m == 0 || P.isIdentity { return .identity }
        if m > 64 { return P.multipliedPublic(by: E.Scalar(UInt64(m))) }
        var result = E.identity, addend = P, k = m
        while k > 0 {
            if k & 1 == 1 { result = sum(result, addend) }
            k >>= 1
            if k > 0 { addend = addend + addend }
        }
        return result
    }

    /// a + b without the cost of a group addition when either side is the identity (an Ed25519 addition
    /// decompresses both operands, even the identity).
    static func sum(_ a: E, _ b: E) -> E {
        if a.isIdentity { return b }
        if b.isIdentity { return a }
        return a + b
    }

    /// Evaluates an (unvalidated) coefficient list in the group, as `evaluate(at:)`.
    static func evaluate(_ coefficients: [E], at x: E.Scalar) -> E {
        var acc = E.identity
        for phi in coefficients.reversed() { acc = sum(acc.multipliedPublic(by: x), phi) }
        return acc
    }
}

/// Secret polynomial coefficients, overwritten when released (the DKG's a_{i0}, ..., a_{i(t-1)} and the
/// dealer's polynomial). A reference type so that there is exactly one copy to wipe.
final class SecretCoefficients<S: GroupScalar>: @unchecked Sendable {
    private(set) var values: [S]

    init(_ values: [S]) { self.values = values }

    /// f(x).
    func evaluate(at x: S) -> S { Polynomial.evaluate(values, at: x) }

    var constant: S { values[0] }

    deinit { wipeScalars(&values) }
}

/// Zeroes the scalars where they stand in the array's storage (`GroupScalar.wipe`), then empties it.
func wipeScalars<S: GroupScalar>(_ values: inout [S]) {
    for i in values.indices { values[i].wipe() }
    values.removeAll()
}
