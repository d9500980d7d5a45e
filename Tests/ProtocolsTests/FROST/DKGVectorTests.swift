import Testing
@testable import Protocols

/// Byte-exact against the Zcash Foundation DKG vectors, through the pure runner.
@Suite struct DKGVectorTests {
    @Test(arguments: ["ZcashFoundation-frost_frost-ed25519_vectors_dkg.json",
                      "ZcashFoundation-frost_frost-secp256k1_vectors_dkg.json",
                      "ZcashFoundation-frost_frost-secp256k1-tr_vectors_dkg.json"])
    func referenceVectors(file: String) throws {
        let checks = try runDKGVectorChecks(json: try DKGVectorFiles.load(file))
        // 3 participants: 2 commitments + count + proof + verifies + wire (6), 2 shares sent, 5 + 3 final values.
        #expect(checks.count == 3 * (6 + 2 + 8))
        for c in checks {
            #expect(c.expected == c.actual, "\(c.name)")
        }
    }

    @Test func taprootFileIsRecognised() throws {
        let checks = try runDKGVectorChecks(json: try DKGVectorFiles.load("ZcashFoundation-frost_frost-secp256k1-tr_vectors_dkg.json"))
        #expect(checks.first?.name.hasPrefix("FROST-secp256k1-TR/") == true)
    }

    @Test func aTamperedVectorIsReported() throws {
        var text = String(decoding: try DKGVectorFiles.load("ZcashFoundation-frost_frost-secp256k1_vectors_dkg.json"), as: UTF8.self)
        // Change party 1's final signing share: exactly that check must fail.
        text = text.replacingOccurrences(of: "87cee034add572924bbd40001bbffa1db1f28a4bf52efebb4c2ad0978c71edf5",
                                         with: "87cee034add572924bbd40001bbffa1db1f28a4bf52efebb4c2ad0978c71edf6")
        let checks = try runDKGVectorChecks(json: Array(text.utf8))
        let failing = checks.filter { $0.expected != $0.actual }.map(\.name)
        #expect(failing == ["FROST-secp256k1/participant 1/signing_share"])
    }
}

import Foundation
