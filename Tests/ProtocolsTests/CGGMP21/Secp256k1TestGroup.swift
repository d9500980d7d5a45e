import Testing
import CSecp256k1
@testable import Protocols

/// A real secp256k1 `CGGMPGroup` for the tests of Π^log* and Π^aff-g, over libsecp256k1's public
/// API (pubkey_create, pubkey_tweak_mul, pubkey_combine). Not a stub; but test-only: the project's
/// own curve module will provide the production conformance.
enum Secp256k1TestGroup: CGGMPGroup {
    enum Point: Equatable, Sendable {
        case identity
        case point([UInt8]) // 33-byte compressed SEC1
    }

    nonisolated(unsafe) static let context: OpaquePointer = {
        guard let c = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else { fatalError("secp256k1 context") }
        return c
    }()

    static var order: BigNum { CGGMPProfile.curveOrder }

    static func scalarBytes(_ k: BigNum) -> [UInt8]? {
        let r = k.mod(order)
        return r.isZero ? nil : r.bytes(width: 32)
    }

    static func parse(_ bytes: [UInt8]) -> secp256k1_pubkey? {
        var pk = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(context, &pk, bytes, bytes.count) == 1 else { return nil }
        return pk
    }

    static func serialize(_ pk: secp256k1_pubkey) -> Point {
        var pk = pk
        var out = [UInt8](repeating: 0, count: 33)
        var len = 33
        _ = secp256k1_ec_pubkey_serialize(context, &out, &len, &pk, UInt32(SECP256K1_EC_COMPRESSED))
        return .point(out)
    }

    static func multiplyGenerator(_ k: BigNum) -> Point {
        guard let s = scalarBytes(k) else { return .identity }
        var pk = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_create(context, &pk, s) == 1 else { return .identity }
        return serialize(pk)
    }

    static func multiply(_ p: Point, by k: BigNum) -> Point {
        guard case .point(let bytes) = p, let s = scalarBytes(k), var pk = parse(bytes) else { return .identity }
        guard secp256k1_ec_pubkey_tweak_mul(context, &pk, s) == 1 else { return .identity }
        return serialize(pk)
    }

    static func add(_ p: Point, _ q: Point) -> Point {
        guard case .point(let a) = p else { return q }
        guard case .point(let b) = q else { return p }
        guard let pa = parse(a), let pb = parse(b) else { return .identity }
        var out = secp256k1_pubkey()
        let ok = withUnsafePointer(to: pa) { x in
            withUnsafePointer(to: pb) { y in
                let ins: [UnsafePointer<secp256k1_pubkey>?] = [x, y]
                return secp256k1_ec_pubkey_combine(context, &out, ins, 2)
            }
        }
        return ok == 1 ? serialize(out) : .identity // P + (-P)
    }

    static var encodedPointLength: Int { 33 }

    static func decode(_ bytes: [UInt8]) -> Point? {
        guard bytes.count == 33 else { return nil }
        if bytes.allSatisfy({ $0 == 0 }) { return .identity }
        guard bytes[0] == 2 || bytes[0] == 3, let pk = parse(bytes) else { return nil }
        return serialize(pk)
    }

    static func encode(_ p: Point) -> [UInt8] {
        switch p {
        case .identity: return [UInt8](repeating: 0, count: 33)
        case .point(let b): return b
        }
    }
}

@Suite("CGGMP21 secp256k1 test group")
struct CGGMPTestGroupTests {
    typealias G = Secp256k1TestGroup
    @Test func groupLaws() {
        let a = BigNum(12345), b = BigNum(-678)
        #expect(G.add(G.multiplyGenerator(a), G.multiplyGenerator(b)) == G.multiplyGenerator(a + b))
        #expect(G.multiply(G.multiplyGenerator(a), by: b) == G.multiplyGenerator(a * b))
        #expect(G.multiplyGenerator(G.order) == .identity)
        #expect(G.add(G.multiplyGenerator(a), G.multiplyGenerator(a.negated())) == .identity)
        #expect(G.encode(G.multiplyGenerator(.one)).count == 33)
    }
}
