import Foundation
import Messaging
import Protocols

/// Resharing on the wire (JSON inside signed envelopes; see CLUSTER.md "Resharing").

/// Client -> coordinator on `mpc.reshare.request`, envelope type `reshareRequest`; session id = request id.
/// The new committee (`members`, node ids of the manifest) and its threshold; the key stays the same.
public struct ReshareRequestBody: Codable, Sendable, Equatable {
    public var walletId: String
    public var threshold: Int
    public var members: [String]
    public init(walletId: String, threshold: Int, members: [String]) {
        self.walletId = walletId; self.threshold = threshold; self.members = members
    }
}

/// The two phases the coordinator drives on `mpc.node.<id>.reshare`: `prepare` runs the protocol and leaves
/// each new member with the new generation stored next to the old one; `commit` (every new member stored it)
/// makes it current and deletes the old generation (removed members delete the wallet); `abort` drops the
/// uncommitted generation.
public enum ReshareStep: String, Codable, Sendable { case prepare, commit, abort }

/// Coordinator -> node, envelope type `sessionPlan`, NATS request on `ClusterSubjects.nodeReshare(node)`.
public struct ResharePlanBody: Codable, Sendable, Equatable {
    public var step: ReshareStep
    public var walletId: String
    public var curve: Curve
    /// Old holders that deal (at least the old threshold of them), node ids in manifest order.
    public var dealers: [String]
    /// The new committee and its threshold (as the client asked).
    public var members: [String]
    public var threshold: Int
    /// The generation being created (the current one + 1).
    public var generation: UInt64
    /// The current public key package (hex): what the dealers hold shares of.
    public var oldPublicKeyPackage: String
    /// Commit only: the new public key package every new member reported (hex).
    public var publicKeyPackage: String?
    /// Every node that held the wallet before (commit: those not in `members` delete it).
    public var oldMembers: [String]
    /// The client's signed reshare request (hex); every node checks it authorizes this plan.
    public var clientRequest: String

    public init(step: ReshareStep, walletId: String, curve: Curve, dealers: [String], members: [String], threshold: Int,
                generation: UInt64, oldPublicKeyPackage: String, publicKeyPackage: String? = nil, oldMembers: [String],
                clientRequest: String) {
        self.step = step; self.walletId = walletId; self.curve = curve; self.dealers = dealers; self.members = members
        self.threshold = threshold; self.generation = generation; self.oldPublicKeyPackage = oldPublicKeyPackage
        self.publicKeyPackage = publicKeyPackage; self.oldMembers = oldMembers; self.clientRequest = clientRequest
    }
}

/// Node -> coordinator when its part of `prepare` finished (envelope type `result`, on
/// `ClusterSubjects.reshareResponse`). A new member reports the new public key package it stored the new
/// generation under; a dealer that is not a new member reports `dealt`.
public struct ReshareResultBody: Codable, Sendable, Equatable {
    public var walletId: String
    public var generation: UInt64
    public var code: String?
    public var message: String?
    public var publicKeyPackage: String?
    public var groupPublicKey: String?
    public var dealt: Bool?
    public init(walletId: String, generation: UInt64, code: String? = nil, message: String? = nil,
                publicKeyPackage: String? = nil, groupPublicKey: String? = nil, dealt: Bool? = nil) {
        self.walletId = walletId; self.generation = generation; self.code = code; self.message = message
        self.publicKeyPackage = publicKeyPackage; self.groupPublicKey = groupPublicKey; self.dealt = dealt
    }
}

extension ClusterSubjects {
    /// Reshare plans (prepare / commit / abort) for one node.
    public static func nodeReshare(_ node: String) -> String { "mpc.node.\(node).reshare" }
    public static func reshareResponse(_ s: SessionID) -> String { "mpc.reshare.response.\(s.hex)" }
}

/// Which nodes hold a wallet and how many must sign: the manifest's for a wallet never reshared, else what
/// its last resharing set. Shared by the coordinator's registry entry and the node's wallet record.
public enum WalletHolders {
    public static func members(_ stored: [String]?, manifest: ClusterManifest) -> [String] {
        stored ?? manifest.nodes.map(\.id)
    }
    public static func threshold(_ stored: Int?, manifest: ClusterManifest) -> Int { stored ?? manifest.threshold }
}

extension ClusterClient {
    /// Reshares `walletId` to `members` with threshold `threshold` (same public key).
    public func reshare(walletId: String, threshold: Int, members: [String]) async throws(ClusterError) -> ClientResultBody {
        let body = ReshareRequestBody(walletId: walletId, threshold: threshold, members: members)
        let (_, bytes) = try makeRequest(.reshareRequest, payload: WireBody.encode(body))
        return try await send(subject: Subjects.reshareRequest, bytes: bytes, timeout: .seconds(180))
    }
}
