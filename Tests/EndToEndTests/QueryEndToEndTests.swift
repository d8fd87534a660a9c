import Foundation
import Testing

/// The query language from the admin's side: `decom list` with dates and several values,
/// checked against the database with sqlite3; and the console's filter prompt edited,
/// refused, cancelled and recalled from its history across runs, in a real terminal.
@Suite(.serialized) struct QueryEndToEndTests {
    /// The ids a `decom list` printed as JSON.
    func listed(_ decom: DecomProcess, _ query: String) throws -> Set<Int> {
        // After `--`, a query that starts with '-' is no option.
        let result = try decom.run(["list", "--format", "json", "--", query])
        #expect(result.status == 0, "decom list \(query): \(result.stderr)")
        let data = try result.json()["data"] as? [[String: Any]] ?? []
        return Set(data.compactMap { $0["id"] as? Int })
    }

    /// The ids sqlite3 gives for a condition on the active devices (`devices d`).
    func sqlite(_ decom: DecomProcess, _ condition: String) throws -> Set<Int> {
        let output = try Spawn.run(
            [
                "sqlite3", decom.db,
                "SELECT d.id FROM devices d LEFT JOIN mdm_enrollments m ON m.device_id = d.id "
                    + "WHERE d.client_status <> 'ARCHIVED' AND (\(condition))",
            ], environment: decom.environment, input: nil)
        #expect(output.exit.status == 0, "sqlite3: \(output.stderr)")
        return Set(output.stdout.split(separator: "\n").compactMap { Int($0) })
    }

    @Test func listSeenMoreThan90DaysAgoGivesWhatTheDatabaseSays() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let seeded = try decom.run(["seed", "--devices", "400", "--seed", "15"])
        #expect(seeded.status == 0, "\(seeded.stderr)")

        // The seed ran moments ago: a device within an hour of the cutoff could be on either
        // side, so the answer is checked between the two bounds an hour apart.
        let stale = try listed(decom, "seen:>90d")
        let surelyStale = try sqlite(
            decom, "julianday(d.last_seen) < julianday('now', '-90 days', '-1 hour')")
        let maybeStale = try sqlite(
            decom, "julianday(d.last_seen) < julianday('now', '-90 days', '+1 hour')")
        #expect(!surelyStale.isEmpty, "the demo fleet has devices not seen for 90 days")
        #expect(surelyStale.isSubset(of: stale) && stale.isSubset(of: maybeStale))

        // Not seen within 90 days, never seen included.
        let notRecent = try listed(decom, "-seen:<90d")
        let neverSeen = try sqlite(decom, "d.last_seen IS NULL")
        #expect(!neverSeen.isEmpty)
        #expect(notRecent.isSuperset(of: neverSeen.union(surelyStale)))
        #expect(notRecent.isSubset(of: neverSeen.union(maybeStale)))
        #expect(try listed(decom, "seen:none") == neverSeen)

        // Several values of one field, and a date.
        #expect(
            try listed(decom, "status:available,in_service")
                == sqlite(decom, "d.client_status IN ('AVAILABLE', 'IN_SERVICE')"))
        #expect(
            try listed(decom, "enrolled:<2025-06-01")
                == sqlite(decom, "m.enrollment_date < '2025-06-01'"))
    }

    @Test func aBadValueIsAnErrorNamingTheTerm() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        _ = try decom.run(["seed", "--devices", "5"])
        let result = try decom.run(["list", "os:ios seen:>90x"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr.contains("bad query at character 13: seen '>90x' is not an age or a date")
        )
        let help = try decom.run(["list", "--help"], useDB: false)
        #expect(help.stdout.contains("seen:>90d"))
    }

    @Test func theFilterPromptEditsRefusesCancelsAndRemembersAcrossRuns() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let state = decom.home.appendingPathComponent("state").path
        var environment = decom.environment
        environment["TERM"] = "xterm-256color"
        environment["XDG_STATE_HOME"] = state
        func console() throws -> Tmux {
            try Tmux(
                console: [DecomProcess.binary, "console", "--db", decom.db], width: 120,
                height: 30, environment: environment)
        }

        let first = try console()
        try first.waitFor(text: "KIOSK-00005")
        // A value that does not parse: nothing is applied, the prompt keeps the text.
        try first.send("/")
        try first.type("compliant:maybe")
        try first.send("Enter")
        try first.waitFor(text: "Filter not applied: unknown value 'maybe' for compliant")
        #expect(try first.screen().contains("/compliant:maybe"))
        #expect(try first.screen().contains("LT-PAR-00001"), "no part of it was applied")
        // Edited in place: Ctrl-U, a word, Alt-B back to its start, a '-' before it.
        try first.send("C-u")
        try first.type("KIOSK")
        try first.send("M-b")
        try first.type("-")
        try first.waitFor(text: "/-KIOSK")
        try first.send("Enter")
        try first.waitFor("the kiosk to leave the table") {
            $0.contains("filter: -KIOSK") && !$0.contains("KIOSK-00005")
        }
        // Esc cancels an edit and keeps the filter that was applied.
        try first.send("/")
        try first.type(" LT-WIPE")
        try first.waitFor("the edit to narrow the table") { !$0.contains("LT-PAR-00001") }
        try first.send("Escape")
        try first.waitFor("the applied filter to come back") {
            $0.contains("filter: -KIOSK") && $0.contains("LT-PAR-00001")
        }
        try first.send("q")
        try first.waitFor(text: "decom exited 0")

        let saved = try String(contentsOfFile: state + "/decom/filter_history", encoding: .utf8)
        #expect(saved == "-KIOSK\n")

        // The next run recalls it with Up.
        let second = try console()
        try second.waitFor(text: "KIOSK-00005")
        try second.send("/", "Up")
        try second.waitFor(text: "/-KIOSK")
        try second.send("Enter")
        try second.waitFor("the recalled filter to apply") {
            $0.contains("filter: -KIOSK") && !$0.contains("KIOSK-00005")
        }
        try second.send("q")
        try second.waitFor(text: "decom exited 0")
    }
}

/// `decom export` with a query (issue 16): only the devices the query selects, archived ones
/// included, as the database selects them.
@Suite struct ExportQueryEndToEndTests {
    @Test func exportWithAQueryHoldsOnlyTheDevicesItSelects() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        #expect(try decom.run(["seed", "--devices", "300", "--seed", "16"]).status == 0)
        // Some archived devices (the policy may refuse one or two of these: no matter).
        _ = try decom.run(["delete", "5", "6", "7", "8", "--yes"])
        let listed = try decom.run(["list", "--all", "--format", "json", "id:<=40 compliant:no"])
        let expected = (try listed.json()["data"] as? [[String: Any]] ?? []).compactMap {
            $0["id"] as? Int
        }
        let exported = try decom.run(["export", "id:<=40", "compliant:no"])
        #expect(exported.status == 0, "\(exported.stderr)")
        let devices =
            (try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [[String: Any]])
            ?? []
        #expect(!expected.isEmpty)
        #expect(devices.compactMap { $0["id"] as? Int } == expected)

        let refused = try decom.run(["export", "colour:red"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("unknown field 'colour'"))
    }
}
