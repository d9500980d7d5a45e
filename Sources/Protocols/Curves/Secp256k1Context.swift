internal import CSecp256k1

/// The one libsecp256k1 context of the process. A context is safe to share across threads for every call
/// except `secp256k1_context_randomize`, which runs once here, at creation (side-channel blinding of
/// the generator multiplication).
final class Secp256k1Context: @unchecked Sendable {
    static let shared = Secp256k1Context()

    let raw: OpaquePointer

    private init() {
        guard let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            fatalError("secp256k1_context_create failed")
        }
        var rng = SystemRandom()
        var seed = rng.bytes(32)
        _ = secp256k1_context_randomize(ctx, seed)
        zeroize(&seed)
        raw = ctx
    }

    deinit { secp256k1_context_destroy(raw) }
}
