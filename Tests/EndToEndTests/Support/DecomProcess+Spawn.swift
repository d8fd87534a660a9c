import Foundation
import Testing

extension DecomProcess {
    /// Starts `decom ARGS` (with this sandbox's `--db`) without waiting: standard input from
    /// `stdinFile`, output thrown away. For tests that kill it or run two at once.
    func start(
        _ arguments: [String], stdinFile: String? = nil, env extra: [String: String] = [:],
        output: String? = nil
    ) throws -> Spawn.Child {
        var args = arguments
        if let first = args.first { args = [first, "--db", db] + args.dropFirst() }
        return try Spawn.start(
            [Self.binary] + args, environment: environment.merging(extra) { $1 },
            stdin: stdinFile, stdout: output, stderr: output)
    }

    /// A new sandbox with the fixture fleet (`Fixtures.fleet`) imported.
    static func withFixtureFleet(sourceLocation: SourceLocation = #_sourceLocation) throws
        -> DecomProcess
    {
        let decom = try DecomProcess()
        let file = decom.home.appendingPathComponent("fleet.json").path
        try Fixtures.write(to: file)
        let imported = try decom.run(["import", file])
        #expect(
            imported.status == 0, "import failed: \(imported.stderr)",
            sourceLocation: sourceLocation)
        return decom
    }

    /// Copies a database file to this sandbox's `db`, after SQLite folded its WAL into it.
    func installDatabase(from template: String) throws {
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: db + suffix)
        }
        try FileManager.default.copyItem(atPath: template, toPath: db)
    }

    /// Folds the WAL into the main file so that the file alone is the whole database.
    func checkpoint() throws {
        try SQLiteShell.run(db, "PRAGMA wal_checkpoint(TRUNCATE);")
    }

    /// Every device id, archived ones included, through `decom list`.
    func allIDs() throws -> [Int] {
        let listed = try run(["list", "--all", "--format", "json"])
        let rows = try listed.json()["data"] as? [[String: Any]] ?? []
        return rows.compactMap { $0["id"] as? Int }
    }

    /// `decom export` as text: what "nothing changed" is compared with.
    func export() throws -> String {
        let exported = try run(["export", "--format", "json"])
        guard exported.status == 0 else {
            throw SQLiteShell.Failed(description: "export failed: \(exported.stderr)")
        }
        return exported.stdout
    }
}
