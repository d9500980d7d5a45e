import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs long CPU work (Paillier, zero-knowledge proofs, safe primes) on dispatch threads instead of Swift's
/// cooperative pool: on a 2-core machine two proofs on the pool would stall every other task of the node
/// (health answers, envelope handling) for seconds.
enum Offload {
    static let queue = DispatchQueue(label: "mpc.node.compute", attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { c in queue.async { c.resume(returning: work()) } }
    }
}

/// A mutable slot for a non-copyable protocol state handed to `Offload` (one owner at a time: the session's actor).
final class StateBox<T: ~Copyable & Sendable>: @unchecked Sendable {
    var value: T?
    init() { value = nil }
}

extension Offload {
    /// Runs minutes-long background work (safe-prime generation) on its own thread at the lowest CPU priority
    /// (nice 19 for that thread only), so a node generating its aux info does not slow down anything else.
    static func runNiced<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { c in
            let t = Thread {
                #if canImport(Glibc)
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)   // Linux: who = 0 is the calling thread
                #endif
                c.resume(returning: work())
            }
            t.start()
        }
    }
}
