import Foundation

/// Runs long CPU work (Paillier, zero-knowledge proofs, safe primes) on dispatch threads instead of Swift's
/// cooperative pool: on a 2-core machine two proofs on the pool would stall every other task of the node
/// (health answers, envelope handling) for seconds.
enum Offload {
    static let queue = DispatchQueue(label: "mpc.node.compute", qos: .userInitiated, attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { c in queue.async { c.resume(returning: work()) } }
    }
}

/// A mutable slot for a non-copyable protocol state handed to `Offload` (one owner at a time: the session's actor).
final class StateBox<T: ~Copyable & Sendable>: @unchecked Sendable {
    var value: T?
    init() { value = nil }
}
