import ClientKit
import Protocols

/// What a node stores and reports after a DKG or a resharing: the sealed-at-rest key package, and the public key
/// package and untweaked group key in hex (the wallet record's and the result's fields).
struct WalletMaterial {
    let share: [UInt8]
    let publicKeyPackage: String
    let groupPublicKey: String

    init<C: FROSTCiphersuite>(keyPackage: KeyPackage<C>, publicKeyPackage pkp: PublicKeyPackage<C>) throws {
        share = try KeyPackageCodec.encode(keyPackage)
        publicKeyPackage = Hex.encode(try KeyPackageCodec.encode(pkp))
        groupPublicKey = Hex.encode(try FROSTSigning<C>.verifyingKey(publicKeyPackage: pkp, tweak: .untweaked).serialized())
    }
}
