/// How the audit keeps a device's state before a change (schema 3).
///
/// Each audit row holds the device's whole state as columns of its own: the `devices` row
/// (but its id, which is the row's `device_id`), the `characteristics` row under the same
/// names, the `mdm_enrollments` row as `mdm_*`, and the device's MAC addresses and sessions
/// as JSON arrays. One `INSERT … SELECT` copies them for every device of a bulk change.
///
/// Columns rather than one JSON object: a JSON object spelled every key again in every row
/// (1.6 kB a device, twice the bytes of the values) and SQLite spent more time building it
/// than the bare change itself took, so a 10,000-device archive cost 2.2 times the bare SQL.
/// As columns the state is half the bytes, needs no building, and plain SQL can query it.
/// The view `audit_entries` shows every row's state as one JSON object, as before.
///
/// An archive and a restore keep only what they change (schema 10, ``Kept/changed``): the
/// device's client status, its archive date and its sessions (whose `suspended_by` they set
/// or clear). Every other column of the device is the same after the change as before it, so
/// it is not copied: it is the device's own row, until a later change that keeps the whole
/// state (an update, an unenroll, a purge) copies it. The view puts the two together. A
/// 10,000-device archive wrote 5.8 MB of audit rows when it copied every column, more than
/// the bare archive itself cost.
enum AuditState {
    /// What an audit row keeps of the device's state before the change (column `kept`).
    enum Kept {
        /// Every column (`kept` is NULL): updates, unenrolls, purges, and every row written
        /// before schema 10.
        case whole
        /// Only ``changedColumns`` (`kept` is `'changed'`): archives and restores.
        case changed
    }

    /// The state columns an archive or a restore changes, and so the only ones their audit
    /// rows keep.
    static let changedColumns: Set<String> = ["client_status", "archived_at", "sessions"]

    /// The audit's state columns and the expressions (over `devices d`,
    /// `characteristics c` and `mdm_enrollments m`) that fill them, in the same order.
    static let columns: [(column: String, source: String)] = {
        var columns: [(column: String, source: String)] = []
        columns += DeviceColumns.device.dropFirst().map { ($0, "d.\($0)") }
        columns += DeviceColumns.characteristics.map { ($0, "c.\($0)") }
        columns += DeviceColumns.mdm.map { ("mdm_\($0)", "m.\($0)") }
        columns += [
            (
                "mac_addresses",
                """
                (SELECT json_group_array(mac) FROM (
                    SELECT mac FROM device_macs WHERE device_id = d.id ORDER BY position))
                """
            ),
            (
                "sessions",
                """
                (SELECT json_group_array(json_object(
                    'token_id', token_id, 'user', user, 'created_at', created_at,
                    'last_used_at', last_used_at, 'suspended_by', suspended_by))
                 FROM sessions WHERE device_id = d.id)
                """
            ),
        ]
        return columns
    }()

    /// `INSERT` of one audit row for each device of the JSON id array bound last but for
    /// `extra`, that meets `condition`. Its `?` are: transaction, action, actor, role, at,
    /// the ids, then the condition's own. A ``Kept/whole`` condition may use `devices d`,
    /// `characteristics c` and `mdm_enrollments m`; a ``Kept/changed`` one only `d`.
    ///
    /// `chained`: each row also gets its `hash` from `decom_audit_chain` (``AuditChain``),
    /// over the values the row is given (the columns a ``Kept/changed`` row leaves out are
    /// NULL, and its `kept` is hashed after them). The rows come from a subquery that
    /// `OFFSET 0` keeps SQLite from merging into the outer `SELECT`: merged, every reference
    /// to a column would evaluate its expression again, and the MAC and session subqueries
    /// twice.
    static func insert(condition: String, chained: Bool = true, kept: Kept = .whole) -> String {
        let stored =
            kept == .whole ? columns : columns.filter { changedColumns.contains($0.column) }
        let joins =
            kept == .whole
            ? """

            LEFT JOIN characteristics c ON c.device_id = d.id
            LEFT JOIN mdm_enrollments m ON m.device_id = d.id
            """ : ""
        let keptColumn = kept == .whole ? [] : ["kept"]
        let select = """
            SELECT ? AS transaction_id, d.id AS device_id, ? AS action, ? AS actor, ? AS role,
                   ? AS at, \(stored.map { "\($0.source) AS \($0.column)" }.joined(separator: ",\n"))\(
                kept == .whole ? "" : ", 'changed' AS kept")
            FROM devices d\(joins)
            WHERE d.id IN (SELECT value FROM json_each(?)) AND (\(condition))
            """
        let names =
            ["transaction_id", "device_id", "action", "actor", "role", "at"]
            + stored.map(\.column) + keptColumn
        guard chained else {
            return "INSERT INTO audit (\(names.joined(separator: ", ")))\n" + select
        }
        let present = Set(names)
        let hashed =
            AuditChain.auditColumns.map { present.contains($0) ? $0 : "NULL" } + keptColumn
        return """
            INSERT INTO audit (\(names.joined(separator: ", ")), hash)
            SELECT \(names.joined(separator: ", ")),
                   decom_audit_chain(\(hashed.joined(separator: ", ")))
            FROM (\(select)
                  LIMIT -1 OFFSET 0)
            """
    }

