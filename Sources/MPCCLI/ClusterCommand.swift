import ArgumentParser
import ClientKit
import Foundation
import Protocols

struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "Create, start and stop a local cluster.",
        subcommands: [ClusterInit.self, ClusterUp.self, ClusterDown.self])
}

struct ClusterInit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init",
        abstract: "Generate identities, the manifest and per-node configuration in DIR.")
    @Option var nodes: Int
    @Option var threshold: Int
    @Option var dir: String
    @Option(help: "NATS URL written into the configuration.") var nats = "nats://127.0.0.1:4222"
    @Option(help: "TESTS / DEVELOPMENT ONLY: pre-generated safe primes (JSON, bits1024/bits1536 lists) the nodes import as ECDSA aux info instead of generating them.")
    var auxPrimes: String?

    func run() async throws {
        do {
            let layout = ClusterLayout(dir: dir)
            let m = try layout.initialize(nodes: nodes, threshold: threshold, natsURL: nats)
            if let auxPrimes { try layout.importAuxPrimes(file: auxPrimes) }
            print("cluster \(dir): \(m.nodes.count) nodes, threshold \(m.threshold), client key \(m.clients.first.map { Hex.encode($0.signingKey) } ?? "")")
        } catch { throw Output.fail(error) }
    }
}

/// `cluster up` on a DIR whose processes still run is refused (`cluster_running`); on a DIR whose
/// processes are gone (a dirty stop) the cluster is reused: same keys, same stores, new NATS port.
struct ClusterUp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "up",
        abstract: "Start nats-server, N nodes and the coordinator in the background (init DIR if empty).")
    @Option var nodes: Int
    @Option var threshold: Int
    @Option var dir: String
    @Option(help: "Seconds to wait for every process to be ready.") var timeout = 60
    @Option(help: "TESTS / DEVELOPMENT ONLY (with an empty DIR): as `cluster init --aux-primes`.") var auxPrimes: String?
    /// One Go processor by default: on a small machine that also runs the nodes, the coordinator and the client, the
    /// Go scheduler's spinning threads for a second processor cost more than they bring (BENCHMARKS.md, session 8).
    @Option(help: "GOMAXPROCS for the local nats-server (0: Go's default, one per CPU).") var natsProcs = 1

    func validate() throws {
        guard natsProcs >= 0 else { throw ValidationError("--nats-procs must be 0 or more") }
    }

    func run() async throws {
        do { try await up() } catch { throw Output.fail(error) }
    }

    func up() async throws(ClusterError) {
        let layout = ClusterLayout(dir: dir)
        let procs = ProcessTable(layout: layout)
        if !procs.running().isEmpty { throw ClusterError("cluster_running", "\(dir) already runs \(procs.running().joined(separator: ",")); run `mpc cluster down --dir \(dir)` first") }
        procs.clear()
        if !FileManager.default.fileExists(atPath: layout.manifest) {
            _ = try layout.initialize(nodes: nodes, threshold: threshold, natsURL: "nats://127.0.0.1:4222")
            if let auxPrimes { try layout.importAuxPrimes(file: auxPrimes) }
        }
        let manifest = try ClusterManifest.load(path: layout.manifest)
        guard manifest.nodes.count == nodes, manifest.threshold == threshold else {
            throw ClusterError("cluster_mismatch", "\(dir) holds a \(manifest.threshold)-of-\(manifest.nodes.count) cluster")
        }
        let port = try FreePort.find()
        let url = "nats://127.0.0.1:\(port)"
        try procs.start("nats", "/usr/sbin/nats-server", ["-js", "-a", "127.0.0.1", "-p", "\(port)", "-sd", layout.path("nats")],
                        environment: natsProcs > 0 ? ["GOMAXPROCS": "\(natsProcs)"] : [:])
        guard await FreePort.waitAccepting(port: port, seconds: 10) else { throw ClusterError("nats_unavailable", "nats-server did not start; see \(layout.path("logs/nats.log"))") }
        try layout.setNatsURL(url)
        let bin = Executables.directory()
        for n in manifest.nodes {
            try procs.start(n.id, bin + "/mpc-node", ["--config", layout.nodeConfig(n.id)])
        }
        try procs.start("coordinator", bin + "/mpc-coordinator", ["--config", layout.coordinatorConfig])
        let client = try await ClusterClient.open(dir: dir)
        let deadline = Date().addingTimeInterval(TimeInterval(timeout))
        var last = ""
        while Date() < deadline {
            if let s = try? await client.status(), let ns = s.nodes, ns.count == manifest.nodes.count, ns.values.allSatisfy({ $0 }) {
                print("cluster up: \(dir)")
                print("  nats        \(url)")
                print("  nodes       \(manifest.nodes.map(\.id).joined(separator: ",")) (threshold \(manifest.threshold))")
                print("  pids        \(procs.recorded().map { "\($0.name)=\($0.pid)" }.joined(separator: " "))")
                print("  logs        \(layout.path("logs"))")
                return
            }
            let dead = procs.dead()
            if !dead.isEmpty { last = "exited: \(dead.joined(separator: ","))"; break }
            try? await Task.sleep(for: .milliseconds(300))
        }
        procs.stopAll()
        throw ClusterError("cluster_not_ready", "not ready within \(timeout) s \(last); see \(layout.path("logs"))")
    }
}

struct ClusterDown: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "down", abstract: "Stop every process of the cluster in DIR.")
    @Option var dir: String

    func run() async throws {
        let procs = ProcessTable(layout: ClusterLayout(dir: dir))
        let stopped = procs.stopAll()
        print("cluster down: stopped \(stopped.isEmpty ? "nothing" : stopped.joined(separator: ","))")
    }
}
