import DecomCore
import Foundation
import Testing

@testable import DecomStore

/// A plan must still hold when it executes: every condition it was made on is checked again
/// inside the executing transaction (issue 10), and the undo stack is each user's own.
@Suite struct DeletionRecheckTests {
    let store: SQLiteFleetStore
    let bob = Actor(user: "bob", role: .admin)

    init() throws {
        store = try makeStore((1...6).map { makeRecord($0) })
    }

    /// A service whose clock reads `date`.
    private func service(at date: Date = testNow) -> DeletionService {
        DeletionService(store: store, clock: { date })
    }

    private func archive(_ ids: [Int64], by actor: Actor = admin, at date: Date = testNow) throws
        -> TransactionRecord
    {
        let s = service(at: date)
        return try s.execute(s.plan(ids: ids, mode: .archive, actor: actor), as: actor, bulk: false)
    }

    private func device(_ id: Int64) throws -> Device? { try store.read { try $0.device(id: id) } }

    // MARK: - The second read

    /// Execute's second read asks the database which devices differ from the plan's facts
    /// and reads only those (issue 16): a device archived, purged or renamed since is
    /// named, one untouched is not, and neither is an archived device whose date reads back
    /// the same or a name full of characters JSON escapes.
    @Test func onlyTheDevicesThatChangedSinceThePlanAreReadAgain() throws {
        var hostile = makeRecord(7)
        hostile.device.name =
            "q\"b\\s/\n\u{1B}[31m\u{202E}" + (Unicode.Scalar(0x1FFFE).map { String($0) } ?? "")
            + "é👩🏽‍💻"
        hostile.device.serialNumber = nil
        try store.write { try $0.insert([hostile]) }
        let planned = try store.read { try $0.facts(ids: Array(1...7)) }.values.sorted {
            $0.id < $1.id
        }
        #expect(try store.read { try $0.factsChanged(since: planned) }.isEmpty)

        _ = try archive([3])
        let purge = try service().plan(ids: [5], mode: .purge, actor: admin)
        _ = try service().execute(purge, as: admin, bulk: false)
        try store.database.write { db in
            try db.execute(sql: "UPDATE devices SET name = 'renamed' WHERE id = 6")
        }
        let changed = try store.read { try $0.factsChanged(since: planned) }
        #expect(Set(changed.keys) == [3, 5, 6])
        #expect(changed[3]??.clientStatus == .archived)
        #expect(changed[5] == .some(nil), "a device gone is nil")
        #expect(changed[6]??.name == "renamed")

        let now = try store.read { try $0.facts(ids: Array(1...7)) }.values.map { $0 }
        #expect(try store.read { try $0.factsChanged(since: now) }.isEmpty)
    }

    // MARK: - Retention purge

    /// With nothing committed since the plan, its facts are the stored ones and are not
    /// compared (the store's change token did not move); a plan whose items were changed
    /// after it was made is compared fact by fact all the same, so a device made to look
    /// allowed is `changed`, not archived.
    @Test func aPlanChangedAfterItWasMadeIsStillComparedWithTheStore() throws {
        try store.write { w in
            try w.insert([makeRecord(8, clientStatus: .inService, rent: "R-8")])
        }
        var plan = try service().plan(ids: [8, 1], mode: .archive, actor: admin)
        #expect(plan.items.map(\.willApply) == [false, true], "a rented device in service")
        plan.items[0].device?.rented = false
        plan.items[0].decision = .apply

        let record = try service().execute(plan, as: admin, bulk: false)

        #expect(record.items.map(\.outcome) == [.changed, .archived])
        #expect(record.items[0].reason == "changed since the plan: rented no → yes")
        #expect(try device(8)?.clientStatus == .inService)
    }

    /// A change committed by anyone between the plan and its execution (here a bare SQL
    /// UPDATE, as `sqlite3` would make) moves the token: the facts are compared.
    @Test func aHandEditBetweenPlanAndExecutionIsSeen() throws {
        let plan = try service().plan(ids: [1, 2], mode: .archive, actor: admin)
        try store.database.write { db in
            try db.execute(sql: "UPDATE devices SET serial_number = 'swapped' WHERE id = 2")
        }
        let record = try service().execute(plan, as: admin, bulk: false)
        #expect(record.items.map(\.outcome) == [.archived, .changed])
        #expect(try device(2)?.clientStatus == .available)
    }

