import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `nats-server -js` child process for one test. Killed in `stop()` and, as a safety net,
/// in deinit, so a failing test never leaves a server behind.
final class NatsServerProcess: @unchecked Sendable {
    let port: Int
    let storeDir: URL
    let extraArguments: [String]
    private var process: Process?
    private var watchdog: Process?

    var url: String { "nats://127.0.0.1:\(port)" }

    init(extraArguments: [String] = []) throws {
        self.extraArguments = extraArguments
        port = try NatsServerProcess.freePort()
        storeDir = FileManager.default.temporaryDirectory.appendingPathComponent("nats-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: storeDir, withIntermediateDirectories: true)
        try start()
    }

    /// Starts (or restarts) the server on the same port and store directory.
    func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/sbin/nats-server")
        p.arguments = ["-js", "-a", "127.0.0.1", "-p", "\(port)", "-sd", storeDir.path] + extraArguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        startWatchdog(serverPid: p.processIdentifier)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if NatsServerProcess.accepts(port: port) { return }
            usleep(20_000)
        }
        kill()
        throw NSError(domain: "NatsServerProcess", code: 1, userInfo: [NSLocalizedDescriptionKey: "nats-server did not start on \(port)"])
    }

    /// SIGKILL, as a crash would.
    func kill() {
        if let w = watchdog {
            // Not waited for: Foundation reaps it; waiting costs about a second per test.
            if w.isRunning { Glibc.kill(w.processIdentifier, SIGKILL) }
            watchdog = nil
        }
        guard let p = process else { return }
        if p.isRunning { Glibc.kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        process = nil
    }

    /// If the test process itself dies (a crash skips every defer), this shell kills the server
    /// it was started for, checking the command line first so a reused pid is never touched.
    private func startWatchdog(serverPid: Int32) {
        let w = Process()
        w.executableURL = URL(fileURLWithPath: "/bin/sh")
        w.arguments = ["-c", "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; "
                       + "grep -q \(storeDir.lastPathComponent) /proc/\(serverPid)/cmdline 2>/dev/null && kill -9 \(serverPid); "
                       + "rm -rf \(storeDir.path)"]
        w.standardOutput = FileHandle.nullDevice
        w.standardError = FileHandle.nullDevice
        if (try? w.run()) != nil { watchdog = w }
    }

    func stop() {
        kill()
        try? FileManager.default.removeItem(at: storeDir)
    }

    deinit { stop() }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw NSError(domain: "freePort", code: 1) }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw NSError(domain: "freePort", code: 2) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

/// Runs `body` against a fresh server; the server is stopped whatever happens.
func withNatsServer<T>(arguments: [String] = [], _ body: (NatsServerProcess) async throws -> T) async throws -> T {
    let server = try NatsServerProcess(extraArguments: arguments)
    defer { server.stop() }
    return try await body(server)
}

/// Fails with a timeout instead of hanging a test forever.
struct TestTimeout: Error, CustomStringConvertible { let what: String; var description: String { "timed out: \(what)" } }

func withTimeout<T: Sendable>(_ seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw TestTimeout(what: what)
        }
        guard let first = try await group.next() else { throw TestTimeout(what: what) }
        group.cancelAll()
        return first
    }
}
