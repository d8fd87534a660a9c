import DecomCore
import Foundation
import GRDB
import Testing

@testable import DecomStore

/// Seed 004's opt 2, "archive record and uninstall agent" (``DeletionMode/archiveAndUnenroll``):
/// one transaction that archives and unenrolls; its undo restores the record and leaves the
/// agent unenrolled.
@Suite struct ArchiveAndUnenrollTests {
    let store: SQLiteFleetStore

    init() throws {
        store = try makeStore([
            makeRecord(1),
            makeRecord(2, mdmStatus: nil),
            makeRecord(3, clientStatus: .archived),
            makeRecord(4, clientStatus: .archived, mdmStatus: nil),
            makeRecord(5, mdmStatus: .deviceWipePending),
        ])
    }

    var service: DeletionService { DeletionService(store: store, clock: { testNow }) }

    func device(_ id: Int64) throws -> Device? { try store.read { try $0.device(id: id) } }

    func auditActions(of transaction: Int64) throws -> [String] {
        try store.database.read { db in
            try String.fetchAll(
                db,
                sql:
                    "SELECT action || ' ' || device_id FROM audit WHERE transaction_id = ? ORDER BY id",
                arguments: [transaction])
        }
    }

    func archiveAndUnenroll(_ ids: [Int64], by actor: Actor = operatorActor) throws
        -> TransactionRecord
    {
        try service.execute(
            try service.plan(ids: ids, mode: .archiveAndUnenroll, actor: actor), as: actor,
            bulk: false)
    }

    @Test func archivesAndUnenrollsInOneTransactionItemByItem() throws {
        let record = try archiveAndUnenroll([1, 2, 3, 4, 5])
        #expect(record.type == .archiveUnenroll && record.status == .success)
        #expect(
            record.items.map(\.outcome) == [
                .archivedUnenrolled, .archived, .unenrolled, .alreadyArchived, .forbidden,
            ])
        #expect(record.items[1].reason == "no MDM agent to remove")
        let one = try #require(try device(1))
        #expect(one.clientStatus == .archived && one.archivedAt == testNow)
        #expect(one.mdm?.status == .unenrolled)
        #expect(try device(2)?.clientStatus == .archived)
        #expect(try device(3)?.mdm?.status == .unenrolled)
        #expect(try device(5)?.clientStatus == .available)
        #expect(try device(5)?.mdm?.status == .deviceWipePending)
        #expect(
            try store.read { try $0.sessions(deviceId: 1) }.allSatisfy {
                $0.suspendedBy == record.id
            })
        // One audit row for each half that changed a device, each with the state before it.
        #expect(
            try auditActions(of: record.id) == [
                "ARCHIVE 1", "ARCHIVE 2", "UNENROLL 1", "UNENROLL 3",
            ])
        #expect(try store.verifyAuditChain().isIntact)
    }

    @Test func undoRestoresTheRecordAndTheAgentStaysUnenrolled() throws {
        let record = try archiveAndUnenroll([1, 2, 3])
        // The operator's newest is this transaction: a plain `undo` finds it.
        let undo = try service.undo(actor: operatorActor)
        #expect(undo.undoes == record.id)
        #expect(undo.items.map(\.deviceId) == [1, 2])
        #expect(undo.items.map(\.outcome) == [.restored, .restored])
        #expect(undo.items.allSatisfy { $0.reason == DeletionService.agentStaysReason })
        let one = try #require(try device(1))
        #expect(one.clientStatus == .available && one.archivedAt == nil)
        #expect(one.mdm?.status == .unenrolled)
        #expect(
            try store.read { try $0.sessions(deviceId: 1) }.allSatisfy { $0.suspendedBy == nil })
        // Device 3 was archived before: it stays archived, its agent unenrolled.
        #expect(try device(3)?.clientStatus == .archived)
        #expect(try device(3)?.mdm?.status == .unenrolled)
        #expect(throws: UndoError.alreadyUndone(record.id, by: undo.id)) {
            try service.undo(record.id, actor: operatorActor)
        }
        #expect(try store.verifyAuditChain().isIntact)
    }

    @Test func operatorsMayViewersMayNot() throws {
        let refused = try archiveAndUnenroll([1], by: viewer)
        #expect(refused.id == 0 && refused.items.map(\.outcome) == [.insufficientScope])
        #expect(try device(1)?.mdm?.status == .enrolled)
        #expect(Role.operator.may(DeletionMode.archiveAndUnenroll))
        #expect(
            try archiveAndUnenroll([1], by: admin).items.map(\.outcome) == [.archivedUnenrolled])
    }

    @Test func aQueuedArchiveAndUnenrollRunsAsTheSynchronousOne() throws {
        let queue = DeletionQueue(service: service)
        defer { queue.stop() }
        let plan = try service.plan(ids: [1], mode: .archiveAndUnenroll, actor: operatorActor)
        let pending = try queue.submit(plan, as: operatorActor, bulk: false)
        #expect(pending.type == .archiveUnenroll)
        queue.waitUntilDrained()
        let done = try #require(try store.read { try $0.transaction(id: pending.id) })
        #expect(done.items.map(\.outcome) == [.archivedUnenrolled])
        #expect(try device(1)?.mdm?.status == .unenrolled)
    }
}
