import DecomCore
import Foundation
import GRDB
import Testing

@testable import DecomStore

/// The bulk path of `decom seed` and `decom import` (``SQLiteFleetWriter/bulkLoad(_:)`` and
/// its `insert`) stores exactly the rows that the per-row GRDB inserts it replaced stored, and
/// leaves the same indexes, whole and consistent.
@Suite struct BulkLoadTests {
    static let deviceTables = [
        "devices", "characteristics", "mdm_enrollments", "device_macs", "sessions",
        "device_events",
    ]

    @Test func aSeedOfAnEmptyFleetStoresWhatPerRowInsertsStored() throws {
        let bulk = try makeStore()
        _ = try Seeder.seed(store: bulk, count: 2_500, seed: 7, actor: admin, now: testNow)
        let reference = try makeStore()
        try Self.insertRowByRow(
            DemoFleet.generate(count: 2_500, seed: 7, firstId: 1, now: testNow), into: reference)
        try Self.expectSameDevices(bulk, reference)
    }

    @Test func aSeedAfterDevicesAlreadyThereStoresWhatPerRowInsertsStored() throws {
        let records = DemoFleet.generate(count: 300, seed: 5, firstId: 1, now: testNow)
        let bulk = try makeStore(records)
        let added = try Seeder.seed(store: bulk, count: 400, seed: 7, actor: admin, now: testNow)
        #expect(added.ids == 301...700)
        let reference = try makeStore()
        try Self.insertRowByRow(records, into: reference)
        // The seed Seeder mixes with the first id of a fleet that is not empty.
        let mixed = UInt64(7) ^ (UInt64(301) &* 0x9E37_79B9_7F4A_7C15)
        try Self.insertRowByRow(
            DemoFleet.generate(count: 400, seed: mixed, firstId: 301, now: testNow),
            into: reference)
        try Self.expectSameDevices(bulk, reference)
    }

    /// Text a device may hold (quotes, control characters, other scripts, an emoji) and
    /// every optional field empty: bound as GRDB bound it.
    @Test func anImportOfAwkwardValuesStoresWhatPerRowInsertsStored() throws {
        var odd = makeRecord(2)
        odd.device.name = "Robert'); DROP TABLE devices;--\t\u{1b}[31m é 東京 🖥"
        odd.device.comment = "line\nbreak \"quoted\" back\\slash"
        odd.device.mdm = nil
        odd.device.characteristics = Characteristics()
        odd.device.lastSeen = nil
        odd.device.macAddresses = ["AA-BB-CC-00-11-22"]
        let records = [makeRecord(1), odd, makeRecord(3, mdmStatus: .unenrolled)]
        let bulk = try makeStore()
        try bulk.write { writer in try writer.bulkLoad { try writer.insert(records) } }
        let reference = try makeStore()
        try Self.insertRowByRow(records, into: reference)
        try Self.expectSameDevices(bulk, reference)
    }

    @Test func aFailedBulkLoadLeavesTheFleetAndItsIndexesAsTheyWere() throws {
        let store = try makeStore()
        let before = try Self.indexes(store)
        // The same MAC address twice: the unique index, kept during the load, refuses it.
        var twin = makeRecord(2)
        twin.device.macAddresses = makeRecord(1).device.macAddresses
        #expect(throws: DatabaseError.self) {
            try store.write { writer in
                try writer.bulkLoad { try writer.insert([makeRecord(1), twin]) }
            }
        }
        #expect(try count(store, "devices") == 0)
        #expect(try Self.indexes(store) == before)
    }

    // MARK: - Helpers

    static func expectSameDevices(_ bulk: SQLiteFleetStore, _ reference: SQLiteFleetStore)
        throws
    {
        for table in deviceTables {
            let ours = try dump(table, bulk)
            #expect(!ours.isEmpty, "\(table) has rows")
            #expect(ours == (try dump(table, reference)), "\(table)")
        }
        #expect(try indexes(bulk) == indexes(reference))
        let check = try bulk.database.read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check")
        }
        #expect(check == ["ok"], "every index holds exactly its table's rows")
    }

    /// Every row of a table, rowid first, in rowid order.
    static func dump(_ table: String, _ store: SQLiteFleetStore) throws -> [[DatabaseValue]] {
        try store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT rowid, * FROM \(table) ORDER BY rowid").map {
                Array($0.databaseValues)
            }
        }
    }

    /// Every index by name, with the SQL that made it (nil for a constraint's own).
    static func indexes(_ store: SQLiteFleetStore) throws -> [String: String?] {
        try store.database.read { db in
            Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(
                    db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                ).map { ($0["name"] as String, $0["sql"] as String?) })
        }
    }

    /// The insert as it was before the bulk path: one GRDB statement execution a row, its
    /// values through ``DeviceColumns``.
    static func insertRowByRow(_ records: [DeviceRecord], into store: SQLiteFleetStore) throws {
        try store.writeDatabase { db, _ in
            let devices = try db.makeStatement(
                sql:
                    "INSERT INTO devices (\(DeviceColumns.device.joined(separator: ", "))) VALUES ("
                    + SQLiteFleetWriter.placeholders(DeviceColumns.device.count) + ")")
            let characteristics = try db.makeStatement(
                sql: "INSERT INTO characteristics (device_id, "
                    + DeviceColumns.characteristics.joined(separator: ", ") + ") VALUES ("
                    + SQLiteFleetWriter.placeholders(DeviceColumns.characteristics.count + 1) + ")")
            let mdm = try db.makeStatement(
                sql: "INSERT INTO mdm_enrollments (" + DeviceColumns.mdm.joined(separator: ", ")
                    + ", device_id) VALUES ("
                    + SQLiteFleetWriter.placeholders(DeviceColumns.mdm.count + 1) + ")")
            let macs = try db.makeStatement(
                sql: "INSERT INTO device_macs (device_id, position, mac) VALUES (?, ?, ?)")
            let sessions = try db.makeStatement(
                sql: """
                    INSERT INTO sessions
                        (token_id, device_id, user, created_at, last_used_at, suspended_by)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            let events = try db.makeStatement(
                sql: "INSERT INTO device_events (device_id, at, kind, detail) VALUES (?, ?, ?, ?)")
            for record in records {
                let d = record.device
                try devices.execute(arguments: StatementArguments(DeviceColumns.deviceValues(d)))
                try characteristics.execute(
                    arguments: StatementArguments(
                        DeviceColumns.characteristicsValues(d.id, d.characteristics)))
                if let m = d.mdm {
                    try mdm.execute(
                        arguments: StatementArguments(DeviceColumns.mdmValues(d.id, m)))
                }
                for (position, mac) in d.macAddresses.enumerated() {
                    try macs.execute(arguments: [
                        d.id, position, DeviceKey.normalizeMAC(mac) ?? mac,
                    ])
                }
                for s in record.sessions {
                    try sessions.execute(arguments: [
                        s.tokenId, d.id, s.user, StoreDate.text(s.createdAt),
                        s.lastUsedAt.map(StoreDate.text), s.suspendedBy,
                    ])
                }
                for e in record.events {
                    try events.execute(arguments: [d.id, StoreDate.text(e.at), e.kind, e.detail])
                }
            }
        }
    }
}
