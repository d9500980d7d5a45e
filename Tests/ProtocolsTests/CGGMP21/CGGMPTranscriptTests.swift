import Testing
@testable import Protocols

@Suite("CGGMP21 transcript")
struct CGGMPTranscriptTests {
    func fresh(_ ctx: CGGMPProofContext = CGGMPFixtures.context) -> Transcript {
        Transcript(protocolLabel: "test", sessionId: ctx.sessionId, proverId: ctx.proverId, round: ctx.round)
    }

    @Test func lengthPrefixedEncodingIsUnambiguous() {
        // Checklist 10: ("ab","c") and ("a","bc") give different challenges.
        var t1 = fresh(), t2 = fresh()
        t1.append("x", Array("ab".utf8)); t1.append("x", Array("c".utf8))
        t2.append("x", Array("a".utf8)); t2.append("x", Array("bc".utf8))
        #expect(t1.challengeBytes("e", count: 32) != t2.challengeBytes("e", count: 32))
        // Label/value boundary too.
        var t3 = fresh(), t4 = fresh()
        t3.append("ab", Array("c".utf8)); t4.append("a", Array("bc".utf8))
        #expect(t3.challengeBytes("e", count: 32) != t4.challengeBytes("e", count: 32))
        // Integers: sign is encoded.
        var t5 = fresh(), t6 = fresh()
        t5.append("v", BigNum(5)); t6.append("v", BigNum(-5))
        #expect(t5.challengeBytes("e", count: 32) != t6.challengeBytes("e", count: 32))
    }

    @Test func boundToSessionProverRound() {
        // Checklist 11.
        var base = fresh()
        let c = base.challengeBytes("e", count: 32)
        for ctx in [CGGMPFixtures.otherSession, CGGMPFixtures.otherProver, CGGMPFixtures.otherRound] {
            var t = fresh(ctx)
            #expect(t.challengeBytes("e", count: 32) != c)
        }
        var again = fresh()
        #expect(again.challengeBytes("e", count: 32) == c) // deterministic
    }

    @Test func distinctChallengePerRepetition() {
        // Checklist 4: successive challenges and per-index challenges all differ.
        var t = fresh()
        let n = BigNum(1_000_003) * BigNum(4_294_967_291)
        let ys = (0..<80).map { t.challengeUnit("y", modulus: n, index: UInt64($0)) }
        #expect(Set(ys.map(\.hexString)).count == 80)
        var t1 = fresh(), t2 = fresh()
        #expect(t1.challengeBytes("e", count: 16, index: 0) != t2.challengeBytes("e", count: 16, index: 1))
    }

    @Test func challengeRanges() {
        var t = fresh()
        let q = CGGMPProfile.curveOrder
        #expect(q.bitLength == 256)
        var negatives = 0
        for i in 0..<50 {
            let s = t.challengeScalar("k", index: UInt64(i))
            #expect(s.sign >= 0 && s < q)
            let e = t.challengeSigned("e", magnitude: q, index: UInt64(i))
            #expect(e.isInSymmetricRange(q))
            if e.isNegative { negatives += 1 }
            let r = t.challengeBelow("r", bound: BigNum(1000), index: UInt64(i))
            #expect(r.sign >= 0 && r < BigNum(1000))
        }
        #expect(negatives > 5 && negatives < 45)
        #expect(t.challengeBits("b", count: 80).count == 80)
    }
}
