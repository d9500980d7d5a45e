import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line per event on stderr: time, component, session, message. Never pass secrets.
public struct Log: Sendable {
    public let component: String
    public init(_ component: String) { self.component = component }

    public func info(_ message: String, session: String? = nil) { write("info", message, session) }
    public func warn(_ message: String, session: String? = nil) { write("warn", message, session) }
    public func error(_ message: String, session: String? = nil) { write("error", message, session) }

    private func write(_ level: String, _ message: String, _ session: String?) {
        let ts = Self.timestamp()
        var line = "\(ts) \(level) [\(component)]\(session.map { " session=\($0)" } ?? "") \(message)\n"
        // One write(2) of the line (FileHandle's write cost ~3 % of a node's CPU under signing load).
        line.withUTF8 { writeToStderr(UnsafeRawBufferPointer($0)) }
    }

    /// UTC time as `2026-01-02T03:04:05Z` (the ISO8601DateFormatter format), via gmtime_r: creating an
    /// ISO8601DateFormatter per line was 15 % of a node's CPU under signing load.
    static func timestamp() -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}

/// All of `bytes` to file descriptor 2 (retrying after a signal; giving up on any other error).
private func writeToStderr(_ bytes: UnsafeRawBufferPointer) {
    var rest = bytes
    while !rest.isEmpty {
        let n = write(2, rest.baseAddress, rest.count)
        if n > 0 { rest = UnsafeRawBufferPointer(rebasing: rest[n...]) } else if n < 0 && errno == EINTR { continue } else { return }
    }
}
