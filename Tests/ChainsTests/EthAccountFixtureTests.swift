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
    func signerAddress(_ entry: JSONValue) throws {
        let signer = entry.at("signer")
        let a1 = try EthereumAddress(publicKey: hex(signer.at("publicKeyCompressed").str))
        let a2 = try EthereumAddress(publicKey: hex(signer.at("publicKeyUncompressed").str))
        #expect(a1.checksummed == signer.at("address").str)
        #expect(a1 == a2)
    }
}
