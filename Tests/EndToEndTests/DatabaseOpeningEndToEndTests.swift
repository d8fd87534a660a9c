import Foundation
import Glibc
import Testing

/// Opening a database is not creating or changing one: a missing file stays missing, another
/// program's database and a newer decom's stay byte for byte as they were, and a read-only
/// database is read (and never written) by the commands that only read.
@Suite(.serialized) struct DatabaseOpeningEndToEndTests {
    /// Every command that only uses a database, with what it needs to run.
    static func usingCommands(backupTo backup: String) -> [[String]] {
        [
            ["list"], ["show", "1"], ["delete", "1"], ["delete", "--hard", "--yes", "1"],
            ["undo"], ["undo", "3"], ["history"], ["history", "1"],
            ["purge", "--archived-before", "30d", "--yes"], ["export"], ["backup", backup],
            ["console"],
        ]
    }

    /// The names in a folder, or nil when there is no folder.
    func names(_ folder: String) -> [String]? {
        try? FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    @Test func aMissingDatabaseIsCreatedOnlyByTheCommandsThatFillOne() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let missingFolder = decom.home.appendingPathComponent("nonexistent/dir").path
        let inMissingFolder = missingFolder + "/fleet.sqlite"
        let before = names(decom.home.path)
        let backup = decom.home.appendingPathComponent("backup.sqlite").path
        for command in Self.usingCommands(backupTo: backup) {
            for how in ["--db", "DECOM_DB", "--db here"] {
                let path = how == "--db here" ? decom.db : inMissingFolder
                let result =
                    how == "DECOM_DB"
                    ? try decom.run(command, env: ["DECOM_DB": path], useDB: false)
                    : try decom.run(command + ["--db", path], useDB: false)
                #expect(result.status == 2, "\(command) \(how): \(result.stdout)")
                #expect(
                    result.stderr.contains("there is no fleet database at \(path)"),
                    "\(command) \(how): \(result.stderr)")
                #expect(result.stderr.contains("decom init"), "how to create one")
                #expect(names(decom.home.path) == before, "\(command) \(how) left something")
            }
        }
        #expect(names(missingFolder) == nil, "no folder was created")

