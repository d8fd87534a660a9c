import DecomCore
import Foundation
import GRDB
import Testing

@testable import DecomStore

/// A write that finds the write lock taken waits for it, says for whom through the store's
/// `LockWait`, and stops on a cancel having changed nothing. The lock is held by another
/// connection on the same file, as another program (or another decom) holds it.
@Suite struct LockWaiterTests {
    /// The write lock held by another SQLite connection until `release()`.
    final class OtherProgram: @unchecked Sendable {
        private let release = DispatchSemaphore(value: 0)
        private let done = DispatchSemaphore(value: 0)

        init(path: String) throws {
            let queue = try DatabaseQueue(path: path)
            let held = DispatchSemaphore(value: 0)
            Thread.detachNewThread { [release, done] in
                try? queue.inTransaction(.immediate) { db in
                    try db.execute(sql: "UPDATE devices SET comment = comment")
                    held.signal()
                    release.wait()
                    return .commit
                }
                done.signal()
            }
            held.wait()
        }

        func finish() {
            release.signal()
            done.wait()
        }
    }

    /// What a background call returned, once it has.
    final class Outcome<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Result<T, any Error>?
        private let ended = DispatchSemaphore(value: 0)

        init(_ body: @escaping @Sendable () throws -> T) {
            Thread.detachNewThread { [self] in
                let result = Result { try body() }
                lock.lock()
                value = result
                lock.unlock()
                ended.signal()
            }
        }

        func wait() -> Result<T, any Error> {
            ended.wait()
            lock.lock()
            defer { lock.unlock() }
            return value ?? .failure(CancellationError())
        }
    }

    /// The store's wait status, once it has one (bounded poll).
    func waitStatus(
        _ store: SQLiteFleetStore, where match: (LockWaitStatus) -> Bool = { _ in true }
    )
        -> LockWaitStatus?
    {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let status = store.lockWait.current, match(status) { return status }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    func archive(_ store: SQLiteFleetStore, _ id: Int64, as actor: Actor) -> Outcome<
        TransactionRecord
    > {
        Outcome {
            let service = DeletionService(store: store, clock: { testNow })
            return try service.execute(
                try service.plan(ids: [id], mode: .archive, actor: actor), as: actor, bulk: false)
        }
    }

    @Test func aWriteWaitsForAnotherProgramThenGoesOn() throws {
        let store = try makeStore([makeRecord(1), makeRecord(2)])
        let other = try OtherProgram(path: store.path)
        let outcome = archive(store, 1, as: admin)
        let status = try #require(waitStatus(store), "the write never said it waits")
        #expect(status.holder == .otherProgram)
        other.finish()
        let record = try outcome.wait().get()
        #expect(record.appliedCount == 1)
        #expect(store.lockWait.current == nil, "the wait is over")
    }

    @Test func aCancelledWaitChangesNothingAndRecordsNothing() throws {
        let store = try makeStore([makeRecord(1)])
        let other = try OtherProgram(path: store.path)
        let outcome = archive(store, 1, as: admin)
        _ = try #require(waitStatus(store))
        store.lockWait.cancel()
        let result = outcome.wait()
        other.finish()
        #expect(throws: StoreBusy.cancelled(.otherProgram)) { try result.get() }
        #expect(try count(store, "transactions") == 0, "no FAILURE recorded for a cancel")
        #expect(try store.read { try $0.facts(ids: [1])[1]?.clientStatus } == .available)
        // After a reset the store writes again.
        store.lockWait.reset()
        #expect(try archive(store, 1, as: admin).wait().get().appliedCount == 1)
    }

    @Test func aWaitNamesTheDecomTransactionThatHoldsTheLock() throws {
        let path = try temporaryFolder().appendingPathComponent("fleet.sqlite").path
        let alice = try SQLiteFleetStore(path: path)
        try alice.write { try $0.insert([makeRecord(1), makeRecord(2)]) }
        let bob = try SQLiteFleetStore(path: path)
        let began = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let aliceWrite = Outcome {
            try alice.write { writer in
                let id = try writer.begin(.archive, actor: admin, at: testNow, undoes: nil)
                began.signal()
                release.wait()
                return id
            }
        }
        began.wait()
        let bobArchive = archive(bob, 2, as: Actor(user: "bob", role: .operator))
        let status = try #require(waitStatus(bob) { $0.holder.transactionId != nil })
        let aliceTransaction = try #require(status.holder.transactionId)
        #expect(status.holder.user == "alice")
        #expect(status.holder.transactionType == .archive)
        #expect(status.holder.pid == getpid())
        #expect(status.description.hasPrefix("Waiting for alice's archive (transaction "))
        release.signal()
        #expect(try aliceWrite.wait().get() == aliceTransaction)
        #expect(try bobArchive.wait().get().appliedCount == 1)
        // Alice's note is gone with her transaction.
        #expect(WriterNote.holder(of: path) == nil)
    }

    @Test func aNoteOfAProcessThatIsGoneIsIgnoredAndRemoved() throws {
        let path = try temporaryFolder().appendingPathComponent("fleet.sqlite").path
        let stale = path + WriterNote.marker + "999999999-1"
        let note =
            #"{"pid": 999999999, "since": 0, "user": "ghost", "type": "PURGE", "transaction": 1}"#
        try Data(note.utf8).write(to: URL(fileURLWithPath: stale))
        #expect(WriterNote.holder(of: path) == nil)
        #expect(!FileManager.default.fileExists(atPath: stale))
    }
}