    @Test func aPurgeOfOldArchivesLeavesDevicesRestoredOrArchivedAgainSinceThePlan() throws {
        let first = try archive([1, 2], at: daysAgo(40))
        let second = try archive([3], at: daysAgo(40))
        _ = try archive([4], at: daysAgo(40))
        let plan = try service().planPurgeOfArchived(olderThan: 30 * 86_400, actor: admin)
        #expect(plan.allowedIDs == [1, 2, 3, 4])

        // Between the plan and its execution, an operator undoes two archives and device 3
        // is archived again today, after the cutoff.
        _ = try service().undo(first.id, actor: admin)
        _ = try service().undo(second.id, actor: admin)
        _ = try archive([3])

        let record = try service().execute(plan, as: plan.actor, bulk: true)
        #expect(record.items.map(\.outcome) == [.changed, .changed, .changed, .purged])
        #expect(record.items[0].reason?.contains("client status ARCHIVED → AVAILABLE") == true)
        #expect(record.items[2].reason?.contains("archived at") == true)
        #expect(try device(1)?.clientStatus == .available)
        #expect(try device(2)?.clientStatus == .available)
        #expect(try device(3)?.clientStatus == .archived)
        #expect(try device(4) == nil)
    }

    @Test func aRetentionPurgeOfDevicesRestoredBeforeThePlanFindsNothing() throws {
        let old = try archive([1], at: daysAgo(40))
        _ = try service().undo(old.id, actor: admin)
        let plan = try service().planPurgeOfArchived(olderThan: 30 * 86_400, actor: admin)
        #expect(plan.items.isEmpty)
    }

