import DecomCore
import Foundation
import GRDB

/// The writes of ``SQLiteFleetStore/write(_:)``, all inside the closure's one transaction.
///
/// Every mutation takes its ids as one bound JSON array, writes one audit row for each device
/// it changes (the device's whole state before the change, copied by SQLite itself), and then
/// changes those devices with a few set-wise statements, whatever the number of ids.
struct SQLiteFleetWriter: FleetWriter, FleetConnection {
    let db: Database
    /// The note that tells waiting writers whose transaction holds the lock.
    var note: WriterNote? = nil
    /// Whether audit rows and transactions get their hashes (``AuditChain``); off only for
    /// the benchmark's figure of what the chain costs.
    var chained = true

    // MARK: - Transactions

    func begin(_ type: TransactionType, actor: Actor, at: Date, undoes: Int64?) throws -> Int64 {
        let id = try insertTransaction(
            type, status: .committing, actor: actor, at: at, undoes: undoes)
        note?.describe(user: actor.user, type: type, transaction: id)
        return id
    }

    func begin(_ type: TransactionType, actor: Actor, at: Date, source: String) throws -> Int64 {
        try insertTransaction(
            type, status: .committing, actor: actor, at: at, undoes: nil, source: source)
    }

    func insertTransaction(
        _ type: TransactionType, status: TransactionStatus, actor: Actor, at: Date,
        undoes: Int64?, error: String? = nil, source: String? = nil
    ) throws -> Int64 {
        let when = StoreDate.text(at)
        try db.execute(
            sql: """
                INSERT INTO transactions (type, status, user, role, created_at, updated_at,
                                          undoes, error, source)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                type.rawValue, status.rawValue, actor.user, actor.role.rawValue, when, when,
                undoes, error, source,
            ])
        return db.lastInsertedRowID
    }

    func enqueue(_ type: TransactionType, actor: Actor, at: Date, items: [ItemResult]) throws
        -> Int64
    {
        let id = try insertTransaction(type, status: .pending, actor: actor, at: at, undoes: nil)
        try insertItems(items, transaction: id)
        return id
    }

    func setStatus(_ transaction: Int64, _ status: TransactionStatus, at: Date) throws {
        try db.execute(
            sql: "UPDATE transactions SET status = ?, updated_at = ? WHERE id = ?",
            arguments: [status.rawValue, StoreDate.text(at), transaction])
    }

    func settle(
        _ transaction: Int64, status: TransactionStatus, items: [ItemResult], error: String?,
        at: Date
    ) throws {
        try db.execute(
            sql: "UPDATE transactions SET status = ?, updated_at = ?, error = ? WHERE id = ?",
            arguments: [status.rawValue, StoreDate.text(at), error, transaction])
        try db.execute(
            sql: "DELETE FROM transaction_items WHERE transaction_id = ?", arguments: [transaction])
        try insertItems(items, transaction: transaction)
        try seal(transaction)
    }

    func addItems(_ items: [ItemResult], transaction: Int64) throws {
        try insertItems(items, transaction: transaction)
    }

    func finish(_ transaction: Int64, status: TransactionStatus, items: [ItemResult], at: Date)
        throws
    {
        try db.execute(
            sql: "UPDATE transactions SET status = ?, updated_at = ? WHERE id = ?",
            arguments: [status.rawValue, StoreDate.text(at), transaction])
        try insertItems(items, transaction: transaction)
        try seal(transaction)
    }

    /// Stores the transaction's hash, once it is final (``AuditChain/seal(_:db:)``).
    func seal(_ transaction: Int64) throws {
        if chained { try AuditChain.seal(transaction, db: db) }
    }

    /// Inserts the per-item results, 10,000 to a statement: each batch is bound as one JSON
    /// array of `[key, device id, device name, outcome, reason]` (a statement per item cost a
    /// third of a 10,000-device archive).
    func insertItems(_ items: [ItemResult], transaction: Int64) throws {
        var seq =
            try Int.fetchOne(
                db, sql: "SELECT max(seq) FROM transaction_items WHERE transaction_id = ?",
                arguments: [transaction]) ?? 0
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO transaction_items
                    (transaction_id, seq, key, device_id, device_name, outcome, reason)
                SELECT ?1, ?2 + j.key + 1, j.value ->> 0, j.value ->> 1, j.value ->> 2,
                       j.value ->> 3, j.value ->> 4
                FROM json_each(?3) j
                """)
        for start in stride(from: 0, to: items.count, by: 10_000) {
            let batch = items[start..<min(start + 10_000, items.count)]
            try statement.execute(arguments: [transaction, seq, Self.itemsJSON(batch)])
            seq += batch.count
        }
    }

