import DecomCore
import Foundation
import GRDB
import Testing

@testable import DecomStore

/// The audit's hash chains (``AuditChain``) on real SQLite files: intact after every kind of
/// change, computed for the rows of a migrated database, and broken by a hand edit at the
/// row that was edited.
@Suite struct AuditChainTests {
    func service(_ store: SQLiteFleetStore) -> DeletionService {
        DeletionService(store: store, clock: { testNow })
    }

    /// A store after an import, an archive of three, its undo, a purge, an unenroll, a
    /// failure and a seed.
    func workedStore() throws -> SQLiteFleetStore {
        let store = try makeStore()
        let file = try JSONSerialization.data(
            withJSONObject: (1...6).map { id in
                [
                    "id": id, "client_status": "AVAILABLE", "device_status": "ACTIVE",
                    "name": "D-\(id)", "mac_addresses": ["00:00:00:00:00:0\(id)"],
                    "mdm": ["id": 100 + id, "status": "ENROLLED"],
                ] as [String: Any]
            })
        try FleetImport.run(file, into: store, source: "six.json", actor: admin)
        let deletions = service(store)
        _ = try deletions.execute(
            try deletions.plan(ids: [1, 2, 3], mode: .archive, actor: admin), as: admin, bulk: false
        )
        _ = try deletions.undo(actor: admin)
        _ = try deletions.execute(
            try deletions.plan(ids: [4], mode: .purge, actor: admin), as: admin, bulk: false)
        _ = try deletions.execute(
            try deletions.plan(ids: [5], mode: .unenroll, actor: admin), as: admin, bulk: false)
        _ = try store.recordFailure(
            .archive, actor: admin, at: testNow, error: "disk full",
            items: [ItemResult(key: "6", deviceId: 6, outcome: .failed)])
        _ = try Seeder.seed(store: store, count: 30, seed: 3, actor: operatorActor, now: testNow)
        return store
    }

    func edit(_ store: SQLiteFleetStore, _ sql: String) throws {
        try store.database.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_no_update")
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_no_delete")
            try db.execute(sql: sql)
        }
    }

    @Test func bothChainsHoldAfterEveryKindOfChange() throws {
        let store = try workedStore()
        let report = try store.verifyAuditChain()
        #expect(report.isIntact, "\(report.breaks)")
        #expect(report.auditRows == 3 + 3 + 1 + 1)
        #expect(report.transactions == 7)
        #expect(report.transactionHead?.count == 64)
    }

    @Test func aChangedAuditRowIsTheFirstBreak() throws {
        let store = try workedStore()
        try edit(store, "UPDATE audit SET serial_number = 'forged' WHERE id = 2")
        let report = try store.verifyAuditChain()
        #expect(report.breaks.first?.kind == "audit row")
        #expect(report.breaks.first?.id == 2)
        #expect(report.breaks.count == 1, "the transactions hash only the last row's hash")
    }

    @Test func aRemovedAuditRowBreaksTheChainAtTheNextRow() throws {
        let store = try workedStore()
        try edit(store, "DELETE FROM audit WHERE id = 4")
        let report = try store.verifyAuditChain()
        #expect(report.breaks.first?.id == 5)
        #expect(report.breaks.first?.reason.contains("audit row 4 is missing") == true)
    }

    @Test func aChangedTransactionOrItemIsNamed() throws {
        let store = try workedStore()
        try edit(store, "UPDATE transactions SET role = 'viewer' WHERE id = 4")
        #expect(try store.verifyAuditChain().breaks.map(\.id) == [4])
        try edit(store, "UPDATE transactions SET role = 'admin' WHERE id = 4")
        #expect(try store.verifyAuditChain().isIntact)
        try edit(store, "UPDATE transaction_items SET device_name = 'x' WHERE transaction_id = 7")
        #expect(try store.verifyAuditChain().breaks.map(\.id) == [7])
    }

    @Test func aTransactionRemovedOrAddedByHandIsNamed() throws {
        let store = try workedStore()
        try edit(store, "DELETE FROM transaction_items WHERE transaction_id = 6")
        try edit(store, "DELETE FROM transactions WHERE id = 6")
        let removed = try store.verifyAuditChain()
        #expect(removed.breaks.map(\.id) == [7])
        #expect(removed.breaks.first?.reason.contains("transaction 6 is missing") == true)
        let added = try workedStore()
        try edit(
            added,
            """
            INSERT INTO transactions (type, status, user, role, created_at, updated_at)
            VALUES ('ARCHIVE', 'SUCCESS', 'eve', 'admin', 'x', 'x')
            """)
        #expect(try added.verifyAuditChain().breaks.map(\.id) == [8])
    }

    @Test func writesWithoutTheChainAreCaught() throws {
        let store = try workedStore()
        store.benchmarkWithoutAuditChain()
        let deletions = service(store)
        _ = try deletions.execute(
            try deletions.plan(ids: [2], mode: .archive, actor: admin), as: admin, bulk: false)
        let report = try store.verifyAuditChain()
        #expect(report.breaks.map(\.kind) == ["audit row", "transaction"])
        #expect(report.breaks.allSatisfy { $0.reason.contains("no hash") })
    }

    @Test func aVersion3DatabaseWithRowsIsChainedByTheMigration() throws {
        let path = try temporaryFolder().appendingPathComponent("fleet.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try FleetSchema.migrator.migrate(queue, upTo: "v3 audit state as columns")
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO devices (id, name, client_status, device_status)
                            VALUES (7, 'old', 'ARCHIVED', 'ACTIVE');
                        INSERT INTO transactions (id, type, status, user, role, created_at,
                                                  updated_at)
                            VALUES (40, 'ARCHIVE', 'SUCCESS', 'eve', 'admin', 'x', 'x');
                        INSERT INTO transactions (id, type, status, user, role, created_at,
                                                  updated_at, undoes)
                            VALUES (41, 'RESTORE', 'SUCCESS', 'eve', 'admin', 'x', 'x', 40);
                        UPDATE transactions SET undone_by = 41 WHERE id = 40;
                        INSERT INTO transaction_items VALUES (40, 1, '7', 7, 'old', 'archived', NULL);
                        INSERT INTO audit (id, transaction_id, device_id, action, actor, role, at,
                                           name, client_status)
                            VALUES (90, 40, 7, 'ARCHIVE', 'eve', 'admin', 'x', 'old', 'IN_SERVICE');
                        INSERT INTO audit (id, transaction_id, device_id, action, actor, role, at,
                                           before)
                            VALUES (91, 41, 7, 'RESTORE', 'eve', 'admin', 'x', '{"id":7}');
                        """)
            }
        }
        let store = try SQLiteFleetStore(path: path)
        #expect(try store.schemaVersion() == FleetSchema.version)
        let before = try store.verifyAuditChain()
        #expect(before.isIntact, "\(before.breaks)")
        #expect(before.auditRows == 2 && before.transactions == 2)
        // Still append-only after the migration rebuilt its trigger.
        #expect(throws: DatabaseError.self) {
            try store.database.write { db in try db.execute(sql: "UPDATE audit SET actor = 'x'") }
        }
        // New rows chain on from the migrated ones.
        try store.write { w in
            let id = try w.begin(.purge, actor: admin, at: testNow, undoes: nil)
            try w.purge(ids: [7], transaction: id, actor: admin, at: testNow)
            try w.finish(id, status: .success, items: [], at: testNow)
        }
        #expect(try store.verifyAuditChain().isIntact)
        try edit(store, "UPDATE audit SET actor = 'mallory' WHERE id = 90")
        #expect(try store.verifyAuditChain().breaks.first?.id == 90)
    }
}
