import Dispatch

/// Runs independent pieces of one protocol step on every core and returns their results in index
/// order. The protocol types stay pure: no I/O, no clocks, and randomness still comes from the
/// caller (each task gets a `ForkedRandom` drawn from it in index order before any task starts).
///
/// Why threads and not a task group: the round functions are synchronous (the nodes call them from
/// their own compute threads and the bench from a plain thread). Blocking a caller on child tasks of
/// Swift's cooperative pool could starve that pool (two threads on this machine) or deadlock it;
/// `ThreadFanOut` runs the iterations on the calling thread plus threads it creates (not libdispatch's
/// workers, which Swift's executor shares on Linux), at most one per core, and returns when all are
/// done (which orders every write of the workers before the caller's reads).
public enum CGGMPConcurrent {
    /// `body(i)` for i in 0..<count, concurrently; results in index order. Rethrows the error of the
    /// lowest failing index (every task still runs to completion, so which error is reported does
    /// not depend on scheduling).
    public static func map<T: Sendable, E: Error>(_ count: Int, _ body: @Sendable (Int) throws(E) -> T) throws(E) -> [T] {
        if count == 0 { return [] }
        if count == 1 { return [try body(0)] }
        let slots = Slots<Result<T, E>>(count)
        ThreadFanOut.run(count) { i in
            slots.set(i, Result { () throws(E) -> T in try body(i) })
        }
        var out = [T]()
        out.reserveCapacity(count)
        for r in slots.values() { out.append(try r.get()) }
        return out
    }

    /// As `map`, with a child random stream per task drawn from `rng` (in index order, before the
    /// tasks start: a seeded `rng` reproduces every task's draws).
    static func map<T: Sendable, E: Error, R: RandomSource>(_ count: Int, using rng: inout R,
                                                            _ body: @Sendable (Int, inout ForkedRandom) throws(E) -> T) throws(E) -> [T] {
        let children = (0..<count).map { _ in ForkedRandom(from: &rng) }
        return try map(count) { (i: Int) throws(E) -> T in
            var child = children[i]
            return try body(i, &child)
        }
    }
}

/// Write-once result slots, one per task index: each index is written by exactly one iteration and
/// read only after `ThreadFanOut.run` has returned, hence the unchecked Sendable.
private final class Slots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T?>

    init(_ count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    func set(_ i: Int, _ value: T) { buffer[i] = value }

    func values() -> [T] { buffer.compactMap { $0 } }
}