    /// The items as a JSON array of `[key, device id, device name, outcome, reason]`.
    private static func itemsJSON(_ items: ArraySlice<ItemResult>) -> String {
        var json = "["
        for (index, item) in zip(items.indices, items) {
            if index > items.startIndex { json.append(",") }
            json.append("[")
            StoreValue.appendJSON(item.key, to: &json)
            json.append(item.deviceId.map { ",\($0)," } ?? ",null,")
            StoreValue.appendJSON(item.deviceName, to: &json)
            json.append(",")
            StoreValue.appendJSON(item.outcome.rawValue, to: &json)
            json.append(",")
            StoreValue.appendJSON(item.reason, to: &json)
            json.append("]")
        }
        json.append("]")
        return json
    }

    func markUndone(_ archive: Int64, by restore: Int64) throws {
        try db.execute(
            sql: "UPDATE transactions SET undone_by = ? WHERE id = ?",
            arguments: [restore, archive])
    }

    // MARK: - Mutations

    func archive(ids: [Int64], transaction: Int64, actor: Actor, at: Date) throws {
        let idList = StoreValue.idsText(ids)
        try audit(
            "ARCHIVE", idList: idList, condition: "d.client_status <> 'ARCHIVED'",
            kept: .changed, transaction: transaction, actor: actor, at: at)
        // The undo buffer's rows name exactly the devices this archive changes.
        try db.execute(
            sql: """
                INSERT INTO undo_entries
                    (transaction_id, device_id, previous_client_status, previous_archived_at)
                SELECT ?, id, client_status, archived_at FROM devices
                WHERE id IN (SELECT value FROM json_each(?)) AND client_status <> 'ARCHIVED'
                """,
            arguments: [transaction, idList])
        // `+suspended_by`: look sessions up by device, not through the index of the (many)
        // unsuspended ones. Only devices this archive changes (those it gave undo rows).
        try db.execute(
            sql: """
                UPDATE sessions SET suspended_by = ?1
                WHERE device_id IN (SELECT value FROM json_each(?2)) AND +suspended_by IS NULL
                  AND EXISTS (SELECT 1 FROM undo_entries u
                              WHERE u.transaction_id = ?1 AND u.device_id = sessions.device_id)
                """,
            arguments: [transaction, idList])
        try db.execute(
            sql: """
                UPDATE devices SET client_status = 'ARCHIVED', archived_at = ?2
                WHERE id IN (SELECT value FROM json_each(?1)) AND client_status <> 'ARCHIVED'
                """,
            arguments: [idList, StoreDate.text(at)])
    }

