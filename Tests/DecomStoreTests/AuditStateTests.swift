import DecomCore
import Foundation
import GRDB
import Testing

@testable import DecomStore

/// What an audit row keeps (``AuditState``, schema 10): an archive and a restore keep only
/// what they change, and `audit_entries` still shows each row's whole state before its change,
/// whatever happened to the device afterwards; a schema 9 file keeps its whole-state rows,
/// and its archives are undone as before.
@Suite struct AuditStateTests {
    func service(_ store: SQLiteFleetStore) -> DeletionService {
        DeletionService(store: store, clock: { testNow })
    }

    func archive(_ store: SQLiteFleetStore, _ ids: [Int64]) throws -> TransactionRecord {
        let deletions = service(store)
        return try deletions.execute(
            try deletions.plan(ids: ids, mode: .archive, actor: admin), as: admin, bulk: false)
    }

    /// The `before` of the audit row of `device` in `transaction`, as one JSON object.
    func before(_ store: SQLiteFleetStore, transaction: Int64, device: Int64) throws -> String {
        let text = try store.database.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT before FROM audit_entries WHERE transaction_id = ? AND device_id = ?",
                arguments: [transaction, device])
        }
        return try #require(text)
    }

    func decoded<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            return try #require(StoreDate.date(text))
        }
        return try decoder.decode(type, from: Data(json.utf8))
    }

    struct AuditedSessions: Decodable {
        struct Token: Decodable, Equatable {
            var token_id: String
            var suspended_by: Int64?
        }
        var sessions: [Token]
    }

    @Test func anArchiveKeepsOnlyTheColumnsItChanges() throws {
        let store = try makeStore([makeRecord(1)])
        let archived = try archive(store, [1])
        let row = try #require(
            try store.database.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT * FROM audit WHERE transaction_id = ?",
                    arguments: [archived.id])
            })
        #expect(row["kept"] == "changed")
        #expect(row["client_status"] == "AVAILABLE")
        #expect(row["archived_at"] == nil as String?)
        #expect((row["sessions"] as String?)?.contains("tok-1-a") == true)
        for column in ["name", "serial_number", "device_status", "mdm_status", "mac_addresses"] {
            #expect(row[column] == nil as String?, "\(column) is not copied")
        }
    }

    @Test func theViewShowsTheWholeStateBeforeAnArchiveWhateverCameAfter() throws {
        let store = try makeStore([makeRecord(1), makeRecord(2), makeRecord(3)])
        let archived = try archive(store, [1, 2, 3])
        // Device 1 is left as it is; device 2 is renamed by an import's update, then
        // unenrolled; device 3 is purged. The archive's `before` is the state before it.
        try store.write { w in
            let id = try w.begin(.import, actor: admin, at: testNow, source: "again.json")
            var renamed = makeDevice(2)
            renamed.clientStatus = .archived
            renamed.archivedAt = testNow
            renamed.name = "RENAMED-2"
            try w.update([renamed], transaction: id, actor: admin, at: testNow)
            try w.finish(
                id, status: .success,
                items: [ItemResult(key: "2", deviceId: 2, outcome: .updated)], at: testNow)
        }
        let deletions = service(store)
        _ = try deletions.execute(
            try deletions.plan(ids: [2], mode: .unenroll, actor: admin), as: admin, bulk: false)
        _ = try deletions.execute(
            try deletions.plan(ids: [3], mode: .purge, actor: admin), as: admin, bulk: false)

        for id: Int64 in [1, 2, 3] {
            let json = try before(store, transaction: archived.id, device: id)
            #expect(try decoded(Device.self, json) == makeDevice(id), "device \(id)")
            let sessions = try decoded(AuditedSessions.self, json).sessions
            #expect(
                sessions == [
                    .init(token_id: "tok-\(id)-a", suspended_by: nil),
                    .init(token_id: "tok-\(id)-b", suspended_by: nil),
                ], "device \(id): its sessions before the archive suspended them")
        }
        #expect(try store.verifyAuditChain().isIntact)
    }

    @Test func theViewShowsTheArchivedStateBeforeARestore() throws {
        let store = try makeStore([makeRecord(1)])
        let archived = try archive(store, [1])
        let restored = try service(store).undo(actor: admin)
        let json = try before(store, transaction: restored.id, device: 1)
        var expected = makeDevice(1)
        expected.clientStatus = .archived
        expected.archivedAt = testNow
        #expect(try decoded(Device.self, json) == expected)
        #expect(
            try decoded(AuditedSessions.self, json).sessions.map(\.suspended_by) == [
                archived.id, archived.id,
            ])
        #expect(try store.read { try $0.device(id: 1) } == makeDevice(1))
    }

    @Test func aChangedRowPassedOffAsAWholeOneBreaksTheChain() throws {
        let store = try makeStore([makeRecord(1)])
        _ = try archive(store, [1])
        try store.database.write { db in
            try db.execute(sql: "DROP TRIGGER audit_no_update")
            try db.execute(sql: "UPDATE audit SET kept = NULL")
        }
        let report = try store.verifyAuditChain()
        #expect(report.breaks.first?.kind == "audit row")
    }

    // MARK: - A schema 9 file

    /// A fleet file at schema 9 with devices 1 to 3, device 1 and 2 archived as schema 9 did
    /// it: a whole-state audit row a device (the statement ``AuditState/insert`` makes for a
    /// ``AuditState/Kept/whole`` row is schema 9's), undo rows, sessions suspended.
    func schema9File() throws -> (path: String, archive: Int64) {
        let path = try temporaryFolder().appendingPathComponent("fleet.sqlite").path
        var config = Configuration()
        config.prepareDatabase { db in try AuditChain.register(db) }
        let queue = try DatabaseQueue(path: path, configuration: config)
        try FleetSchema.migrator.migrate(queue, upTo: "v9 undo entries by device")
        let archive = try queue.write { db -> Int64 in
            let writer = SQLiteFleetWriter(db: db)
            try writer.insert([makeRecord(1), makeRecord(2), makeRecord(3)])
            let id = try writer.begin(.archive, actor: admin, at: testNow, undoes: nil)
            let ids = "[1,2]"
            try db.execute(sql: AuditChain.startSQL)
            try db.execute(
                sql: AuditState.insert(condition: "d.client_status <> 'ARCHIVED'"),
                arguments: [
                    id, "ARCHIVE", admin.user, admin.role.rawValue, StoreDate.text(testNow), ids,
                ])
            try db.execute(
                sql: """
                    INSERT INTO undo_entries
                        (transaction_id, device_id, previous_client_status, previous_archived_at)
                    SELECT ?1, id, client_status, archived_at FROM devices
                    WHERE id IN (SELECT value FROM json_each(?2))
                    """, arguments: [id, ids])
            try db.execute(
                sql: """
                    UPDATE sessions SET suspended_by = ?1
                    WHERE device_id IN (SELECT value FROM json_each(?2)) AND suspended_by IS NULL
                    """, arguments: [id, ids])
            try db.execute(
                sql: """
                    UPDATE devices SET client_status = 'ARCHIVED', archived_at = ?2
                    WHERE id IN (SELECT value FROM json_each(?1))
                    """, arguments: [ids, StoreDate.text(testNow)])
            try writer.finish(
                id, status: .success,
                items: [Int64(1), 2].map {
                    ItemResult(key: String($0), deviceId: $0, outcome: .archived)
                },
                at: testNow)
            return id
        }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") } == 9)
        try queue.close()
        return (path, archive)
    }

    @Test func aSchema9ArchiveIsUndoneAndItsAuditStillVerifies() throws {
        let (path, archive) = try schema9File()
        let store = try SQLiteFleetStore(path: path)
        #expect(try store.schemaVersion() == FleetSchema.version)
        #expect(try store.verifyAuditChain().isIntact, "the migration changes no hashed value")
        // The old rows keep their whole state, and show it.
        let kept = try store.database.read { db in
            try String.fetchAll(db, sql: "SELECT coalesce(kept, 'whole') FROM audit ORDER BY id")
        }
        #expect(kept == ["whole", "whole"])
        #expect(
            try decoded(Device.self, before(store, transaction: archive, device: 1))
                == makeDevice(1))

        let undo = try service(store).undo(actor: admin)

        #expect(undo.undoes == archive)
        #expect(undo.items.map(\.outcome) == [.restored, .restored])
        for id: Int64 in [1, 2] {
            #expect(try store.read { try $0.device(id: id) } == makeDevice(id))
            #expect(
                try store.read { try $0.sessions(deviceId: id) }.allSatisfy {
                    $0.suspendedBy == nil
                })
        }
        // The restore's rows are the new shape, and show the archived state before it.
        var archived = makeDevice(2)
        archived.clientStatus = .archived
        archived.archivedAt = testNow
        #expect(
            try decoded(Device.self, before(store, transaction: undo.id, device: 2)) == archived)
        #expect(try store.verifyAuditChain().isIntact)
        // And a new archive after the migration is undone as well.
        _ = try self.archive(store, [3])
        _ = try service(store).undo(actor: admin)
        #expect(try store.read { try $0.device(id: 3) } == makeDevice(3))
        #expect(try store.verifyAuditChain().isIntact)
    }
}
