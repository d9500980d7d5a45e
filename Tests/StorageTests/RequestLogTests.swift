import Foundation
import Testing
@testable import Storage

/// The coordinator's request log: a claim is durable before the work starts, a claimed id never runs again
/// (also after a reopen), a result answers every repeat, and concurrent claims share commits.
@Suite struct RequestLogTests {
    @Test func claimRunsOnceAndTheResultAnswersRepeatsAcrossReopen() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let log = try RequestLog(directory: dir)
                #expect(await log.claim("a") == .claimed)
                #expect(await log.claim("a") == .running)
                #expect(await log.result("a") == nil)
                await log.finish("a", [1, 2, 3])
                #expect(await log.result("a") == [1, 2, 3])       // before it is on disk too
                #expect(await log.claim("b") == .claimed)          // its commit carries a's result
                #expect(await log.isRunning("a") == false)
                await log.close()
            }
            let reopened = try RequestLog(directory: dir)
            #expect(await reopened.result("a") == [1, 2, 3])
            // b was claimed and never finished (a crash): it is never run again
            #expect(await reopened.claim("b") == .interrupted)
            #expect(await reopened.result("b") == nil)
            #expect(await reopened.claim("a") == .interrupted)
            #expect(await reopened.claim(String(repeating: "x", count: 600)) == .failed("request id of 600 bytes"))
            await reopened.close()
        }
    }

    @Test func concurrentClaimsShareCommits() async throws {
        try await withTemporaryDirectory { dir in
            let log = try RequestLog(directory: dir)
            let outcomes = await withTaskGroup(of: RequestLog.Claim.self) { group in
                for i in 0..<64 { group.addTask { await log.claim("r\(i)") } }
                var out: [RequestLog.Claim] = []
                for await o in group { out.append(o) }
                return out
            }
            #expect(outcomes.count == 64 && outcomes.allSatisfy { $0 == .claimed })
            let commits = await log.commits
            #expect(commits >= 1 && commits < 64, "\(commits) commits for 64 claims")
            await log.close()
            let reopened = try RequestLog(directory: dir)
            for i in 0..<64 { #expect(await reopened.claim("r\(i)") == .interrupted) }
            await reopened.close()
        }
    }
}

extension RequestLogTests {
    @Test func aResultIsCommittedWithinTheDelayWithoutAnotherClaim() async throws {
        try await withTemporaryDirectory { dir in
            let log = try RequestLog(directory: dir, resultDelay: .milliseconds(20))
            #expect(await log.claim("a") == .claimed)
            let before = await log.commits
            await log.finish("a", [7])
            for _ in 0..<100 where await log.commits == before { try await Task.sleep(for: .milliseconds(10)) }
            #expect(await log.commits == before + 1)
            #expect(await log.isRunning("a") == false)
            await log.close()
            let reopened = try RequestLog(directory: dir)
            #expect(await reopened.result("a") == [7])
            await reopened.close()
        }
    }
}

extension RequestLogTests {
    @Test func begunClaimIsRunningAtOnceAndDurableLater() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let log = try RequestLog(directory: dir)
                #expect(await log.begin("x") == .claimed)
                #expect(await log.begin("x") == .running)     // before its commit too
                #expect(await log.durable("x") == .claimed)
                #expect(await log.commits >= 1)
                #expect(await log.durable("x") == .claimed)   // asked again after the commit
                await log.close()
            }
            let reopened = try RequestLog(directory: dir)
            #expect(await reopened.begin("x") == .interrupted)
            await reopened.close()
        }
    }
}

/// The page-cache table behind answered results: kept across reopens in the same boot, started empty after
/// another boot (the machine may have crashed mid-write).
@Suite struct BootScopedTableTests {
    @Test func keptInTheSameBootEmptyAfterAnother() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let t = try BootScopedTable(directory: dir, bootId: "boot-a")
                try t.put([1], [9, 9])
                t.close()
            }
            do {
                let same = try BootScopedTable(directory: dir, bootId: "boot-a")
                #expect(same.get([1]) == [9, 9])
                try same.delete([[1]])
                #expect(same.get([1]) == nil)
                try same.put([2], [7])
                same.close()
            }
            let other = try BootScopedTable(directory: dir, bootId: "boot-b")
            #expect(other.get([2]) == nil)
            other.close()
        }
    }
}
