import Testing
import Protocols
@testable import Chains

/// EIP-155 "Example" section.
@Suite struct EIP155Tests {
    let key = [UInt8](repeating: 0x46, count: 32)

    func exampleTx() throws -> EthereumTransaction {
        try EthereumTransaction(
            chainId: 1, nonce: 9, gas: 21000,
            to: EthereumAddress(parsing: "0x3535353535353535353535353535353535353535"),
            value: UInt256(decimal: "1000000000000000000") ?? .zero, data: [],
            fees: .legacy(gasPrice: UInt256(20_000_000_000)))
    }

    @Test func signingPayloadAndHash() throws {
        let tx = try exampleTx()
        #expect(Hex.encode(tx.signingPayload) == "ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080")
        #expect(Hex.encode(tx.signingDigest) == "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53")
    }

    @Test func signedRawMatchesEIP() throws {
        let tx = try exampleTx()
        let sig = try #require(TestSigner.signRecoverable(digest: tx.signingDigest, privateKey: key))
        let raw = try tx.signedRaw(r: sig.r, s: sig.s, recoveryId: sig.recid)
        #expect(Hex.encode(raw) == "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83")
        // The raw form is canonical RLP with 9 fields.
        guard case .list(let fields) = try RLP.decode(raw) else { Issue.record("not a list"); return }
        #expect(fields.count == 9)
    }

    @Test func addressOfKey() throws {
        let pub = try #require(TestSigner.publicKey(privateKey: key, compressed: true))
        let addr = try EthereumAddress(publicKey: pub)
        #expect(addr.checksummed == "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F")
        let pub65 = try #require(TestSigner.publicKey(privateKey: key, compressed: false))
        #expect(try EthereumAddress(publicKey: pub65) == addr)
    }

    @Test func rejectsHighSAndBadRecoveryId() throws {
        let tx = try exampleTx()
        let sig = try #require(TestSigner.signRecoverable(digest: tx.signingDigest, privateKey: key))
        // s' = n - s is the high-S twin of a valid signature.
        let highS = bigEndianDifference(Secp256k1.order, sig.s)
        #expect(throws: ChainError(.highS, field: "s", "s is above n/2 (EIP-2 / BIP-146 low-S rule)")) {
            try tx.signedRaw(r: sig.r, s: highS, recoveryId: sig.recid)
        }
        #expect { try tx.signedRaw(r: sig.r, s: sig.s, recoveryId: 2) } throws: { ($0 as? ChainError)?.field == "recoveryId" }
        #expect(throws: ChainError.self) { try tx.signedRaw(r: [UInt8](repeating: 0, count: 32), s: sig.s, recoveryId: 0) }
    }
}

@Suite struct EIP55Tests {
    // EIP-55 test cases.
    @Test(arguments: [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
    ])
    func checksumRoundTrip(_ s: String) throws {
        let a = try EthereumAddress(parsing: s)
        #expect(a.checksummed == s)
    }

    @Test func wrongChecksumRejected() {
        #expect(throws: ChainError(.checksumMismatch, field: "to", "EIP-55 checksum does not match")) {
            try EthereumAddress(parsing: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", field: "to")
        }
        #expect(throws: ChainError.self) { try EthereumAddress(parsing: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe") }
        #expect(throws: ChainError.self) { try EthereumAddress(parsing: "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed") }
        #expect(throws: ChainError.self) { try EthereumAddress(parsing: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAgd") }
    }
}
