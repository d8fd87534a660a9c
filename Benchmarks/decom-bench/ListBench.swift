import Foundation

/// `decom list` as whole processes (start, open, the query in SQLite, the output, exit)
/// against the `sqlite3` shell producing the same rows in the same run (issue 16, "The query
/// goes to the database"): one device by id and by serial within 3x, a listing within 2x.
///
/// The peer is the best plain SQL for the same answer: the same joins, the compliance verdict
/// and failing checks as SQL `CASE`s written by hand (decom's are generated from its rule),
/// CSV from `.mode csv`, JSON from `json_group_array(json_object(…))` with the same keys. Both
/// write to /dev/null.
struct ListBench {
    let decom: String
    let path: String
    let runs: Int

    func measure() throws -> [Figure] {
        let serial = try Self.serial(of: 42, in: path)
        let active = "r.client_status <> 'ARCHIVED'"
        return [
            try figure(
                "list id:42 --format csv", ["list", "id:42", "--format", "csv"],
                peer: Self.csv(where: "\(active) AND r.id = 42"), goal: 3,
                note: "one device by id; sqlite3 the same row, CSV"),
            try figure(
                "list serial:X", ["list", "serial:\(serial)"],
                peer: Self.csv(where: "\(active) AND r.serial_number LIKE '%\(serial)%'"), goal: 3,
                note: "a substring of serials (a scan); sqlite3 LIKE, CSV"),
            try figure(
                "list compliant:no", ["list", "compliant:no"],
                peer: Self.csv(where: active, failing: true), goal: 2,
                note: "table; sqlite3 the same rows, CSV"),
            try figure(
                "list compliant:no --format json",
                ["list", "compliant:no", "--format", "json"],
                peer: Self.json(where: active, failing: true), goal: 2,
                note: "sqlite3 json_group_array of the same objects"),
            try figure(
                "list --format csv", ["list", "--format", "csv"],
                peer: Self.csv(where: active), goal: 2,
                note: "every active device; sqlite3 .mode csv"),
        ]
    }

    private func figure(
        _ name: String, _ arguments: [String], peer: [String], goal: Double, note: String
    ) throws -> Figure {
        let shell = try BareSQL.shell()
        var ours = Samples()
        var bare = Samples()
        for _ in 0..<runs {
            ours.add(try StartupBench.time(decom, arguments + ["--db", path]))
            bare.add(try StartupBench.time(shell, peer.dropLast() + [path] + peer.suffix(1)))
        }
        return Figure(
            name: name, unit: "ms", ours: ours, bare: bare, target: .ratio(goal), note: note)
    }

    /// The serial number of a device, read with `sqlite3` (not timed).
    static func serial(of id: Int64, in path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BareSQL.shell())
        process.arguments = [path, "SELECT serial_number FROM devices WHERE id = \(id);"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let serial = String(decoding: data, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !serial.isEmpty else {
            throw BenchError("device \(id) has no serial number in \(path)")
        }
        return serial
    }

    /// The failing checks in ``ComplianceCheck`` order, as SQL on `mdm_enrollments m`.
    static let checks: [(name: String, fails: String)] = [
        ("enrolled", "m.status IS NOT NULL AND m.status <> 'ENROLLED'"),
        ("disk_encryption", "m.is_encrypted = 0"), ("firewall", "m.firewall_enabled = 0"),
        ("screen_lock", "m.screenlock_enabled = 0"),
        ("os_updates_enabled", "m.os_updates_enabled = 0"),
        ("no_pending_update", "m.os_updates_available = 1"),
        ("not_compromised", "m.is_compromised = 1"),
        (
            "recent_check_in",
            "m.last_seen_date < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-30 days')"
        ),
    ]

    /// The rows of a list with their verdict and failing checks (`;`-joined), filtered by
    /// `condition` on the row `r`, and on failing when `failing`.
    static func rows(where condition: String, failing: Bool) -> String {
        let flags = checks.enumerated().map { "ifnull(\($1.fails), 0) AS f\($0)" }
            .joined(separator: ", ")
        let unknown = [
            "m.status IS NULL", "m.is_encrypted IS NULL", "m.firewall_enabled IS NULL",
            "m.screenlock_enabled IS NULL", "m.os_updates_enabled IS NULL",
            "m.os_updates_available IS NULL", "m.is_compromised IS NULL",
            "m.last_seen_date IS NULL",
        ].joined(separator: " OR ")
        let failingList = checks.enumerated().map { "iif(f\($0), '\($1.name);', '')" }
            .joined(separator: " || ")
        let anyFailing = (0..<checks.count).map { "f\($0)" }.joined(separator: " + ")
        return """
            WITH r AS (
              SELECT d.id, d.name, d.serial_number, d.type, c.os_platform, d.client_status,
                     m.status AS mdm_status, d.device_status, d.last_seen, d.label, d.hwid,
                     d.category, \(flags), (\(unknown)) AS any_unknown
              FROM devices d
              LEFT JOIN characteristics c ON c.device_id = d.id
              LEFT JOIN mdm_enrollments m ON m.device_id = d.id),
            v AS (
              SELECT r.*, CASE WHEN \(anyFailing) > 0 THEN 'non_compliant'
                               WHEN any_unknown THEN 'unknown' ELSE 'compliant' END AS verdict,
                     rtrim(\(failingList), ';') AS failing
              FROM r WHERE \(condition))
            SELECT * FROM v\(failing ? " WHERE failing <> ''" : "") ORDER BY id
            """
    }

    /// `sqlite3 -csv -header` and the SQL (the path goes before the SQL).
    static func csv(where condition: String, failing: Bool = false) -> [String] {
        [
            "-csv", "-header",
            """
            SELECT id, name, serial_number, type, os_platform, client_status, mdm_status,
               device_status, verdict AS compliance, failing, last_seen
            FROM (\(rows(where: condition, failing: failing)));
            """,
        ]
    }

    static func json(where condition: String, failing: Bool = false) -> [String] {
        [
            "-list",
            """
            SELECT json_object('data', json_group_array(json_object(
              'id', id, 'name', name, 'serial_number', serial_number, 'type', type,
              'category', category, 'os_platform', os_platform, 'client_status', client_status,
              'mdm_status', mdm_status, 'device_status', device_status, 'label', label,
              'hwid', hwid,
              'mac_addresses', (SELECT json_group_array(mac) FROM device_macs WHERE device_id = id),
              'last_seen', last_seen,
              'compliance', json_object('verdict', verdict, 'failing',
                json(iif(failing = '', '[]', '["' || replace(failing, ';', '","') || '"]'))))))
            FROM (\(rows(where: condition, failing: failing)));
            """,
        ]
    }
}
