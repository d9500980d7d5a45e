import ClientKit
import Foundation
import Messaging
import Protocols
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// One real cluster (nats-server, 5 mpc-node processes, mpc-coordinator) for the whole suite, driven
/// through the `mpc` CLI and, for hostile requests, through ClientKit.
@Suite(.serialized)
struct ClusterEndToEndTests {
    @Test func endToEnd() async throws {
        let bin = try Binaries.locate()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mpc-cluster-\(UUID().uuidString)").path
        let mpc = bin.path("mpc")
        defer {
            _ = try? run(mpc, ["cluster", "down", "--dir", dir])
            try? FileManager.default.removeItem(atPath: dir)
        }

        // cluster up, 3-of-5
        let up = try run(mpc, ["cluster", "up", "--nodes", "5", "--threshold", "3", "--dir", dir, "--aux-primes", fixturePrimes])
        #expect(up.status == 0, "cluster up: \(up.stderr)")
        try #require(up.status == 0)
        #expect(pids(dir).count == 7)
        // a second `up` on a running DIR is refused with a code
        let again = try run(mpc, ["cluster", "up", "--nodes", "5", "--threshold", "3", "--dir", dir])
        #expect(again.status != 0)
        #expect(again.stderr.contains("cluster_running"))

        // keygen, both curves
        let ed = try decodeResult(try run(mpc, ["--cluster", dir, "keygen", "--curve", "ed25519", "--wallet", "ed", "--json"]))
        #expect(ed.ok, "\(ed.code ?? "") \(ed.message ?? "")")
        let edKey = hex(ed.publicKey)
        #expect(edKey.count == 32)
        let tr = try decodeResult(try run(mpc, ["--cluster", dir, "keygen", "--curve", "secp256k1-taproot", "--wallet", "tr", "--json"]))
        #expect(tr.ok, "\(tr.code ?? "") \(tr.message ?? "")")
        let trKey = hex(tr.publicKey)
        #expect(trKey.count == 32)
        let pub = try decodeResult(try run(mpc, ["--cluster", dir, "pubkey", "--wallet", "tr", "--json"]))
        #expect(pub.publicKey == tr.publicKey)

        // sign, verified independently (libsodium, libsecp256k1)
        let d1 = randomDigest()
        let s1 = try decodeResult(try run(mpc, ["--cluster", dir, "sign", "--wallet", "ed", "--digest", hexString(d1), "--json"]))
        #expect(s1.ok, "\(s1.code ?? "") \(s1.message ?? "")")
        #expect(Independent.ed25519(hex(s1.signature), edKey, d1))
        // each signer's own signed share envelope comes with the result; a tampered one is refused
        #expect(s1.evidence?.count == 3)
        let manifest = try ClusterManifest.load(path: ClusterLayout(dir: dir).manifest)
        try ClusterClient.checkEvidence(s1, manifest: manifest)
        var tampered = s1
        if var ev = tampered.evidence, let firstEv = ev.first {
            var bytes = hex(firstEv)
            bytes[bytes.count - 70] ^= 1
            ev[0] = hexString(bytes)
            tampered.evidence = ev
        }
        #expect(throws: ClusterError.self) { try ClusterClient.checkEvidence(tampered, manifest: manifest) }
        let d2 = randomDigest()
        let s2 = try decodeResult(try run(mpc, ["--cluster", dir, "sign", "--wallet", "tr", "--digest", hexString(d2), "--json"]))
        #expect(s2.ok, "\(s2.code ?? "") \(s2.message ?? "")")
        #expect(Independent.bip340(hex(s2.signature), xOnly: trKey, d2))

        // every 3-subset of the 5 nodes signs
        let nodes = (1...5).map { "node-\($0)" }
        var subsets: [[String]] = []
        for a in 0..<5 { for b in (a + 1)..<5 { for c in (b + 1)..<5 { subsets.append([nodes[a], nodes[b], nodes[c]]) } } }
        #expect(subsets.count == 10)
        for set in subsets {
            let d = randomDigest()
            let r = try decodeResult(try run(mpc, ["--cluster", dir, "sign", "--wallet", "ed", "--digest", hexString(d),
                                                   "--signers", set.joined(separator: ","), "--json"]))
            #expect(r.ok && r.signers == set, "\(set): \(r.code ?? "") \(r.message ?? "")")
            #expect(Independent.ed25519(hex(r.signature), edKey, d), "\(set)")
        }

        let client = try await ClusterClient.open(dir: dir)

        // a request signed by an unknown key is refused with its code
        var rng = SystemRandom()
        let intruder = try Identity.generate(id: "intruder", using: &rng)
        let stranger = ClusterClient(manifest: client.manifest, identity: intruder, connection: client.connection)
        let (_, bad) = try stranger.makeRequest(.signRequest, payload: WireBody.encode(SignRequestBody(walletId: "ed", digest: hexString(randomDigest()))))
        let refused = try await client.send(subject: Subjects.signRequest, bytes: bad)
        #expect(refused.code == "unknown_sender")
        // a known id with the wrong key
        let impostor = ClusterClient(manifest: client.manifest, identity: try Identity.generate(id: "client", using: &rng), connection: client.connection)
        let (_, forged) = try impostor.makeRequest(.signRequest, payload: WireBody.encode(SignRequestBody(walletId: "ed", digest: hexString(randomDigest()))))
        #expect(try await client.send(subject: Subjects.signRequest, bytes: forged).code == "bad_signature")

        // a node refuses a plan that does not come from the coordinator, and garbage, each with a code
        let (_, notAPlan) = try client.makeRequest(.sessionPlan, payload: [1, 2, 3])
        for (bytes, code) in [(notAPlan, "unknown_sender"), ([UInt8](repeating: 7, count: 40), "unsupported_version"), ([UInt8](), "malformed")] {
            let reply = try await client.connection.request(subject: ClusterSubjects.nodePlan("node-1"), payload: bytes, timeout: .seconds(5))
            let env = try EnvelopeCodec.decode(reply.data)
            #expect(env.envelope.sender == "node-1")
            #expect(try WireBody.decode(NodeReplyBody.self, env.envelope.payload).code == code)
        }

        // a replayed request gets the first result, and signs only once
        let d3 = randomDigest()
        let (_, req) = try client.makeRequest(.signRequest, payload: WireBody.encode(SignRequestBody(walletId: "ed", digest: hexString(d3))))
        let first = try await client.send(subject: Subjects.signRequest, bytes: req)
        let replay = try await client.send(subject: Subjects.signRequest, bytes: req)
        #expect(first.ok)
        #expect(replay == first)
        // a new envelope reusing the request id also returns the first result
        let (_, sameId) = try client.makeRequest(.signRequest, payload: WireBody.encode(SignRequestBody(walletId: "ed", digest: hexString(randomDigest()))),
                                                 requestId: SessionID(bytes: hex(first.requestId)))
        #expect(try await client.send(subject: Subjects.signRequest, bytes: sameId) == first)

        // the result is also in the durable results stream (for a client that reconnects)
        let durable = try await client.durableResult(requestId: first.requestId)
        #expect(durable == first)

        // SIGKILL a node in the middle of a signing (as soon as its session plan reaches it): the request
        // completes with other holders
        let plans = try client.connection.subscribe(subject: "mpc.node.*.plan")
        let d4 = randomDigest()
        async let during = client.sign(walletId: "tr", digest: d4)
        var victim = ""
        for await m in plans {
            victim = String(m.subject.split(separator: ".")[2])
            break
        }
        plans.unsubscribe()
        let victimPid = try #require(pids(dir)[victim])
        kill(victimPid, SIGKILL)
        let r4 = try await during
        #expect(r4.ok, "\(r4.code ?? "") \(r4.message ?? "")")
        // The kill races the victim's own answers: if the victim answered both rounds before SIGKILL landed, it is
        // rightly among the signers. Either way the request completes and verifies; the signings below must not
        // use the dead node.
        #expect(Independent.bip340(hex(r4.signature), xOnly: trKey, d4))
        for _ in 0..<3 {
            let d = randomDigest()
            let r = try await client.sign(walletId: "tr", digest: d)
            #expect(r.ok && !(r.signers ?? []).contains(victim), "\(r.code ?? "") \(r.message ?? "")")
        }
        // discovery drops the killed node once its TTL (6 s) passes without a heartbeat; wait for that, so that
        // the refusals below name it and "healthy" after the restart is the new process, not the dead one's
        // last registration (within the TTL the coordinator may still pick it: the attempt fails and the retry
        // excludes it, as the signings above show)
        var dropped = false
        for _ in 0..<100 where !dropped {
            if let s = try? await client.status(), s.nodes?[victim] == false { dropped = true } else { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(dropped, "\(victim) still listed healthy 10 s after SIGKILL")
        let others = nodes.filter { $0 != victim }
        // keygen needs every node: refused while one is down, naming it
        let noKeygen = try await client.keygen(walletId: "later", curve: .ed25519)
        #expect(noKeygen.code == "nodes_unavailable")
        #expect(noKeygen.message?.contains(victim) == true)
        // an existing wallet id is refused
        #expect(try await client.keygen(walletId: "ed", curve: .ed25519).code == "wallet_exists")

        // a forced signer set containing the dead node fails and names it
        let forcedDead = try await client.sign(walletId: "ed", digest: randomDigest(), signers: [others[0], victim, others[1]])
        #expect(forcedDead.code == "node_unavailable")
        #expect(forcedDead.message?.contains(victim) == true)

        // the wrong passphrase: a clear error, non-zero exit
        let layout = ClusterLayout(dir: dir)
        var cfg = try NodeConfig.read(layout.nodeConfig(victim))
        let wrongPass = (dir as NSString).appendingPathComponent("wrong-passphrase")
        _ = FileManager.default.createFile(atPath: wrongPass, contents: Data("not the passphrase\n".utf8), attributes: [.posixPermissions: 0o600])
        cfg.passphraseFile = wrongPass
        let wrongCfg = (dir as NSString).appendingPathComponent("wrong-config.yaml")
        try ConfigFile.write(cfg, to: wrongCfg)
        let wrong = try run(bin.path("mpc-node"), ["--config", wrongCfg])
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("wrong_passphrase"), "\(wrong.stderr)")

        // restart the killed node: its shares are intact (it signs both wallets again)
        let restarted = Process()
        restarted.executableURL = URL(fileURLWithPath: bin.path("mpc-node"))
        restarted.arguments = ["--config", layout.nodeConfig(victim)]
        restarted.standardOutput = FileHandle.nullDevice
        restarted.standardError = FileHandle.nullDevice
        try restarted.run()
        defer { if restarted.isRunning { kill(restarted.processIdentifier, SIGKILL) } }
        var healthy = false
        for _ in 0..<100 where !healthy {
            if let s = try? await client.status(), s.nodes?[victim] == true { healthy = true } else { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(healthy)
        let d5 = randomDigest()
        let r5 = try await client.sign(walletId: "ed", digest: d5, signers: [victim, others[2], others[3]])
        #expect(r5.ok, "\(r5.code ?? "") \(r5.message ?? "")")
        #expect(Independent.ed25519(hex(r5.signature), edKey, d5))
        let d6 = randomDigest()
        let r6 = try await client.sign(walletId: "tr", digest: d6, signers: [others[0], victim, others[1]])
        #expect(r6.ok, "\(r6.code ?? "") \(r6.message ?? "")")
        #expect(Independent.bip340(hex(r6.signature), xOnly: trKey, d6))
        // SIGTERM: a clean exit
        kill(restarted.processIdentifier, SIGTERM)
        restarted.waitUntilExit()
        #expect(restarted.terminationStatus == 0)

        // cluster down leaves no process
        let before = pids(dir)
        let down = try run(mpc, ["cluster", "down", "--dir", dir])
        #expect(down.status == 0)
        for (name, pid) in before { #expect(!isAlive(pid), "\(name) (\(pid)) still running") }
    }
}
