import ClientKit
import Foundation
import Messaging
import Protocols
import Storage

/// Opens everything a node needs from its configuration, with one error per failure.
public enum NodeBoot {
    public static func run(configPath: String) async throws(ClusterError) -> Never {
        let config = try NodeConfig.load(path: configPath)
        let manifest = try ClusterManifest.load(path: config.manifestPath)
        guard manifest.node(config.nodeId) != nil else { throw ClusterError("config_invalid", "nodeId: \(config.nodeId) is not in the manifest") }
        let identity: Identity
        do { identity = try Identity.load(from: config.identityFile) }
        catch { throw ClusterError("config_invalid", "identityFile: \(error.code)") }
        guard identity.id == config.nodeId, identity.publicIdentity == manifest.node(config.nodeId) else {
            throw ClusterError("config_invalid", "identityFile: does not match the manifest entry for \(config.nodeId)")
        }
        let store: NodeStore
        do {
            let pass = try PassphraseSource.file(path: config.passphraseFile).read()
            try? FileManager.default.createDirectory(atPath: config.dbPath, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
            store = try NodeStore(directory: config.dbPath, passphrase: pass,
                                  options: .init(kdf: config.kdf == "moderate" ? .moderate : .interactive))
        } catch {
            throw ClusterError(error == .wrongPassphrase ? "wrong_passphrase" : "storage_error", error.description)
        }
        _ = try? await store.pruneReplay(now: Clock.nowMillis())
        let connection: NatsConnection
        do {
            connection = try await NatsConnection.connect(NatsOptions(servers: [config.natsURL], name: config.nodeId, maxReconnect: -1,
                                                                      reconnectWait: .milliseconds(500), retryOnFailedConnect: true))
        } catch { throw ClusterError("transport_error", "connect \(config.natsURL): \(error)") }
        let ctx = try NodeContext(config: config, identity: identity, manifest: manifest, store: store, connection: connection)
        let service = NodeService(context: ctx)
        try await service.start()
        await Shutdown.wait()
        ctx.log.info("SIGTERM: shutting down")
        await service.stop()
        try? await connection.drain(timeout: .seconds(2))
        await store.close()
        exit(0)
    }
}