    /// The view `audit_entries` of schema 10: each row's state before its change as one JSON
    /// object (`before`). A row from before schema 3 shows its own JSON; a ``Kept/whole`` row
    /// its columns; a ``Kept/changed`` row the state right after its change with what it kept
    /// put back. The state right after is the whole state kept by the device's next
    /// ``Kept/whole`` row (found through `transaction_items(device_id)` and
    /// `audit(transaction_id, device_id)`: no index on `audit(device_id)`), or, when there is
    /// none, the device as it is now (a changed row's own changes, and those of the changed
    /// rows after it, touch only the columns it kept).
    static func entriesViewSQL(
        device: [String], characteristics: [String], mdm: [String], booleans: Set<String>,
        lists: Set<String>
    ) -> String {
        let object = objectSQL(
            device: device, characteristics: characteristics, mdm: mdm, booleans: booleans,
            lists: lists)
        let subqueries = Dictionary(uniqueKeysWithValues: columns.map { ($0.column, $0.source) })
        var now = ["d.id AS device_id"]
        now += device.dropFirst().map { "d.\($0) AS \($0)" }
        now += characteristics.map { "c.\($0) AS \($0)" }
        now += mdm.map { "m.\($0) AS mdm_\($0)" }
        now += ["mac_addresses", "sessions"].map { "\(subqueries[$0] ?? "NULL") AS \($0)" }
        return """
            CREATE VIEW audit_entries AS
            SELECT id, transaction_id, device_id, action, actor, role, at,
              CASE
                WHEN before IS NOT NULL THEN before
                WHEN kept IS NULL THEN \(object)
                ELSE json_set(
                  coalesce(
                    (SELECT coalesce(b.before, \(object)) FROM audit b
                     WHERE b.id = (
                        SELECT min(n.id) FROM transaction_items i
                        JOIN audit n ON n.transaction_id = i.transaction_id
                                    AND n.device_id = i.device_id
                        WHERE i.device_id = a.device_id AND n.id > a.id AND n.kept IS NULL)),
                    (SELECT \(object) FROM (
                        SELECT \(now.joined(separator: ",\n"))
                        FROM devices d
                        LEFT JOIN characteristics c ON c.device_id = d.id
                        LEFT JOIN mdm_enrollments m ON m.device_id = d.id
                        WHERE d.id = a.device_id))),
                  '$.client_status', a.client_status, '$.archived_at', a.archived_at,
                  '$.sessions', json(coalesce(a.sessions, '[]')))
              END AS before
            FROM audit a
            """
    }

    /// The JSON object of the state in an audit row's columns (its keys are the device's
    /// JSON keys, seed 001's names: booleans are JSON booleans, lists JSON arrays), for the
    /// view `audit_entries`. Rows from before schema 3 keep theirs in `before`.
    static func objectSQL(
        device: [String], characteristics: [String], mdm: [String], booleans: Set<String>,
        lists: Set<String>
    ) -> String {
        func value(_ column: String, _ key: String) -> String {
            if booleans.contains(key) {
                return "json(CASE \(column) WHEN 1 THEN 'true' WHEN 0 THEN 'false' END)"
            }
            if lists.contains(key) { return "json(\(column))" }
            return column
        }
        let deviceKeys = device.map { $0 == "id" ? "'id', device_id" : "'\($0)', \($0)" }
        let characteristicsKeys = characteristics.map { "'\($0)', " + value($0, $0) }
        let mdmKeys = mdm.map { "'\($0)', " + value("mdm_\($0)", $0) }
        return """
            json_object(\(deviceKeys.joined(separator: ", ")),
              'characteristics', json_object(\(characteristicsKeys.joined(separator: ", "))),
              'mdm', CASE WHEN mdm_id IS NULL THEN NULL
                ELSE json_object(\(mdmKeys.joined(separator: ", "))) END,
              'mac_addresses', json(coalesce(mac_addresses, '[]')),
              'sessions', json(coalesce(sessions, '[]')))
            """
    }
}
