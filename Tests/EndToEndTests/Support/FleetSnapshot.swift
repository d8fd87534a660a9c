import Foundation

/// The fleet database counted through `sqlite3`: devices by status, their dependent rows,
/// audit, undo, tombstones and transactions. Two snapshots are equal when no device, row of
/// a device, or record changed in number.
struct FleetSnapshot: Equatable {
    var counts: [String: Int]

    private static let sql = """
        SELECT 'devices', count(*) FROM devices
        UNION ALL SELECT 'devices.' || client_status, count(*) FROM devices GROUP BY client_status
        UNION ALL SELECT 'mdm', count(*) FROM mdm_enrollments
        UNION ALL SELECT 'mdm.' || status, count(*) FROM mdm_enrollments GROUP BY status
        UNION ALL SELECT 'sessions', count(*) FROM sessions
        UNION ALL SELECT 'sessions.suspended', count(*) FROM sessions WHERE suspended_by IS NOT NULL
        UNION ALL SELECT 'macs', count(*) FROM device_macs
        UNION ALL SELECT 'characteristics', count(*) FROM characteristics
        UNION ALL SELECT 'events', count(*) FROM device_events
        UNION ALL SELECT 'undo_entries', count(*) FROM undo_entries
        UNION ALL SELECT 'tombstones', count(*) FROM tombstones
        UNION ALL SELECT 'audit', count(*) FROM audit
        UNION ALL SELECT 'audit.' || action, count(*) FROM audit GROUP BY action
        UNION ALL SELECT 'transactions', count(*) FROM transactions
        UNION ALL SELECT 'transactions.' || type || '.' || status, count(*) FROM transactions
            GROUP BY type, status
        UNION ALL SELECT 'transaction_items', count(*) FROM transaction_items;
        """

    init(db: String) throws {
        var counts: [String: Int] = [:]
        for line in try SQLiteShell.run(db, Self.sql).split(separator: "\n") {
            let parts = line.split(separator: "|")
            guard parts.count == 2, let value = Int(parts[1]) else { continue }
            counts[String(parts[0])] = value
        }
        self.counts = counts
    }

    subscript(_ key: String) -> Int { counts[key] ?? 0 }

    /// The counts of device state only, without the transaction log.
    var deviceState: [String: Int] {
        counts.filter { !$0.key.hasPrefix("transaction") }
    }
}

/// The structural promises every fleet database keeps, whatever happened to the process that
/// wrote it: SQLite's own integrity, no row without its device, no change without its audit
/// entry and no archive without its undo row, and no transaction left half-way.
enum FleetInvariants {
    /// Each problem found, described; empty when the database keeps every promise.
    static func problems(db: String) throws -> [String] {
        var problems: [String] = []
        let integrity = try SQLiteShell.run(db, "PRAGMA integrity_check;")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if integrity != "ok" { problems.append("integrity_check: \(integrity)") }
        let foreignKeys = try SQLiteShell.run(db, "PRAGMA foreign_key_check;")
        if !foreignKeys.isEmpty { problems.append("foreign_key_check: \(foreignKeys)") }
        let checks: [(String, String)] = [
            (
                "an MDM row without its device",
                "SELECT count(*) FROM mdm_enrollments WHERE device_id NOT IN (SELECT id FROM devices)"
            ),
            (
                "a session without its device",
                "SELECT count(*) FROM sessions WHERE device_id NOT IN (SELECT id FROM devices)"
            ),
            (
                "a MAC address without its device",
                "SELECT count(*) FROM device_macs WHERE device_id NOT IN (SELECT id FROM devices)"
            ),
            (
                "characteristics without their device",
                "SELECT count(*) FROM characteristics WHERE device_id NOT IN (SELECT id FROM devices)"
            ),
            (
                "a transaction left COMMITTING",
                "SELECT count(*) FROM transactions WHERE status NOT IN ('SUCCESS', 'FAILURE')"
            ),
            (
                "an undo row without its audit entry",
                """
                SELECT count(*) FROM (
                    SELECT transaction_id, device_id FROM undo_entries
                    EXCEPT SELECT transaction_id, device_id FROM audit WHERE action = 'ARCHIVE')
                """
            ),
            (
                "an archive audit entry without its undo row",
                """
                SELECT count(*) FROM (
                    SELECT transaction_id, device_id FROM audit WHERE action = 'ARCHIVE'
                    EXCEPT SELECT transaction_id, device_id FROM undo_entries)
                """
            ),
            (
                "a tombstone without its purge audit entry",
                """
                SELECT count(*) FROM (
                    SELECT transaction_id, device_id FROM tombstones
                    EXCEPT SELECT transaction_id, device_id FROM audit WHERE action = 'PURGE')
                """
            ),
            (
                "a purged device still present",
                "SELECT count(*) FROM tombstones WHERE device_id IN (SELECT id FROM devices)"
            ),
            (
                "a change recorded by a transaction that is not SUCCESS",
                """
                SELECT count(*) FROM audit a JOIN transactions t ON t.id = a.transaction_id
                WHERE t.status <> 'SUCCESS'
                """
            ),
            (
                "an applied item without its audit entry",
                """
                SELECT count(*) FROM (
                    SELECT i.transaction_id, i.device_id FROM transaction_items i
                    JOIN transactions t ON t.id = i.transaction_id AND t.status = 'SUCCESS'
                    WHERE i.outcome IN ('archived', 'purged', 'unenrolled', 'restored')
                    EXCEPT SELECT transaction_id, device_id FROM audit)
                """
            ),
            (
                "an audit entry without its applied item",
                """
                SELECT count(*) FROM (
                    SELECT transaction_id, device_id FROM audit
                    EXCEPT SELECT transaction_id, device_id FROM transaction_items
                    WHERE outcome IN ('archived', 'purged', 'unenrolled', 'restored'))
                """
            ),
        ]
        for (what, sql) in checks {
            let n = try SQLiteShell.int(db, sql + ";")
            if n != 0 { problems.append("\(n) × \(what)") }
        }
        return problems
    }
}
