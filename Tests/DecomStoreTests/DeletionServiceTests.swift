import DecomCore
import Foundation
import GRDB
import Testing

@testable import DecomStore

/// The domain's one deletion path, run against a real SQLite store with a fixed clock.
@Suite struct DeletionServiceTests {
    let store: SQLiteFleetStore
    let service: DeletionService

    init() throws {
        store = try makeStore((1...6).map { makeRecord($0) })
        service = DeletionService(store: store, clock: { testNow })
    }

    private func run(_ keys: [String], _ mode: DeletionMode, as actor: Actor = admin) throws
        -> TransactionRecord
    {
        try service.execute(
            service.plan(keys.map { KeyInput($0) }, mode: mode, actor: actor), as: actor, bulk: true
        )
    }

    private func device(_ id: Int64) throws -> Device? { try store.read { try $0.device(id: id) } }

    // MARK: - Modes

    @Test func archiveSetsArchivedAndSuspendsSessions() throws {
        let record = try run(["1"], .archive)
        #expect(record.status == .success)
        #expect(record.items.map(\.outcome) == [.archived])
        let archived = try #require(try device(1))
        #expect(archived.clientStatus == .archived)
        #expect(archived.archivedAt == testNow)
        let sessions = try store.read { try $0.sessions(deviceId: 1) }
        #expect(sessions.allSatisfy { $0.suspendedBy == record.id })
        #expect(try store.read { try $0.undoEntries(archive: record.id) } == [1])
        #expect(try count(store, "audit", deviceId: 1) == 1)
        var rest = archived
        rest.clientStatus = .available
        rest.archivedAt = nil
        #expect(rest == makeDevice(1), "nothing else changed")
    }

