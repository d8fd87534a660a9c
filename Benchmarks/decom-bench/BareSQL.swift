import Foundation

/// The same changes as decom's, as bare SQL run by the `sqlite3` shell: one transaction,
/// WAL (the database file's own mode, set again), `synchronous = NORMAL` and foreign keys on
/// as ``SQLiteFleetStore`` sets them, so the purge cascades to the same rows. No audit, undo
/// rows, tombstones or per-item results: those are what decom adds. The page cache is decom's
/// writer's (64 MiB; SQLite's default of 2 MiB makes the bare SQL re-read pages at 1,000,000).
///
/// Timed around the whole `sqlite3` process (start, parsing the script, the work, exit):
/// nothing is subtracted. Sessions are found by device (`+suspended_by` keeps SQLite off the
/// index of the many unsuspended ones), as decom finds them: the bare figure is the best plain
/// SQL, not a strawman.
struct BareSQL {
    let path: String
    let folder: URL

    static func archive(_ ids: [Int64], transaction: Int64) -> String {
        let list = idList(ids)
        return """
            UPDATE sessions SET suspended_by = \(transaction)
              WHERE device_id IN (\(list)) AND +suspended_by IS NULL;
            UPDATE devices SET client_status = 'ARCHIVED', archived_at = '\(now())'
              WHERE id IN (\(list));
            """
    }

    /// Puts back each device's previous status, one statement per status.
    static func restore(_ ids: [Int64], previous: [Int64: String], transaction: Int64)
        -> String
    {
        var byStatus: [String: [Int64]] = [:]
        for id in ids { byStatus[previous[id] ?? "IN_SERVICE", default: []].append(id) }
        var sql = ""
        for (status, group) in byStatus.sorted(by: { $0.key < $1.key }) {
            sql += """
                UPDATE devices SET client_status = '\(status)', archived_at = NULL
                  WHERE id IN (\(idList(group)));

                """
        }
        sql += """
            UPDATE sessions SET suspended_by = NULL
              WHERE device_id IN (\(idList(ids))) AND +suspended_by = \(transaction);
            """
        return sql
    }

    /// The cascade (characteristics, enrollment, MACs, sessions, events) is SQLite's own
    /// ON DELETE CASCADE, as in decom.
    static func purge(_ ids: [Int64]) -> String {
        "DELETE FROM devices WHERE id IN (\(idList(ids)));\n"
    }

    static func idList(_ ids: [Int64]) -> String {
        ids.map(String.init).joined(separator: ",")
    }

    static func now() -> String {
        ISO8601DateFormatter().string(from: Date())
    }

    /// Writes the script (not timed), then runs `sqlite3` on it and returns the milliseconds
    /// from launch to exit.
    func run(_ body: String, name: String) throws -> Double {
        let script = folder.appendingPathComponent("bare-\(name).sql")
        let text = """
            .bail on
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            PRAGMA foreign_keys = ON;
            PRAGMA cache_size = -65536;
            BEGIN IMMEDIATE;
            \(body)
            COMMIT;

            """
        try text.write(to: script, atomically: true, encoding: .utf8)
        let exit = try Spawned.run(
            try Self.shell(), [path, ".read \(script.path)"], keepErrors: true)
        guard exit.status == 0 else {
            throw BenchError("sqlite3 failed on the bare \(name): \(exit.errors)")
        }
        return exit.milliseconds
    }
}

extension BareSQL {
    /// The `sqlite3` shell on the PATH.
    static func shell() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/sqlite3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw BenchError("sqlite3 is not on the PATH (make deps installs it)")
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
