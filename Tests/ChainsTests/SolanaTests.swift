import Testing
import Protocols
@testable import Chains

@Suite struct Base58Tests {
    // Bitcoin Core's base58_encode_decode.json vectors.
    @Test(arguments: [
        ("", ""), ("61", "2g"), ("626262", "a3gV"), ("636363", "aPEr"),
        ("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"),
        ("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"),
        ("516b6fcd0f", "ABnLTmg"), ("bf4f89001e670274dd", "3SEo3LWLoPntC"), ("572e4794", "3EFU7m"),
        ("ecac89cad93923c02321", "EJDM8drfXA6uyA"), ("10c8511e", "Rt5zm"), ("00000000000000000000", "1111111111"),
    ])
    func vectors(_ v: (String, String)) {
        #expect(Base58.encode(hex(v.0)) == v.1)
        #expect(Base58.decode(v.1) == hex(v.0))
    }

    @Test func rejectsBadCharacters() {
        for bad in ["0", "O", "I", "l", "abc!", "é"] { #expect(Base58.decode(bad) == nil, "\(bad)") }
    }

    @Test func roundTrips() {
        var x: UInt64 = 0x9e3779b97f4a7c15
        for len in [0, 1, 2, 31, 32, 33, 64] {
            var b = [UInt8]()
            for _ in 0..<len { x = x &* 6364136223846793005 &+ 1442695040888963407; b.append(UInt8(x >> 56)) }
            for zeros in [0, 1, 3] {
                let input = [UInt8](repeating: 0, count: zeros) + b
                #expect(Base58.decode(Base58.encode(input)) == input)
            }
        }
    }
}

@Suite struct SolanaTests {
    static let fx: JSONValue = (try? Fixtures.json("solana.json")) ?? .null

    @Test func knownAddresses() throws {
        #expect(try SolanaAddress(publicKey: hex(Self.fx.at("publicKey").str)).string == Self.fx.at("address").str)
        #expect(Self.fx.at("address").str == "FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z")
        #expect(try SolanaAddress(publicKey: [UInt8](repeating: 0, count: 32)).string == "11111111111111111111111111111111")
        #expect(try SolanaAddress(parsing: "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA").publicKey
                == hex("06ddf6e1d765a193d9cbe146ceeb79ac1cb485ed5f5b37913a8cf5857eff00a9"))
        #expect(throws: ChainError.self) { try SolanaAddress(parsing: "1111") }
        #expect(throws: ChainError.self) { try SolanaAddress(parsing: "0OIl") }
    }

    @Test func signedTransactionsMatchPyNaCl() throws {
        let signer = hex(Self.fx.at("publicKey").str)
        let cases = Self.fx.at("cases").arr
        #expect(cases.count == 2)
        for c in cases {
            let msg = try SolanaMessage(bytes: hex(c.at("message").str))
            #expect(msg.feePayer == signer)
            #expect(msg.version == (c.at("name").str.hasPrefix("v0") ? 0 : nil))
            #expect(msg.instructionCount == 1)
            let sig = hex(c.at("signature").str)
            let raw = try SolanaTransaction.signed(message: msg, signer: signer, signature: sig)
            #expect(Hex.encode(raw) == c.at("signedTx").str)
            #expect(SolanaTransaction.transactionId(signature: sig) == c.at("txId").str)
            // A corrupted signature is caught before broadcast.
            var bad = sig; bad[0] ^= 1
            #expect(throws: ChainError.self) { try SolanaTransaction.signed(message: msg, signer: signer, signature: bad) }
        }
    }

    @Test func wrongFeePayerOrSignerCountRejected() throws {
        let c = try #require(Self.fx.at("cases").arr.first)
        let bytes = hex(c.at("message").str)
        let msg = try SolanaMessage(bytes: bytes)
        let other = [UInt8](repeating: 7, count: 32)
        #expect(throws: ChainError(.signerMismatch, field: "message.accountKeys[0]", "the fee payer is not the wallet's key")) {
            try SolanaTransaction.validate(message: msg, signer: other)
        }
        var two = bytes; two[0] = 2  // header: two required signatures
        let msg2 = try SolanaMessage(bytes: two)
        #expect { try SolanaTransaction.validate(message: msg2, signer: hex(Self.fx.at("publicKey").str)) } throws: {
            ($0 as? ChainError)?.field == "message.header.numRequiredSignatures"
        }
        // Truncation and trailing garbage are rejected.
        #expect(throws: ChainError.self) { try SolanaMessage(bytes: Array(bytes.dropLast())) }
        #expect(throws: ChainError.self) { try SolanaMessage(bytes: bytes + [0]) }
        #expect(throws: ChainError.self) { try SolanaMessage(bytes: []) }
    }

    @Test func compactU16() throws {
        for (v, enc) in [(0, [0x00]), (0x7f, [0x7f]), (0x80, [0x80, 0x01]), (0x3fff, [0xff, 0x7f]), (0x4000, [0x80, 0x80, 0x01]), (0xffff, [0xff, 0xff, 0x03])] as [(Int, [UInt8])] {
            #expect(CompactU16.encode(v) == enc)
            var r = ByteReader(enc)
            #expect(try CompactU16.decode(&r) == v)
        }
        for bad: [UInt8] in [[0x80, 0x00], [0xff, 0xff, 0x04], [0x80, 0x80, 0x80, 0x01], [0x80]] {
            var r = ByteReader(bad)
            #expect(throws: ChainError.self) { try CompactU16.decode(&r) }
        }
    }
}
