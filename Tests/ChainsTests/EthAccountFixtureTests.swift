import Testing
import Protocols
@testable import Chains

/// Cross-checks against e2e/gen_chain_fixtures.py (PyPI eth-account): every byte must match.
@Suite struct EthAccountTransactionTests {
    static let fixture: JSONValue = (try? Fixtures.json("eth-account.json")) ?? .null
    static let transactions: [JSONValue] = fixture.at("transactions").arr

    @Test func fixtureLoaded() {
        #expect(Self.transactions.count >= 8)
    }

    @Test(arguments: transactions)
    func transaction(_ entry: JSONValue) throws {
        let name = entry.at("name").str
        let chainId = try JSONFields.quantity(entry.at("tx").at("chainId"), field: "chainId").uint64
        let req = try EthereumTransactionJSON.decode(entry.at("tx"), expectedChainId: chainId)
        let tx = req.transaction
        #expect(Hex.encode(tx.signingDigest) == entry.at("signingHash").str.dropFirst(2), "\(name) digest")
        let r = hex(entry.at("r").str), s = hex(entry.at("s").str)
        let recid = entry.at("recoveryId").int
        let raw = try tx.signedRaw(r: r, s: s, recoveryId: recid)
        #expect("0x" + Hex.encode(raw) == entry.at("rawSigned").str, "\(name) raw")
        #expect("0x" + Hex.encode(try tx.hash(r: r, s: s, recoveryId: recid)) == entry.at("txHash").str, "\(name) hash")
        // Our signature of the digest with the same key reproduces eth-account's (both RFC 6979, low-S).
        let key = hex(entry.at("signer").at("privateKey").str)
        let sig = try #require(TestSigner.signRecoverable(digest: tx.signingDigest, privateKey: key))
        #expect(sig.r == r && sig.s == s && sig.recid == recid, "\(name) signature")
    }

    @Test(arguments: transactions)
    func decodeRawAndRecoverSender(_ entry: JSONValue) throws {
        let decoded = try EthereumSignedTransaction(raw: hex(entry.at("rawSigned").str))
        let fromJSON = try EthereumTransactionJSON.decode(entry.at("tx"), expectedChainId: nil).transaction
        #expect(decoded.transaction == fromJSON)
        #expect("0x" + Hex.encode(decoded.hash) == entry.at("txHash").str)
        #expect(decoded.recoveryId == entry.at("recoveryId").int)
        let address = try EthereumAddress(parsing: entry.at("signer").at("address").str)
        #expect(try decoded.sender() == address)
        // With the expected signer, the flipped recovery id is caught before broadcast.
        let r = hex(entry.at("r").str), s = hex(entry.at("s").str)
        #expect(throws: ChainError.self) { try fromJSON.signedRaw(r: r, s: s, recoveryId: 1 - decoded.recoveryId, expectedSigner: address) }
        #expect(try fromJSON.signedRaw(r: r, s: s, recoveryId: decoded.recoveryId, expectedSigner: address) == hex(entry.at("rawSigned").str))
    }

    @Test func malformedRawTransactionsRejected() throws {
        let raw = hex(try #require(Self.transactions.first { $0.at("name").str == "eip1559-base" }).at("rawSigned").str)
        #expect(throws: ChainError.self) { try EthereumSignedTransaction(raw: []) }
        #expect(throws: ChainError.self) { try EthereumSignedTransaction(raw: Array(raw.dropLast())) }
        #expect(throws: ChainError.self) { try EthereumSignedTransaction(raw: raw + [0x80]) }
        #expect(throws: ChainError.self) { try EthereumSignedTransaction(raw: [0x05] + raw.dropFirst()) }
        #expect(throws: ChainError.self) { try EthereumSignedTransaction(raw: [0x01] + raw.dropFirst()) }
        // Pre-EIP-155 legacy (v = 27) is refused.
        let legacy: RLPItem = .list([.uint(0), .uint(1), .uint(21000), .bytes([UInt8](repeating: 0x35, count: 20)), .uint(1), .bytes([]),
                                     .uint(27), .bytes([UInt8](repeating: 1, count: 32)), .bytes([UInt8](repeating: 1, count: 32))])
        #expect { try EthereumSignedTransaction(raw: RLP.encode(legacy)) } throws: { ($0 as? ChainError)?.field == "v" }
    }

    @Test(arguments: transactions)
    func signerAddress(_ entry: JSONValue) throws {
        let signer = entry.at("signer")
        let a1 = try EthereumAddress(publicKey: hex(signer.at("publicKeyCompressed").str))
        let a2 = try EthereumAddress(publicKey: hex(signer.at("publicKeyUncompressed").str))
        #expect(a1.checksummed == signer.at("address").str)
        #expect(a1 == a2)
    }
}
