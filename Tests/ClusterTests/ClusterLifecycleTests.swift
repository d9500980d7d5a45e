import ClientKit
import Foundation
import Messaging
import Protocols
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `cluster up` / `down`: a running DIR is refused, a dirty DIR (processes gone without `down`) is reused
/// with its keys and stores, `down` leaves nothing running.
@Suite(.serialized)
struct ClusterLifecycleTests {
    @Test func dirtyDirectoryIsReusedWithItsKeys() async throws {
        let bin = try Binaries.locate()
        let mpc = bin.path("mpc")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mpc-life-\(UUID().uuidString)").path
        defer {
            _ = try? run(mpc, ["cluster", "down", "--dir", dir])
            try? FileManager.default.removeItem(atPath: dir)
        }
        let up = try run(mpc, ["cluster", "up", "--nodes", "3", "--threshold", "2", "--dir", dir, "--aux-primes", fixturePrimes])
        try #require(up.status == 0, "\(up.stderr)")
        let k = try decodeResult(try run(mpc, ["--cluster", dir, "keygen", "--curve", "secp256k1-schnorr", "--wallet", "k", "--json"]))
        #expect(k.ok, "\(k.code ?? "") \(k.message ?? "")")

        // a request answered before the crash
        let early = try await ClusterClient.open(dir: dir)
        let (_, earlyRequest) = try early.makeRequest(.signRequest, payload: WireBody.encode(SignRequestBody(walletId: "k", digest: hexString(randomDigest()))))
        let earlyResult = try await early.send(subject: Subjects.signRequest, bytes: earlyRequest)
        #expect(earlyResult.ok)

        // a crash of everything (SIGKILL, no `down`)
        var rng = SystemRandom()
        let before = pids(dir)
        #expect(before.count == 5)
        for (_, pid) in before { kill(pid, SIGKILL) }
        for _ in 0..<100 where before.values.contains(where: isAlive) { usleep(50_000) }

        // a different shape on the same DIR is refused with a code
        let mismatch = try run(mpc, ["cluster", "up", "--nodes", "4", "--threshold", "2", "--dir", dir])
        #expect(mismatch.status != 0)
        #expect(mismatch.stderr.contains("cluster_mismatch"))

        // the same shape reuses keys and stores
        let again = try run(mpc, ["cluster", "up", "--nodes", "3", "--threshold", "2", "--dir", dir])
        try #require(again.status == 0, "\(again.stderr)")
        let pub = try decodeResult(try run(mpc, ["--cluster", dir, "pubkey", "--wallet", "k", "--json"]))
        #expect(pub.publicKey == k.publicKey)
        let digest = randomDigest()
        let s = try decodeResult(try run(mpc, ["--cluster", dir, "sign", "--wallet", "k", "--digest", hexString(digest), "--json"]))
        #expect(s.ok, "\(s.code ?? "") \(s.message ?? "")")
        #expect(SignatureCheck.verify(curve: .secp256k1Schnorr, publicKey: hex(s.publicKey), message: digest, signature: hex(s.signature)))

        // the coordinator restarted and its replay cache survived in its LMDB store: the same client nonce
        // under a new request id (validly signed, so only the cache can tell) is refused as replayed, nothing
        // is signed (asked first: the exact replay below would record the nonce again in a fresh cache)
        let late = try await ClusterClient.open(dir: dir)
        var reused = try EnvelopeCodec.decode(earlyRequest).envelope
        reused.sessionId = SessionID.random(using: &rng)
        let reusedBytes = try early.identity.sign(reused).encoded()
        let refused = try await late.send(subject: Subjects.signRequest, bytes: reusedBytes)
        #expect(refused.code == "replayed", "\(refused.code ?? "ok") \(refused.message ?? "")")
        #expect(refused.signature == nil)
        #expect(FileManager.default.fileExists(atPath: ClusterLayout(dir: dir).path("coordinator/data/db")))
        // the replayed request itself gets the first result
        #expect(try await late.send(subject: Subjects.signRequest, bytes: earlyRequest) == earlyResult)
        // a fresh nonce under that id is a new request and signs
        reused.nonce = rng.bytes(Envelope.nonceByteCount)
        let fresh = try await late.send(subject: Subjects.signRequest, bytes: try early.identity.sign(reused).encoded())
        #expect(fresh.ok, "\(fresh.code ?? "") \(fresh.message ?? "")")

        // errors print a code and a sentence
        let unknown = try run(mpc, ["--cluster", dir, "sign", "--wallet", "nope", "--digest", hexString(digest)])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.hasPrefix("error unknown_wallet: "))
        let badDigest = try run(mpc, ["--cluster", dir, "sign", "--wallet", "k", "--digest", "abcd"])
        #expect(badDigest.stderr.hasPrefix("error invalid_digest: "))

        let running = pids(dir)
        let down = try run(mpc, ["cluster", "down", "--dir", dir])
        #expect(down.status == 0)
        for (name, pid) in running { #expect(!isAlive(pid), "\(name) still running") }
        #expect(pids(dir).isEmpty)
    }
}
