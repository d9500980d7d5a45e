/// The coordinator's answer to every request, written straight into bytes: the same JSON, byte for byte, as
/// `JSONEncoder` with `.sortedKeys` (tested against it), for bodies whose strings need no escaping, which is every
/// signing result (ids, curve names, hex). Foundation's encoder was ~4 % of the coordinator's CPU per signature
/// (a generic, reflective walk of the evidence's hex strings). Anything else goes through `JSONEncoder`.
extension ClientResultBody {
    /// Every stored property, in the order `jsonEncoded` writes them (sorted). A field added to the struct and not
    /// here fails `CompactBodyTests.resultJSONCoversEveryField` instead of silently going missing from the answers.
    static let jsonKeys = ["code", "curve", "discovery", "evidence", "generation", "message", "nodes", "publicKey",
                           "recoveryId", "requestId", "requestsClaimed", "signature", "signers", "threshold", "walletId"]

    public func jsonEncoded() -> [UInt8] {
        var out = FlatJSON()
        // Keys in the order `.sortedKeys` writes them.
        out.string("code", code)
        out.string("curve", curve?.rawValue)
        out.string("discovery", discovery)
        out.strings("evidence", evidence)
        out.integer("generation", generation.map { String($0) })
        out.string("message", message)
        if let nodes {
            out.key("nodes")
            out.bytes.append(UInt8(ascii: "{"))
            for (i, k) in nodes.keys.sorted().enumerated() {
                if i > 0 { out.bytes.append(UInt8(ascii: ",")) }
                out.quoted(k)
                out.bytes.append(UInt8(ascii: ":"))
                out.bytes.append(contentsOf: Array((nodes[k] == true ? "true" : "false").utf8))
            }
            out.bytes.append(UInt8(ascii: "}"))
        }
        out.string("publicKey", publicKey)
        out.integer("recoveryId", recoveryId.map { String($0) })
        out.string("requestId", requestId)
        out.integer("requestsClaimed", requestsClaimed.map { String($0) })
        out.string("signature", signature)
        out.strings("signers", signers)
        out.integer("threshold", threshold.map { String($0) })
        out.string("walletId", walletId)
        guard out.plain else { return WireBody.encodeJSON(self) }
        out.bytes.append(UInt8(ascii: "}"))
        return out.bytes
    }
}

/// One JSON object of plain fields; `plain` turns false at the first string that would need an escape (a quote, a
/// backslash, a slash, which `JSONEncoder` escapes, or a control character).
struct FlatJSON {
    var bytes: [UInt8] = [UInt8(ascii: "{")]
    var plain = true
    private var first = true

    init() { bytes.reserveCapacity(4096) }

    mutating func key(_ k: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        quoted(k)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func quoted(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b == UInt8(ascii: "/") { plain = false }
            bytes.append(b)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func string(_ k: String, _ v: String?) {
        guard let v else { return }
        key(k); quoted(v)
    }

    mutating func strings(_ k: String, _ v: [String]?) {
        guard let v else { return }
        key(k)
        bytes.append(UInt8(ascii: "["))
        for (i, s) in v.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            quoted(s)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func integer(_ k: String, _ decimal: String?) {
        guard let decimal else { return }
        key(k); bytes.append(contentsOf: Array(decimal.utf8))
    }
}