    func purge(ids: [Int64], transaction: Int64, actor: Actor, at: Date) throws {
        let idList = StoreValue.idsText(ids)
        try audit(
            "PURGE", idList: idList, condition: "1", transaction: transaction, actor: actor, at: at)
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO tombstones
                    (device_id, name, serial_number, mac_addresses, hwid, purged_at, purged_by,
                     transaction_id, source, external_id)
                SELECT d.id, d.name, d.serial_number,
                       (SELECT json_group_array(mac) FROM (
                            SELECT mac FROM device_macs WHERE device_id = d.id ORDER BY position)),
                       d.hwid, ?, ?, ?, s.source, s.external_id
                FROM devices d LEFT JOIN device_sources s ON s.device_id = d.id
                WHERE d.id IN (SELECT value FROM json_each(?))
                """,
            arguments: [StoreDate.text(at), actor.user, transaction, idList])
        // ON DELETE CASCADE removes characteristics, enrollment, MACs, sessions and events.
        try db.execute(
            sql: "DELETE FROM devices WHERE id IN (SELECT value FROM json_each(?))",
            arguments: [idList])
    }

    func unenroll(ids: [Int64], transaction: Int64, actor: Actor, at: Date) throws {
        let idList = StoreValue.idsText(ids)
        try audit(
            "UNENROLL", idList: idList,
            condition: "m.status IS NOT NULL AND m.status <> 'UNENROLLED'",
            transaction: transaction, actor: actor, at: at)
        try db.execute(
            sql: """
                UPDATE mdm_enrollments SET status = 'UNENROLLED', unenrollment_date = ?
                WHERE device_id IN (SELECT value FROM json_each(?)) AND status <> 'UNENROLLED'
                """,
            arguments: [StoreDate.text(at), idList])
    }

    func restore(ids: [Int64], archive: Int64, transaction: Int64, actor: Actor, at: Date)
        throws
    {
        let idList = StoreValue.idsText(ids)
        try audit(
            "RESTORE", idList: idList,
            condition: """
                EXISTS (SELECT 1 FROM undo_entries u WHERE u.transaction_id = ? AND u.device_id = d.id)
                """,
            extra: [archive], kept: .changed, transaction: transaction, actor: actor, at: at)
        try db.execute(
            sql: """
                UPDATE devices SET
                    client_status = u.previous_client_status,
                    archived_at = u.previous_archived_at
                FROM undo_entries u
                WHERE u.transaction_id = ?1 AND u.device_id = devices.id
                  AND devices.id IN (SELECT value FROM json_each(?2))
                """,
            arguments: [archive, idList])
        try db.execute(
            sql: """
                UPDATE sessions SET suspended_by = NULL
                WHERE device_id IN (SELECT value FROM json_each(?2)) AND +suspended_by = ?1
                """,
            arguments: [archive, idList])
    }

    // MARK: - Update

    /// See ``FleetWriter/update(_:transaction:actor:at:)``: the `devices` row is updated (a
    /// replace would cascade to sessions and events); characteristics, enrollment and MACs
    /// are written again.
    func update(_ devices: [Device], transaction: Int64, actor: Actor, at: Date) throws {
        guard !devices.isEmpty else { return }
        try audit(
            "UPDATE", idList: StoreValue.idsText(devices.map(\.id)), condition: "1",
            transaction: transaction, actor: actor, at: at)
        let columns = DeviceColumns.device.dropFirst()
        let row = try db.makeStatement(
            sql: "UPDATE devices SET " + columns.map { "\($0) = ?" }.joined(separator: ", ")
                + " WHERE id = ?")
        let characteristics = try db.makeStatement(
            sql: "INSERT OR REPLACE INTO characteristics (device_id, "
                + DeviceColumns.characteristics.joined(separator: ", ") + ") VALUES ("
                + Self.placeholders(DeviceColumns.characteristics.count + 1) + ")")
        let dropMDM = try db.makeStatement(sql: "DELETE FROM mdm_enrollments WHERE device_id = ?")
        let mdm = try db.makeStatement(
            sql: "INSERT INTO mdm_enrollments (" + DeviceColumns.mdm.joined(separator: ", ")
                + ", device_id) VALUES (" + Self.placeholders(DeviceColumns.mdm.count + 1) + ")")
        let dropMACs = try db.makeStatement(sql: "DELETE FROM device_macs WHERE device_id = ?")
        let macs = try db.makeStatement(
            sql: "INSERT INTO device_macs (device_id, position, mac) VALUES (?, ?, ?)")
        for d in devices {
            var values = Array(DeviceColumns.deviceValues(d).dropFirst())
            values.append(d.id)
            try row.execute(arguments: StatementArguments(values))
            try characteristics.execute(
                arguments: StatementArguments(
                    DeviceColumns.characteristicsValues(d.id, d.characteristics)))
            try dropMDM.execute(arguments: [d.id])
            if let m = d.mdm {
                try mdm.execute(arguments: StatementArguments(DeviceColumns.mdmValues(d.id, m)))
            }
            try dropMACs.execute(arguments: [d.id])
            for (position, mac) in d.macAddresses.enumerated() {
                try macs.execute(arguments: [d.id, position, DeviceKey.normalizeMAC(mac) ?? mac])
            }
        }
    }

    // MARK: - Audit

    /// One audit row for each device of `idList` that meets `condition` (fixed SQL over
    /// `devices d`, and for a ``AuditState/Kept/whole`` row `characteristics c` and
    /// `mdm_enrollments m`, whose `?` take `extra`), keeping what `kept` says.
    private func audit(
        _ action: String, idList: String, condition: String,
        extra: [(any DatabaseValueConvertible)?] = [], kept: AuditState.Kept = .whole,
        transaction: Int64, actor: Actor, at: Date
    ) throws {
        var arguments: [(any DatabaseValueConvertible)?] = [
            transaction, action, actor.user, actor.role.rawValue, StoreDate.text(at), idList,
        ]
        arguments += extra
        if chained { try db.cachedStatement(sql: AuditChain.startSQL).execute() }
        try db.cachedStatement(
            sql: AuditState.insert(condition: condition, chained: chained, kept: kept)
        )
        .execute(arguments: StatementArguments(arguments))
    }
}
