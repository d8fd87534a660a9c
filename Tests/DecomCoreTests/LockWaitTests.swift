import DecomCore
import Foundation
import Testing

@Suite struct LockWaitTests {
    static let since = Date(timeIntervalSince1970: 1_795_376_250)  // 2026-11-22T19:37:30Z

    @Test func aDecomHolderIsNamedByUserTransactionAndTime() {
        let status = LockWaitStatus(
            holder: LockHolder(
                pid: 7, user: "alice", transactionType: .restore, transactionId: 12,
                since: Self.since),
            waitingSince: Self.since.addingTimeInterval(5))
        #expect(
            status.description == "Waiting for alice's undo (transaction 12) since 19:37:30 UTC")
    }

    @Test func aDecomHolderWithoutATransactionYetIsNamedByProcess() {
        let status = LockWaitStatus(
            holder: LockHolder(pid: 4242, since: Self.since), waitingSince: Self.since)
        #expect(status.description == "Waiting for decom process 4242 since 19:37:30 UTC")
    }

    @Test func anotherProgramIsWaitedForSinceTheWaitBegan() {
        let status = LockWaitStatus(holder: .otherProgram, waitingSince: Self.since)
        #expect(
            status.description
                == "Waiting since 19:37:30 UTC for another program to finish writing")
    }

    @Test func aHostileUserNameIsMadeVisible() {
        let holder = LockHolder(
            pid: 1, user: "eve\u{1B}]0;pwned\u{07}", transactionType: .purge, transactionId: 3)
        #expect(!holder.words.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" })
        #expect(holder.words.hasSuffix("'s purge (transaction 3)"))
    }

    @Test func aCancelLastsUntilReset() {
        let wait = LockWait()
        #expect(!wait.isCancelled)
        wait.cancel()
        #expect(wait.isCancelled)
        wait.reset()
        #expect(!wait.isCancelled)
        let flagged = LockWait(externalCancel: { true })
        #expect(flagged.isCancelled)
    }

    @Test func onlyChangesReachTheObserver() {
        final class Seen: @unchecked Sendable {
            let lock = NSLock()
            var statuses: [LockWaitStatus?] = []
        }
        let seen = Seen()
        let wait = LockWait()
        wait.observe { status in
            seen.lock.lock()
            seen.statuses.append(status)
            seen.lock.unlock()
        }
        let status = LockWaitStatus(holder: .otherProgram, waitingSince: Self.since)
        wait.report(status)
        wait.report(status)
        wait.report(nil)
        wait.report(nil)
        #expect(seen.statuses == [status, nil])
        #expect(wait.current == nil)
    }
}
