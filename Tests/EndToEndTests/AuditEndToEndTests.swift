import Foundation
import Testing

/// The audit trail as an admin checks it: `decom audit verify` on a fleet that went through
/// every kind of change, then on copies of it edited by hand with `sqlite3` (triggers dropped
/// first); and `decom history` telling how every device got there (SEED, IMPORT).
@Suite struct AuditEndToEndTests {
    /// A fleet that was imported into, seeded, archived, undone, purged and unenrolled, its
    /// WAL folded into the file. Transactions: 1 IMPORT, 2 SEED, 3 ARCHIVE, 4 RESTORE,
    /// 5 ARCHIVE, 6 PURGE, 7 UNENROLL.
    func workedFleet() throws -> DecomProcess {
        let decom = try DecomProcess()
        let file = decom.home.appendingPathComponent("fleet.json").path
        try Fixtures.write(to: file)
        let steps: [[String]] = [
            ["import", file, "--user", "ivy"],
            ["seed", "--devices", "40", "--user", "sam"],
            ["delete", "1", "6", "7", "--yes"],
            ["undo"],
            ["delete", "6", "--yes"],
            ["delete", "--hard", "--bulk", "--yes", "6", "7"],
            ["delete", "--unenroll", "--yes", "1", "2"],
        ]
        try run(steps, in: decom, allowing: [0, 1])
        try decom.checkpoint()
        return decom
    }

    /// Runs each command; each must end with one of `allowing`.
    func run(_ steps: [[String]], in decom: DecomProcess, allowing: Set<Int32>) throws {
        for step in steps {
            let result = try decom.run(step)
            #expect(allowing.contains(result.status), "\(step): \(result.stdout) \(result.stderr)")
        }
    }

    /// Changes the database with `sql` as a tamperer would, then runs `audit verify`, which
    /// must find the chain broken (exit 1); returns what it printed.
    func verifyAfterTampering(_ decom: DecomProcess, _ sql: String) throws -> String {
        try SQLiteShell.run(decom.db, sql)
        let result = try verify(decom)
        #expect(result.status == 1, "\(result.stdout)")
        return result.stdout
    }

    func verify(_ decom: DecomProcess) throws -> DecomProcess.Result {
        try decom.run(["audit", "verify", "--db", decom.db], useDB: false)
    }

    @Test func verifyPassesOnAFleetAfterEveryKindOfChange() throws {
        let decom = try workedFleet()
        defer { decom.remove() }
        let result = try verify(decom)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Audit intact"))
        let rows = try SQLiteShell.int(decom.db, "SELECT count(*) FROM audit")
        let transactions = try SQLiteShell.int(decom.db, "SELECT count(*) FROM transactions")
        #expect(rows > 0 && transactions == 7)
        #expect(result.stdout.contains("\(rows) audit rows, \(transactions) transactions"))
        let unhashed = try SQLiteShell.int(
            decom.db,
            "SELECT (SELECT count(*) FROM audit WHERE length(hash) <> 32 OR hash IS NULL)"
                + " + (SELECT count(*) FROM transactions WHERE length(hash) <> 32 OR hash IS NULL)"
        )
        #expect(unhashed == 0)
    }

    @Test func anAuditRowEditedBySQLiteIsNamed() throws {
        let decom = try workedFleet()
        defer { decom.remove() }
        let target = try SQLiteShell.int(decom.db, "SELECT min(id) + 2 FROM audit")
        try SQLiteShell.run(
            decom.db,
            "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'mallory' WHERE id = \(target);"
        )
        let result = try verify(decom)
        #expect(result.status == 1)
        #expect(result.stdout.contains("BROKEN"))
        #expect(result.stdout.contains("audit row \(target): "), "\(result.stdout)")
        #expect(result.stdout.contains("changed"))
    }

    @Test func anAuditRowDeletedBySQLiteIsNamed() throws {
        let decom = try workedFleet()
        defer { decom.remove() }
        let target = try SQLiteShell.int(decom.db, "SELECT min(id) + 1 FROM audit")
        let printed = try verifyAfterTampering(
            decom, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = \(target);")
        // The chain breaks at the row after the one removed, which names what is missing.
        #expect(
            printed.contains(
                "audit row \(target + 1): the chain breaks here: audit row \(target) is missing"),
            "\(printed)")
    }

