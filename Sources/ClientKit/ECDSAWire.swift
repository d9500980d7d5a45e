import Foundation
import Messaging
import Protocols

/// Coordinator -> node requests of threshold ECDSA (CGGMP21) wallets, on `ECDSASubjects.node(id)` (signed
/// envelope type `sessionPlan`; the reply is a node-signed `NodeReplyBody`).
public struct ECDSANodeRequest: Codable, Sendable, Equatable {
    /// `retire`: delete the presignatures named in `retire` (the coordinator will never hand them out: e.g. the
    /// entries a restarted coordinator dropped), so that no unusable secret material stays at rest.
    public enum Op: String, Codable, Sendable, CaseIterable { case presign, sign, retire }
    public var op: Op
    public var walletId: String
    /// 16 random bytes (hex) naming the presignature; also the presign session id.
    public var presignId: String
    /// Node ids of the signer set, ascending.
    public var signers: [String]
    /// Sign only: the 32-byte digest (hex) and the client's signed request that authorizes it (hex).
    public var digest: String?
    public var clientRequest: String?
    /// Sign only: presignature ids (hex) the coordinator will hand out next for this signer set; each signer
    /// takes them out of its store ahead of use (`ArmedPresignatures`), so the next signs touch no disk.
    public var armNext: [String]?
    /// Retire only: presignature ids (hex) of the wallet to delete.
    public var retire: [String]?
    public init(op: Op, walletId: String, presignId: String, signers: [String], digest: String? = nil, clientRequest: String? = nil,
                armNext: [String]? = nil, retire: [String]? = nil) {
        self.op = op; self.walletId = walletId; self.presignId = presignId; self.signers = signers
        self.digest = digest; self.clientRequest = clientRequest; self.armNext = armNext; self.retire = retire
    }
}

/// Node -> coordinator when its part of a presign session ended (envelope type `result` on
/// `ECDSASubjects.presignResponse`).
public struct ECDSAPresignResult: Codable, Sendable, Equatable {
    public var presignId: String
    public var code: String?
    public var message: String?
    /// Signers this node's protocol run proved to have cheated (identifiable abort).
    public var culprits: [String]?
    /// The presignature's public part (R, Γ, Δ_j, S_j), hex of `CGGMPPresignaturePublic.encoded()`.
    public var publicData: String?
    public init(presignId: String, code: String? = nil, message: String? = nil, culprits: [String]? = nil, publicData: String? = nil) {
        self.presignId = presignId; self.code = code; self.message = message; self.culprits = culprits; self.publicData = publicData
    }
}

public enum ECDSASubjects {
    /// Coordinator -> node: presign plans and sign requests.
    public static func node(_ id: String) -> String { "mpc.node.\(id).ecdsa" }
    /// Node -> node: aux-info exchange (Π^prm of the asker, answered with Π^mod, Π^prm, Π^fac).
    public static func aux(_ id: String) -> String { "mpc.node.\(id).aux" }
    public static func presignResponse(_ s: SessionID) -> String { "mpc.presign.response.\(s.hex)" }
}

/// Payload tags on a presign session's subjects: start / abort from the coordinator (broadcast), and the
/// three rounds' sealed point-to-point messages.
public enum ECDSAPresignTag {
    public static let start: UInt8 = 0
    public static let abort: UInt8 = 3
    public static let round1: UInt8 = 11
    public static let round2: UInt8 = 12
    public static let round3: UInt8 = 13
    /// Identification after a failed δ or χ check (Fig. 7, Output, error step).
    public static let identify: UInt8 = 14
}
