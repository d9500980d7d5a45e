import Testing
import Protocols
@testable import Chains

@Suite struct KeccakTests {
    @Test func emptyString() {
        #expect(Hex.encode(Keccak.keccak256([])) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
    }
    @Test func shortInputs() {
        #expect(Hex.encode(Keccak.keccak256(Array("abc".utf8))) == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        #expect(Hex.encode(Keccak.keccak256(Array("The quick brown fox jumps over the lazy dog".utf8)))
                == "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")
    }
    @Test func multiBlockInputs() {
        // 200 bytes of 0xa3 (two 136-byte blocks); value from pycryptodome keccak(digest_bits=256) and eth_utils.
        #expect(Hex.encode(Keccak.keccak256([UInt8](repeating: 0xa3, count: 200)))
                == "3a57666b048777f2c953dc4456f45a2588e1cb6f2da760122d530ac2ce607d4a")
        // Around the 136-byte rate: one block with padding in the last byte, a whole extra padding block,
        // and exactly two blocks (values from eth_utils.keccak over bytes i % 256).
        let expected: [(Int, String)] = [
            (135, "cbdfd9dee5faad3818d6b06f95a219fd290b0e1706f6a82e5a595b9ce9faca62"),
            (136, "7ce759f1ab7f9ce437719970c26b0a66ff11fe3e38e17df89cf5d29c7d7f807e"),
            (137, "ac73d4fae68b8453f764007c1a20ce95994187861f0c3227a3a8e99a73a3b1db"),
            (272, "fdf2ec49e749960d3c8521a0219af8d03e30e2b3bf19bd16150ee0eaf133d66e"),
        ]
        for (n, h) in expected {
            #expect(Hex.encode(Keccak.keccak256((0..<n).map { UInt8($0 % 256) })) == h, "length \(n)")
        }
    }
}

@Suite struct RLPTests {
    // Examples from the Ethereum wiki "RLP" page / Yellow Paper Appendix B.
    @Test func wikiExamples() throws {
        #expect(RLP.encode(.bytes(Array("dog".utf8))) == [0x83, 0x64, 0x6f, 0x67])
        #expect(RLP.encode(.list([.bytes(Array("cat".utf8)), .bytes(Array("dog".utf8))]))
                == [0xc8, 0x83, 0x63, 0x61, 0x74, 0x83, 0x64, 0x6f, 0x67])
        #expect(RLP.encode(.bytes([])) == [0x80])
        #expect(RLP.encode(.list([])) == [0xc0])
        #expect(RLP.encode(.uint(0)) == [0x80])
        #expect(RLP.encode(.bytes([0x00])) == [0x00])
        #expect(RLP.encode(.uint(15)) == [0x0f])
        #expect(RLP.encode(.uint(1024)) == [0x82, 0x04, 0x00])
        // set theoretical representation of three: [ [], [[]], [ [], [[]] ] ]
        let three: RLPItem = .list([.list([]), .list([.list([])]), .list([.list([]), .list([.list([])])])])
        #expect(RLP.encode(three) == [0xc7, 0xc0, 0xc1, 0xc0, 0xc3, 0xc0, 0xc1, 0xc0])
        let lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit"
        #expect(RLP.encode(.bytes(Array(lorem.utf8))) == [0xb8, 0x38] + Array(lorem.utf8))
    }

    @Test func roundTripAndStrictDecode() throws {
        let item: RLPItem = .list([.bytes(Array(repeating: 7, count: 300)), .uint(1), .list([.bytes([0x80])])])
        #expect(try RLP.decode(RLP.encode(item)) == item)
        // Non-canonical forms and truncation are rejected.
        for bad: [UInt8] in [[0x81, 0x05], [0xb8, 0x05, 1, 2, 3, 4, 5], [0x83, 0x64], [0xc2, 0x80], [0x80, 0x80], [0xb9, 0x00, 0x40]] {
            #expect(throws: ChainError.self) { try RLP.decode(bad) }
        }
        // Deep nesting (2 000 levels) is refused by the depth bound instead of recursing until the stack runs out.
        var deep: [UInt8] = [0xc0]
        for _ in 0..<2_000 {
            let n = deep.count
            let len = UInt256(UInt64(n)).bytes  // canonical list header, so only the depth bound can reject it
            deep = (n < 56 ? [0xc0 + UInt8(n)] : [0xf7 + UInt8(len.count)] + len) + deep
        }
        #expect { try RLP.decode(deep) } throws: { ($0 as? ChainError)?.detail.contains("nesting") == true }
        #expect(throws: ChainError.self) { try EthereumSignedTransaction(raw: [0x02] + deep) }
    }
}
