/// A running session the node can abort when it shuts down.
protocol AbortableSession: Sendable {
    func abort(_ code: String, _ message: String) async
}

extension DKGRunner: AbortableSession {
    func abort(_ code: String, _ message: String) async { await fail(code, message) }
}