        let created = try decom.run(["init", "--db", inMissingFolder], useDB: false)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try SQLiteShell.int(inMissingFolder, "SELECT count(*) FROM devices;") == 0)
        let listed = try decom.run(["list", "--db", inMissingFolder], useDB: false)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("0 devices"), "\(listed.stdout)")
        // The log is kept, every frame copied into the main file (SQLITE_FCNTL_PERSIST_WAL), so
        // that the next open needs no write lock; BackupEndToEndTests checks the main file alone.
        #expect(names(missingFolder) == ["fleet.sqlite", "fleet.sqlite-shm", "fleet.sqlite-wal"])

        let seeded = try decom.run(
            ["seed", "--devices", "3"], env: ["DECOM_DB": decom.db], useDB: false)
        #expect(seeded.status == 0, "\(seeded.stderr)")
        #expect(try SQLiteShell.int(decom.db, "SELECT count(*) FROM devices;") == 3)
    }

    @Test func anotherProgramsDatabaseIsRefusedBeforeAnythingIsWritten() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let other = decom.home.appendingPathComponent("other-app.sqlite").path
        try SQLiteShell.run(
            other,
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine');"
        )
        let bytes = try Data(contentsOf: URL(fileURLWithPath: other))
        let file = decom.home.appendingPathComponent("fleet.json").path
        try Fixtures.write(to: file)
        let backup = decom.home.appendingPathComponent("backup.sqlite").path
        let commands =
            Self.usingCommands(backupTo: backup) + [
                ["init"], ["seed", "--devices", "2"], ["import", file],
            ]
        for command in commands {
            let result = try decom.run(command + ["--db", other], useDB: false)
            #expect(result.status == 2, "\(command)")
            #expect(
                result.stderr.contains("another program's SQLite database (tables notes)"),
                "\(command): \(result.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: other)) == bytes, "\(command)")
            #expect(!FileManager.default.fileExists(atPath: other + "-wal"), "\(command)")
            #expect(!FileManager.default.fileExists(atPath: other + "-shm"), "\(command)")
        }
        #expect(try SQLiteShell.run(other, "PRAGMA journal_mode;") == "delete\n")
        #expect(try SQLiteShell.run(other, ".tables") == "notes\n")
        #expect(!FileManager.default.fileExists(atPath: backup))
    }

    @Test func aNewerSchemaIsRefusedBeforeAnythingIsWritten() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        try SQLiteShell.run(decom.db, "PRAGMA journal_mode = delete; PRAGMA user_version = 99;")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: decom.db))
        let backup = decom.home.appendingPathComponent("backup.sqlite").path
        for command in Self.usingCommands(backupTo: backup) + [["init"], ["seed"]] {
            let result = try decom.run(command)
            #expect(result.status == 2, "\(command)")
            #expect(result.stderr.contains("newer decom"), "\(command): \(result.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: decom.db)) == bytes, "\(command)")
            #expect(!FileManager.default.fileExists(atPath: decom.db + "-wal"), "\(command)")
        }
        #expect(try SQLiteShell.run(decom.db, "PRAGMA journal_mode;") == "delete\n")
    }

    /// A WAL file whose `-wal` is gone (a copy of the main file alone, or after `sqlite3`
    /// closed it) is checked before a log is created beside it: another program's and a newer
    /// decom's are refused and left with nothing beside them; the fleet itself opens.
    @Test func aWALFileWithoutItsLogIsCheckedBeforeALogIsCreated() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let other = decom.home.appendingPathComponent("other-app.sqlite").path
        try SQLiteShell.run(other, "PRAGMA journal_mode = wal; CREATE TABLE notes (body TEXT);")
        try decom.checkpoint()
        // A newer decom's fleet: marked as a fleet in its header, at a schema unknown here.
        let newer = decom.home.appendingPathComponent("newer.sqlite").path
        try FileManager.default.copyItem(atPath: decom.db, toPath: newer)
        try SQLiteShell.run(newer, "PRAGMA user_version = 99;")
        #expect(try SQLiteShell.int(newer, "PRAGMA application_id;") == 0x6465_636D)
        let refusals = [
            (other, "another program's SQLite database (tables notes)"), (newer, "newer decom"),
        ]
        for (path, message) in refusals {
            #expect(try SQLiteShell.run(path, "PRAGMA journal_mode;") == "wal\n")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            for command in [["list"], ["show", "1"], ["delete", "1"], ["init"], ["console"]] {
                let result = try decom.run(command + ["--db", path], useDB: false)
                #expect(result.status == 2, "\(path) \(command)")
                #expect(result.stderr.contains(message), "\(command): \(result.stderr)")
                #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes, "\(command)")
                #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "\(command)")
                #expect(!FileManager.default.fileExists(atPath: path + "-shm"), "\(command)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: decom.db + "-wal"))
        let listed = try decom.run(["list", "--all", "--format", "json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect((try listed.json()["data"] as? [Any])?.count == 9)
    }

    /// A fleet says so in its SQLite header (`PRAGMA application_id`, "decm", which file(1)
    /// prints), and a fleet from before the mark gets it at its next read-write open.
    @Test func aFleetIsMarkedAsOneInItsHeader() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        #expect(try SQLiteShell.int(decom.db, "PRAGMA application_id;") == 0x6465_636D)
        // As schema 10 left it, and copied without its log.
        try Self.makeSchema10(decom)
        let listed = try decom.run(["list", "--all", "--format", "json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect((try listed.json()["data"] as? [Any])?.count == 9)
        #expect(try SQLiteShell.int(decom.db, "PRAGMA application_id;") == 0x6465_636D)
        #expect(try SQLiteShell.int(decom.db, "PRAGMA user_version;") == 11)
    }

    /// Makes the fixture fleet look as schema 10 left it (no header mark, no v11 migration),
    /// copied without its log.
    static func makeSchema10(_ decom: DecomProcess) throws {
        try SQLiteShell.run(
            decom.db,
            """
            PRAGMA application_id = 0; PRAGMA user_version = 10;
            DELETE FROM grdb_migrations WHERE identifier = 'v11 application id';
            """)
        try decom.checkpoint()
    }

    /// Several decoms opening the same older fleet at once all work: one migrates it, the
    /// others wait for its lock and find it migrated (the second used to fail on the
    /// migration the first had just recorded).
    @Test func decomsOpeningAnOlderFleetAtOnceAllWork() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let older = decom.home.appendingPathComponent("older.sqlite").path
        try Self.makeSchema10(decom)
        for round in 0..<6 {
            for suffix in ["", "-wal", "-shm"] { unlink(older + suffix) }
            try FileManager.default.copyItem(atPath: decom.db, toPath: older)
            let commands = [["list"], ["show", "1"], ["history"], ["list", "--format", "json"]]
            let children = try commands.enumerated().map { index, command in
                try Spawn.start(
                    [DecomProcess.binary] + command + ["--db", older],
                    environment: decom.environment,
                    stderr: decom.home.appendingPathComponent("err-\(index)").path)
            }
            for (index, child) in children.enumerated() {
                let errors =
                    (try? String(
                        contentsOfFile: decom.home.appendingPathComponent("err-\(index)").path,
                        encoding: .utf8)) ?? ""
                let exit = child.wait()
                #expect(exit.status == 0, "round \(round) \(commands[index]): \(errors)")
            }
            #expect(try SQLiteShell.int(older, "PRAGMA user_version;") == 11, "round \(round)")
        }
    }

    // MARK: - Read-only

    /// Runs decom as a user who may not write what root made: `nobody` through setpriv when
    /// the tests run as root (root ignores file permissions), else the test's own user.
    static func runUnprivileged(
        _ decom: DecomProcess, _ arguments: [String]
    ) throws -> DecomProcess.Result {
        let args = [arguments[0], "--db", decom.db] + arguments.dropFirst()
        let output = try Spawn.run(
            unprivileged + [DecomProcess.binary] + args, environment: decom.environment)
        return DecomProcess.Result(
            status: output.exit.status, stdout: output.stdout, stderr: output.stderr)
    }

    static var unprivileged: [String] {
        getuid() == 0
            ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
    }

    /// A fixture fleet whose file (or folder) this user may read and not write; the sandbox's
    /// config folder and a folder for backups are open to everyone.
    /// Returns the sandbox and its `decom export`, taken before the file was made read-only.
    func readOnlySandbox(folder readOnlyFolder: Bool) throws -> (DecomProcess, String) {
        let decom = try DecomProcess.withFixtureFleet()
        #expect(try decom.run(["delete", "7"]).status == 0, "something to undo")
        let exported = try decom.export()
        // As a copied backup is, whichever decom wrote it: the main file alone, no -wal.
        try decom.checkpoint()
        #expect(!FileManager.default.fileExists(atPath: decom.db + "-wal"))
        let open = decom.home.appendingPathComponent("open").path
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: true)
        chmod(open, 0o777)
        chmod(decom.home.path, 0o755)
        if readOnlyFolder {
            chmod(decom.db, 0o644)
            chmod(decom.home.path, 0o555)
        } else {
            chmod(decom.db, 0o444)
        }
        return (decom, exported)
    }

    func restore(_ decom: DecomProcess) {
        chmod(decom.home.path, 0o755)
        chmod(decom.db, 0o644)
        decom.remove()
    }

    /// A copy of the main file alone, in a folder its owner may write but this user may not
    /// (someone else's backup): SQLite cannot create the `-shm` a read needs, so the read
    /// commands read it as `immutable`; before, each failed with "attempt to write a readonly
    /// database". Needs an unprivileged user: the tests run as root in CI.
    @Test(.enabled(if: getuid() == 0)) func someoneElsesCopyOfTheMainFileIsRead() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let exported = try decom.export()
        let folder = decom.home.appendingPathComponent("theirs").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let copy = folder + "/fleet.sqlite"
        try decom.checkpoint()
        try FileManager.default.copyItem(atPath: decom.db, toPath: copy)
        chmod(decom.home.path, 0o755)
        chmod(folder, 0o755)
        chmod(copy, 0o644)
        for command in [["list"], ["show", "5"], ["history"], ["export", "--format", "json"]] {
            let args = [command[0], "--db", copy] + command.dropFirst()
            let output = try Spawn.run(
                Self.unprivileged + [DecomProcess.binary] + args, environment: decom.environment)
            #expect(output.exit.status == 0, "\(command): \(output.stderr)")
            if command[0] == "export" { #expect(output.stdout == exported) }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names == ["fleet.sqlite"], "nothing written beside it")
    }

    /// A read-only fleet written by the decom before (schema 10; schema 11 only marks the
    /// header) is read as it is, not refused as needing an upgrade, and stays as it was.
    @Test func aReadOnlyFleetOfTheSchemaBeforeIsRead() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { restore(decom) }
        let exported = try decom.export()
        try Self.makeSchema10(decom)
        chmod(decom.home.path, 0o755)
        chmod(decom.db, 0o444)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: decom.db))
        let list = try Self.runUnprivileged(decom, ["list", "--all", "--format", "json"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect((try list.json()["data"] as? [Any])?.count == 9)
        let show = try Self.runUnprivileged(decom, ["show", "5"])
        #expect(show.status == 0 && show.stdout.contains("KIOSK-00005"), "\(show.stderr)")
        let export = try Self.runUnprivileged(decom, ["export", "--format", "json"])
        #expect(export.status == 0 && export.stdout == exported, "\(export.stderr)")
        let delete = try Self.runUnprivileged(decom, ["delete", "1"])
        #expect(delete.status == 2 && delete.stderr.contains("is read-only"), "\(delete.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: decom.db)) == bytes)
        #expect(try SQLiteShell.int(decom.db, "PRAGMA user_version;") == 10)
    }

    @Test(arguments: [false, true])
    func aReadOnlyDatabaseIsReadAndNeverWritten(readOnlyFolder: Bool) throws {
        let (decom, exported) = try readOnlySandbox(folder: readOnlyFolder)
        defer { restore(decom) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: decom.db))
        let before = names(decom.home.path)
        let backup = decom.home.appendingPathComponent("open/backup.sqlite").path
        let file = decom.home.appendingPathComponent("fleet.json").path
        let what = readOnlyFolder ? "read-only folder" : "read-only file"

        let list = try Self.runUnprivileged(decom, ["list", "--all", "--format", "json"])
        #expect(list.status == 0, "\(what): \(list.stderr)")
        #expect((try list.json()["data"] as? [Any])?.count == 9, "\(what)")
        let show = try Self.runUnprivileged(decom, ["show", "5"])
        #expect(show.status == 0 && show.stdout.contains("KIOSK-00005"), "\(what): \(show.stderr)")
        let history = try Self.runUnprivileged(decom, ["history"])
        #expect(history.status == 0 && history.stdout.contains("undoable"), "\(what)")
        let export = try Self.runUnprivileged(decom, ["export", "--format", "json"])
        #expect(export.status == 0 && export.stdout == exported, "\(what): \(export.stderr)")
        let backedUp = try Self.runUnprivileged(decom, ["backup", backup])
        #expect(backedUp.status == 0, "\(what): \(backedUp.stderr)")
        #expect(try SQLiteShell.int(backup, "SELECT count(*) FROM devices;") == 9)

        for command in [
            ["delete", "1"], ["delete", "--hard", "--yes", "1"], ["undo"],
            ["purge", "--archived-before", "1d", "--bulk", "--yes"], ["import", file],
            ["seed", "--devices", "2"], ["init"],
        ] {
            let result = try Self.runUnprivileged(decom, command)
            #expect(result.status == 2, "\(what) \(command)")
            #expect(
                result.stderr.contains("\(decom.db) is read-only"),
                "\(what) \(command): \(result.stderr)")
            #expect(!result.stderr.contains("attempt to write"), "\(what) \(command)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: decom.db)) == bytes, "\(what)")
        #expect(names(decom.home.path) == before, "\(what): no -wal or -shm left")
    }

    @Test func aViewersConsoleOpensAReadOnlyDatabaseAndAnAdminsIsToldWhy() throws {
        let (decom, _) = try readOnlySandbox(folder: false)
        defer { restore(decom) }
        let env = decom.environment.merging(["TERM": "xterm-256color"]) { $1 }
        let command =
            (Self.unprivileged + [DecomProcess.binary, "--db", decom.db]).map(Tmux.quote)
            .joined(separator: " ")
        let viewer = try Tmux(command: command + " --role viewer", environment: env)
        try viewer.waitFor(text: "KIOSK-00005")
        try viewer.send("q")
        let admin = try Tmux(
            command: command + "; echo \"decom exited $?\"", environment: env)
        let screen = try admin.waitFor(text: "decom exited")
        #expect(screen.contains("decom exited 2"), "\(screen)")
        #expect(screen.contains("is read-only"), "\(screen)")
        // It says how to look at it anyway (the message may wrap on the terminal).
        let words = screen.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("(--role viewer)"), "\(screen)")
    }
}
