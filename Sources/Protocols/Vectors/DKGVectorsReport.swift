/// Runs a ZcashFoundation DKG vector file (frost-*_vectors_dkg.json) through `runDKGVectorChecks` and
/// reports every value it compares, in the same form as the other vector formats.
func runDKGVectors(bytes: [UInt8]) throws(VectorError) -> VectorReport {
    let checks: [(name: String, expected: String, actual: String)]
    do { checks = try runDKGVectorChecks(json: bytes) } catch { throw .malformed("DKG vectors: \(error)") }
    var report = VectorReport(format: "ZF FROST DKG")
    for c in checks { report.check(c.name, expected: c.expected, got: c.actual) }
    return report
}
