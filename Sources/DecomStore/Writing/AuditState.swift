import DecomCore

/// The SQL that writes a device's whole state as JSON, for the audit's `before` column.
///
/// Built by SQLite in the same statement that inserts the audit rows, so that auditing ten
/// thousand devices costs one statement, not ten thousand reads. The keys are the device's
/// JSON keys (seed 001's names); booleans are JSON booleans, lists JSON arrays; the device's
/// MAC addresses and sessions are included.
///
/// The nested objects go into the outer one as JSON, not as strings, because SQLite keeps the
/// JSON subtype of `json_object`'s result through `CASE`; not wrapping them in `json()` saves
/// parsing each one again (a fifth of the statement's time). The store's tests decode the
/// nested objects, so an SQLite that dropped the subtype would fail them.
enum AuditState {
    static let beforeJSON: String = {
        let device = DeviceColumns.device.map { "'\($0)', d.\($0)" }
        let characteristics = DeviceColumns.characteristics.map { "'\($0)', " + value("c", $0) }
        let mdm = DeviceColumns.mdm.map { "'\($0)', " + value("m", $0) }
        return """
            json_object(\(device.joined(separator: ", ")),
              'characteristics', CASE WHEN c.device_id IS NULL THEN NULL
                ELSE json_object(\(characteristics.joined(separator: ", "))) END,
              'mdm', CASE WHEN m.id IS NULL THEN NULL
                ELSE json_object(\(mdm.joined(separator: ", "))) END,
              'mac_addresses', json((SELECT json_group_array(mac) FROM (
                SELECT mac FROM device_macs WHERE device_id = d.id ORDER BY position))),
              'sessions', json((SELECT json_group_array(json_object(
                'token_id', token_id, 'user', user, 'created_at', created_at,
                'last_used_at', last_used_at, 'suspended_by', suspended_by))
                FROM sessions WHERE device_id = d.id)))
            """
    }()

    private static func value(_ table: String, _ column: String) -> String {
        if DeviceColumns.booleanColumns.contains(column) {
            return "json(CASE \(table).\(column) WHEN 1 THEN 'true' WHEN 0 THEN 'false' END)"
        }
        if DeviceColumns.listColumns.contains(column) { return "json(\(table).\(column))" }
        return "\(table).\(column)"
    }
}
