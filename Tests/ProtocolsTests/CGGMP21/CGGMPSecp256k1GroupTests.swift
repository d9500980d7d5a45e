import Testing
@testable import Protocols

@Suite("CGGMP21 secp256k1 group")
struct CGGMPSecp256k1GroupTests {
    typealias G = Secp256k1Group
    @Test func groupLaws() {
        let a = BigNum(12345), b = BigNum(-678)
        #expect(G.add(G.multiplyGenerator(a), G.multiplyGenerator(b)) == G.multiplyGenerator(a + b))
        #expect(G.multiply(G.multiplyGenerator(a), by: b) == G.multiplyGenerator(a * b))
        #expect(G.multiplyPublic(G.multiplyGenerator(a), by: b) == G.multiplyGenerator(a * b))
        #expect(G.multiplyGenerator(G.order) == .identity)
        #expect(G.add(G.multiplyGenerator(a), G.multiplyGenerator(a.negated())) == .identity)
        #expect(G.encode(G.multiplyGenerator(.one)).count == 33)
        #expect(G.encode(.identity) == [UInt8](repeating: 0, count: 33))
        #expect(G.decode(G.encode(.identity)) == .identity)
        #expect(G.decode(G.encode(G.multiplyGenerator(a))) == G.multiplyGenerator(a))
        #expect(G.decode([0x04] + [UInt8](repeating: 1, count: 32)) == nil)
        #expect(G.decode([0x02] + [UInt8](repeating: 0xff, count: 32)) == nil)
    }
}
