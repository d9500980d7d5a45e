/// Bitcoin signature-hash types (BIP-143 and BIP-341).
public struct SighashType: Equatable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// BIP-341 only: like ALL, but the signature carries no sighash byte.
    public static let `default` = SighashType(rawValue: 0x00)
    public static let all = SighashType(rawValue: 0x01)
    public static let none = SighashType(rawValue: 0x02)
    public static let single = SighashType(rawValue: 0x03)
    public static let anyoneCanPay: UInt8 = 0x80

    var base: UInt8 { rawValue & 0x03 }
    var isAnyoneCanPay: Bool { rawValue & 0x80 != 0 }
    var isNone: Bool { base == 0x02 }
    var isSingle: Bool { base == 0x03 }
}
