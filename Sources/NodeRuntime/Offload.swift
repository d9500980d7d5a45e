import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs long CPU work (Paillier, zero-knowledge proofs, safe primes) on threads of its own. Not on Swift's
/// cooperative pool, and not on libdispatch's global queues either: on Linux the cooperative executor runs on
/// libdispatch's worker pool (one thread per core), so a presign proof there held up a node's signing handler
/// for 100 ms and more. The protocol's own fan-out (`CGGMPConcurrent`) creates its threads from the calling
/// one, so they inherit its CPU priority.
enum Offload {
    /// Work a request waits for (aux info loading and checks): normal priority.
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await onThread(nice: 0, work)
    }

    /// Background work at the lowest CPU priority (nice 19): presign rounds, which fill the presignature pool
    /// (a signing request preempts them instead of queueing behind them; with nothing else to run they go at full
    /// speed, also when a sign waits for one), and minutes-long safe-prime generation.
    static func runNiced<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await onThread(nice: 19, work)
    }

    /// `work` on a new thread whose nice value is `nice` (Linux: per thread; `who` = 0 is the calling thread;
    /// a new thread starts with its creator's, 0 for the node's threads).
    private static func onThread<T: Sendable>(nice: Int32, _ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { c in
            let t = Thread {
                #if canImport(Glibc)
                if nice != 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice) }
                #endif
                c.resume(returning: work())
            }
            t.start()
        }
    }
}

/// A mutable slot for a non-copyable protocol state handed to `Offload` (one owner at a time: the session's actor).
final class StateBox<T: ~Copyable & Sendable>: @unchecked Sendable {
    var value: T?
    init() { value = nil }
}
