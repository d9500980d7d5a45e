import Foundation
import Protocols
import Testing
@testable import Storage

/// Presignatures taken out of the store ahead of use: gone from disk once armed (a restart never brings them
/// back), each handed out at most once, only for the share generation they were armed under.
@Suite struct ArmedPresignaturesTests {
    private func key(_ s: String) -> [UInt8] { Array("w\0\(s)".utf8) }

    /// Stores presignatures p0 … p(n−1) of wallet "w", the i-th with value [i]; their keys.
    private func stored(_ store: NodeStore, _ n: Int) async throws -> [[UInt8]] {
        let ids = (0..<n).map { key("p\($0)") }
        for (i, id) in ids.enumerated() { try await store.putPresignature(id: id, value: [UInt8(i)]) }
        return ids
    }

    /// Waits until the background consumption of `keys` has emptied them from the store.
    private func waitGone(_ store: NodeStore, _ keys: [[UInt8]]) async throws {
        for _ in 0..<200 {
            let ids = Set(try await store.presignatureIDs())
            if keys.allSatisfy({ !ids.contains($0) }) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("armed presignatures still on disk")
    }

    @Test func armedAreOffDiskAndSignOnce() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let store = try openStore(dir)
                for (i, id) in ["a", "b", "c"].enumerated() { try await store.putPresignature(id: key(id), value: [UInt8(i + 1), 9]) }
                let armed = ArmedPresignatures(store: store)
                await armed.arm([key("a"), key("b"), key("missing")], wallet: "w", generation: 0)
                try await waitGone(store, [key("a"), key("b")])
                #expect(try await store.presignatureIDs() == [key("c")])
                #expect(await armed.count(wallet: "w") == 2)

                let a = try await armed.take(key("a"), generation: 0)
                #expect(a?.secret == [1, 9] && a?.armed == true)
                #expect(try await armed.take(key("a"), generation: 0) == nil)      // used once, never again
                // Not armed: consumed from the store now, durably, still once.
                let c = try await armed.take(key("c"), generation: 0)
                #expect(c?.secret == [3, 9] && c?.armed == false)
                #expect(try await armed.take(key("c"), generation: 0) == nil)
                #expect(try await armed.take(key("missing"), generation: 0) == nil)
                await store.close()
            }
            // A restart loses what was armed and not used ("b"): it is not on disk any more, so it can never sign.
            let store = try openStore(dir)
            let armed = ArmedPresignatures(store: store)
            #expect(try await store.presignatureCount() == 0)
            #expect(try await armed.take(key("b"), generation: 0) == nil)
            await store.close()
        }
    }

    /// Retiring: armed and stored presignatures are deleted alike, unknown ids count for nothing, others stay.
    @Test func discardDeletesArmedAndStoredOnes() async throws {
        try await withTemporaryDirectory { dir in
            let store = try openStore(dir)
            let ids = try await stored(store, 4)
            let armed = ArmedPresignatures(store: store)
            await armed.arm([ids[0]], wallet: "w", generation: 0)   // may still be under way: discard waits for it
            #expect(try await armed.discard([ids[0], ids[1], key("missing")]) == 2)
            #expect(await armed.count(wallet: "w") == 0)
            #expect(try await store.presignatureIDs().sorted { $0.lexicographicallyPrecedes($1) } == [ids[2], ids[3]])
            #expect(try await armed.take(ids[0], generation: 0) == nil)
            #expect(try await armed.take(ids[1], generation: 0) == nil)
            #expect(try await armed.take(ids[2], generation: 0)?.secret == [2])
            #expect(try await armed.discard([ids[0]]) == 0)
            await store.close()
        }
    }

    @Test func anotherGenerationIsRefused() async throws {
        try await withTemporaryDirectory { dir in
            let store = try openStore(dir)
            try await store.putPresignature(id: key("a"), value: [7])
            let armed = ArmedPresignatures(store: store)
            await armed.arm([key("a")], wallet: "w", generation: 3)
            try await waitGone(store, [key("a")])
            // Armed under generation 3; the wallet was reshared to 4 meanwhile: refused and dropped.
            #expect(try await armed.take(key("a"), generation: 4) == nil)
            #expect(try await armed.take(key("a"), generation: 3) == nil)
            await store.close()
        }
    }

    /// A take racing the background consumption of the same presignature waits for it instead of missing it,
    /// and concurrent takes get it exactly once.
    @Test func takeDuringArmingGetsItOnce() async throws {
        try await withTemporaryDirectory { dir in
            let store = try openStore(dir)
            let ids = try await stored(store, 8)
            let armed = ArmedPresignatures(store: store)
            await armed.arm(ids, wallet: "w", generation: 0)
            let got = try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
                for t in 0..<32 { let id = ids[t % ids.count]; group.addTask { try await armed.take(id, generation: 0)?.secret } }
                var out: [[UInt8]] = []
                for try await v in group { if let v { out.append(v) } }
                return out
            }
            #expect(got.sorted { $0[0] < $1[0] } == (0..<8).map { [UInt8($0)] })
            #expect(try await store.presignatureCount() == 0)
            await store.close()
        }
    }

    @Test func heldPerWalletAreBounded() async throws {
        try await withTemporaryDirectory { dir in
            let store = try openStore(dir)
            let ids = try await stored(store, 6)
            let armed = ArmedPresignatures(store: store, limitPerWallet: 4)
            await armed.arm(Array(ids[0..<3]), wallet: "w", generation: 0)
            try await waitGone(store, Array(ids[0..<3]))
            await armed.arm(Array(ids[3..<6]), wallet: "w", generation: 0)
            try await waitGone(store, Array(ids[3..<6]))
            // Six consumed, four held: the two oldest were dropped (wiped, never usable).
            #expect(await armed.count(wallet: "w") == 4)
            var usable = 0
            for id in ids where try await armed.take(id, generation: 0) != nil { usable += 1 }
            #expect(usable == 4)
            await store.close()
        }
    }
}
