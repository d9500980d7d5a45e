import ClientKit
import Foundation
import Storage

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

    /// The ids of the wallets on `curve`, sorted.
    func ids(curve: Curve) -> [String] { wallets.filter { $0.value.curve == curve }.keys.sorted() }

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

/// Results by request id, so that a repeated request id returns the first result and never signs twice, also
/// across coordinator restarts: the durable, group-committed `RequestLog`, plus the one-file-per-request layout
/// of older coordinators (`results/<id>.bin`, `<id>.claim`), still read so that nothing they recorded is forgotten.
struct ResultStore: Sendable {
    let log: RequestLog
    let legacyDir: String

    init(log: RequestLog, dataDir: String) {
        self.log = log
        legacyDir = (dataDir as NSString).appendingPathComponent("results")
    }

    private func legacy(_ id: String, _ suffix: String) -> String { (legacyDir as NSString).appendingPathComponent(id + suffix) }

    func result(_ id: String) async -> [UInt8]? {
        if let r = await log.result(id) { return r }
        return FileManager.default.contents(atPath: legacy(id, ".bin")).map { Array($0) }
    }

    /// Claims the request id before any work (its commit runs alongside the work; see `durable`): a request
    /// that was running when the coordinator stopped is never run again (it may have signed), it answers
    /// `request_interrupted`.
    func begin(_ id: String) async -> RequestLog.Claim {
        if FileManager.default.fileExists(atPath: legacy(id, ".claim")) { return .interrupted }
        return await log.begin(id)
    }

    /// Waits for the claim's commit; nothing the request produced is released before it says `.claimed`.
    func durable(_ id: String) async -> RequestLog.Claim { await log.durable(id) }

    func finish(_ id: String, _ bytes: [UInt8]) async { await log.finish(id, bytes) }

    /// Requests claimed so far, in the log and in the older layout.
    func claimedCount() async -> Int {
        let legacy = ((try? FileManager.default.contentsOfDirectory(atPath: legacyDir)) ?? []).filter { $0.hasSuffix(".claim") }.count
        return await log.claimedCount() + legacy
    }
}
