import Foundation

/// A node's threshold ECDSA (CGGMP21) settings (the `ecdsa` object of its config file; all optional).
public struct ECDSANodeSettings: Codable, Sendable, Equatable {
    /// Paillier / ring-Pedersen modulus size: 2048 (the cluster default, for speed) or 3072.
    public var profileBits: Int?
    /// TESTS / DEVELOPMENT ONLY: a JSON file of pre-generated safe primes (the format of
    /// Tests/ProtocolsTests/Fixtures/safe-primes.json: `bits1024` / `bits1536` hex lists). When the node's store
    /// has no aux material yet, the node takes primes 2i and 2i+1 (i = `auxPrimesIndex`) instead of
    /// generating safe primes, and seals them in its store. Written by `mpc cluster init --aux-primes FILE`.
    public var auxPrimesFile: String?
    public var auxPrimesIndex: Int?
    /// TESTS ONLY: wait this long after a presignature was consumed (deleted from the store) before the
    /// signature share is computed, so a test can kill the node in between.
    public var testPauseAfterConsumeMillis: Int?
    /// TESTS ONLY: make this node cheat in presigning: it announces δ_i + 1 in round 3 (and, to take part in
    /// identification like a cheater that wants to look honest, adds 1 to one δ_j it receives). The honest
    /// signers' identification must name it.
    public var testCheatPresignDelta: Bool?
    /// TESTS ONLY: make this node cheat in presigning: it announces S_i + G in round 3 (δ stays right, so the χ
    /// check fails; it also adds G to one S_j it receives, to take part in identification). The honest signers'
    /// identification must name it.
    public var testCheatPresignChi: Bool?
    /// TESTS ONLY: with one of the two cheats above, lie only in the round-3 message to the first other signer and
    /// leave what the node receives alone: the other signers' checks pass and they store a presignature the
    /// coordinator never pools (it must retire it).
    public var testCheatPresignFirstPeerOnly: Bool?
    /// TESTS ONLY: wait this long after start before loading the aux material from the store or the primes file,
    /// so a test can send a keygen while the load is under way (it must wait for the load, not be refused).
    public var testAuxLoadDelayMillis: Int?

    public init(profileBits: Int? = nil, auxPrimesFile: String? = nil, auxPrimesIndex: Int? = nil,
                testPauseAfterConsumeMillis: Int? = nil) {
        self.profileBits = profileBits; self.auxPrimesFile = auxPrimesFile; self.auxPrimesIndex = auxPrimesIndex
        self.testPauseAfterConsumeMillis = testPauseAfterConsumeMillis
    }

    public func validate() throws(ClusterError) {
        if let b = profileBits, b != 2048, b != 3072 { throw ClusterError("config_invalid", "ecdsa.profileBits: 2048 or 3072") }
        if let i = auxPrimesIndex, !(0...127).contains(i) { throw ClusterError("config_invalid", "ecdsa.auxPrimesIndex: must be in 0...127") }
        if let p = testPauseAfterConsumeMillis, !(0...600_000).contains(p) {
            throw ClusterError("config_invalid", "ecdsa.testPauseAfterConsumeMillis: must be in 0...600000")
        }
        if let p = testAuxLoadDelayMillis, !(0...600_000).contains(p) {
            throw ClusterError("config_invalid", "ecdsa.testAuxLoadDelayMillis: must be in 0...600000")
        }
    }
}

/// The primes file `auxPrimesFile` points to (tests / development only).
public struct AuxPrimesFile: Codable, Sendable {
    public var bits1024: [String]
    public var bits1536: [String]
}

extension ClusterLayout {
    /// TESTS / DEVELOPMENT ONLY: points every node's config at `file` (node i takes pair i−1), so that nodes
    /// import pre-generated safe primes instead of generating them (see `ECDSANodeSettings.auxPrimesFile`).
    public func importAuxPrimes(file: String) throws(ClusterError) {
        let path = (file as NSString).standardizingPath
        let primes: AuxPrimesFile = try JSONFile.read(path)
        let m = try ClusterManifest.load(path: manifest)
        guard primes.bits1024.count >= 2 * m.nodes.count else {
            throw ClusterError("invalid_argument", "aux primes: \(primes.bits1024.count) 1024-bit primes for \(m.nodes.count) nodes (2 each)")
        }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        for (i, node) in m.nodes.enumerated() {
            var nc = try NodeConfig.read(nodeConfig(node.id))
            var e = nc.ecdsa ?? ECDSANodeSettings()
            e.auxPrimesFile = absolute
            e.auxPrimesIndex = i
            nc.ecdsa = e
            try ConfigFile.write(nc, to: nodeConfig(node.id))
        }
    }
}
