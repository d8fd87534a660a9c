import Foundation
import Testing

/// Backups: decom copies its WAL's frames into the main file when it closes, so a copy of the file
/// alone is the whole fleet; `decom backup` writes a consistent copy while consoles and
/// writers have the database open.
@Suite(.serialized) struct BackupEndToEndTests {
    @Test func aCopyOfTheMainFileAloneHoldsEveryChange() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        #expect(try decom.run(["delete", "1", "6"]).status == 0)
        #expect(try decom.run(["undo"]).status == 0)
        #expect(try decom.run(["delete", "--hard", "--yes", "7"]).status == 0)
        #expect(try decom.run(["delete", "--unenroll", "--yes", "2"]).status == 0)
        #expect(try decom.run(["list"]).status == 0)

        let copy = decom.home.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: decom.db, toPath: copy)
        #expect(try SQLiteShell.run(copy, "PRAGMA integrity_check;") == "ok\n")
        #expect(try SQLiteShell.int(copy, "SELECT count(*) FROM devices;") == 8, "7 purged")
        #expect(
            try SQLiteShell.int(copy, "SELECT count(*) FROM transactions;") == 5,
            "the import and four changes")
        #expect(
            try SQLiteShell.int(
                copy, "SELECT count(*) FROM devices WHERE client_status = 'ARCHIVED';") == 0,
            "the archive of 1 and 6 was undone")
        #expect(
            try SQLiteShell.run(copy, "SELECT status FROM mdm_enrollments WHERE device_id = 2;")
                == "UNENROLLED\n")
    }

    @Test func backupWhileAConsoleHasTheDatabaseOpen() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        var env = decom.environment
        env["TERM"] = "xterm-256color"
        let console = try Tmux(
            command: [DecomProcess.binary, "--db", decom.db].map(Tmux.quote).joined(
                separator: " "), environment: env)
        try console.waitFor(text: "KIOSK-00005")
        #expect(try decom.run(["delete", "6"]).status == 0, "a writer while the console runs")
        #expect(FileManager.default.fileExists(atPath: decom.db + "-wal"), "the console holds it")

        let backup = decom.home.appendingPathComponent("backup.sqlite").path
        let made = try decom.run(["backup", backup])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("Backed up"), "\(made.stdout)")
        #expect(try SQLiteShell.run(backup, "PRAGMA integrity_check;") == "ok\n")
        let copy = try decom.run(["export", "--db", backup, "--format", "json"], useDB: false)
        let original = try decom.export()
        #expect(copy.status == 0 && copy.stdout == original, "the same devices")
        #expect(
            try SQLiteShell.int(
                backup, "SELECT count(*) FROM devices WHERE client_status = 'ARCHIVED';") == 1)

        let bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        #expect(try decom.run(["delete", "7"]).status == 0)
        let again = try decom.run(["backup", backup])
        #expect(again.status == 2)
        #expect(again.stderr.contains("\(backup) already exists"), "\(again.stderr)")
        #expect(again.stderr.contains("--force"), "\(again.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: backup)) == bytes, "left as it was")
        let forced = try decom.run(["backup", backup, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(
            try SQLiteShell.int(
                backup, "SELECT count(*) FROM devices WHERE client_status = 'ARCHIVED';") == 2)

        let itself = try decom.run(["backup", decom.db, "--force"])
        #expect(itself.status == 2)
        #expect(itself.stderr.contains("is the fleet database itself"), "\(itself.stderr)")
        let nowhere = decom.home.appendingPathComponent("no/such/folder/b.sqlite").path
        let missing = try decom.run(["backup", nowhere])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("does not exist"), "\(missing.stderr)")

        try console.send("q")
        #expect(try SQLiteShell.run(decom.db, "PRAGMA integrity_check;") == "ok\n")
    }
}
