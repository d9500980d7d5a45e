// Module Discovery: health registration and lookup of nodes and the coordinator.
//
//   Discovery / ServiceInstance / DiscoveryError   the protocol every backend implements (ServiceInstance.swift).
//   NatsDiscovery            JetStream KV bucket `mpc-discovery` (default backend: needs only nats-server -js).
//                            register/heartbeat = put `<service>.<id>`, deregister = delete, healthy = written
//                            within the instance's TTL; membershipChanges(of:) streams joins and leaves.
//   ConsulDiscovery          Consul agent HTTP API with TTL checks (when CONSUL_ADDRESS / consul.address is set).
//   DiscoveryConfiguration   backend choice and settings from config-file keys and environment variables;
//                            validation errors name the key or variable.
//   DiscoveryFactory         `make(config, connection:)` → `any Discovery`.
//   DiscoveryError codes     DISCOVERY_UNREACHABLE, DISCOVERY_REJECTED, DISCOVERY_MALFORMED_RESPONSE,
//                            DISCOVERY_INVALID_CONFIGURATION (NATS errors mapped in DiscoveryErrorMapping.swift).
