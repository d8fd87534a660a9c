import Foundation
import Testing

/// Restore the way admins think, in a real terminal: the archived view, marks, `r`, its
/// dialog, one RESTORE transaction, a device purged meanwhile reported `gone`; then undo and
/// the table's counts; and `decom restore` from the CLI.
@Suite(.serialized) struct RestoreEndToEndTests {
    func clientStatus(_ decom: DecomProcess, _ key: String) throws -> String? {
        let shown = try decom.run(["show", key, "--format", "json"])
        guard shown.status == 0 else { return nil }
        let object =
            try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        return (object?["data"] as? [String: Any])?["client_status"] as? String
    }

    /// The newest transaction, as `decom history --format json` lists it.
    func newestTransaction(_ decom: DecomProcess) throws -> [String: Any] {
        let listed = try decom.run(["history", "--format", "json", "--limit", "1"])
        let object =
            try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any]
        let newest = (object?["transactions"] as? [[String: Any]])?.first
        let id = try #require(newest?["id"] as? Int)
        let one = try decom.run(["history", String(id), "--format", "json"])
        return try #require(
            try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
    }

    @Test func markArchivedDevicesRestoreThemAndUndo() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        // Three admins' archives: bob's (1, 2), carol's (6), and the console user's own (7).
        #expect(try decom.run(["delete", "1", "2", "--user", "bob"]).status == 0)
        #expect(try decom.run(["delete", "6", "--user", "carol"]).status == 0)
        #expect(try decom.run(["delete", "7"]).status == 0)

        var environment = decom.environment
        environment["TERM"] = "xterm-256color"
        let tmux = try Tmux(
            console: [DecomProcess.binary, "console", "--db", decom.db], width: 120, height: 40,
            environment: environment, stty: decom.home.appendingPathComponent("stty").path)
        try tmux.waitFor(text: "KIOSK-00005")
        try tmux.send("A")
        try tmux.waitFor(text: "4/4 archived")

        // Mark 1, 2 and 6 (Space marks and moves down) and ask to restore them.
        try tmux.send("Space")
        try tmux.send("Space")
        try tmux.send("Space")
        try tmux.waitFor(text: "3 marked")
        try tmux.send("r")
        // Its buttons are drawn last: waiting for the title alone could capture a frame half
        // written (seen once under a loaded full run).
        let dialog = try tmux.waitFor("the whole restore dialog") {
            $0.contains("Restore 3 devices?") && $0.contains("[y] Yes")
        }
        #expect(dialog.contains("by bob"), "the dialog names whose archives")
        #expect(dialog.contains("by carol"))
        #expect(dialog.contains("LT-PAR-00001") && dialog.contains("LT-PAR-00006"))
        // Meanwhile another admin purges device 2.
        #expect(try decom.run(["delete", "--hard", "2", "--yes", "--user", "bob"]).status == 0)
        try tmux.send("y")
        let result = try tmux.waitFor(text: "Restored 2 devices of 2 archives")
        #expect(result.contains("1 gone"))
        #expect(result.contains("LT-PAR-00002") && result.contains("gone"))

        // Each as its archive left it; the device not marked stays archived.
        #expect(try clientStatus(decom, "1") == "AVAILABLE")
        #expect(try clientStatus(decom, "6") == "AVAILABLE")
        #expect(try clientStatus(decom, "7") == "ARCHIVED")
        let restore = try newestTransaction(decom)
        #expect(restore["type"] as? String == "RESTORE")
        #expect(restore["user"] as? String == "e2e-admin")
        let items = try #require(restore["result"] as? [[String: Any]])
        #expect(items.compactMap { $0["device_id"] as? Int } == [1, 2, 6])
        #expect(items.compactMap { $0["outcome"] as? String } == ["restored", "gone", "restored"])

        // The table's counts follow: only 7 is left archived.
        try tmux.send("Escape")
        try tmux.waitFor(text: "1/1 archived")

        // u undoes the user's own archive (7), with progress and a flash naming it.
        try tmux.send("u")
        try tmux.waitFor(text: "Restored 1 device of archive #")
        try tmux.waitFor(text: "0/0 archived")
        #expect(try clientStatus(decom, "7") == "AVAILABLE")

        try tmux.send("q")
        try tmux.waitFor(text: "decom exited 0")
    }

    @Test func restoreFromTheCommandLine() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        #expect(try decom.run(["delete", "1", "2", "--user", "bob"]).status == 0)
        let dry = try decom.run(["restore", "--dry-run", "1", "404"])
        #expect(dry.status == 1)
        #expect(dry.stdout.contains("Dry run: would restore 1 device. Nothing changed."))
        #expect(try clientStatus(decom, "1") == "ARCHIVED")
        let run = try decom.run(["restore", "1", "6"])
        #expect(run.status == 1, "device 6 is not archived")
        #expect(run.stdout.contains("Restored 1 device"))
        #expect(run.stdout.contains("not_archived"))
        #expect(try clientStatus(decom, "1") == "AVAILABLE")
        #expect(try clientStatus(decom, "2") == "ARCHIVED")
        let viewer = try decom.run(["restore", "2", "--role", "viewer"])
        #expect(viewer.status == 1)
        #expect(viewer.stdout.contains("insufficient_scope"))
        #expect(try clientStatus(decom, "2") == "ARCHIVED")
    }
}
