import Foundation
import Glibc
import Testing

/// Writers wait their turn, visibly: a write that finds another writer's lock says whom it
/// waits for, waits as long as the lock is held (SQLite's old ten seconds are no limit), goes
/// on when it is free, and stops on Ctrl-C (CLI) or Esc (console) having changed nothing.
/// Readers, the console's included, work while the lock is held. The lock is held by the
/// `sqlite3` shell (`HeldWriteLock`), or by a decom process frozen inside its transaction.
@Suite struct WaitingWriterEndToEndTests {
    /// Longer than the ten seconds after which decom used to fail with "database is locked".
    static let longHold: TimeInterval = 12

    func text(_ path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }

    func clientStatus(_ decom: DecomProcess, _ key: String) throws -> String? {
        let shown = try decom.run(["show", key, "--format", "json"])
        guard shown.status == 0 else { return nil }
        let object =
            try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        return (object?["data"] as? [String: Any])?["client_status"] as? String
    }

    @Test func aDeleteWaitsForAnotherProgramThenArchives() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let lock = try HeldWriteLock(db: decom.db, folder: decom.home)
        defer { lock.release() }

        let out = decom.home.appendingPathComponent("delete.out").path
        let started = Date()
        let delete = try decom.start(["delete", "6", "--user", "bob"], output: out)
        #expect(
            fileEventually(out, contains: "Waiting since"),
            "the delete says that it waits: \(text(out))")
        #expect(text(out).contains("for another program to finish writing; Ctrl-C cancels"))

        // Readers do not wait for the writer.
        let listed = try decom.run(["list", "--all"])
        #expect(listed.status == 0 && listed.stdout.contains("LT-PAR-00006"), "\(listed.stderr)")
        #expect(try clientStatus(decom, "6") == "AVAILABLE")
        #expect(try decom.run(["history"]).status == 0)
        #expect(try decom.run(["export"]).status == 0)

        // The lock stays held longer than decom used to wait; then the delete goes on.
        while Date().timeIntervalSince(started) < Self.longHold {
            Thread.sleep(forTimeInterval: 0.2)
        }
        lock.release()
        let exit = delete.wait()
        let output = text(out)
        #expect(exit.status == 0, "\(output)")
        #expect(output.contains("Archived 1 device"), "\(output)")
        #expect(!output.contains("database is locked") && !output.contains("SQLite"), "\(output)")
        #expect(try clientStatus(decom, "6") == "ARCHIVED")
    }

    @Test func readersDoNotFailWhileTheLockIsHeld() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        // The sqlite3 shell closes last and removes the WAL file: a new write lock then holds
        // an empty one, which decom's opening (GRDB) wants to fill.
        #expect(try SQLiteShell.int(decom.db, "SELECT count(*) FROM devices;") == 9)
        let lock = try HeldWriteLock(db: decom.db, folder: decom.home)
        defer { lock.release() }
        let started = Date()
        var readers: [(String, Spawn.Child, String)] = []
        for command in [["list", "--all"], ["show", "6"], ["history"], ["export"]] {
            let out = decom.home.appendingPathComponent("\(command[0]).out").path
            readers.append((command[0], try decom.start(command, output: out), out))
        }
        while Date().timeIntervalSince(started) < Self.longHold {
            Thread.sleep(forTimeInterval: 0.2)
        }
        lock.release()
        for (name, child, out) in readers {
            let exit = child.wait()
            #expect(exit.status == 0, "\(name): \(text(out))")
            #expect(!text(out).contains("database is locked"), "\(name): \(text(out))")
        }
        #expect(text(decom.home.appendingPathComponent("list.out").path).contains("LT-PAR-00006"))
    }

    @Test func aWaitNamesTheDecomTransactionItWaitsFor() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        // Alice's archive burns a second of CPU as it records its items, so that it can be
        // caught holding the lock (its note next to the database names its transaction) and
        // frozen there with SIGSTOP for as long as the test needs.
        try SQLiteShell.run(
            decom.db,
            """
            CREATE TABLE burn (x INTEGER);
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 4000)
            INSERT INTO burn SELECT x FROM c;
            CREATE TRIGGER burn_cpu AFTER INSERT ON transaction_items BEGIN
                SELECT count(*) FROM burn a, burn b WHERE a.x + b.x = -1;
            END;
            """)
        let aliceOut = decom.home.appendingPathComponent("alice.out").path
        let alice = try decom.start(["delete", "6", "--user", "alice"], output: aliceOut)
        defer { alice.kill(SIGCONT) }
        let note = try #require(
            noteWithTransaction(decom), "alice's archive never held the lock: \(text(aliceOut))")
        alice.kill(SIGSTOP)
        let transaction = try #require(
            note.split(separator: ",").first { $0.contains("\"transaction\"") }?
                .split(separator: ":").last?.trimmingCharacters(in: .init(charactersIn: "} \n")))

        let bobOut = decom.home.appendingPathComponent("bob.out").path
        let bob = try decom.start(["delete", "7", "--user", "bob"], output: bobOut)
        #expect(
            fileEventually(
                bobOut, contains: "Waiting for alice's archive (transaction \(transaction)) since"),
            "bob says whose work he waits for: \(text(bobOut))")

        alice.kill(SIGCONT)
        #expect(alice.wait().status == 0, "\(text(aliceOut))")
        #expect(bob.wait().status == 0, "\(text(bobOut))")
        #expect(text(bobOut).contains("Archived 1 device"), "\(text(bobOut))")
        #expect(try clientStatus(decom, "6") == "ARCHIVED")
        #expect(try clientStatus(decom, "7") == "ARCHIVED")
    }

    /// The text of the first note of a decom writer that names its transaction.
    func noteWithTransaction(_ decom: DecomProcess) -> String? {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let names =
                (try? FileManager.default.contentsOfDirectory(atPath: decom.home.path)) ?? []
            for name in names
            where name.hasPrefix("fleet.sqlite-writer-") && !name.hasSuffix(".tmp") {
                let note = text(decom.home.appendingPathComponent(name).path)
                if note.contains("\"transaction\"") { return note }
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return nil
    }

    @Test func ctrlCWhileWaitingChangesNothing() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let before = try decom.export()
        let transactions = try SQLiteShell.int(decom.db, "SELECT count(*) FROM transactions;")
        let lock = try HeldWriteLock(db: decom.db, folder: decom.home)
        defer { lock.release() }

        let out = decom.home.appendingPathComponent("delete.out").path
        let delete = try decom.start(["delete", "6", "7"], output: out)
        #expect(fileEventually(out, contains: "Waiting since"), "\(text(out))")
        delete.kill(SIGINT)
        let exit = delete.wait()
        let output = text(out)
        #expect(exit.status == 130 && exit.signal == nil, "exit \(exit): \(output)")
        #expect(
            output.contains(
                "cancelled while waiting for another program to finish; nothing changed"),
            "\(output)")
        #expect(!output.contains("SQLite"), "\(output)")

        lock.release()
        #expect(try decom.export() == before, "the fleet is unchanged")
        #expect(
            try SQLiteShell.int(decom.db, "SELECT count(*) FROM transactions;") == transactions,
            "no transaction recorded for a cancelled wait")
    }

    @Test func theConsoleShowsTheWaitAndEscCancelsIt() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        // The lock is held before the console opens: its first reads must not wait.
        let lock = try HeldWriteLock(db: decom.db, folder: decom.home)
        defer { lock.release() }
        var env = decom.environment
        env["TERM"] = "xterm-256color"
        let tmux = try Tmux(
            console: [DecomProcess.binary, "console", "--db", decom.db], environment: env)
        try tmux.waitFor(text: "LT-PAR-00006")
        try tmux.send("/")
        try tmux.type("LT-PAR-00006")
        try tmux.send("Enter")
        try tmux.waitFor("only device 6 shown") {
            !$0.contains("LT-PAR-00007") && $0.contains("LT-PAR-00006")
        }
        try tmux.send("d")
        try tmux.waitFor(text: "Archive 1 device?")
        try tmux.send("y")
        try tmux.waitFor(text: "for another program to finish writing · Esc cancels")
        #expect(try clientStatus(decom, "6") == "AVAILABLE")

        try tmux.send("Escape")
        try tmux.waitFor(
            text: "Nothing changed: cancelled while waiting for another program to finish")
        #expect(try clientStatus(decom, "6") == "AVAILABLE", "a cancelled wait changes nothing")

        // Still usable while the lock is held: the details and the history are read.
        try tmux.send("Enter")
        try tmux.waitFor(text: "client status")
        try tmux.send("Enter")
        try tmux.send("H")
        try tmux.waitFor(text: "WHO")
        try tmux.send("Escape")

        // Once the lock is free, the same archive goes through.
        lock.release()
        try tmux.send("d")
        try tmux.waitFor(text: "Archive 1 device?")
        try tmux.send("y")
        try tmux.waitFor(text: "Archived 1")
        #expect(try clientStatus(decom, "6") == "ARCHIVED")
        try tmux.send("q")
        try tmux.waitFor(text: "decom exited 0")
    }

    @Test func undoInTheConsoleWaitsWhileReadsGoOn() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        #expect(try decom.run(["delete", "6"]).status == 0)
        let lock = try HeldWriteLock(db: decom.db, folder: decom.home)
        defer { lock.release() }
        var env = decom.environment
        env["TERM"] = "xterm-256color"
        let tmux = try Tmux(
            console: [DecomProcess.binary, "console", "--db", decom.db], environment: env)
        try tmux.waitFor(text: "LT-PAR-00007")
        try tmux.send("u")
        try tmux.waitFor(text: "for another program to finish writing · Esc cancels")
        // The undo waits on its own: the details pane is read meanwhile.
        try tmux.send("Enter")
        try tmux.waitFor(text: "client status")
        lock.release()
        try tmux.waitFor(text: "Restored 1 device of archive #")
        #expect(try clientStatus(decom, "6") == "AVAILABLE")
        try tmux.send("q")
        try tmux.waitFor(text: "decom exited 0")
    }
}
