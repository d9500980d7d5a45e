/// Extension point for DKG timing (`mpc bench frost --protocol dkg ...`). The DKG engineer replaces this
/// function's body with per-round timings of Protocols/FROST/DKG (rows named like the signing rows:
/// "round 1 (all n parties)", "round 2 (all n parties)", "finalize", "whole DKG").
func benchDKG(suite: BenchSuite, threshold: Int, parties: Int, iterations: Int, seed: UInt64) throws -> [BenchRow] {
    throw BenchError.notImplemented("DKG timing (the DKG engineer wires --protocol dkg here)")
}
