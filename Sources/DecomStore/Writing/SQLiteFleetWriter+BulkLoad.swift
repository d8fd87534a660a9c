import DecomCore
import Foundation
import GRDB
import GRDBSQLite

// MARK: - Bulk load

extension SQLiteFleetWriter {
    /// The page cache of a bulk load, in KiB (negative, as `PRAGMA cache_size` takes it):
    /// 1 GiB while the load runs, the writer's 64 MiB again after it.
    ///
    /// A fleet's unique indexes (MAC addresses, session tokens, labels) take the rows in an
    /// order unrelated to their keys, so every insert lands on another page; at 10,000,000
    /// devices they hold about a gigabyte, and with the writer's usual cache each insert read
    /// its page again through the OS and spilt a dirty one to the WAL.
    static let bulkCacheKiB = -1_048_576
    static let usualCacheKiB = -65_536

    /// See ``FleetWriter/bulkLoad(_:)``. When the fleet has no device yet, the secondary
    /// indexes of the device tables that constrain nothing (`devices_serial`,
    /// `devices_last_seen`, …) are dropped for the load and created again from their own SQL
    /// after it: SQLite then sorts each once rather than inserting ten million random keys
    /// into a B-tree (SQLite's advice for bulk loads). Unique indexes stay, so a duplicate is
    /// refused as it would be otherwise. All of it happens inside the writer's transaction: a
    /// load that fails rolls back the dropped indexes with everything else, and they are
    /// created again even then, should a caller go on.
    func bulkLoad<T>(_ body: () throws -> T) throws -> T {
        let empty = try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM devices)") ?? false)
        let deferred = empty ? try deferrableIndexes() : []
        for index in deferred {
            try db.execute(sql: "DROP INDEX \(index.name.quotedDatabaseIdentifier)")
        }
        try db.execute(sql: "PRAGMA cache_size = \(Self.bulkCacheKiB)")
        let result: Result<T, any Error> = Result { try body() }
        try db.execute(sql: "PRAGMA cache_size = \(Self.usualCacheKiB)")
        for index in deferred { try db.execute(sql: index.sql) }
        return try result.get()
    }

    /// The indexes of the tables a device's rows go to that constrain nothing, with the SQL
    /// that made them, in the schema's order.
    private func deferrableIndexes() throws -> [(name: String, sql: String)] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT name, sql FROM sqlite_master
                WHERE type = 'index' AND sql IS NOT NULL
                  AND tbl_name IN ('devices', 'characteristics', 'mdm_enrollments',
                                   'device_macs', 'sessions', 'device_events')
                  AND sql NOT LIKE 'CREATE UNIQUE%'
                ORDER BY rowid
                """
        ).map { (name: $0["name"], sql: $0["sql"]) }
    }

    // MARK: - Insert

    /// See ``FleetWriter/insert(_:)``. Each table's statement is prepared once a call and its
    /// values bound one by one through SQLite's C API: binding through an array of
    /// `DatabaseValueConvertible` (an allocation and a dynamic cast a value) was a sixth of a
    /// seed. Values are bound as GRDB binds them (text, 64-bit integers, booleans as 0 or 1,
    /// dates as ``StoreDate``), so the rows are the same.
    func insert(_ records: [DeviceRecord]) throws {
        let devices = try RowStatement(
            db,
            "INSERT INTO devices (\(DeviceColumns.device.joined(separator: ", "))) VALUES ("
                + Self.placeholders(DeviceColumns.device.count) + ")")
        let characteristics = try RowStatement(
            db,
            "INSERT INTO characteristics (device_id, "
                + DeviceColumns.characteristics.joined(separator: ", ") + ") VALUES ("
                + Self.placeholders(DeviceColumns.characteristics.count + 1) + ")")
        let mdm = try RowStatement(
            db,
            "INSERT INTO mdm_enrollments (" + DeviceColumns.mdm.joined(separator: ", ")
                + ", device_id) VALUES (" + Self.placeholders(DeviceColumns.mdm.count + 1) + ")")
        let macs = try RowStatement(
            db, "INSERT INTO device_macs (device_id, position, mac) VALUES (?, ?, ?)")
        let sessions = try RowStatement(
            db,
            """
            INSERT INTO sessions (token_id, device_id, user, created_at, last_used_at, suspended_by)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        let events = try RowStatement(
            db, "INSERT INTO device_events (device_id, at, kind, detail) VALUES (?, ?, ?, ?)")
        for record in records {
            let d = record.device
            devices.bind(d.id)
            devices.bind(d.name)
            devices.bind(d.serialNumber)
            devices.bind(d.rent)
            devices.bind(d.trackingNumber)
            devices.bind(d.clientStatus.rawValue)
            devices.bind(d.type)
            devices.bind(d.category)
            devices.bind(d.source)
            devices.bind(d.comment)
            devices.bind(d.label)
            devices.bind(d.hwid)
            devices.bind(d.deviceStatus.rawValue)
            devices.bind(d.lastSeen)
            devices.bind(d.archivedAt)
            try devices.run()

            let c = d.characteristics
            characteristics.bind(d.id)
            characteristics.bind(c.screenSize)
            characteristics.bind(c.graphic)
            characteristics.bind(c.processor)
            characteristics.bind(c.ram)
            characteristics.bind(c.storage)
            characteristics.bind(c.modelYear)
            characteristics.bind(c.connectivity)
            characteristics.bind(c.keyboardLayout?.rawValue)
            characteristics.bind(c.resolution)
            characteristics.bind(c.hasMicrophone)
            characteristics.bind(c.hasWebcam)
            characteristics.bind(c.noiseCancellation)
            characteristics.bind(c.compliance.map(StoreValue.listText))
            characteristics.bind(c.connectionType.map(StoreValue.listText))
            characteristics.bind(c.hasStool)
            characteristics.bind(c.hasVideoPackage)
            characteristics.bind(c.hasScreen)
            characteristics.bind(c.hasPremiumTablet)
            characteristics.bind(c.color)
            characteristics.bind(c.seatsNumber)
            characteristics.bind(c.assembly)
            characteristics.bind(c.osPlatform)
            try characteristics.run()

            if let m = d.mdm {
                mdm.bind(m.id)
                mdm.bind(m.status.rawValue)
                mdm.bind(m.localName)
                mdm.bind(m.isLocked)
                mdm.bind(m.lockDate)
                mdm.bind(m.firewallEnabled)
                mdm.bind(m.osUpdatesEnabled)
                mdm.bind(m.isEncrypted)
                mdm.bind(m.screenlockEnabled)
                mdm.bind(m.isCompromised)
                mdm.bind(m.osUpdatesAvailable)
                mdm.bind(m.diskEncryptionProfileInstalled)
                mdm.bind(m.enrollmentDate)
                mdm.bind(m.unenrollmentDate)
                mdm.bind(m.downloadDate)
                mdm.bind(m.lastSeenDate)
                mdm.bind(m.lastSyncDate)
                mdm.bind(d.id)
                try mdm.run()
            }
            for (position, mac) in d.macAddresses.enumerated() {
                macs.bind(d.id)
                macs.bind(Int64(position))
                macs.bind(DeviceKey.normalizeMAC(mac) ?? mac)
                try macs.run()
            }
            for s in record.sessions {
                sessions.bind(s.tokenId)
                sessions.bind(d.id)
                sessions.bind(s.user)
                sessions.bind(s.createdAt)
                sessions.bind(s.lastUsedAt)
                sessions.bind(s.suspendedBy)
                try sessions.run()
            }
            for e in record.events {
                events.bind(d.id)
                events.bind(e.at)
                events.bind(e.kind)
                events.bind(e.detail)
                try events.run()
            }
        }
    }

    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}

