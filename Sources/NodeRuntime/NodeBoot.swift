import ClientKit
import Discovery
import Foundation
import Messaging
import Protocols
import Storage

/// Opens everything a node needs from its configuration, with one error per failure; registers with
/// discovery once ready; on SIGTERM deregisters, drains its sessions and exits 0.
public enum NodeBoot {
    static func openStore(_ config: NodeConfig) throws(ClusterError) -> NodeStore {
        do { return try NodeStore.open(directory: config.dbPath, passphraseFile: config.passphraseFile,
                                       kdf: config.kdf == "moderate" ? .moderate : .interactive) }
        catch { throw ClusterError(error == .wrongPassphrase ? "wrong_passphrase" : "storage_error", error.description) }
    }

    /// `mpc-node --config FILE --drop-presignatures`: deletes every presignature in the node's store and returns how
    /// many, without starting the node. For a store restored from a backup (SECURITY-CHECKLIST 17: a presignature in a
    /// backup may have been used since, and signing with it again reveals the key share). The coordinator drops pooled
    /// entries whose parts are gone (`presignature_unknown`) and presigns afresh.
    public static func dropPresignatures(configPath: String) async throws(ClusterError) -> (count: Int, store: String) {
        let config = try NodeConfig.load(path: configPath, environment: ProcessInfo.processInfo.environment)
        let store = try openStore(config)
        let dropped: Int
        do { dropped = try await store.dropAllPresignatures() } catch { await store.close(); throw ClusterError("storage_error", error.description) }
        await store.close()
        return (dropped, config.dbPath)
    }

    public static func run(configPath: String) async throws(ClusterError) -> Never {
        let environment = ProcessInfo.processInfo.environment
        let config = try NodeConfig.load(path: configPath, environment: environment)
        let manifest = try ClusterManifest.load(path: config.manifestPath)
        guard manifest.node(config.nodeId) != nil else { throw ClusterError("config_invalid", "nodeId: \(config.nodeId) is not in the manifest") }
        let identity: Identity
        do { identity = try Identity.load(from: config.identityFile) }
        catch { throw ClusterError("config_invalid", "identityFile: \(error.code)") }
        guard identity.id == config.nodeId, identity.publicIdentity == manifest.node(config.nodeId) else {
            throw ClusterError("config_invalid", "identityFile: does not match the manifest entry for \(config.nodeId)")
        }
        let store = try openStore(config)
        let replay: ReplayCache
        do { replay = try await ReplayCache.open(besides: store, storeDirectory: config.dbPath, now: Clock.nowMillis()) }
        catch { throw ClusterError("storage_error", "replay cache: \(error.description)") }
        let connection = try await ClusterServices.connect(config.natsURL, name: config.nodeId)
        let ctx = try NodeContext(config: config, identity: identity, manifest: manifest, store: store, replayCache: replay,
                                  connection: connection)
        if replay.wiped { ctx.log.warn("replay cache from another boot discarded; envelopes older than \(replay.fence) refused") }
        let service = NodeService(context: ctx)
        try await service.start()
        // Ready only once the server has the subscriptions (a flush is a round trip after them).
        do { try await connection.flush(timeout: .seconds(5)) } catch { throw ClusterError("transport_error", "flush: \(error)") }
        let discovery = try await ClusterServices.open(try config.discoveryConfiguration(environment: environment), connection: connection)
        let registration = DiscoveryRegistration(discovery: discovery, instance: ServiceInstance(id: config.nodeId, service: ClusterServices.node,
                                                                                                   address: "", port: 0),
                                                 ttl: config.ttl, connection: connection, log: ctx.log)
        try await registration.start()
        ctx.log.info("registered with \(type(of: discovery)) (ttl \(config.ttl))")
        await Shutdown.wait()
        ctx.log.info("SIGTERM: deregistering, refusing new sessions, \(await service.runningSessions()) running")
        await registration.stop()
        let aborted = await service.drain(grace: config.shutdownGrace)
        ctx.log.info(aborted == 0 ? "every session finished" : "aborted \(aborted) sessions after \(config.shutdownGrace)")
        await service.stop()
        try? await connection.drain(timeout: .seconds(2))
        await replay.close()
        await store.close()
        exit(0)
    }

}
