/// The healthy instances of a service as NATS discovery pushes them (the coordinator follows its nodes): a watch of
/// the KV bucket (`NatsDiscovery.membershipChanges`) announces registrations, deregistrations and expired TTLs as
/// they happen, with the same freshness rule as a lookup (last write within the instance's TTL). While it is
/// current a caller needs no lookup and runs none in the background (a lookup is a consumer creation and a get per
/// key on the server), and an instance that deregisters (a node's SIGTERM) is out of the view at once.
///
/// `view` is nil until the watch has announced every instance healthy when it started, and again from the moment
/// the watch ends until a new one has caught up (`follow` restarts it); callers then use lookups, as with Consul.
/// A watch that falls silent loses every instance to expiry within a TTL; callers look up afresh whenever a view is
/// not enough, and `suspect` restarts the watch when such a lookup finds an instance the watch does not list.
public actor LiveMembership {
    private var nodes: Set<String> = []
    private var caughtUp = false
    private var watch: Task<Void, Never>?
    /// Watches replaced by `suspect`.
    public private(set) var restarts = 0

    public init() {}

    /// The instance ids the watch lists as healthy, or nil while it is not current.
    public var view: Set<String>? { caughtUp ? nodes : nil }

    /// Applies one change; returns a line to log for joins and leaves after the initial catch-up.
    public func apply(_ change: NatsDiscovery.MembershipChange) -> String? {
        switch change {
        case .joined(let instance):
            nodes.insert(instance.id)
            return caughtUp ? "discovery watch: \(instance.id) joined" : nil
        case .left(let id, let reason):
            guard nodes.remove(id) != nil else { return nil }
            return caughtUp ? "discovery watch: \(id) left (\(reason.rawValue))" : nil
        case .caughtUp:
            caughtUp = true
            return "discovery watch current: \(nodes.sorted().joined(separator: ","))"
        }
    }

    /// Forgets the view (the watch ended or is being replaced).
    public func lost() {
        caughtUp = false
        nodes = []
    }

    /// Follows the watch of `service` until the calling task is cancelled, starting a new watch `retry` after one
    /// ends (e.g. the connection closed) or fails to start.
    /// A watch that cannot start is reported once until one starts again (not every `retry` during an outage).
    public func follow(_ discovery: NatsDiscovery, service: String, retry: Duration = .seconds(1),
                       info: @escaping @Sendable (String) -> Void, warn: @escaping @Sendable (String) -> Void) async {
        var failing = false
        while !Task.isCancelled {
            do throws(DiscoveryError) {
                let changes = try await discovery.membershipChanges(of: service)
                failing = false
                let current = Task { [weak self] in
                    for await change in changes {
                        guard let self else { return }
                        if let line = await self.apply(change) { info(line) }
                    }
                }
                watch = current
                await withTaskCancellationHandler { await current.value } onCancel: { current.cancel() }
            } catch {
                if !failing { warn("discovery watch: \(error.code); looking instances up instead") }
                failing = true
            }
            lost()
            if !Task.isCancelled { try? await Task.sleep(for: retry) }
        }
    }

    /// A lookup found nodes this view lacks (`looked` ⊄ view): the watch may have fallen silent. Replaces it
    /// (`follow` starts a new one, which announces the current state). Returns whether a restart was made.
    @discardableResult
    public func suspect(_ looked: Set<String>) -> Bool {
        guard caughtUp, !looked.isSubset(of: nodes), let w = watch else { return false }
        restarts += 1
        watch = nil
        lost()
        w.cancel()
        return true
    }
}
