/// The two prime-order-subgroup checks on a decoded edwards25519 point, public so that `mpc bench subgroup`
/// can time them apart from decoding: `byHalving` is what `Ed25519Point(serialized:)` uses, `byOrder` the
/// [ℓ]P = O reference. Both accept the same points (Ed25519SubgroupTests). Public points only.
public struct Ed25519SubgroupProbe: Sendable {
    let point: Ed25519Vartime.Point

    /// RFC 8032 decoding only (canonical y, on the curve); nil otherwise. No subgroup check.
    public init?(encoding: [UInt8]) {
        guard let p = Ed25519Vartime.Point(encoding: encoding) else { return nil }
        point = p
    }

    public var byHalving: Bool { Ed25519Vartime.isTorsionFree(point) }
    public var byOrder: Bool { Ed25519Vartime.isTorsionFreeByOrder(point) }
}
