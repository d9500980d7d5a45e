import Foundation

/// One line per event on stderr: time, component, session, message. Never pass secrets.
public struct Log: Sendable {
    public let component: String
    public init(_ component: String) { self.component = component }

    public func info(_ message: String, session: String? = nil) { write("info", message, session) }
    public func warn(_ message: String, session: String? = nil) { write("warn", message, session) }
    public func error(_ message: String, session: String? = nil) { write("error", message, session) }

    private func write(_ level: String, _ message: String, _ session: String?) {
        let ts = ISO8601DateFormatter().string(from: Date())
        let line = "\(ts) \(level) [\(component)]\(session.map { " session=\($0)" } ?? "") \(message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
