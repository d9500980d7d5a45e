/// Runs a conformance-vector file given as bytes and reports every intermediate value. Dispatches on the
/// file's shape (the file name is never needed):
///   - CSV with the BIP-340 header                       -> BIP-340 vectors
///   - JSON with config + round_one_outputs              -> FROST signing (RFC 9591 or ZF Taproot)
///   - JSON with config + inputs but no round outputs    -> DKG vectors (`runDKGVectors`, the DKG engineer's)
public enum VectorRunner {
    public static func run(_ bytes: [UInt8]) throws(VectorError) -> VectorReport {
        let head = String(decoding: bytes.prefix(128), as: UTF8.self)
        if head.hasPrefix("index,secret key,public key,aux_rand,message,signature") {
            return try BIP340Vectors.run(csv: String(decoding: bytes, as: UTF8.self))
        }
        let json = try JSONValue.parse(bytes)
        guard json["config"] != nil else { throw .unrecognizedFormat("no config object (not a FROST vector file)") }
        if json["round_one_outputs"] != nil {
            return try FROSTSigningVectors.run(json: json)
        }
        if json["inputs"]?["verifying_key"] != nil || json["inputs"]?["1"] != nil {
            return try runDKGVectors(bytes: bytes)
        }
        throw .unrecognizedFormat("a config object but neither signing rounds nor DKG inputs")
    }
}