/// One prepared `INSERT` whose values are bound in order, one call a value, and run once a
/// row: SQLite's C API without GRDB's arguments, for the many rows of a bulk insert. The
/// statement is finalized when the value goes away.
final class RowStatement {
    private let connection: OpaquePointer
    private let statement: OpaquePointer
    private let sql: String
    private var next: Int32 = 1

    init(_ db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database is closed")
        }
        self.connection = connection
        self.sql = sql
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &prepared, nil)
        guard code == SQLITE_OK, let prepared else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        statement = prepared
    }

    deinit { sqlite3_finalize(statement) }

    func bind(_ value: Int64?) {
        if let value {
            sqlite3_bind_int64(statement, next, value)
        } else {
            sqlite3_bind_null(statement, next)
        }
        next += 1
    }

    func bind(_ value: Bool?) { bind(value.map { $0 ? 1 : 0 } as Int64?) }

    func bind(_ value: String?) {
        if let value {
            // As GRDB binds a String; SQLITE_TRANSIENT: SQLite copies the text at once.
            sqlite3_bind_text(
                statement, next, value, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        } else {
            sqlite3_bind_null(statement, next)
        }
        next += 1
    }

    func bind(_ value: Date?) { bind(value.map(StoreDate.text)) }

    /// Runs the statement with the values bound since the last run, which must be one for
    /// each of its parameters.
    func run() throws {
        let bound = next - 1
        next = 1
        guard bound == sqlite3_bind_parameter_count(statement) else {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE,
                message: "\(bound) values bound for \(sqlite3_bind_parameter_count(statement))",
                sql: sql)
        }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else {
            let error = DatabaseError(
                resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
                message: String(cString: sqlite3_errmsg(connection)), sql: sql)
            sqlite3_reset(statement)
            throw error
        }
        sqlite3_reset(statement)
    }
}