    @Test func theLastAuditRowsDeletedAreCaughtByTheirTransaction() throws {
        let decom = try workedFleet()
        defer { decom.remove() }
        let last = try SQLiteShell.int(decom.db, "SELECT max(id) FROM audit")
        let transaction = try SQLiteShell.int(
            decom.db, "SELECT transaction_id FROM audit WHERE id = \(last)")
        try SQLiteShell.run(
            decom.db, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = \(last);")
        let result = try verify(decom)
        #expect(result.status == 1)
        #expect(result.stdout.contains("transaction \(transaction): "), "\(result.stdout)")
    }

    @Test func aTransactionsUserChangedBySQLiteIsNamed() throws {
        let decom = try workedFleet()
        defer { decom.remove() }
        try SQLiteShell.run(decom.db, "UPDATE transactions SET user = 'eve' WHERE id = 3;")
        let result = try verify(decom)
        #expect(result.status == 1)
        #expect(result.stdout.contains("transaction 3: "), "\(result.stdout)")
        #expect(!result.stdout.contains("  audit row "), "the audit rows themselves are intact")
        // And an item's outcome, and an undo link, too.
        try SQLiteShell.run(decom.db, "UPDATE transactions SET user = 'e2e-admin' WHERE id = 3;")
        #expect(try verify(decom).status == 0, "putting it back makes the chain whole again")
        try SQLiteShell.run(
            decom.db,
            "UPDATE transaction_items SET outcome = 'forbidden' WHERE transaction_id = 6 AND seq = 1;"
        )
        #expect(try verify(decom).stdout.contains("transaction 6: "))
    }

    /// `decom restore` names no archive (it may take devices from several), and marks each
    /// archive it empties as undone by it: the chain stays whole after restoring an archive
    /// at once, device by device, and two archives in one restore; an undo link pointed at a
    /// restore that took none of the archive's devices is still named.
    @Test func restoresThatEmptyArchivesKeepTheChainWhole() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let steps: [[String]] = [
            ["seed", "--devices", "50", "--seed", "3"],
            ["delete", "2", "3", "--yes"], ["restore", "2", "3"],
            ["delete", "4", "6", "--yes"], ["restore", "4"], ["restore", "6"],
            ["delete", "9", "10", "--yes"], ["delete", "11", "--yes"],
            ["restore", "9", "10", "11"],
        ]
        try run(steps, in: decom, allowing: [0])
        let archives = try SQLiteShell.int(
            decom.db, "SELECT count(*) FROM transactions WHERE type = 'ARCHIVE' AND undone_by > 0;")
        #expect(archives == 4, "every archive emptied by a restore")
        let intact = try verify(decom)
        #expect(intact.status == 0, "\(intact.stdout) \(intact.stderr)")
        // The first archive (transaction 2) marked undone by the last restore, which took
        // none of its devices: named.
        let last = try SQLiteShell.int(decom.db, "SELECT max(id) FROM transactions;")
        let printed = try verifyAfterTampering(
            decom, "UPDATE transactions SET undone_by = \(last) WHERE id = 2;")
        #expect(
            printed.contains(
                "transaction 2: undone_by names transaction \(last), which does not undo it"),
            "\(printed)")
    }

    @Test func anUndoLinkClearedBySQLiteIsNamed() throws {
        let decom = try workedFleet()
        defer { decom.remove() }
        try SQLiteShell.run(decom.db, "UPDATE transactions SET undone_by = NULL WHERE id = 3;")
        let result = try verify(decom)
        #expect(result.status == 1)
        #expect(result.stdout.contains("transaction 3: a RESTORE undid it"), "\(result.stdout)")
    }

    // MARK: - Import and seed in the history

    @Test func seedAndImportAreInTheHistoryWithUserCountsAndFile() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let file = decom.home.appendingPathComponent("intake-fleet.json").path
        try Fixtures.write(to: file)
        let fixtureCount = Fixtures.fleet.count
        let imported = try decom.run(["import", file, "--user", "ivy"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let seeded = try decom.run(["seed", "--devices", "25", "--seed", "9", "--user", "sam"])
        #expect(seeded.status == 0, "\(seeded.stderr)")

        let history = try decom.run(["history"])
        #expect(history.status == 0)
        let lines = history.stdout.split(separator: "\n").map(String.init)
        let seedLine = try #require(lines.first { $0.contains("SEED") }, "\(history.stdout)")
        #expect(seedLine.contains("sam"))
        #expect(seedLine.contains("25 seeded"))
        #expect(seedLine.contains("seed 9"))
        let importLine = try #require(lines.first { $0.contains("IMPORT") }, "\(history.stdout)")
        #expect(importLine.contains("ivy"))
        #expect(importLine.contains("\(fixtureCount) imported"))
        #expect(importLine.contains("intake-fleet.json"))

        let json = try decom.run(["history", "--format", "json"]).json()
        let transactions = try #require(json["transactions"] as? [[String: Any]])
        let importRecord = try #require(transactions.first { $0["type"] as? String == "IMPORT" })
        #expect(importRecord["source"] as? String == "intake-fleet.json")
        #expect(importRecord["user"] as? String == "ivy")

        // The device's own history says how it got there.
        let fixtureId = try #require(Fixtures.fleet.first?["id"] as? Int)
        let shown = try decom.run(["show", String(fixtureId)])
        #expect(shown.stdout.contains("IMPORT imported by ivy"), "\(shown.stdout)")
        #expect(shown.stdout.contains("intake-fleet.json"))
    }

    @Test func anImportOrASeedIsNotUndoneAndNeverTheTopOfTheUndoStack() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let archived = try decom.run(["delete", "1", "--yes"])
        #expect(archived.status == 0, "\(archived.stderr)")
        let seeded = try decom.run(["seed", "--devices", "5"])
        #expect(seeded.status == 0)
        let before = try decom.run(["export"]).stdout

        let refused = try decom.run(["undo", "1"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("IMPORT"))
        #expect(refused.stderr.contains("cannot be undone"))
        #expect(try decom.run(["export"]).stdout == before, "a refused undo changes nothing")

        // The seed is newer than the archive, and still `decom undo` undoes the archive.
        let undone = try decom.run(["undo"])
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(undone.stdout.contains("Restored 1 device"))
        #expect(try verify(decom).status == 0)
    }
}
