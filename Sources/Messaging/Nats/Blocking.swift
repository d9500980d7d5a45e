import Foundation

/// cnats' request, flush and JetStream calls block the calling thread until the server answers or
/// the call's own timeout fires. They must not run on Swift's cooperative pool, and not on a
/// width-limited dispatch queue either (measured: 8 concurrent 500 ms timeouts took 1.8 s on a
/// global concurrent queue with 2 cores). Each call gets its own short-lived thread; creating one
/// costs tens of microseconds against a network round trip of about a millisecond.
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws(MessagingError) -> T) async throws(MessagingError) -> T {
        let result: Result<T, MessagingError> = await withCheckedContinuation { continuation in
            detached {
                do throws(MessagingError) { continuation.resume(returning: .success(try body())) }
                catch { continuation.resume(returning: .failure(error)) }
            }
        }
        return try result.get()
    }

    /// Runs `body` on a new thread (also used for long-running loops such as a KV watcher).
    static func detached(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = "cnats-blocking"
        thread.stackSize = 512 * 1024
        thread.start()
    }
}

/// Strings we hand to C: must be non-empty where required and free of NUL bytes (a NUL would
/// silently truncate a subject or a key).
enum CString {
    static func validated(_ s: String, what: String, allowEmpty: Bool = false) throws(MessagingError) -> String {
        if !allowEmpty && s.isEmpty { throw .invalidArgument("\(what) is empty") }
        if s.utf8.contains(0) { throw .invalidArgument("\(what) contains a NUL byte") }
        return s
    }
}

/// Converts a Duration to whole milliseconds for cnats (at least `minimum`).
extension Duration {
    var milliseconds: Int64 {
        let (s, atto) = components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
    var nanoseconds: Int64 {
        let (s, atto) = components
        return s * 1_000_000_000 + atto / 1_000_000_000
    }
}
