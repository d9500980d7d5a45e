import Messaging

/// Builds the configured backend.
public enum DiscoveryFactory {
    /// `connection`: the process's existing NATS connection, reused by the NATS backend; when nil, the
    /// backend connects to `natsURL` itself (and keeps that connection for its lifetime).
    public static func make(_ config: DiscoveryConfiguration, connection: NatsConnection? = nil,
                            apiTimeout: Duration = .seconds(5)) async throws(DiscoveryError) -> any Discovery {
        try config.validate()
        switch config.backend {
        case .consul:
            // validate() guarantees the address.
            return try ConsulDiscovery(address: config.consulAddress ?? "", token: config.consulToken)
        case .nats:
            let nc: NatsConnection
            if let connection {
                nc = connection
            } else {
                do throws(MessagingError) {
                    nc = try await NatsConnection.connect(NatsOptions(servers: config.natsServers, name: "discovery"))
                } catch { throw DiscoveryError(error) }
            }
            return try await NatsDiscovery.open(connection: nc, apiTimeout: apiTimeout, bucket: config.bucket, maxAge: config.maxAge)
        }
    }
}
