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
                #expect(await log.claim("b") == .claimed)
                // a's result goes into the tables with the next table commit (within the result delay)
                for _ in 0..<200 where await log.isRunning("a") { try await Task.sleep(for: .milliseconds(5)) }
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

/// The claim journal: one write and one fdatasync per batch of claims; a torn or damaged tail is cut at the
/// last whole record; the request log moves journaled claims into its tables.
@Suite struct ClaimJournalTests {
    @Test func batchesSurviveAReopenInOrder() async throws {
        try await withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            do {
                let j = try ClaimJournal(directory: dir)
                #expect(j.recovered.isEmpty && j.size == 0)
                try j.append(["a", "b"])
                try j.append(["c"])
                j.close()
            }
            let again = try ClaimJournal(directory: dir)
            #expect(again.recovered == ["a", "b", "c"])
            #expect(again.size == ClaimJournal.record(["a", "b"]).count + ClaimJournal.record(["c"]).count)
        }
    }

    @Test func aTornOrDamagedTailIsCutAtTheLastWholeRecord() async throws {
        try await withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let path = dir + "/" + ClaimJournal.fileName
            let whole = ClaimJournal.record(["first"])
            let second = ClaimJournal.record(["second", "third"])
            // a whole record, then the first half of another (a write torn by a crash)
            try Data(whole + second.prefix(second.count / 2)).write(to: URL(fileURLWithPath: path))
            do {
                let j = try ClaimJournal(directory: dir)
                #expect(j.recovered == ["first"] && j.size == whole.count)
                try j.append(["fourth"])
                j.close()
            }
            #expect(try ClaimJournal(directory: dir).recovered == ["first", "fourth"])
            // a flipped bit in the last record's body: that record and anything after it are dropped
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[bytes.count - 1] ^= 0x01
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(try ClaimJournal(directory: dir).recovered == ["first"])
            // garbage that is not a record at all
            try Data([UInt8](repeating: 0x41, count: 64)).write(to: URL(fileURLWithPath: path))
            let junk = try ClaimJournal(directory: dir)
            #expect(junk.recovered.isEmpty && junk.size == 0)
        }
    }

    @Test func oneWriterAtATime() async throws {
        try await withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let first = try ClaimJournal(directory: dir)
            #expect(throws: StorageError.alreadyOpen(path: dir + "/" + ClaimJournal.fileName)) { _ = try ClaimJournal(directory: dir) }
            first.close()
            #expect(try ClaimJournal(directory: dir).recovered.isEmpty)   // free again once closed
        }
    }

    @Test func theRequestLogTakesJournaledClaimsIntoItsTables() async throws {
        try await withTemporaryDirectory { dir in
            // A coordinator that crashed after journaling x and y, before its tables took them.
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            do {
                let j = try ClaimJournal(directory: dir)
                try j.append(["x", "y"])
                j.close()
            }
            do {
                let log = try RequestLog(directory: dir)
                #expect(await log.claim("x") == .interrupted)
                #expect(await log.claim("y") == .interrupted)
                #expect(await log.claim("z") == .claimed)
                await log.close()
            }
            #expect(try ClaimJournal(directory: dir).recovered.isEmpty)   // emptied: all of it is in the tables
            let reopened = try RequestLog(directory: dir)
            for id in ["x", "y", "z"] { #expect(await reopened.claim(id) == .interrupted) }
            await reopened.close()
        }
    }

    @Test func aClaimIsInTheJournalBeforeTheTables() async throws {
        try await withTemporaryDirectory { dir in
            let log = try RequestLog(directory: dir, resultDelay: .seconds(60))
            #expect(await log.claim("q") == .claimed)
            // durable now: in the journal file (the tables take it with the next result commit)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/" + ClaimJournal.fileName)))
            #expect(ClaimJournal.parse(bytes).ids == ["q"])
            await log.close()
        }
    }
}
