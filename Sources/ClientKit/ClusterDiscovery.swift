import Discovery
import Foundation
import Messaging

/// The discovery service names of the cluster's processes.
public enum ClusterServices {
    public static let node = "mpc-node"
    public static let coordinator = "mpc-coordinator"

    /// The long-lived connection of a node or the coordinator: reconnects forever.
    public static func connect(_ url: String, name: String) async throws(ClusterError) -> NatsConnection {
        do {
            return try await NatsConnection.connect(NatsOptions(servers: [url], name: name, maxReconnect: -1,
                                                                reconnectWait: .milliseconds(500), retryOnFailedConnect: true))
        } catch { throw ClusterError("transport_error", "connect \(url): \(error)") }
    }

    /// The configured backend, over the process's NATS connection when it is the NATS one.
    public static func open(_ config: DiscoveryConfiguration, connection: NatsConnection) async throws(ClusterError) -> any Discovery {
        do { return try await DiscoveryFactory.make(config, connection: connection) }
        catch { throw ClusterError("discovery_unavailable", "\(config.backend.rawValue): \(error.code) \(error)") }
    }
}

/// One process's registration: registered once the process is ready, passed every third of its TTL while
/// its NATS connection is up (a process cut off from NATS cannot serve, so it lets its TTL lapse), registered
/// again when the backend forgot it (NATS bucket recreated, Consul removed a critical service), deregistered
/// on `stop`.
public actor DiscoveryRegistration {
    public let discovery: any Discovery
    public let instance: ServiceInstance
    public let ttl: Duration
    let connection: NatsConnection
    let log: Log
    private var loop: Task<Void, Never>?

    public init(discovery: any Discovery, instance: ServiceInstance, ttl: Duration, connection: NatsConnection, log: Log) {
        self.discovery = discovery; self.instance = instance; self.ttl = ttl; self.connection = connection; self.log = log
    }

    /// Registers (and passes the check at once: a Consul TTL check starts critical), then heartbeats. A backend
    /// that is not up yet (an agent starting next to the node) is retried for `patience`.
    public func start(patience: Duration = .seconds(10)) async throws(ClusterError) {
        let deadline = ContinuousClock.now + patience
        while true {
            do throws(DiscoveryError) {
                try await discovery.register(instance, ttl: ttl)
                try await discovery.heartbeat(instance)
                break
            } catch {
                guard ContinuousClock.now < deadline else {
                    throw ClusterError("discovery_unavailable", "register \(instance.id): \(error.code) \(error)")
                }
                log.warn("discovery not ready (\(error.code)); retrying")
                try? await Task.sleep(for: .seconds(1))
            }
        }
        let period = ttl / 3
        loop = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: period)
                guard let self, !Task.isCancelled else { return }
                await self.beat()
            }
        }
    }

    private var failing = false

    func beat() async {
        guard connection.status == .connected else { return }
        do throws(DiscoveryError) {
            do throws(DiscoveryError) { try await discovery.heartbeat(instance) }
            catch .rejected { try await discovery.register(instance, ttl: ttl); try await discovery.heartbeat(instance) }
            if failing { log.info("discovery heartbeat restored") }
            failing = false
        } catch {
            if !failing { log.warn("discovery heartbeat failed: \(error.code) \(error)") }
            failing = true
        }
    }

    /// Stops heartbeating and deregisters (best effort: a TTL removes the instance anyway).
    public func stop() async {
        loop?.cancel()
        loop = nil
        do throws(DiscoveryError) { try await discovery.deregister(instance) } catch { log.warn("deregister \(instance.id): \(error.code)") }
    }
}
