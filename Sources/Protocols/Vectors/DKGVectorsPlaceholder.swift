/// Extension point for the DKG vector format (ZcashFoundation-frost_*_vectors_dkg.json). The DKG engineer
/// replaces this file with Sources/Protocols/Vectors/DKGVectors.swift defining the same function;
/// `VectorRunner.run` calls it for every file whose shape is that of a DKG vector file.
func runDKGVectors(json: JSONValue) throws(VectorError) -> VectorReport {
    throw .notImplemented("DKG vectors: not implemented")
}
