import ClientKit
import Foundation
import Messaging
import Protocols

/// Opens everything the coordinator needs from its configuration.
public enum CoordinatorBoot {
    public static func run(configPath: String, waitForShutdown: @Sendable () async -> Void) async throws(ClusterError) {
        let config = try CoordinatorConfig.load(path: configPath)
        let manifest = try ClusterManifest.load(path: config.manifestPath)
        let identity: Identity
        do { identity = try Identity.load(from: config.identityFile) }
        catch { throw ClusterError("config_invalid", "identityFile: \(error.code)") }
        guard identity.publicIdentity == manifest.coordinator else {
            throw ClusterError("config_invalid", "identityFile: does not match the manifest's coordinator")
        }
        try? FileManager.default.createDirectory(atPath: config.dataDir, withIntermediateDirectories: true)
        let connection: NatsConnection
        let js: JetStream
        do {
            connection = try await NatsConnection.connect(NatsOptions(servers: [config.natsURL], name: "coordinator", maxReconnect: -1,
                                                                      reconnectWait: .milliseconds(500), retryOnFailedConnect: true))
            js = try JetStream(connection: connection)
        } catch { throw ClusterError("transport_error", "connect \(config.natsURL): \(error)") }
        let ctx = CoordinatorContext(config: config, identity: identity, manifest: manifest, connection: connection, jetStream: js,
                                     clientReplay: InMemoryReplayGuard())
        let service = CoordinatorService(context: ctx)
        try await service.start()
        await waitForShutdown()
        ctx.log.info("shutting down")
        await service.stop()
        try? await connection.drain(timeout: .seconds(2))
    }
}
