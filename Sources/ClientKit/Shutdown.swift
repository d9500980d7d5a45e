import Foundation
import Synchronization

/// Waits for SIGTERM or SIGINT.
public enum Shutdown {
    public static func wait() async {
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        await withCheckedContinuation { (k: CheckedContinuation<Void, Never>) in
            let once = OnceFlag()
            let sources = [SIGTERM, SIGINT].map { DispatchSource.makeSignalSource(signal: $0, queue: .main) }
            for s in sources {
                s.setEventHandler { if once.set() { k.resume() } }
                s.resume()
            }
            Retainer.keep(sources)
        }
    }
}

final class OnceFlag: Sendable {
    private let done = Atomic<Bool>(false)
    func set() -> Bool { done.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged }
}

enum Retainer {
    nonisolated(unsafe) static var kept: [Any] = []
    static func keep(_ x: Any) { kept.append(x) }
}
