import Foundation
import Testing

/// One rule per exit code (README, "Exit codes"), one test per rule: 0 done; 1 some items
/// were not done, each reported; 2 the command was wrong or could not run, and nothing
/// changed. (128+N, the console ended by a signal: `ConsoleSignalEndToEndTests`.)
@Suite(.serialized) struct ExitCodesEndToEndTests {
    @Test func zeroWhenEverythingAskedWasDone() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        #expect(try decom.run(["init"]).status == 0)
        let file = decom.home.appendingPathComponent("fleet.json").path
        try Fixtures.write(to: file)
        #expect(try decom.run(["import", file]).status == 0)
        #expect(try decom.run(["delete", "6"]).status == 0)
        #expect(try decom.run(["undo"]).status == 0)
        #expect(try decom.run(["history", "1"]).status == 0)
        let backup = decom.home.appendingPathComponent("backup.sqlite").path
        #expect(try decom.run(["backup", backup]).status == 0)
    }

    @Test func oneWhenSomeItemsWereNotDoneEachReported() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let mixed = try decom.run(["delete", "3", "6", "404"])
        #expect(mixed.status == 1)
        #expect(mixed.stdout.contains("forbidden") && mixed.stdout.contains("not_found"))
        #expect(mixed.stdout.contains("Archived 1 device"), "\(mixed.stdout)")
    }

    @Test func twoWhenTheCommandWasWrongOrCouldNotRunAndNothingChanged() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let before = try decom.export()
        // The same missing transaction, whichever command names it.
        for command in [["undo", "99"], ["history", "99"]] {
            let result = try decom.run(command)
            #expect(result.status == 2, "\(command)")
            #expect(result.stderr.contains("no transaction 99"), "\(command): \(result.stderr)")
        }
        // An undo refused as a whole is a command that could not run, as the above.
        let nothing = try decom.run(["undo"])
        #expect(nothing.status == 2)
        #expect(nothing.stderr.contains("nothing to undo"), "\(nothing.stderr)")
        #expect(try decom.run(["list", "--bogus"]).status == 2)
        #expect(try decom.export() == before)
        #expect(
            try SQLiteShell.int(decom.db, "SELECT count(*) FROM transactions;") == 1,
            "the fixture's import only")

        // A database error after opening: a hand-edited value, then a dropped table.
        try SQLiteShell.run(decom.db, "UPDATE devices SET client_status = 'BOGUS' WHERE id = 2;")
        let edited = try decom.run(["list"])
        #expect(edited.status == 2)
        #expect(edited.stderr.contains("'BOGUS'"), "\(edited.stderr)")
        try SQLiteShell.run(decom.db, "DROP TABLE sessions;")
        let dropped = try decom.run(["show", "1"])
        #expect(dropped.status == 2, "\(dropped.stderr)")
        #expect(dropped.stderr.hasPrefix("decom: "), "\(dropped.stderr)")
    }
}
