import ClientKit
import Foundation

/// Wallets the coordinator has created (public data only), persisted as one JSON file.
public struct WalletEntry: Codable, Sendable, Equatable {
    public var curve: Curve
    public var publicKeyPackage: String
    public var groupPublicKey: String
    /// Set by resharing (nil: generation 0, the manifest's threshold and nodes; see `WalletHolders`).
    public var generation: UInt64? = nil
    public var threshold: Int? = nil
    public var members: [String]? = nil
}

actor WalletRegistry {
    let path: String
    private var wallets: [String: WalletEntry]

    init(dataDir: String) {
        path = (dataDir as NSString).appendingPathComponent("wallets.json")
        wallets = (try? JSONFile.read(path) as [String: WalletEntry]) ?? [:]
    }

    private var creating: Set<String> = []

    func get(_ id: String) -> WalletEntry? { wallets[id] }

    /// Reserves a new wallet id for one keygen at a time; false if it exists or is being created.
    func reserve(_ id: String) -> Bool {
        guard wallets[id] == nil, !creating.contains(id) else { return false }
        creating.insert(id)
        return true
    }

    func release(_ id: String) { creating.remove(id) }

    private var resharing: Set<String> = []

    /// One resharing per wallet at a time; false if one runs.
    func beginReshare(_ id: String) -> Bool { resharing.insert(id).inserted }
    func endReshare(_ id: String) { resharing.remove(id) }

    func put(_ id: String, _ entry: WalletEntry) throws(ClusterError) {
        wallets[id] = entry
        creating.remove(id)
        try JSONFile.write(wallets, to: path)
    }
}

/// Results by request id, persisted (one file each) so that a repeated request id returns the first
/// result and never signs twice, also across coordinator restarts.
actor ResultStore {
    let dir: String
    private var inFlight: Set<String> = []

    init(dataDir: String) {
        dir = (dataDir as NSString).appendingPathComponent("results")
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    private func file(_ id: String) -> String { (dir as NSString).appendingPathComponent(id + ".bin") }

    func result(_ id: String) -> [UInt8]? { FileManager.default.contents(atPath: file(id)).map { Array($0) } }

    private func claimFile(_ id: String) -> String { (dir as NSString).appendingPathComponent(id + ".claim") }

    enum Claim { case claimed, running, interrupted }

    /// Claims the request id durably before any work: a request that was running when the coordinator
    /// stopped is never run again (it may have signed), it answers `request_interrupted`.
    func claim(_ id: String) -> Claim {
        if inFlight.contains(id) { return .running }
        if FileManager.default.fileExists(atPath: claimFile(id)) { return .interrupted }
        guard FileManager.default.createFile(atPath: claimFile(id), contents: nil) else { return .interrupted }
        inFlight.insert(id)
        return .claimed
    }

    func isRunning(_ id: String) -> Bool { inFlight.contains(id) }

    func finish(_ id: String, _ bytes: [UInt8]) {
        _ = FileManager.default.createFile(atPath: file(id), contents: Data(bytes))
        inFlight.remove(id)
    }
}
