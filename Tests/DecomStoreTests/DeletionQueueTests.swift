import DecomCore
import Foundation
import GRDB
import Testing

@testable import DecomStore

/// Holds the queue's executor at its first PREPARING, so that what is submitted meanwhile is
/// seen PENDING in the database; and records every state change in order.
final class QueueGate: @unchecked Sendable {
    private let lock = NSLock()
    private var held = false
    private var seen: [(Int64, TransactionStatus)] = []
    private let reached = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)

    var observer: DeletionQueue.Observer {
        { [self] id, status in
            let first = lock.withLock {
                seen.append((id, status))
                if status == .preparing && !held {
                    held = true
                    return true
                }
                return false
            }
            if first {
                reached.signal()
                _ = released.wait(timeout: .now() + 120)
            }
        }
    }

    /// Waits (a bounded wait, not a timing) until the executor holds at the gate.
    func waitUntilHeld() -> Bool { reached.wait(timeout: .now() + 120) == .success }
    func release() { released.signal() }

    func events(_ status: TransactionStatus) -> [Int64] {
        lock.withLock { seen.filter { $0.1 == status }.map(\.0) }
    }
}

/// The asynchronous deletions of issue 13 (``DeletionQueue``) on a real SQLite file: PENDING
/// committed first, the same row finished in submission order, cancel, recovery after a
/// killed process, and the recheck of the plan when it finally runs.
@Suite struct DeletionQueueTests {
    let store: SQLiteFleetStore
    let olga = Actor(user: "olga", role: .operator)

    init() throws {
        store = try makeStore((1...6).map { makeRecord($0) })
    }

    var service: DeletionService { DeletionService(store: store, clock: { testNow }) }

    func plan(_ ids: [Int64], _ mode: DeletionMode = .archive, by actor: Actor = operatorActor)
        throws -> DeletionPlan
    {
        try service.plan(ids: ids, mode: mode, actor: actor)
    }

    func transaction(_ id: Int64) throws -> TransactionRecord? {
        try store.read { try $0.transaction(id: id) }
    }

    func device(_ id: Int64) throws -> Device? { try store.read { try $0.device(id: id) } }

