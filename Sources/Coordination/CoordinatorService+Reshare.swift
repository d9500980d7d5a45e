import ClientKit
import Foundation
import Messaging
import Protocols

extension CoordinatorService {
    /// `mpc.reshare.request`: new members and threshold, same key (`ReshareDriver`).
    func reshare(_ v: VerifiedEnvelope, requestId: String) async -> ClientResultBody {
        guard let req = try? WireBody.decode(ReshareRequestBody.self, v.envelope.payload) else {
            return ClientResultBody(requestId: requestId, code: "malformed_payload", message: "not a reshare request")
        }
        switch await ReshareDriver.run(ctx: ctx, registry: registry, body: req, clientRequest: encoded(v)) {
        case .success(let e):
            if e.curve == .secp256k1 { ctx.presignPool.refill(ctx, wallet: req.walletId) }
            var body = ClientResultBody(requestId: requestId, walletId: req.walletId, curve: e.curve, publicKey: displayKey(e), signers: e.members)
            body.threshold = e.threshold
            body.generation = e.generation
            return body
        case .failure(let e):
            ctx.log.error("reshare \(requestId) failed: \(e)")
            return ClientResultBody(requestId: requestId, code: e.code, message: e.message, walletId: req.walletId)
        }
    }
}
