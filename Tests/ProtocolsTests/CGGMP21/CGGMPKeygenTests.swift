import Testing
@testable import Protocols

/// Keygen by the FROST Pedersen DKG over secp256k1, then CGGMP21 presign and sign.
@Suite("CGGMP21 keygen via FROST DKG")
struct CGGMPKeygenTests {
    typealias H = CGGMPHarness

    @Test func dkgThenPresignAndSign() throws {
        let out = try DKGSimulation<FROSTSecp256k1>().run(n: 3, t: 2, seed: 31)
        var shares = [CGGMPPartyId: CGGMPKeyShare]()
        var digests = [CGGMPPartyId: [UInt8]]()
        for (id, r) in out { digests[id.value] = try r.get().commitmentDigest }
        for (id, r) in out {
            let echoed = digests.filter { $0.key != id.value }
            shares[id.value] = try CGGMPKeyShare(dkg: try r.get(), echoedDigests: echoed)
        }
        let dealt = try H.dealer(n: 3, t: 2, seed: 1) // for the fixture aux info only
        let publicKey = try #require(shares[1]).publicKey
        let keys = H.Keys(shares: shares, aux: dealt.aux, secret: .zero, publicKey: publicKey)
        let results = try H.presign(keys, signers: [2, 3])
        var shareList = [CGGMPSignatureShare]()
        var pd: CGGMPPresignaturePublic?
        let digest = Hash.sha256(Array("dkg key".utf8))
        for (_, r) in results {
            guard case .presignature(let slot) = r, let p = slot.take() else { Issue.record("no presignature"); return }
            pd = p.publicData
            shareList.append(try p.sign(digest: digest))
        }
        let sig = try #require(pd).combine(shareList, digest: digest)
        #expect(H.verify(sig, digest: digest, publicKey: publicKey))
        #expect(H.recover(sig, digest: digest) == (try publicKey.serialized()))
    }

    @Test func mismatchedEchoRefused() throws {
        let out = try DKGSimulation<FROSTSecp256k1>().run(n: 3, t: 2, seed: 32)
        let o1 = try #require(out[try ParticipantID(1)]).get()
        #expect(throws: CGGMPProtocolError.echoMismatch([3])) {
            try CGGMPKeyShare(dkg: o1, echoedDigests: [2: o1.commitmentDigest, 3: [UInt8](repeating: 0, count: 32)])
        }
        #expect(throws: CGGMPProtocolError.self) { try CGGMPKeyShare(dkg: o1, echoedDigests: [2: o1.commitmentDigest]) }
    }
}
