import Foundation
import Synchronization

/// A long-lived thread for blocking disk work: durable LMDB commits and fsync'd files (1-3 ms each here).
/// Swift's cooperative pool has one thread per core (two on this machine); an fdatasync on it leaves every other
/// task of the process one thread, or none. The caller awaits the work instead, and the pool keeps both threads.
/// Jobs run one at a time in submission order, so writes of one owner land in the order they were made.
public final class DiskThread: Sendable {
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)

    public init(name: String) {
        let thread = Thread { [self] in
            while true {
                wake.wait()
                let job = jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                job?()
                if job == nil, stopped.load(ordering: .acquiring) { return }
            }
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Runs `body` on the disk thread and returns its result.
    public func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { c in
            submit { c.resume(returning: Result { () throws(E) -> T in try body() }) }
        }
        return try result.get()
    }

    /// Ends the thread once the jobs queued before are done.
    public func stop() {
        stopped.store(true, ordering: .releasing)
        wake.signal()
    }

    /// Queues `job` without waiting for it.
    public func submit(_ job: @escaping @Sendable () -> Void) {
        jobs.withLock { $0.append(job) }
        wake.signal()
    }
}
