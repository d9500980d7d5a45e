import ClientKit
import Foundation

/// The JSON a result prints as: the result body, plus for threshold ECDSA signatures `r`, `s` (32 bytes hex each)
/// and `v` (the recovery id, 0 or 1) next to `signature` (r‖s) and `recoveryId`.
enum ResultJSON {
    static func encode(_ r: ClientResultBody) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        let data = (try? e.encode(r)) ?? Data()
        guard r.curve == .secp256k1, let sig = r.signature, sig.count == 128, let v = r.recoveryId,
              var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return String(decoding: data, as: UTF8.self)
        }
        object["r"] = String(sig.prefix(64))
        object["s"] = String(sig.suffix(64))
        object["v"] = v
        let merged = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? data
        return String(decoding: merged, as: UTF8.self)
    }
}
