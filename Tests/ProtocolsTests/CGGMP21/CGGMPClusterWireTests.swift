import Testing
@testable import Protocols

/// The encodings the cluster moves and stores: presign round messages (every message of a real run goes
/// through encode/decode), a presignature (sealed in a node's store) and its public part (the coordinator's),
/// a node's own aux material, and the aux-info exchange (Π^prm of the asker, then Π^mod, Π^prm, Π^fac).
@Suite("CGGMP21 cluster encodings")
struct CGGMPClusterWireTests {
    typealias H = CGGMPHarness
    let profile = CGGMPProfile.bits2048

    @Test func presignOverTheWireThenSignFromStoredPresignatures() throws {
        let keys = try H.dealer(n: 5, t: 3, seed: 91)
        let signers: [CGGMPPartyId] = [1, 3, 4]
        var rng = SeededRandom(seed: 92)
        func wire<M>(_ ms: [M], _ enc: (M) throws -> [UInt8], _ dec: ([UInt8]) throws -> M) throws -> [M] { try ms.map { try dec(try enc($0)) } }
        var s1 = [CGGMPPartyId: CGGMPSlot<PresignRound1State>](), m1 = [PresignRound1Message]()
        for i in signers {
            let step = try CGGMPPresign.start(keyShare: try #require(keys.shares[i]), aux: try #require(keys.aux[i]), signers: signers,
                                              sessionId: Array("wire".utf8), profile: profile, using: &rng)
            m1 += try wire(step.messages, { try $0.encoded(profile: profile) }, { try PresignRound1Message(encoded: $0, profile: profile) })
            s1[i] = CGGMPSlot(step.state)
        }
        var s2 = [CGGMPPartyId: CGGMPSlot<PresignRound2State>](), m2 = [PresignRound2Message]()
        for i in signers {
            guard let st = s1[i]?.take() else { throw CGGMPError.invalidInput("state") }
            let step = try st.receive(H.inbox(m1, to: i, \.to), using: &rng)
            m2 += try wire(step.messages, { try $0.encoded(profile: profile) }, { try PresignRound2Message(encoded: $0, profile: profile) })
            s2[i] = CGGMPSlot(step.state)
        }
        var s3 = [CGGMPPartyId: CGGMPSlot<PresignRound3State>](), m3 = [PresignRound3Message]()
        for i in signers {
            guard let st = s2[i]?.take() else { throw CGGMPError.invalidInput("state") }
            let step = try st.receive(H.inbox(m2, to: i, \.to), using: &rng)
            m3 += try wire(step.messages, { try $0.encoded(profile: profile) }, { try PresignRound3Message(encoded: $0, profile: profile) })
            s3[i] = CGGMPSlot(step.state)
        }
        var stored = [CGGMPPartyId: [UInt8]](), publics = Set<[UInt8]>()
        for i in signers {
            guard let st = s3[i]?.take() else { throw CGGMPError.invalidInput("state") }
            let outcome = try st.receive(H.inbox(m3, to: i, \.to))
            guard case .presignature(let p) = consume outcome else { Issue.record("no presignature"); return }
            publics.insert(p.publicData.encoded())
            stored[i] = try p.encodedSecret()
        }
        #expect(publics.count == 1)   // every signer holds the same public part
        let pub = try CGGMPPresignaturePublic(encoded: try #require(publics.first))
        let digest = Hash.sha256(Array("stored presignatures".utf8))
        var shares = [CGGMPSignatureShare]()
        for i in signers {
            let p = try CGGMPPresignature(encodedSecret: try #require(stored[i]))
            #expect(p.id == i)
            shares.append(try p.sign(digest: digest))
        }
        let sig = try pub.combine(shares, digest: digest)
        #expect(H.verify(sig, digest: digest, publicKey: keys.publicKey))
        #expect(ECDSAVerify.verify(publicKey: try keys.publicKey.serialized(), digest: digest, compact: sig.compact))
        #expect(ECDSAVerify.recover(digest: digest, compact: sig.compact, recoveryId: Int(sig.v)) == (try keys.publicKey.serialized()))
        // a wrong share is named by the combiner
        var bad = shares
        bad[1] = CGGMPSignatureShare(from: bad[1].from, sigma: (bad[1].sigma + .one).mod(CGGMPProfile.curveOrder))
        #expect(throws: CGGMPProtocolError.culprits([3: .wrongSignatureShare])) { try pub.combine(bad, digest: digest) }
        // trailing bytes, a truncated message and an identity point are refused
        let r3 = try m3[0].encoded(profile: profile)
        #expect(throws: CGGMPError.self) { try PresignRound3Message(encoded: r3 + [0], profile: profile) }
        #expect(throws: CGGMPError.self) { try PresignRound3Message(encoded: Array(r3.dropLast()), profile: profile) }
        var identity = r3
        for k in 37..<70 { identity[k] = 0 }   // Δ (after version, from, to, δ)
        #expect(throws: CGGMPError.self) { try PresignRound3Message(encoded: identity, profile: profile) }
        #expect(throws: CGGMPError.self) { try CGGMPPresignature(encodedSecret: try #require(stored[1]) + [1]) }
    }

    @Test func ownAuxRoundTripAndAuxExchange() throws {
        var rng = SeededRandom(seed: 93)
        let ps = CGGMPFixtures.primes(profile)
        let a = try CGGMPOwnAux.from(p: ps[0], q: ps[1], profile: profile, using: &rng)
        let b = try CGGMPOwnAux.from(p: ps[2], q: ps[3], profile: profile, using: &rng)
        let a2 = try CGGMPOwnAux(encoded: try a.encoded())
        #expect(a2.profile == profile && a2.ringPedersen.parameters == a.ringPedersen.parameters && a2.paillier.publicKey == a.paillier.publicKey)
        // a tampered s (not t^λ) is refused
        var tampered = try a.encoded()
        tampered[tampered.count - 3 * 256 + 10] ^= 1   // inside s
        #expect(throws: CGGMPError.self) { try CGGMPOwnAux(encoded: tampered) }
        // not safe primes: refused
        let notSafe = CGGMPFixtures.big(CGGMPFixtures.file?.nonBlum1024.first)
        #expect(throws: CGGMPError.invalidInput("aux primes must be safe primes")) {
            try CGGMPOwnAux.from(p: ps[0], q: notSafe, profile: profile, using: &rng)
        }

        // B asks A: B's parameters with Π^prm; A checks them, answers with its proofs; B verifies them
        let ctxA = CGGMPProofContext(sessionId: Array("aux".utf8), proverId: Array("a".utf8), round: 1)
        let ctxB = CGGMPProofContext(sessionId: Array("aux".utf8), proverId: Array("b".utf8), round: 1)
        let modB = try CGGMPModulusProofs.prove(own: b, context: ctxB, using: &rng)
        let request = try CGGMPAuxRequest(own: b, modulus: modB).encoded(profile: profile)
        let checked = try CGGMPAuxRequest(verifying: request, profile: profile, context: ctxB)
        #expect(throws: CGGMPError.self) { try CGGMPAuxRequest(verifying: request, profile: profile, context: ctxA) }
        let modA = try CGGMPModulusProofs.prove(own: a, context: ctxA, using: &rng)
        let answer = try CGGMPAuxProofs.prove(own: a, modulus: modA, verifierAux: checked.parameters, context: ctxA, using: &rng)
            .encoded(profile: profile)
        let decoded = try CGGMPAuxProofs(encoded: answer, profile: profile)
        let peer = try decoded.verify(ownAux: b.ringPedersen.parameters, profile: profile, context: ctxA)
        #expect(peer.paillier == a.paillier.publicKey)
        // the same answer does not convince another verifier (Π^fac is made against B's parameters) nor another context
        #expect(throws: CGGMPError.self) { try decoded.verify(ownAux: a.ringPedersen.parameters, profile: profile, context: ctxA) }
        #expect(throws: CGGMPError.self) { try decoded.verify(ownAux: b.ringPedersen.parameters, profile: profile, context: ctxB) }
    }
}
