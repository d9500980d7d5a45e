import Dispatch

/// cnats' request, flush and JetStream calls block the calling thread until the server answers or
/// the call's own timeout fires. They must not run on Swift's cooperative pool (2 cores here), so
/// they run on a dedicated concurrent queue, which grows its own threads while callers suspend.
enum Blocking {
    private static let queue = DispatchQueue(label: "messaging.cnats.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws(MessagingError) -> T) async throws(MessagingError) -> T {
        let result: Result<T, MessagingError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(MessagingError) { continuation.resume(returning: .success(try body())) }
                catch { continuation.resume(returning: .failure(error)) }
            }
        }
        return try result.get()
    }

    /// Long-running blocking loops (a KV watcher) that outlive any one call.
    static func detached(_ body: @escaping @Sendable () -> Void) { queue.async(execute: body) }
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
