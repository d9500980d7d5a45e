import ClientKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Background processes of a cluster directory: DIR/run/<name>.pid and DIR/logs/<name>.log.
struct ProcessTable {
    let layout: ClusterLayout
    var runDir: String { layout.path("run") }

    struct Entry { let name: String; let pid: Int32; let executable: String }

    /// `environment`: variables set for this process on top of this one's environment.
    func start(_ name: String, _ executable: String, _ args: [String], environment: [String: String] = [:]) throws(ClusterError) {
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: executable) else { throw ClusterError("missing_executable", "\(executable) not found; build it first") }
        try? fm.createDirectory(atPath: runDir, withIntermediateDirectories: true)
        try? fm.createDirectory(atPath: layout.path("logs"), withIntermediateDirectories: true)
        let logPath = layout.path("logs/\(name).log")
        if !fm.fileExists(atPath: logPath) { _ = fm.createFile(atPath: logPath, contents: nil) }
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw ClusterError("io_error", "cannot open \(logPath)") }
        log.seekToEndOfFile()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        p.standardOutput = log
        p.standardError = log
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { throw ClusterError("spawn_failed", "\(name): \(error)") }
        let text = "\(p.processIdentifier) \(executable)\n"
        guard fm.createFile(atPath: "\(runDir)/\(name).pid", contents: Data(text.utf8)) else { throw ClusterError("io_error", "cannot write pid of \(name)") }
    }

    func recorded() -> [Entry] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: runDir)) ?? []
        return files.filter { $0.hasSuffix(".pid") }.sorted().compactMap { f in
            guard let s = try? String(contentsOfFile: "\(runDir)/\(f)", encoding: .utf8) else { return nil }
            let parts = s.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, let pid = Int32(parts[0]) else { return nil }
            return Entry(name: String(f.dropLast(4)), pid: pid, executable: parts[1])
        }
    }

    /// Alive and still the program we started (a reused pid is never touched).
    static func isOurs(_ e: Entry) -> Bool {
        guard kill(e.pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(e.pid)/stat", encoding: .utf8), !stat.contains(") Z ") else { return false }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(e.pid)/exe")) ?? ""
        return exe == e.executable || exe.hasPrefix(e.executable)
    }

    func running() -> [String] { recorded().filter(Self.isOurs).map(\.name) }
    func dead() -> [String] { recorded().filter { !Self.isOurs($0) }.map(\.name) }

    func clear() {
        for e in recorded() { try? FileManager.default.removeItem(atPath: "\(runDir)/\(e.name).pid") }
    }

    /// SIGTERM to the coordinator and nodes, then nats; SIGKILL whatever is left after 5 s.
    @discardableResult
    func stopAll() -> [String] {
        let entries = recorded()
        let ordered = entries.filter { $0.name != "nats" } + entries.filter { $0.name == "nats" }
        var stopped: [String] = []
        for group in [ordered.filter { $0.name != "nats" }, ordered.filter { $0.name == "nats" }] {
            let live = group.filter(Self.isOurs)
            for e in live { kill(e.pid, SIGTERM) }
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline, live.contains(where: Self.isOurs) { usleep(50_000) }
            for e in live where Self.isOurs(e) { kill(e.pid, SIGKILL) }
            while live.contains(where: Self.isOurs), Date() < deadline.addingTimeInterval(2) { usleep(20_000) }
            stopped += live.map(\.name)
        }
        clear()
        return stopped
    }
}

enum Executables {
    /// The directory of the running `mpc` binary (mpc-node and mpc-coordinator are built next to it).
    static func directory() -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }
}

enum FreePort {
    static func find() throws(ClusterError) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClusterError("io_error", "socket") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sp in
                bind(fd, sp, len) == 0 && getsockname(fd, sp, &len) == 0
            }
        }
        guard ok else { throw ClusterError("io_error", "no free port") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func waitAccepting(port: Int, seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if accepts(port) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
