import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Discovery over a Consul agent's HTTP API (https://developer.hashicorp.com/consul/api-docs):
/// - `PUT /v1/agent/service/register` with a TTL check (`Check.TTL`, `DeregisterCriticalServiceAfter`),
/// - `PUT /v1/agent/check/pass/service:<id>` to pass the TTL check,
/// - `PUT /v1/agent/service/deregister/<id>`,
/// - `GET /v1/health/service/<name>?passing=true` for healthy instances.
/// An ACL token, when configured, goes in the `X-Consul-Token` header.
public struct ConsulDiscovery: Discovery {
    public let baseURL: URL
    public let token: String?
    /// How long Consul keeps an instance whose check stays critical before removing it.
    public let deregisterCriticalAfter: Duration
    private let session: URLSession

    /// `address` is what CONSUL_ADDRESS holds: `host:port` or a full `http(s)://host:port` URL.
    public init(address: String, token: String? = nil, deregisterCriticalAfter: Duration = .seconds(60),
                requestTimeout: Duration = .seconds(5)) throws(DiscoveryError) {
        let text = address.contains("://") ? address : "http://" + address
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw .invalidConfiguration("consul.address '\(address)' is not host:port or an http(s) URL")
        }
        self.baseURL = url
        self.token = token
        self.deregisterCriticalAfter = deregisterCriticalAfter
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = Double(requestTimeout.components.seconds)
        self.session = URLSession(configuration: config)
    }

    public func register(_ instance: ServiceInstance, ttl: Duration) async throws(DiscoveryError) {
        let body = RegisterBody(
            ID: instance.id, Name: instance.service, Address: instance.address, Port: instance.port,
            Tags: instance.tags, Meta: instance.meta,
            Check: .init(CheckID: Self.checkID(instance), TTL: Self.goDuration(ttl),
                         DeregisterCriticalServiceAfter: Self.goDuration(deregisterCriticalAfter)))
        let data: Data
        do { data = try JSONEncoder().encode(body) } catch { throw .invalidConfiguration("cannot encode registration") }
        _ = try await send("PUT", path: "/v1/agent/service/register", body: data)
    }

    public func heartbeat(_ instance: ServiceInstance) async throws(DiscoveryError) {
        _ = try await send("PUT", path: "/v1/agent/check/pass/" + Self.escape(Self.checkID(instance)))
    }

    public func deregister(_ instance: ServiceInstance) async throws(DiscoveryError) {
        _ = try await send("PUT", path: "/v1/agent/service/deregister/" + Self.escape(instance.id))
    }

    public func healthyInstances(of service: String) async throws(DiscoveryError) -> [ServiceInstance] {
        let data = try await send("GET", path: "/v1/health/service/" + Self.escape(service), query: "passing=true")
        let entries: [HealthEntry]
        do { entries = try JSONDecoder().decode([HealthEntry].self, from: data) } catch {
            throw .malformedResponse("health/service: \(error)")
        }
        return entries.map { e in
            // Consul leaves Service.Address empty when the service uses the node's address.
            let address = e.Service.Address.isEmpty ? (e.Node?.Address ?? "") : e.Service.Address
            return ServiceInstance(id: e.Service.ID, service: e.Service.Service, address: address, port: e.Service.Port,
                                   tags: e.Service.Tags ?? [], meta: e.Service.Meta ?? [:])
        }
    }

    // MARK: - HTTP

    private func send(_ method: String, path: String, query: String? = nil, body: Data? = nil) async throws(DiscoveryError) -> Data {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)
        components?.percentEncodedPath = path
        components?.percentEncodedQuery = query
        guard let url = components?.url else { throw .invalidConfiguration("bad Consul path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let token { request.setValue(token, forHTTPHeaderField: "X-Consul-Token") }
        let data: Data, response: URLResponse
        do { (data, response) = try await session.data(for: request) } catch {
            throw .unreachable("\(method) \(path): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else { throw .malformedResponse("not an HTTP response") }
        guard (200..<300).contains(http.statusCode) else {
            throw .rejected(status: http.statusCode, body: String(decoding: data.prefix(512), as: UTF8.self))
        }
        return data
    }

    static func checkID(_ instance: ServiceInstance) -> String { "service:" + instance.id }

    static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }

    /// Consul takes Go duration strings ("15s", "1m").
    static func goDuration(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
    }

    // MARK: - Consul JSON shapes (field names as Consul spells them)

    struct RegisterBody: Encodable {
        struct Check: Encodable { let CheckID: String; let TTL: String; let DeregisterCriticalServiceAfter: String }
        let ID: String; let Name: String; let Address: String; let Port: Int
        let Tags: [String]; let Meta: [String: String]; let Check: Check
    }

    struct HealthEntry: Decodable {
        struct Node: Decodable { let Address: String? }
        struct Service: Decodable {
            let ID: String; let Service: String; let Address: String; let Port: Int
            let Tags: [String]?; let Meta: [String: String]?
        }
        let Node: Node?
        let Service: Service
    }
}
