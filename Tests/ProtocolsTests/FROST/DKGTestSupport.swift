import Foundation
import Testing
@testable import Protocols

/// The three suites, for tests that run once per suite.
enum KeyGenSuite: String, CaseIterable, CustomStringConvertible, Sendable {
    case ed25519, secp256k1, taproot
    var description: String { rawValue }
}

/// Holds one non-copyable value so that collections of them can exist in tests.
final class DKGSlot<T: ~Copyable> {
    var value: T?
    init(_ v: consuming T) { value = consume v }
    func take() -> T? { value.take() }
}

typealias DKGInbox1<C: FROSTCiphersuite> = [(from: ParticipantID, package: DKGRound1Package<C>)]
typealias DKGInbox2<C: FROSTCiphersuite> = [(from: ParticipantID, package: DKGRound2Package<C>)]

/// An in-process n-party DKG. The inbox hooks let a test play a cheating or faulty network: they see
/// (recipient, what it would receive) and return what it receives instead.
struct DKGSimulation<C: FROSTCiphersuite> {
    var round1Inbox: (ParticipantID, DKGInbox1<C>) -> DKGInbox1<C> = { $1 }
    var round2Inbox: (ParticipantID, DKGInbox2<C>) -> DKGInbox2<C> = { $1 }

    /// Per participant: its output, or the error its round 2 or final step raised.
    var sessionID: [UInt8] = []

    func run(n: Int, t: Int, seed: UInt64) throws -> [ParticipantID: Result<DKGOutput<C>, FROSTError>] {
        let params = try KeyGenParameters(count: n, threshold: t, sessionID: sessionID)
        var rng = SeededRandom(seed: seed)
        var states1: [ParticipantID: DKGSlot<DKGRound1State<C>>] = [:]
        var round1: [ParticipantID: DKGRound1Package<C>] = [:]
        for id in params.participants {
            let step = try DKG<C>.round1(identifier: id, parameters: params, using: &rng)
            round1[id] = step.package
            states1[id] = DKGSlot(step.state)
        }
        var results: [ParticipantID: Result<DKGOutput<C>, FROSTError>] = [:]
        var states2: [ParticipantID: DKGSlot<DKGRound2State<C>>] = [:]
        var sent: [ParticipantID: [ParticipantID: DKGRound2Package<C>]] = [:]   // sender -> recipient -> package
        for id in params.participants {
            let inbox: DKGInbox1<C> = params.participants.filter { $0 != id }.compactMap { from in
                round1[from].map { (from: from, package: $0) }
            }
            guard let state = states1[id]?.take() else { continue }
            do {
                let step = try state.round2(round1Inbox(id, inbox))
                sent[id] = step.packages
                states2[id] = DKGSlot(step.state)
            } catch { results[id] = .failure(error) }
        }
        for id in params.participants where results[id] == nil {
            let inbox: DKGInbox2<C> = params.participants.filter { $0 != id }.compactMap { from in
                sent[from]?[id].map { (from: from, package: $0) }
            }
            guard let state = states2[id]?.take() else { continue }
            do { results[id] = .success(try state.finalize(round2Inbox(id, inbox))) } catch { results[id] = .failure(error) }
        }
        return results
    }
}

extension Result where Failure == FROSTError {
    var dkgError: FROSTError? { if case .failure(let e) = self { return e } else { return nil } }
    var dkgOutput: Success? { if case .success(let v) = self { return v } else { return nil } }
}

enum DKGVectorFiles {
    /// <repo root>/../shared/vectors (the CI layout), else $MPC_SHARED_DIR/vectors, else /work/shared/vectors.
    static func directory(filePath: String = #filePath) -> String {
        var root = URL(fileURLWithPath: filePath)
        for _ in 0..<4 { root.deleteLastPathComponent() }   // FROST/, ProtocolsTests/, Tests/, file
        let candidates = [root.appendingPathComponent("../shared/vectors").standardized.path,
                          ProcessInfo.processInfo.environment["MPC_SHARED_DIR"].map { $0 + "/vectors" },
                          "/work/shared/vectors"].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
    }

    static func load(_ name: String) throws -> [UInt8] {
        let path = directory() + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else {
            Issue.record("missing vector file \(path)")
            throw CocoaError(.fileNoSuchFile)
        }
        return [UInt8](data)
    }
}

