/// bitcoin-bips bip-0340/test-vectors.csv: index, secret key, public key, aux_rand, message, signature,
/// verification result, comment. Signs where a secret key is given, verifies every row.
enum BIP340Vectors {
    static func run(csv: String) throws(VectorError) -> VectorReport {
        var report = VectorReport(format: "BIP-340 Schnorr signatures")
        let lines = csv.split(whereSeparator: \.isNewline).dropFirst()
        for line in lines where !line.isEmpty {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 7 else { throw .malformed("BIP-340 row with \(f.count) fields") }
            let idx = f[0]
            guard let pk = Hex.decode(f[2]), let msg = Hex.decode(f[4]), let sig = Hex.decode(f[5]) else {
                throw .malformed("BIP-340 row \(idx): bad hex")
            }
            let expectValid = f[6].uppercased() == "TRUE"
            if !f[1].isEmpty {
                guard let sk = Hex.decode(f[1]), let aux = Hex.decode(f[3]) else { throw .malformed("BIP-340 row \(idx): bad hex") }
                do {
                    report.check("vector \(idx) public_key", expected: pk, got: try BIP340.publicKey(secretKey: sk))
                    report.check("vector \(idx) signature", expected: sig,
                                 got: try BIP340.sign(secretKey: sk, message: msg, auxRand: aux))
                } catch {
                    report.failed("vector \(idx) signature", expected: Hex.encode(sig), error: error)
                }
            }
            let ok = BIP340.verify(publicKey: pk, message: msg, signature: sig)
            report.check("vector \(idx) verification", expected: expectValid ? "true" : "false", got: ok ? "true" : "false")
        }
        return report
    }
}
