import ClientKit
import Discovery
import Foundation
import Messaging
import Protocols
import Storage

/// Opens everything the coordinator needs from its configuration: its identity, its LMDB store and the client
/// requests' replay cache beside it (`ReplayCache`, which survives restarts), NATS, discovery.
public enum CoordinatorBoot {
    public static func run(configPath: String, waitForShutdown: @Sendable () async -> Void) async throws(ClusterError) {
        let environment = ProcessInfo.processInfo.environment
        let config = try CoordinatorConfig.load(path: configPath, environment: environment)
        let manifest = try ClusterManifest.load(path: config.manifestPath)
        if let t = config.threshold, t != manifest.threshold {
            throw ClusterError("config_invalid", "threshold: \(t) differs from the manifest's \(manifest.threshold)")
        }
        let identity: Identity
        do { identity = try Identity.load(from: config.identityFile) }
        catch { throw ClusterError("config_invalid", "identityFile: \(error.code)") }
        guard identity.publicIdentity == manifest.coordinator else {
            throw ClusterError("config_invalid", "identityFile: does not match the manifest's coordinator")
        }
        try? FileManager.default.createDirectory(atPath: config.dataDir, withIntermediateDirectories: true)
        let store: NodeStore
        do { store = try NodeStore.open(directory: config.storePath, passphraseFile: config.passphraseFile,
                                        kdf: config.kdf == "moderate" ? .moderate : .interactive) }
        catch { throw ClusterError(error == .wrongPassphrase ? "wrong_passphrase" : "storage_error", error.description) }
        let replay: ReplayCache
        do { replay = try await ReplayCache.open(besides: store, storeDirectory: config.storePath, now: Clock.nowMillis()) }
        catch { throw ClusterError("storage_error", "replay cache: \(error.description)") }
        let connection = try await ClusterServices.connect(config.natsURL, name: "coordinator")
        let js: JetStream
        do { js = try JetStream(connection: connection) }
        catch { throw ClusterError("transport_error", "jetstream: \(error)") }
        let discoveryConfig = try config.discoveryConfiguration(environment: environment)
        let discovery = try await ClusterServices.open(discoveryConfig, connection: connection)
        let clientReplay = TimestampedReplayGuard { await replay.recordFirstUse(sender: $0, nonce: $1, timestamp: $2, expiresAt: $3) }
        let ctx = CoordinatorContext(config: config, identity: identity, manifest: manifest, connection: connection, jetStream: js,
                                     clientReplay: clientReplay, discovery: discovery, discoveryName: discoveryConfig.backend.rawValue)
        let requests: RequestLog
        do { requests = try RequestLog(directory: config.storePath + "/requests") }
        catch { throw ClusterError("storage_error", "request log: \(error.description)") }
        let service = CoordinatorService(context: ctx, requests: requests)
        try await service.start()
        let registration = DiscoveryRegistration(discovery: discovery, instance: ServiceInstance(id: identity.id, service: ClusterServices.coordinator,
                                                                                                   address: "", port: 0),
                                                 ttl: .seconds(6), connection: connection, log: ctx.log)
        try await registration.start()
        let pruning = Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(600))
                _ = try? await replay.prune(now: Clock.nowMillis())
            }
        }
        await waitForShutdown()
        ctx.log.info("shutting down")
        pruning.cancel()
        await registration.stop()
        await service.stop()
        try? await connection.drain(timeout: .seconds(2))
        await requests.close()
        await replay.close()
        await store.close()
    }
}
