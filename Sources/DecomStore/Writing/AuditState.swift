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
enum AuditState {
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
    /// the ids, then the condition's own.
    ///
    /// `chained`: each row also gets its `hash` from `decom_audit_chain` (``AuditChain``),
    /// over the values the row is given. The rows come from a subquery that `OFFSET 0` keeps
    /// SQLite from merging into the outer `SELECT`: merged, every reference to a column
    /// would evaluate its expression again, and the MAC and session subqueries twice.
    static func insert(condition: String, chained: Bool = true) -> String {
        let select = """
            SELECT ? AS transaction_id, d.id AS device_id, ? AS action, ? AS actor, ? AS role,
                   ? AS at, \(columns.map { "\($0.source) AS \($0.column)" }.joined(separator: ",\n"))
            FROM devices d
            LEFT JOIN characteristics c ON c.device_id = d.id
            LEFT JOIN mdm_enrollments m ON m.device_id = d.id
            WHERE d.id IN (SELECT value FROM json_each(?)) AND (\(condition))
            """
        let names =
            ["transaction_id", "device_id", "action", "actor", "role", "at"]
            + columns.map(\.column)
        guard chained else {
            return "INSERT INTO audit (\(names.joined(separator: ", ")))\n" + select
        }
        let hashed = AuditChain.auditColumns.map { $0 == "before" ? "NULL" : $0 }
        return """
            INSERT INTO audit (\(names.joined(separator: ", ")), hash)
            SELECT \(names.joined(separator: ", ")),
                   decom_audit_chain(\(hashed.joined(separator: ", ")))
            FROM (\(select)
                  LIMIT -1 OFFSET 0)
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
