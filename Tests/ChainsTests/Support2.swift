import Foundation
internal import CSecp256k1

extension TestSigner {
    /// Plain ECDSA (RFC 6979) returning compact r || s.
    static func sign(digest: [UInt8], privateKey: [UInt8]) -> (r: [UInt8], s: [UInt8])? {
        guard let s = signRecoverable(digest: digest, privateKey: privateKey) else { return nil }
        return (s.r, s.s)
    }
}
