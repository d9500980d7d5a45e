import ArgumentParser
import ClientKit
import Foundation
import Protocols

/// `mpc --cluster DIR bench sign --wallet ID --count N --concurrency C [--json]`
/// Load benchmark against a running cluster: N sign requests (distinct random digests, distinct request ids), at
/// most C in flight. Every answer goes through `ClusterClient.sign`, which verifies the coordinator's signed
/// envelope, the signature under the wallet key and each signer's share evidence; failures are counted by code.
struct BenchSign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sign", abstract: "Load-test signing against a running cluster.")

    @OptionGroup var options: ClientOptions
    @Option(help: "Wallet id (with --create-wallet: the id to create; default random).") var wallet: String?
    @Option(help: "Sign requests to send.") var count: Int = 100
    @Option(help: "Requests in flight at most.") var concurrency: Int = 1
    @Flag(help: "Run a keygen first (see --curve).") var createWallet = false
    @Option(help: "Curve for --create-wallet: ed25519 | secp256k1 | secp256k1-taproot.") var curve: String = "ed25519"
    @Option(help: "Unmeasured sign requests before the run.") var warmup: Int = 5
    @Option(help: "Pause before each further request, in ms (e.g. so a threshold ECDSA presignature pool refills).") var intervalMs: Int = 0

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be 0 or more") }
        guard intervalMs >= 0 else { throw ValidationError("--interval-ms must be 0 or more") }
        guard createWallet || wallet != nil else { throw ValidationError("--wallet ID, or --create-wallet") }
        guard Curve(rawValue: curve) != nil else { throw ValidationError("--curve: ed25519, secp256k1 or secp256k1-taproot") }
    }

    /// One request's outcome: seconds from send to verified answer, or the error code.
    struct Outcome: Sendable { let seconds: Double; let error: String? }

    struct Report: Codable {
        var walletId: String
        var curve: String?
        var count: Int
        var concurrency: Int
        var ok: Int
        var failed: Int
        var errors: [String: Int]
        var wallSeconds: Double
        var signaturesPerSecond: Double
        var latencyMillis: [String: Double]
        /// CPU time the hypervisor took for other guests during the run, percent (Linux; see `CPUSteal`).
        var stealPercent: Double?
    }

    func run() async throws {
        var walletId = wallet ?? ""
        var curveName: String?
        var client: ClusterClient?
        try await Output.run { () throws(ClusterError) in
            let c = try await ClusterClient.open(dir: options.cluster, identityFile: options.identity)
            client = c
            if createWallet {
                var rng = SystemRandom()
                if walletId.isEmpty { walletId = "bench-" + Hex.encode(rng.bytes(8)) }
                let r = try await c.keygen(walletId: walletId, curve: Curve(rawValue: curve)!)
                guard r.ok else { throw ClusterError(r.code ?? "keygen_failed", "keygen: \(r.message ?? "")") }
                curveName = r.curve?.rawValue
            } else {
                let r = try await c.pubkey(walletId: walletId)
                guard r.ok else { throw ClusterError(r.code ?? "unknown_wallet", "wallet \(walletId): \(r.message ?? "")") }
                curveName = r.curve?.rawValue
            }
        }
        guard let client else { return }
        let id = walletId

        // Warm-up (connections, caches, JIT-free but lazily opened stores); not measured.
        if warmup > 0 { _ = await Self.runLoad(client: client, wallet: id, count: warmup, concurrency: min(warmup, concurrency), intervalMillis: intervalMs) }
        if intervalMs > 0 { try? await Task.sleep(for: .milliseconds(intervalMs)) }

        let stealBefore = CPUSteal.now()
        let start = ContinuousClock.now
        let outcomes = await Self.runLoad(client: client, wallet: id, count: count, concurrency: concurrency, intervalMillis: intervalMs)
        let wall = Self.seconds(ContinuousClock.now - start)
        let steal = stealBefore.flatMap { before in CPUSteal.now().flatMap { before.percent(until: $0) } }

        var lat = Samples()
        var errors: [String: Int] = [:]
        for o in outcomes {
            if let e = o.error { errors[e, default: 0] += 1 } else { lat.values.append(o.seconds) }
        }
        let ok = lat.values.count
        let ms: [String: Double] = ok == 0 ? [:] : [
            "p50": lat.percentile(0.50) * 1e3, "p95": lat.percentile(0.95) * 1e3, "p99": lat.percentile(0.99) * 1e3,
            "max": (lat.values.max() ?? 0) * 1e3, "mean": lat.values.reduce(0, +) / Double(ok) * 1e3,
        ]
        let report = Report(walletId: id, curve: curveName, count: count, concurrency: concurrency, ok: ok,
                            failed: outcomes.count - ok, errors: errors, wallSeconds: wall,
                            signaturesPerSecond: wall > 0 ? Double(ok) / wall : 0, latencyMillis: ms, stealPercent: steal)
        if options.json {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys]
            print(String(decoding: (try? e.encode(report)) ?? Data(), as: UTF8.self))
        } else {
            print("bench sign: wallet \(id) (\(curveName ?? "?")), \(count) requests, concurrency \(concurrency)")
            print("ok \(ok) verified, failed \(report.failed)" + (errors.isEmpty ? "" : " " + errors.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")))
            if ok > 0 {
                print(String(format: "latency p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms  mean %.2f ms",
                             ms["p50"]!, ms["p95"]!, ms["p99"]!, ms["max"]!, ms["mean"]!))
            }
            print(String(format: "throughput %.1f signatures/s (%d in %.3f s)", report.signaturesPerSecond, ok, wall))
            if let steal { print(String(format: "CPU steal during the run %.1f %% (time the hypervisor gave to other guests)", steal)) }
        }
        if ok != count { throw ExitCode(1) }
    }

    /// Sends `count` sign requests with at most `concurrency` in flight (a task group refilled as tasks finish).
    static func runLoad(client: ClusterClient, wallet: String, count: Int, concurrency: Int, intervalMillis: Int = 0) async -> [Outcome] {
        await withTaskGroup(of: Outcome.self, returning: [Outcome].self) { group in
            var sent = 0
            var results: [Outcome] = []
            results.reserveCapacity(count)
            func launch() {
                var rng = SystemRandom()
                let digest = rng.bytes(32)
                group.addTask {
                    let t0 = ContinuousClock.now
                    do throws(ClusterError) {
                        let r = try await client.sign(walletId: wallet, digest: digest)
                        let dt = seconds(ContinuousClock.now - t0)
                        return r.ok ? Outcome(seconds: dt, error: nil) : Outcome(seconds: dt, error: r.code ?? "unknown")
                    } catch {
                        return Outcome(seconds: seconds(ContinuousClock.now - t0), error: error.code)
                    }
                }
            }
            while sent < min(concurrency, count) { launch(); sent += 1 }
            for await o in group {
                results.append(o)
                if sent < count {
                    if intervalMillis > 0 { try? await Task.sleep(for: .milliseconds(intervalMillis)) }
                    launch(); sent += 1
                }
            }
            return results
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