    @Test func purgeRemovesEverythingAndLeavesATombstone() throws {
        let record = try run(["2"], .purge)
        #expect(record.items.map(\.outcome) == [.purged])
        #expect(try device(2) == nil)
        for table in [
            "characteristics", "mdm_enrollments", "device_macs", "sessions", "device_events",
        ] {
            #expect(try count(store, table, deviceId: 2) == 0, "orphan rows in \(table)")
        }
        #expect(try count(store, "tombstones", deviceId: 2) == 1)
        let tombstone = try #require(
            try store.database.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM tombstones WHERE device_id = 2")
            })
        #expect(tombstone["serial_number"] == "C02SER2")
        #expect(tombstone["purged_by"] == "alice")
        #expect(tombstone["transaction_id"] == record.id)
        #expect(tombstone["mac_addresses"] == #"["00:0c:29:00:02:b2","00:0c:30:00:02:b3"]"#)
        #expect(try count(store, "audit", deviceId: 2) == 1)
        #expect(try device(3) == makeDevice(3), "other devices untouched")
    }

    @Test func unenrollEndsTheEnrollmentAndKeepsTheRecord() throws {
        let record = try run(["~dev-3"], .unenroll)
        #expect(record.items.map(\.outcome) == [.unenrolled])
        let after = try #require(try device(3))
        #expect(after.mdm?.status == .unenrolled)
        #expect(after.mdm?.unenrollmentDate == testNow)
        #expect(after.clientStatus == .available)
        #expect(try store.read { try $0.sessions(deviceId: 3) } == makeRecord(3).sessions)
    }

    // MARK: - Roles

    @Test func viewerGetsInsufficientScopeForEveryItemAndNothingIsWritten() throws {
        for mode in DeletionMode.allCases {
            let plan = try service.plan(
                [KeyInput("1"), KeyInput("~dev-2")], mode: mode, actor: viewer)
            #expect(plan.items.allSatisfy { $0.decision.outcome == .insufficientScope })
            let record = try service.execute(plan, as: plan.actor, bulk: true)
            #expect(record.items.allSatisfy { $0.outcome == .insufficientScope })
            #expect(record.id == 0)
        }
        #expect(try count(store, "transactions") == 0, "not even a transaction row")
        #expect(try count(store, "audit") == 0)
        #expect(try device(1) == makeDevice(1))
    }

    @Test func operatorMayArchiveAndUnenrollButNotPurge() throws {
        let purge = try run(["1"], .purge, as: operatorActor)
        #expect(purge.items.map(\.outcome) == [.insufficientScope])
        #expect(try device(1) == makeDevice(1))
        #expect(try run(["1"], .archive, as: operatorActor).items.map(\.outcome) == [.archived])
        #expect(try run(["2"], .unenroll, as: operatorActor).items.map(\.outcome) == [.unenrolled])
    }

    @Test func adminMayDoEveryMode() throws {
        #expect(try run(["1"], .archive).items.map(\.outcome) == [.archived])
        #expect(try run(["2"], .unenroll).items.map(\.outcome) == [.unenrolled])
        #expect(try run(["3"], .purge).items.map(\.outcome) == [.purged])
    }

    // MARK: - Forbidden states

    @Test(arguments: DeletionMode.allCases)
    func forbiddenStatesRefuseEveryMode(_ mode: DeletionMode) throws {
        let store = try makeStore([
            makeRecord(1, mdmStatus: .deviceWipePending),
            makeRecord(2, mdmStatus: .enrollmentInProgress),
            makeRecord(3, clientStatus: .shipped, rent: "R-3"),
            makeRecord(4, clientStatus: .delivered, rent: "R-4"),
            makeRecord(5, clientStatus: .inService, rent: "R-5"),
        ])
        let service = DeletionService(store: store, clock: { testNow })
        let record = try service.execute(
            service.plan(ids: [1, 2, 3, 4, 5], mode: mode, actor: admin), as: admin, bulk: true)
        #expect(record.items.map(\.outcome) == Array(repeating: .forbidden, count: 5))
        #expect(record.items.allSatisfy { ($0.reason ?? "").isEmpty == false })
        for id in Int64(1)...5 {
            let before = makeDevice(
                id, clientStatus: [3: .shipped, 4: .delivered, 5: .inService][id] ?? .available,
                mdmStatus: [1: .deviceWipePending, 2: .enrollmentInProgress][id] ?? .enrolled,
                rent: id >= 3 ? "R-\(id)" : nil)
            #expect(try store.read { try $0.device(id: id) } == before)
        }
        #expect(try count(store, "audit") == 0)
    }

    // MARK: - Outcomes

    @Test func eachSkipOutcomeIsReported() throws {
        _ = try run(["1"], .archive)
        _ = try run(["2"], .unenroll)
        let archive = try run(["1", "999", "mac:zz", "3", "~dev-3"], .archive)
        #expect(
            archive.items.map(\.outcome) == [
                .alreadyArchived, .notFound, .invalidKey, .archived, .duplicate,
            ])
        let unenroll = try run(["2"], .unenroll)
        #expect(unenroll.items.map(\.outcome) == [.notEnrolled])
    }

    @Test func planChangesNothing() throws {
        for mode in DeletionMode.allCases {
            let plan = try service.plan(ids: [1, 2], mode: mode, actor: admin)
            #expect(plan.allowedIDs == [1, 2])
        }
        #expect(try count(store, "transactions") == 0)
        #expect(try count(store, "audit") == 0)
        #expect(try device(1) == makeDevice(1))
        #expect(try device(2) == makeDevice(2))
    }

    @Test func aDevicePurgedBetweenPlanAndExecuteIsNotFound() throws {
        let plan = try service.plan(ids: [4, 5], mode: .archive, actor: admin)
        _ = try run(["4"], .purge)
        let record = try service.execute(plan, as: plan.actor, bulk: true)
        #expect(record.items.map(\.outcome) == [.notFound, .archived])
        #expect(try device(4) == nil)
    }

    // MARK: - Undo

    @Test func undoBringsTheDeviceBackExactly() throws {
        let before = try #require(try device(1))
        let sessions = try store.read { try $0.sessions(deviceId: 1) }
        let archive = try run(["1", "2"], .archive, as: operatorActor)
        let restore = try service.undo(actor: operatorActor)
        #expect(restore.type == .restore)
        #expect(restore.undoes == archive.id)
        #expect(restore.items.map(\.outcome) == [.restored, .restored])
        #expect(try device(1) == before)
        #expect(try device(1)?.characteristics == before.characteristics)
        #expect(try device(1)?.mdm == before.mdm)
        #expect(try store.read { try $0.sessions(deviceId: 1) } == sessions)
        let kept = try #require(try store.read { try $0.transaction(id: restore.id) })
        #expect(kept.type == .restore && kept.status == .success)
        #expect(try store.read { try $0.transaction(id: archive.id) }?.undoneBy == restore.id)
        #expect(
            try store.read { try $0.undoStack(user: nil, limit: nil) }.isEmpty,
            "undo buffer consumed")
        #expect(throws: UndoError.nothingToUndo) { try service.undo(actor: admin) }
    }

    @Test(arguments: [DeletionMode.purge, .unenroll])
    func undoOfAPurgeOrUnenrollIsRefusedAndNamesTheNewestArchive(_ mode: DeletionMode) throws {
        let archive = try run(["1"], .archive)
        let top = try run(["2"], mode)
        let transactionsBefore = try count(store, "transactions")
        let archivedBefore = try device(1)
        #expect(
            throws: UndoError.notUndoable(top.id, mode.transactionType, newestArchive: archive.id)
        ) { try service.undo(actor: admin) }
        let error = UndoError.notUndoable(top.id, mode.transactionType, newestArchive: archive.id)
        #expect(error.description.contains("transaction \(archive.id)"))
        #expect(try count(store, "transactions") == transactionsBefore)
        #expect(try device(1) == archivedBefore)
        #expect(try device(1)?.clientStatus == .archived)
    }

    @Test func undoOfAnArchiveWhoseDeviceWasPurgedSinceReportsGone() throws {
        let archive = try run(["1", "2"], .archive)
        _ = try run(["1"], .purge)
        let restore = try service.undo(archive.id, actor: admin)
        #expect(restore.items.map(\.outcome) == [.gone, .restored])
        #expect(restore.items.first?.deviceName == "LAPTOP-1")
        #expect(try device(2) == makeDevice(2))
    }

    @Test func historyListsTransactionsNewestFirst() throws {
        let a = try run(["1"], .archive)
        let b = try run(["2"], .unenroll)
        let c = try run(["3"], .purge)
        let history = try store.read { try $0.transactions(limit: nil) }
        #expect(history.map(\.id) == [c.id, b.id, a.id])
        #expect(history.map(\.type) == [.purge, .unenroll, .archive])
        #expect(history[0].items.first?.outcome == .purged)
        #expect(try store.read { try $0.transactions(deviceId: 3, limit: 5) }.map(\.id) == [c.id])
    }
}

extension DeletionPlan.Decision {
    /// The outcome a skipped item will have; nil when it will be applied.
    var outcome: ItemOutcome? {
        if case .skip(let outcome, _) = self { return outcome }
        return nil
    }
}
