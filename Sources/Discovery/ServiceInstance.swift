/// One registered instance of a service (a node or the coordinator) as discovery sees it.
public struct ServiceInstance: Sendable, Equatable, Codable {
    public var id: String
    public var service: String
    public var address: String
    public var port: Int
    public var tags: [String]
    public var meta: [String: String]

    public init(id: String, service: String, address: String, port: Int, tags: [String] = [], meta: [String: String] = [:]) {
        self.id = id; self.service = service; self.address = address; self.port = port; self.tags = tags; self.meta = meta
    }
}

/// Health registration and lookup. A node registers once it is ready (store open, subscriptions made),
/// then heartbeats within its TTL; an instance that stops heartbeating drops out of `healthyInstances`.
public protocol Discovery: Sendable {
    func register(_ instance: ServiceInstance, ttl: Duration) async throws(DiscoveryError)
    /// Marks the instance healthy for another TTL period.
    func heartbeat(_ instance: ServiceInstance) async throws(DiscoveryError)
    func deregister(_ instance: ServiceInstance) async throws(DiscoveryError)
    /// The instances of `service` whose health is currently passing.
    func healthyInstances(of service: String) async throws(DiscoveryError) -> [ServiceInstance]
}

public enum DiscoveryError: Error, Equatable, Sendable {
    /// The discovery backend could not be reached.
    case unreachable(String)
    /// The backend answered with an error status.
    case rejected(status: Int, body: String)
    /// The backend's answer could not be decoded.
    case malformedResponse(String)
    case invalidConfiguration(String)

    public var code: String {
        switch self {
        case .unreachable: return "DISCOVERY_UNREACHABLE"
        case .rejected: return "DISCOVERY_REJECTED"
        case .malformedResponse: return "DISCOVERY_MALFORMED_RESPONSE"
        case .invalidConfiguration: return "DISCOVERY_INVALID_CONFIGURATION"
        }
    }
}
