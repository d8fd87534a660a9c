import Foundation
import Testing

/// The built `decom` binary, driven as an admin's shell would: exit codes, JSON shapes, and the
/// database checked through the CLI itself.
@Suite struct CLIEndToEndTests {
    func outcomes(_ result: DecomProcess.Result) throws -> [String: String] {
        let items = try #require(try result.json()["result"] as? [[String: Any]])
        var map: [String: String] = [:]
        for item in items {
            map[item["key"] as? String ?? "?"] = item["outcome"] as? String
        }
        return map
    }

    func clientStatus(_ decom: DecomProcess, _ key: String) throws -> String? {
        let shown = try decom.run(["show", key, "--format", "json"])
        guard shown.status == 0 else { return nil }
        let data = try #require(try shown.json()["data"] as? [String: Any])
        return data["client_status"] as? String
    }

    @Test func seedThenListNonCompliantAsJSON() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let seeded = try decom.run(["seed", "--devices", "1000", "--seed", "7"])
        #expect(seeded.status == 0, "\(seeded.stderr)")
        let listed = try decom.run(["list", "compliant:no", "--format", "json"])
        #expect(listed.status == 0)
        let rows = try #require(try listed.json()["data"] as? [[String: Any]])
        #expect(
            rows.count > 100 && rows.count < 500, "about a quarter of 1000 should fail compliance")
        for row in rows {
            let compliance = try #require(row["compliance"] as? [String: Any])
            #expect(compliance["verdict"] as? String == "non_compliant")
            #expect((compliance["failing"] as? [String])?.isEmpty == false)
            #expect(row["client_status"] as? String != "ARCHIVED")
        }
    }

    @Test func archiveThenUndoRestoresExactly() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let before = try decom.run(["show", "1", "--format", "json"]).stdout
        let deleted = try decom.run(["delete", "1", "6", "7", "--format", "json"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(try outcomes(deleted) == ["1": "archived", "6": "archived", "7": "archived"])
        let transaction = try #require(try deleted.json()["transaction"] as? [String: Any])
        #expect(transaction["type"] as? String == "ARCHIVE")
        #expect(transaction["status"] as? String == "SUCCESS")
        #expect(transaction["user"] as? String == "e2e-admin")
        #expect(try clientStatus(decom, "1") == "ARCHIVED")
        let active = try decom.run(["list", "--format", "json"])
        let ids = try #require(try active.json()["data"] as? [[String: Any]]).compactMap {
            $0["id"] as? Int
        }
        #expect(!ids.contains(1) && !ids.contains(6), "archived devices leave the default list")

        let undone = try decom.run(["undo", "--format", "json"])
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(try outcomes(undone).values.allSatisfy { $0 == "restored" })
        #expect(try decom.run(["show", "1", "--format", "json"]).stdout == before)
    }

    @Test func purgeNeedsBulkAndYesWithoutATerminal() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let noBulk = try decom.run(["delete", "--hard", "--yes", "6", "7"])
        #expect(noBulk.status == 2)
        #expect(noBulk.stderr.contains("--bulk"))
        let noYes = try decom.run(["delete", "--hard", "--bulk", "6", "7"])
        #expect(noYes.status == 2)
        #expect(noYes.stderr.contains("--yes"))
        #expect(try clientStatus(decom, "6") == "AVAILABLE", "a refused purge changes nothing")

        let purged = try decom.run([
            "delete", "--hard", "--bulk", "--yes", "6", "7", "--format", "json",
        ])
        #expect(purged.status == 0, "\(purged.stderr)")
        #expect(try outcomes(purged) == ["6": "purged", "7": "purged"])
        let shown = try decom.run(["show", "6"])
        #expect(shown.status == 1, "a purged device is not found")
        // Its tombstone says when, by whom and in which transaction.
        let transaction = try SQLiteShell.int(
            decom.db, "SELECT transaction_id FROM tombstones WHERE device_id = 6;")
        let name = try decom.run(["show", "7"]).stderr
        #expect(
            shown.stderr.hasPrefix("decom: not_found: no device has id 6; ")
                && shown.stderr.contains(
                    " was purged at 20")
                && shown.stderr.contains(
                    " by e2e-admin (transaction \(transaction); decom history \(transaction))"),
            "\(shown.stderr)")
        #expect(name.contains("was purged"), "\(name)")
        let never = try decom.run(["show", "9999"])
        #expect(never.stderr == "decom: not_found: no device has id 9999\n", "\(never.stderr)")
    }

    @Test func undoRefusesAPurgeAndNamesTheNewestArchive() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let archived = try decom.run(["delete", "1", "--format", "json"])
        let archiveId = try #require(
            (try archived.json()["transaction"] as? [String: Any])?["id"] as? Int)
        #expect(try decom.run(["delete", "--hard", "--bulk", "--yes", "6", "7"]).status == 0)
        let refused = try decom.run(["undo"])
        #expect(refused.status == 2, "a refused undo changes nothing: the command could not run")
        #expect(refused.stderr.contains("cannot be undone"))
        #expect(refused.stderr.contains("decom undo \(archiveId)"))
        #expect(try decom.run(["show", "6"]).status == 1, "undo of a purge changes nothing")
        #expect(
            try clientStatus(decom, "1") == "ARCHIVED",
            "the archive was not undone by the refused undo")
        let explicit = try decom.run(["undo", String(archiveId)])
        #expect(explicit.status == 0, "\(explicit.stderr)")
        #expect(try clientStatus(decom, "1") == "AVAILABLE")
    }

    @Test func dryRunChangesNothing() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let before = try decom.run(["export", "--format", "json"]).stdout
        for mode in ["--soft", "--hard", "--unenroll"] {
            let planned = try decom.run([
                "delete", mode, "--bulk", "--dry-run", "1", "2", "--format", "json",
            ])
            #expect(planned.status == 0, "\(planned.stderr)")
            #expect(try planned.json()["dry_run"] as? Bool == true)
        }
        #expect(try decom.run(["export", "--format", "json"]).stdout == before)
        let history = try #require(
            try decom.run(["history", "--format", "json"]).json()["transactions"]
                as? [[String: Any]])
        #expect(
            history.map { $0["type"] as? String } == ["IMPORT"],
            "a dry run records no transaction (the fixture's import does)")
    }

    @Test func everyKeyFormNamesTheSameDevice() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        for key in [
            "5", "~kiosk-5", "mac:00-0C-29-CD-C7-B2", "mac:000c29cdc7b2", "hwid:12ds44f5gacd52234",
            "serial:c02xk1zzjgh5",
        ] {
            let shown = try decom.run(["show", key, "--format", "json"])
            #expect(shown.status == 0, "\(key): \(shown.stderr)")
            let data = try #require(try shown.json()["data"] as? [String: Any])
            #expect(data["id"] as? Int == 5, "\(key)")
        }
        let json = try decom.run(
            ["delete", "-", "--format", "json"],
            stdin: #"["~kiosk-5", {"id": 6}, {"id": true}, "007"]"#)
        #expect(json.status == 1)
        let results = try #require(try json.json()["result"] as? [[String: Any]])
        #expect(
            results.map { $0["outcome"] as? String } == [
                "archived", "archived", "invalid_key", "invalid_key",
            ])
    }

    @Test func policyAndMissingDevicesAreReportedPerItem() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let result = try decom.run(["delete", "3", "4", "999", "1", "~dev-1", "--format", "json"])
        #expect(result.status == 1, "some items were not done")
        #expect(
            try outcomes(result) == [
                "3": "forbidden", "4": "forbidden", "999": "not_found", "1": "archived",
                "~dev-1": "duplicate",
            ])
        let again = try decom.run(["delete", "1", "--format", "json"])
        #expect(try outcomes(again) == ["1": "already_archived"])
        #expect(again.status == 0, "an archive that already holds is not a failure")
        let unenroll = try decom.run([
            "delete", "--unenroll", "--yes", "9", "2", "--format", "json",
        ])
        #expect(try outcomes(unenroll) == ["9": "not_enrolled", "2": "unenrolled"])
    }

    @Test func rolesAreEnforced() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let viewer = try decom.run(["delete", "1", "--role", "viewer", "--format", "json"])
        #expect(viewer.status == 1)
        #expect(try outcomes(viewer) == ["1": "insufficient_scope"])
        let envViewer = try decom.run(
            ["delete", "1", "--format", "json"], env: ["DECOM_ROLE": "viewer"])
        #expect(try outcomes(envViewer) == ["1": "insufficient_scope"])
        let operatorPurge = try decom.run([
            "delete", "--hard", "--yes", "6", "--role", "operator", "--format", "json",
        ])
        #expect(try outcomes(operatorPurge) == ["6": "insufficient_scope"])
        #expect(try clientStatus(decom, "1") == "AVAILABLE")
        #expect(try clientStatus(decom, "6") == "AVAILABLE")
        let viewerUndo = try decom.run(["undo", "--role", "viewer"])
        #expect(viewerUndo.status == 2)
        let badRole = try decom.run(["list", "--role", "root"])
        #expect(badRole.status == 2)
        #expect(badRole.stderr.contains("unknown role"))
    }

    @Test func badInputExitsTwoWithAMessage() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let badQuery = try decom.run(["list", "colour:red"])
        #expect(badQuery.status == 2)
        #expect(badQuery.stderr.contains("colour"))
        let unbalanced = try decom.run(["list", "name:\"open"])
        #expect(unbalanced.status == 2)
        let badOption = try decom.run(["delete", "--frobnicate", "1"])
        #expect(badOption.status == 2)
        let noKeys = try decom.run(["delete"])
        #expect(noKeys.status == 2)
        let missingFile = try decom.run(["delete", "--from-file", "/nonexistent/keys.txt"])
        #expect(missingFile.status == 2)
        #expect(missingFile.stderr.contains("/nonexistent/keys.txt"))
        let notSQLite = decom.home.appendingPathComponent("notes.txt")
        try Data("this is not a database, just text\n".utf8).write(to: notSQLite)
        let wrongDB = try decom.run(["list", "--db", notSQLite.path], useDB: false)
        #expect(wrongDB.status == 2)
        #expect(wrongDB.stderr.contains(notSQLite.path))
    }

    @Test func defaultDatabaseLivesUnderXDGDataHome() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        #expect(try decom.run(["seed", "--devices", "20"], useDB: false).status == 0)
        let path = decom.home.appendingPathComponent("data/decom/fleet.sqlite").path
        #expect(FileManager.default.fileExists(atPath: path))
        let listed = try decom.run(["list", "--all", "--format", "json"], useDB: false)
        #expect((try listed.json()["data"] as? [Any])?.count == 20)
        let viaEnv = try decom.run(
            ["list", "--all", "--format", "json"], env: ["DECOM_DB": path], useDB: false)
        #expect((try viaEnv.json()["data"] as? [Any])?.count == 20)
    }

    @Test func deviceTextNeverReachesTheTerminalRaw() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        for args in [["list"], ["show", "8"], ["delete", "8"], ["history", "1"]] {
            let result = try decom.run(args)
            #expect(!result.stdout.contains("\u{1B}"), "\(args): raw ESC in output")
            #expect(!result.stdout.contains("\u{07}"), "\(args): raw BEL in output")
            #expect(!result.stdout.contains("\u{202E}"), "\(args): raw bidi override in output")
        }
        #expect(
            try decom.run(["show", "8"]).stdout.contains("EVIL^[]0;pwned^G^[[31mRED<U+202E>txt"))
    }

    @Test func historyListsTransactionsNewestFirst() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        _ = try decom.run(["delete", "1"])
        _ = try decom.run(["delete", "--hard", "--yes", "6"])
        _ = try decom.run(["undo", "2"])  // 1 is the fixture's IMPORT
        let history = try decom.run(["history", "--format", "json"])
        let records = try #require(try history.json()["transactions"] as? [[String: Any]])
        #expect(
            records.map { $0["type"] as? String } == ["RESTORE", "PURGE", "ARCHIVE", "IMPORT"])
        #expect(records.allSatisfy { ($0["created_at"] as? String)?.hasSuffix("Z") == true })
        #expect(records[2]["undone_by"] as? Int == records[0]["id"] as? Int)
        let text = try decom.run(["history"])
        #expect(text.stdout.contains("PURGE"))
    }

    @Test func aDryRunPreviewsABulkPurgeWithoutTheConfirmation() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let before = try decom.export()
        let preview = try decom.run(["delete", "--hard", "--dry-run", "6", "7"])
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(preview.stdout.contains("would purge 2 devices"), "\(preview.stdout)")
        #expect(
            preview.stdout.contains("The purge itself needs --bulk: it takes 2 devices at once."),
            "\(preview.stdout)")
        let withBulk = try decom.run(["delete", "--hard", "--dry-run", "--bulk", "6", "7"])
        #expect(!withBulk.stdout.contains("needs --bulk"), "\(withBulk.stdout)")
        let one = try decom.run(["delete", "--hard", "--dry-run", "6"])
        #expect(!one.stdout.contains("needs --bulk"), "\(one.stdout)")
        let refused = try decom.run(["delete", "--hard", "--yes", "6", "7"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--bulk"))
        #expect(try decom.export() == before)
    }

    @Test func purgeArchivedBeforeAnAge() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        _ = try decom.run(["delete", "1"])
        let none = try decom.run(["purge", "--archived-before", "30d", "--yes"])
        #expect(none.status == 0)
        #expect(none.stdout.contains("nothing to purge"))
        let bad = try decom.run(["purge", "--archived-before", "soon", "--yes"])
        #expect(bad.status == 2)
        let recent = try decom.run(["purge", "--archived-before", "0m", "--yes"])
        #expect(recent.status == 2, "an age under a day is refused")
        #expect(recent.stderr.contains("at least 1d"), "\(recent.stderr)")
        #expect(try SQLiteShell.int(decom.db, "SELECT count(*) FROM devices WHERE id = 1;") == 1)
        try SQLiteShell.run(
            decom.db,
            "UPDATE devices SET archived_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-40 days') WHERE id = 1;"
        )
        let all = try decom.run(["purge", "--archived-before", "30d", "--yes", "--format", "json"])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(try outcomes(all) == ["1": "purged"])
    }
}