    @Test func aRetentionUnderADayIsRefused() throws {
        _ = try archive([1])
        for age: TimeInterval in [0, 60, 23 * 3_600] {
            #expect(throws: DeletionError.retentionTooShort(age)) {
                try service().planPurgeOfArchived(olderThan: age, actor: admin)
            }
        }
        #expect(try device(1)?.clientStatus == .archived)
    }

    @Test func aSelectionRefusesWhatNoLongerMeetsIt() {
        let cutoff = daysAgo(30)
        let selection = DeletionPlan.Selection.archivedBefore(cutoff)
        func facts(_ status: ClientStatus, _ at: Date?) -> DeviceFacts {
            DeviceFacts(
                id: 1, name: nil, serialNumber: nil, clientStatus: status, rented: false,
                mdmStatus: nil, activeSessions: 0, archivedAt: at)
        }
        #expect(selection.refusal(facts(.archived, daysAgo(31))) == nil)
        #expect(selection.refusal(facts(.archived, daysAgo(29))) != nil)
        #expect(selection.refusal(facts(.available, nil)) != nil)
        #expect(DeletionPlan.Selection.keys.refusal(facts(.available, nil)) == nil)
    }

    // MARK: - Every mode

    @Test func anArchivePlannedBeforeAnotherAdminArchivedIsChangedAndRecordedAsAFailure() throws {
        let plan = try service().plan(ids: [1], mode: .archive, actor: admin)
        let bobs = try archive([1], by: bob)
        let record = try service().execute(plan, as: plan.actor, bulk: false)
        #expect(record.items.map(\.outcome) == [.changed])
        #expect(record.items[0].reason?.contains("client status AVAILABLE → ARCHIVED") == true)
        #expect(record.status == .failure, "nothing changed: not a SUCCESS")
        #expect(record.error == "nothing was applied: 1 changed")
        let kept = try #require(try store.read { try $0.transaction(id: record.id) })
        #expect(kept.status == .failure && kept.user == "alice")
        #expect(kept.items.map(\.outcome) == [.changed])
        #expect(try store.read { try $0.undoStack(user: nil, limit: nil) }.map(\.id) == [bobs.id])
    }

    @Test func aCallWhoseItemsAllAlreadyHeldRecordsNothing() throws {
        _ = try archive([1])
        let transactions = try count(store, "transactions")
        let record = try archive([1])
        #expect(record.items.map(\.outcome) == [.alreadyArchived])
        #expect(record.id == 0)
        #expect(try count(store, "transactions") == transactions)
    }

    @Test func anUnenrollPlannedBeforeAnotherUnenrollIsChanged() throws {
        let plan = try service().plan(ids: [2, 3], mode: .unenroll, actor: admin)
        let s = service()
        _ = try s.execute(s.plan(ids: [2], mode: .unenroll, actor: bob), as: bob, bulk: false)
        let record = try service().execute(plan, as: plan.actor, bulk: false)
        #expect(record.items.map(\.outcome) == [.changed, .unenrolled])
        #expect(record.items[0].reason?.contains("MDM status ENROLLED → UNENROLLED") == true)
        #expect(record.id != 0)
    }

    @Test func aPurgeOfADeviceRestoredSinceThePlanLeavesIt() throws {
        let old = try archive([5])
        let plan = try service().plan(ids: [5, 6], mode: .purge, actor: admin)
        _ = try service().undo(old.id, actor: admin)
        let record = try service().execute(plan, as: plan.actor, bulk: true)
        #expect(record.items.map(\.outcome) == [.changed, .purged])
        #expect(try device(5)?.clientStatus == .available)
    }

    // MARK: - Bulk

    @Test func aPurgeOfSeveralDevicesWithoutBulkWritesNothing() throws {
        let plan = try service().plan(ids: [1, 2], mode: .purge, actor: admin)
        #expect(throws: DeletionError.self) {
            try service().execute(plan, as: plan.actor, bulk: false)
        }
        #expect(try count(store, "transactions") == 0)
        #expect(try device(1) != nil && device(2) != nil)
        let one = try service().plan(ids: [1], mode: .purge, actor: admin)
        #expect(
            try service().execute(one, as: one.actor, bulk: false).items.map(\.outcome) == [.purged]
        )
    }

    // MARK: - Undo is yours

    @Test func undoTakesTheActorsOwnNewestArchive() throws {
        let mine = try archive([1, 2], by: admin)
        let bobs = try archive([3], by: bob)
        let restore = try service().undo(actor: admin)
        #expect(restore.undoes == mine.id)
        #expect(try device(3)?.clientStatus == .archived, "bob's archive is untouched")
        #expect(try device(1)?.clientStatus == .available)
        let bobsUndo = try service().undo(actor: bob)
        #expect(bobsUndo.undoes == bobs.id)
    }

    @Test func undoWithNothingOfYoursNamesTheNewestArchiveAndItsUser() throws {
        let bobs = try archive([3], by: bob)
        #expect(throws: UndoError.nothingOfYours("alice", newestArchive: bobs.id, by: "bob")) {
            try service().undo(actor: admin)
        }
        #expect(try device(3)?.clientStatus == .archived)
        let restore = try service().undo(bobs.id, actor: admin)
        #expect(restore.items.map(\.outcome) == [.restored])
        #expect(restore.user == "alice")
    }

    @Test func undoWhoseNewestIsAPurgeNamesAnyonesNewestArchive() throws {
        let bobs = try archive([3], by: bob)
        let s = service()
        _ = try s.execute(s.plan(ids: [4], mode: .purge, actor: admin), as: admin, bulk: false)
        #expect(throws: UndoError.nothingOfYours("alice", newestArchive: bobs.id, by: "bob")) {
            try service().undo(actor: admin)
        }
    }

    @Test func undoStackIsPerUser() throws {
        let a = try archive([1], by: admin)
        let b = try archive([2], by: bob)
        #expect(try store.read { try $0.undoStack(user: "alice", limit: nil) }.map(\.id) == [a.id])
        #expect(try store.read { try $0.undoStack(user: "bob", limit: nil) }.map(\.id) == [b.id])
        #expect(
            try store.read { try $0.undoStack(user: nil, limit: nil) }.map(\.id) == [b.id, a.id])
    }
}
