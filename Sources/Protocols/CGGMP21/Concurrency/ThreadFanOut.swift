#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Runs `body(i)` for i in 0..<count on the calling thread plus up to `workers − 1` threads it creates, and
/// returns when all are done (`pthread_join` orders every write of the workers before the caller's reads).
///
/// Why not `DispatchQueue.concurrentPerform`: on Linux, Swift's cooperative executor runs on libdispatch's
/// global worker pool (one thread per core). A proof that kept those workers busy for 100 ms held up every
/// async task of the process behind it: a node's signing handler waited for a background presign. Threads of
/// our own leave that pool to the tasks, and a new thread inherits its creator's CPU priority, so background
/// work started on a low-priority thread (`Offload` in the node) stays low-priority in every piece.
enum ThreadFanOut {
    /// Cores online (at least 1).
    static let cores: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    static func run(_ count: Int, workers: Int = cores, _ body: (Int) -> Void) {
        let n = min(count, max(1, workers))
        guard n > 1 else { for i in 0..<count { body(i) }; return }
        withoutActuallyEscaping(body) { escaping in
            // Each thread takes the next index until none is left (pieces of one step may differ in size).
            let next = Counter()
            let share = {
                while true {
                    let i = next.value.add(1, ordering: .relaxed).oldValue
                    if i >= count { return }
                    escaping(i)
                }
            }
            var threads: [pthread_t] = []
            for _ in 1..<n {
                let context = Unmanaged.passRetained(Job(share)).toOpaque()
                var t = pthread_t()
                if pthread_create(&t, nil, { raw in
                    Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue().work()
                    return nil
                }, context) == 0 {
                    threads.append(t)
                } else {
                    Unmanaged<Job>.fromOpaque(context).release()   // no thread: the others take its share
                }
            }
            share()
            for t in threads { pthread_join(t, nil) }
        }
    }

    private final class Counter: Sendable { let value = Atomic<Int>(0) }

    /// A worker's loop, handed to `pthread_create` (it does not outlive `run`, which joins every thread first).
    private final class Job: @unchecked Sendable {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }
}
