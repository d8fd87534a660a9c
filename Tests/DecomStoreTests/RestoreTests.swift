import DecomCore
import Foundation
import GRDB
import Testing

@testable import DecomStore

/// `r` in the archived view and `decom restore`: chosen archived devices brought back, each
/// from the archive that archived it, against a real SQLite store.
@Suite struct RestoreTests {
    let store: SQLiteFleetStore
    let service: DeletionService

    init() throws {
        store = try makeStore(
            (1...4).map { makeRecord($0) } + [
                makeRecord(5, clientStatus: .inService),
                makeRecord(6, clientStatus: .archived),
            ])
        service = DeletionService(store: store, clock: { testNow })
    }

    private func archive(_ ids: [Int64], as actor: Actor) throws -> TransactionRecord {
        try service.execute(
            service.plan(ids: ids, mode: .archive, actor: actor), as: actor, bulk: false)
    }

    private func restore(_ keys: [String], as actor: Actor = admin) throws -> TransactionRecord {
        try service.restore(service.planRestore(keys.map { KeyInput($0) }, actor: actor), as: actor)
    }

    private func device(_ id: Int64) throws -> Device? { try store.read { try $0.device(id: id) } }

    @Test func restoresExactlyTheChosenDevicesFromAnyonesArchive() throws {
        let sessions = try store.read { try $0.sessions(deviceId: 1) }
        let oscars = try archive([1, 2, 3], as: operatorActor)
        let alices = try archive([5], as: admin)
        let transactionsBefore = try count(store, "transactions")

        let record = try restore(["1", "5"])

        #expect(record.type == .restore && record.status == .success)
        #expect(record.undoes == nil, "a restore of chosen devices undoes no one archive")
        #expect(record.items.map(\.deviceId) == [1, 5])
        #expect(record.items.map(\.outcome) == [.restored, .restored])
        #expect(record.items[0].reason == "archived by oscar in transaction \(oscars.id)")
        #expect(record.items[1].reason == "archived by alice in transaction \(alices.id)")
        #expect(try count(store, "transactions") == transactionsBefore + 1, "one transaction")
        // Each device as its own archive left it: its status before, no archive date, and
        // the sessions that archive suspended.
        #expect(try device(1) == makeDevice(1))
        #expect(try store.read { try $0.sessions(deviceId: 1) } == sessions)
        #expect(try device(5)?.clientStatus == .inService)
        #expect(try device(5)?.archivedAt == nil)
        #expect(try device(2)?.clientStatus == .archived, "only the chosen devices")
        #expect(try device(3)?.clientStatus == .archived)
        let audit = try store.database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT device_id, action, actor FROM audit WHERE transaction_id = ?",
                arguments: [record.id])
        }
        #expect(audit.map { $0["device_id"] as Int64 }.sorted() == [1, 5])
        #expect(audit.allSatisfy { $0["action"] == "RESTORE" && $0["actor"] == "alice" })
        // Alice's archive has nothing left archived: it leaves her undo stack; Oscar's still
        // holds devices 2 and 3, and his undo brings back those.
        #expect(try store.read { try $0.transaction(id: alices.id) }?.undoneBy == record.id)
        #expect(try store.read { try $0.transaction(id: oscars.id) }?.undoneBy == nil)
        let undo = try service.undo(actor: operatorActor)
        #expect(undo.items.map(\.outcome) == [.notArchived, .restored, .restored])
    }

    @Test func reportsPurgedMissingActiveAndUnrecordedDevices() throws {
        _ = try archive([1, 2], as: operatorActor)
        _ = try service.execute(
            service.plan(ids: [1], mode: .purge, actor: admin), as: admin, bulk: false)

        let plan = try service.planRestore(
            ["1", "4", "6", "404", "2"].map { KeyInput($0) }, actor: admin)

        #expect(
            plan.items.map(\.decision.outcome) == [
                .gone, .notArchived, .noArchiveRecord, .notFound, nil,
            ])
        let record = try service.restore(plan, as: admin)
        #expect(
            record.items.map(\.outcome) == [
                .gone, .notArchived, .noArchiveRecord, .notFound, .restored,
            ])
        #expect(try device(6)?.clientStatus == .archived, "no earlier state known: left archived")
        #expect(try device(2) == makeDevice(2))
    }

    @Test func rechecksAtExecutionAndLeavesChangedDevicesAlone() throws {
        _ = try archive([1, 2, 3], as: operatorActor)
        let plan = try service.planRestore(ids: [1, 2, 3], actor: admin)
        // Meanwhile: 1 purged, 2 restored and archived again by another archive, 3 restored.
        _ = try service.execute(
            service.plan(ids: [1], mode: .purge, actor: admin), as: admin, bulk: false)
        _ = try restore(["2", "3"], as: operatorActor)
        let again = try archive([2], as: admin)

        let record = try service.restore(plan, as: admin)

        #expect(record.items.map(\.outcome) == [.gone, .changed, .notArchived])
        #expect(record.items[1].reason?.contains("transaction \(again.id)") == true)
        #expect(record.status == .failure, "nothing was restored: kept as a FAILURE")
        #expect(try device(2)?.clientStatus == .archived)
    }

    @Test func undoLeavesADeviceArchivedAgainByALaterArchive() throws {
        let first = try archive([1, 2], as: operatorActor)
        _ = try restore(["1"])
        let second = try archive([1], as: admin)

        let undo = try service.undo(first.id, actor: operatorActor)

        #expect(undo.items.map(\.outcome) == [.notArchived, .restored])
        #expect(undo.items[0].reason?.contains("transaction \(second.id)") == true)
        #expect(try device(1)?.clientStatus == .archived, "the later archive keeps it")
        #expect(try service.undo(second.id, actor: admin).items.map(\.outcome) == [.restored])
        #expect(try device(1) == makeDevice(1))
    }

    @Test func aViewerMayNotRestoreAndNothingIsWritten() throws {
        _ = try archive([1], as: operatorActor)
        let before = try count(store, "transactions")
        let record = try restore(["1"], as: viewer)
        #expect(record.id == 0 && record.status == .failure)
        #expect(record.items.map(\.outcome) == [.insufficientScope])
        #expect(record.error == "role viewer may not restore; it needs operator")
        #expect(try count(store, "transactions") == before)
        #expect(try device(1)?.clientStatus == .archived)
    }

    @Test func aPlanOfAnotherActorIsRefused() throws {
        _ = try archive([1], as: operatorActor)
        let plan = try service.planRestore(ids: [1], actor: operatorActor)
        #expect(throws: AuthorityError.actorMismatch(plan: operatorActor, caller: admin)) {
            try service.restore(plan, as: admin)
        }
        #expect(try device(1)?.clientStatus == .archived)
    }

    @Test func undoAndRestoreReportProgressByChunk() throws {
        let ids = Array(Int64(100)..<Int64(100 + DeletionService.chunkSize + 5))
        try store.write { try $0.insert(ids.map { makeRecord($0) }) }
        let archived = try archive(ids, as: admin)
        let seen = Progress()
        _ = try service.undo(archived.id, actor: admin) { done, total in seen.add(done, total) }
        #expect(seen.values.last == [ids.count, ids.count])
        #expect(seen.values.count == 3, "0, one chunk, the rest")
        _ = try archive(ids, as: admin)
        let restoring = Progress()
        _ = try service.restore(service.planRestore(ids: ids, actor: admin), as: admin) {
            done, total in restoring.add(done, total)
        }
        #expect(restoring.values.last == [ids.count, ids.count])
    }
}

/// Progress calls, collected from the core's callback.
private final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [[Int]] = []
    func add(_ done: Int, _ total: Int) {
        lock.lock()
        calls.append([done, total])
        lock.unlock()
    }
    var values: [[Int]] {
        lock.lock()
        defer { lock.unlock() }
        return calls
    }
}