    func auditRows(of transaction: Int64) throws -> Int {
        try store.database.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM audit WHERE transaction_id = ?",
                arguments: [transaction]) ?? -1
        }
    }

    @Test func aSubmissionIsPendingInTheDatabaseThenSucceedsUnderTheSameId() throws {
        let gate = QueueGate()
        let queue = DeletionQueue(service: service, observer: gate.observer)
        defer {
            gate.release()
            queue.stop()
        }
        let first = try queue.submit(try plan([1]), as: operatorActor, bulk: false)
        #expect(gate.waitUntilHeld())
        #expect(try transaction(first.id)?.status == .preparing)

        let second = try queue.submit(try plan([2, 3]), as: operatorActor, bulk: false)
        #expect(second.status == .pending)
        let pending = try #require(try transaction(second.id))
        #expect(pending.status == .pending)
        #expect(pending.items.map(\.deviceId) == [2, 3])
        #expect(pending.items.map(\.outcome) == [.pending, .pending])
        #expect(try device(2)?.clientStatus == .available)
        #expect(queue.liveStatus(of: second.id) == .pending)
        #expect(try queue.transaction(first.id)?.status == .preparing)
        #expect(try queue.transaction(second.id)?.items.map(\.outcome) == [.pending, .pending])
        #expect(try queue.transaction(999) == nil)

        gate.release()
        queue.waitUntilDrained()
        let done = try #require(try transaction(second.id))
        #expect(done.status == .success)
        #expect(done.items.map(\.outcome) == [.archived, .archived])
        #expect(done.user == "oscar" && done.type == .archive)
        // The observer saw each state in order; COMMITTING only there, never in the database.
        #expect(gate.events(.preparing) == [first.id, second.id])
        #expect(gate.events(.committing) == [first.id, second.id])
        #expect(gate.events(.success) == [first.id, second.id])
        #expect(try device(2)?.clientStatus == .archived)
        #expect(try device(3)?.clientStatus == .archived)
        #expect(try auditRows(of: second.id) == 2)
        // One row per submission, no second record of the execution.
        #expect(
            try store.read { try $0.transactions(limit: nil) }.map(\.id) == [second.id, first.id])
        #expect(try store.verifyAuditChain().isIntact)
        // The undo buffer holds it like a synchronous archive.
        #expect(
            try service.undo(second.id, actor: operatorActor).items.map(\.outcome) == [
                .restored, .restored,
            ])
    }

    @Test func transactionsRunInSubmissionOrder() throws {
        let gate = QueueGate()
        let queue = DeletionQueue(service: service, observer: gate.observer)
        defer {
            gate.release()
            queue.stop()
        }
        let holder = try queue.submit(try plan([6]), as: operatorActor, bulk: false)
        #expect(gate.waitUntilHeld())
        // Both plans are made now, on device 1 as it is: whichever runs first archives it,
        // and the other finds it changed since its plan.
        let a = try queue.submit(try plan([1, 2]), as: operatorActor, bulk: false)
        let b = try queue.submit(try plan([1], by: olga), as: olga, bulk: false)
        let c = try queue.submit(try plan([2, 3], .unenroll, by: olga), as: olga, bulk: false)
        gate.release()
        queue.waitUntilDrained()
        #expect(gate.events(.success) == [holder.id, a.id, b.id, c.id].filter { $0 != b.id })
        #expect(gate.events(.failure) == [b.id])
        #expect(try transaction(a.id)?.items.map(\.outcome) == [.archived, .archived])
        let changed = try #require(try transaction(b.id))
        #expect(changed.items.map(\.outcome) == [.changed])
        #expect(changed.items.first?.reason?.contains("client status AVAILABLE → ARCHIVED") == true)
        // c's device 2 was archived by a after c's plan: changed; device 3 unenrolled.
        #expect(try transaction(c.id)?.items.map(\.outcome) == [.changed, .unenrolled])
        #expect(try store.verifyAuditChain().isIntact)
    }

    @Test func aPendingTransactionIsCanceledAndNothingOfItApplies() throws {
        let gate = QueueGate()
        let queue = DeletionQueue(service: service, observer: gate.observer)
        defer {
            gate.release()
            queue.stop()
        }
        let first = try queue.submit(try plan([1]), as: operatorActor, bulk: false)
        #expect(gate.waitUntilHeld())
        let mine = try queue.submit(try plan([2, 3]), as: operatorActor, bulk: false)
        let olgas = try queue.submit(try plan([4], by: olga), as: olga, bulk: false)

        // Another operator and a viewer may not; a running one cannot be canceled.
        #expect(throws: DeletionQueueError.self) { try queue.cancel(olgas.id, as: operatorActor) }
        #expect(throws: DeletionQueueError.self) {
            try queue.cancel(mine.id, as: Actor(user: "oscar", role: .viewer))
        }
        #expect(throws: DeletionQueueError.notCancelable(first.id, .preparing)) {
            try queue.cancel(first.id, as: operatorActor)
        }
        let canceled = try queue.cancel(mine.id, as: operatorActor)
        #expect(canceled.status == .canceled)
        // An admin cancels anyone's.
        #expect(try queue.cancel(olgas.id, as: admin).status == .canceled)

        gate.release()
        queue.waitUntilDrained()
        let kept = try #require(try transaction(mine.id))
        #expect(kept.status == .canceled)
        #expect(kept.items.map(\.outcome) == [.canceled, .canceled])
        #expect(kept.error?.contains("canceled by oscar") == true)
        #expect(try transaction(olgas.id)?.status == .canceled)
        #expect(try device(2)?.clientStatus == .available)
        #expect(try device(4)?.clientStatus == .available)
        #expect(try auditRows(of: mine.id) == 0)
        // Finished ones cannot be canceled, and their record is unchanged by the attempt.
        #expect(throws: DeletionQueueError.notCancelable(first.id, .success)) {
            try queue.cancel(first.id, as: admin)
        }
        #expect(throws: DeletionQueueError.notCancelable(mine.id, .canceled)) {
            try queue.cancel(mine.id, as: admin)
        }
        #expect(throws: DeletionQueueError.noSuchTransaction(999)) {
            try queue.cancel(999, as: admin)
        }
        #expect(try transaction(first.id)?.status == .success)
        #expect(try store.verifyAuditChain().isIntact)
    }

    @Test func whatAKilledProcessLeftPendingOrPreparingFailsAsInterruptedAtTheNextStart() throws {
        let path = store.path
        let done = try service.execute(try plan([5]), as: operatorActor, bulk: false)
        // What a killed server leaves: one taken (PREPARING), one still queued.
        let (preparing, pending) = try store.write { w in
            let items = [ItemResult(key: "1", deviceId: 1, outcome: .pending)]
            let a = try w.enqueue(.archive, actor: operatorActor, at: testNow, items: items)
            try w.setStatus(a, .preparing, at: testNow)
            let b = try w.enqueue(
                .purge, actor: admin, at: testNow,
                items: [ItemResult(key: "2", deviceId: 2, outcome: .pending)])
            return (a, b)
        }
        store.close()

        let reopened = try SQLiteFleetStore(path: path)
        let queue = DeletionQueue(service: DeletionService(store: reopened, clock: { testNow }))
        defer { queue.stop() }
        let recovered = try queue.recoverInterrupted()
        #expect(recovered.map(\.id) == [preparing, pending])
        for id in [preparing, pending] {
            let record = try #require(try reopened.read { try $0.transaction(id: id) })
            #expect(record.status == .failure)
            #expect(record.error == "interrupted")
            #expect(record.items.map(\.outcome) == [.failed])
        }
        #expect(try reopened.read { try $0.transaction(id: done.id) }?.status == .success)
        #expect(try reopened.read { try $0.device(id: 1) }?.clientStatus == .available)
        #expect(try reopened.read { try $0.device(id: 2) } != nil)
        #expect(try reopened.verifyAuditChain().isIntact)
        #expect(try queue.recoverInterrupted().isEmpty)
    }

    @Test func aDeviceChangedBetweenSubmissionAndExecutionIsLeftAlone() throws {
        let gate = QueueGate()
        let queue = DeletionQueue(service: service, observer: gate.observer)
        defer {
            gate.release()
            queue.stop()
        }
        _ = try queue.submit(try plan([1]), as: operatorActor, bulk: false)
        #expect(gate.waitUntilHeld())
        let queued = try queue.submit(try plan([3, 4]), as: operatorActor, bulk: false)
        // Meanwhile another admin unenrolls device 3 at once.
        _ = try service.execute(try plan([3], .unenroll, by: admin), as: admin, bulk: false)
        gate.release()
        queue.waitUntilDrained()
        let record = try #require(try transaction(queued.id))
        #expect(record.status == .success)
        #expect(record.items.map(\.outcome) == [.changed, .archived])
        #expect(record.items.first?.reason?.contains("MDM status ENROLLED → UNENROLLED") == true)
        #expect(try device(3)?.clientStatus == .available)
        #expect(try device(4)?.clientStatus == .archived)
        // The unenroll became final before the queued transaction, whose id is smaller.
        #expect(try store.verifyAuditChain().isIntact)
    }

    @Test func aStopWithoutFinishingFailsWhatHadNotStartedAndLetsTheRunningOneFinish() throws {
        let gate = QueueGate()
        let queue = DeletionQueue(service: service, observer: gate.observer)
        let running = try queue.submit(try plan([1]), as: operatorActor, bulk: false)
        #expect(gate.waitUntilHeld())
        let queued = try queue.submit(try plan([2]), as: operatorActor, bulk: false)
        let stopper = Thread { queue.stop(finishQueued: false) }
        stopper.start()
        // Bounded polling: the stop settles what had not started before it waits.
        var status = try transaction(queued.id)?.status
        for _ in 0..<600 where status == .pending {
            Thread.sleep(forTimeInterval: 0.05)
            status = try transaction(queued.id)?.status
        }
        gate.release()
        queue.stop()
        #expect(status == .failure)
        #expect(try transaction(queued.id)?.error == "interrupted")
        #expect(try transaction(running.id)?.status == .success)
        #expect(try device(1)?.clientStatus == .archived)
        #expect(try device(2)?.clientStatus == .available)
        #expect(throws: DeletionQueueError.stopped) {
            try queue.submit(try plan([3]), as: operatorActor, bulk: false)
        }
    }

    @Test func aSubmissionIsRefusedAsExecuteRefuses() throws {
        let queue = DeletionQueue(service: service)
        defer { queue.stop() }
        // A viewer: execute's unrecorded FAILURE, nothing written or queued.
        let refused = try queue.submit(try plan([1], by: viewer), as: viewer, bulk: false)
        #expect(refused.id == 0 && refused.status == .failure)
        #expect(refused.items.map(\.outcome) == [.insufficientScope])
        // An operator may not purge; a forged actor and a bulk purge without bulk throw.
        let purge = try queue.submit(try plan([1], .purge), as: operatorActor, bulk: false)
        #expect(purge.id == 0 && purge.items.map(\.outcome) == [.insufficientScope])
        #expect(throws: AuthorityError.self) {
            try queue.submit(try plan([1], by: admin), as: operatorActor, bulk: false)
        }
        #expect(throws: DeletionError.self) {
            try queue.submit(try plan([1, 2], .purge, by: admin), as: admin, bulk: false)
        }
        #expect(try store.read { try $0.transactions(limit: nil) }.isEmpty)
        // With bulk, an admin's purge is queued and runs.
        let bulk = try queue.submit(try plan([1, 2], .purge, by: admin), as: admin, bulk: true)
        #expect(bulk.status == .pending)
        queue.waitUntilDrained()
        #expect(try transaction(bulk.id)?.items.map(\.outcome) == [.purged, .purged])
        queue.stop()
        #expect(throws: DeletionQueueError.stopped) {
            try queue.submit(try plan([3]), as: operatorActor, bulk: false)
        }
    }
}
