import ArgumentParser
import Protocols
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mpc bench frost --suite ed25519|secp256k1|taproot --threshold T --parties N --iterations K`
/// In-process timing of FROST signing (run it from a release build: `swift run -c release mpc bench ...`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Protocol benchmarks: in process (frost) and against a running cluster (sign).",
        subcommands: [FrostBench.self, CGGMPBench.self, BenchSign.self, SubgroupBench.self, VerifyBench.self]
    )
}

enum BenchSuite: String, ExpressibleByArgument, CaseIterable { case ed25519, secp256k1, taproot }

/// Which protocol to time. `dkg` is the DKG engineer's to wire (see BenchDKG.swift).
enum BenchProtocol: String, ExpressibleByArgument, CaseIterable { case sign, dkg, reshare }

struct FrostBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "frost", abstract: "Time FROST signing (or DKG).")

    @Option(help: "ed25519, secp256k1 or taproot.") var suite: BenchSuite = .ed25519
    @Option(help: "Threshold t.") var threshold: Int = 2
    @Option(help: "Participants n.") var parties: Int = 3
    @Option(help: "Runs to take the median and p95 over.") var iterations: Int = 100
    @Option(name: .customLong("protocol"), help: "sign (default), dkg or reshare (t-of-n to t-of-n, the first t deal).") var proto: BenchProtocol = .sign
    @Option(help: "Seed for the deterministic random stream.") var seed: UInt64 = 1

    func validate() throws {
        guard threshold >= 1, threshold <= parties, parties <= Int(UInt16.max) else {
            throw ValidationError("need 1 ≤ threshold ≤ parties")
        }
        guard iterations >= 1 else { throw ValidationError("need at least one iteration") }
    }

    func run() throws {
        let rows: [BenchRow]
        switch (proto, suite) {
        case (.sign, .ed25519): rows = try SigningBench<FROSTEd25519>.run(t: threshold, n: parties, iterations: iterations, seed: seed)
        case (.sign, .secp256k1): rows = try SigningBench<FROSTSecp256k1>.run(t: threshold, n: parties, iterations: iterations, seed: seed)
        case (.sign, .taproot): rows = try SigningBench<FROSTSecp256k1Taproot>.run(t: threshold, n: parties, iterations: iterations, seed: seed)
        case (.dkg, _): rows = try benchDKG(suite: suite, threshold: threshold, parties: parties, iterations: iterations, seed: seed)
        case (.reshare, _): rows = try benchReshare(suite: suite, threshold: threshold, parties: parties, iterations: iterations, seed: seed)
        }
        print("FROST \(proto.rawValue) \(suite.rawValue) \(threshold)-of-\(parties), \(iterations) iterations"
              + " (wall clock; CPU = this thread's CPU time, less sensitive to other load on the machine)")
        print("phase".padding(toLength: 32, withPad: " ", startingAt: 0)
              + "wall median   wall p95      CPU median    CPU p95")
        for r in rows {
            let cells = [r.wall.median, r.wall.p95, r.cpu.median, r.cpu.p95].map { benchFormat($0).padding(toLength: 14, withPad: " ", startingAt: 0) }
            print(r.name.padding(toLength: 32, withPad: " ", startingAt: 0) + cells.joined())
        }
    }
}

/// µs below a millisecond, ms above, three decimals.
func benchFormat(_ seconds: Double) -> String {
    func three(_ v: Double) -> String { String((v * 1000).rounded() / 1000) }
    return seconds < 1e-3 ? three(seconds * 1e6) + " µs" : three(seconds * 1e3) + " ms"
}

struct Samples {
    var values: [Double] = []
    var median: Double { percentile(0.5) }
    var p95: Double { percentile(0.95) }

    func percentile(_ p: Double) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        let k = min(s.count - 1, max(0, Int((p * Double(s.count)).rounded(.up)) - 1))
        return s[k]
    }
}

struct BenchRow {
    let name: String
    let wall: Samples
    let cpu: Samples
}

/// A point in time on both clocks: the monotonic wall clock and this thread's CPU time.
struct Stamp {
    let wall: ContinuousClock.Instant
    let cpu: Double

    static func now() -> Stamp {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Stamp(wall: ContinuousClock.now, cpu: Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9)
    }

    /// (wall seconds, CPU seconds) since `self`.
    func elapsed() -> (Double, Double) {
        let end = Stamp.now()
        let d = end.wall - wall
        return (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18, end.cpu - cpu)
    }
}

/// Runs `body`, returning its result and (wall, CPU) seconds.
func timed<T>(_ body: () throws -> T) rethrows -> (T, (Double, Double)) {
    let start = Stamp.now()
    let r = try body()
    return (r, start.elapsed())
}

/// Per-call timing of a check over a fixed set of inputs (`mpc bench subgroup`, `mpc bench verify`): `runs` times,
/// `body` makes `calls` checks and returns how many it accepted, which must be `accepted`; the medians over the
/// runs of wall and CPU time per call.
func perCallMedians(_ name: String, runs: Int, calls: Int, accepted: Int, _ body: () -> Int) throws -> (wall: Double, cpu: Double) {
    var wall = Samples(), cpu = Samples()
    for _ in 0..<runs {
        let (got, (w, c)) = timed(body)
        guard got == accepted else { throw ValidationError("\(name) accepted \(got) of \(calls) (expected \(accepted))") }
        wall.values.append(w / Double(calls)); cpu.values.append(c / Double(calls))
    }
    return (wall.median, cpu.median)
}

/// One line of per-call medians: the label padded to `width`, then wall / CPU.
func printPerCall(_ label: String, width: Int, _ m: (wall: Double, cpu: Double)) {
    print("  \(label):".padding(toLength: width, withPad: " ", startingAt: 0) + benchFormat(m.wall) + " / " + benchFormat(m.cpu))
}

/// The options every per-call bench shares.
struct PerCallOptions: ParsableArguments {
    @Option(help: "Runs to take the median over.") var runs: Int = 7
    @Option(help: "Seed for the deterministic random stream.") var seed: UInt64 = 1

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("need at least one run") }
    }
}
