import Foundation
import Testing

/// Issue 15, "get data out", in a real terminal: `y` sends the cursor's id to the clipboard
/// through OSC 52 (tmux with `set-clipboard on` keeps it as a paste buffer), a vt100 shows it
/// in a dialog instead, `:export` / `:export-keys` write files the CLI reads back, and `o`
/// shows a device's whole record as text or JSON.
@Suite(.serialized) struct ConsoleCopyExportEndToEndTests {
    func console(
        _ decom: DecomProcess, term: String = "xterm-256color", env: [String: String] = [:]
    ) throws -> Tmux {
        var environment = decom.environment
        environment["TERM"] = term
        for (key, value) in env { environment[key] = value }
        return try Tmux(
            console: [DecomProcess.binary, "console", "--db", decom.db], width: 120, height: 40,
            environment: environment)
    }

    /// The newest paste buffer tmux holds, nil when there is none.
    func pasteBuffer(_ tmux: Tmux) throws -> String? {
        let list = try tmux.run(["list-buffers", "-F", "#{buffer_name}"])
        guard !list.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return try tmux.run(["show-buffer"])
    }

    /// Polls tmux's paste buffer until it holds the text; bounded, it stops by itself.
    func waitForBuffer(_ tmux: Tmux, _ expected: String) throws -> String? {
        let deadline = Date().addingTimeInterval(15)
        var last: String?
        while Date() < deadline {
            last = try pasteBuffer(tmux)
            if last == expected { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return last
    }

    @Test func yAndCapitalYCopyIDsThroughOSC52() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let tmux = try console(decom)
        // tmux takes OSC 52 from the program into a paste buffer when set-clipboard is on.
        try tmux.run(["set-option", "-s", "set-clipboard", "on"])
        try tmux.waitFor(text: "LT-PAR-00001")
        try tmux.send("j")
        try tmux.send("y")
        try tmux.waitFor(text: "Copied device id 2 to the clipboard")
        #expect(try waitForBuffer(tmux, "2") == "2")

        try tmux.send("g")
        try tmux.send("Space")
        try tmux.send("Space")
        try tmux.send("Space")
        try tmux.waitFor(text: "3 marked")
        try tmux.send("Y")
        try tmux.waitFor(text: "Copied 3 marked ids")
        #expect(try waitForBuffer(tmux, "1\n2\n3") == "1\n2\n3")
        try tmux.send("q")
    }

    @Test func aVT100ShowsTheTextInADialog() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let tmux = try console(decom, term: "vt100")
        try tmux.run(["set-option", "-s", "set-clipboard", "on"])
        try tmux.waitFor(text: "LT-PAR-00001")
        try tmux.send("y")
        // The dialog's body is drawn after its title: waiting for the title alone could
        // capture a frame half written (seen once under a loaded full run).
        let screen = try tmux.waitFor(text: "select the text")
        #expect(screen.contains("Copy device id 1"))
        #expect(try pasteBuffer(tmux) == nil, "no OSC 52 to a vt100")
        try tmux.send("Escape")
        try tmux.waitFor("the dialog to close") { !$0.contains("Copy device id 1") }
        try tmux.send("q")
    }

    @Test func exportWritesWhatImportReadsAndKeysWhatDeleteReads() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let json = decom.home.appendingPathComponent("paris.json").path
        let csv = decom.home.appendingPathComponent("paris.csv").path
        let keys = decom.home.appendingPathComponent("keys.txt").path
        let tmux = try console(decom)
        try tmux.waitFor(text: "LT-PAR-00001")

        // The filtered view when nothing is marked.
        try tmux.send("/")
        try tmux.type("LT-PAR")
        try tmux.send("Enter")
        try tmux.waitFor("the filter to hide the kiosk") { !$0.contains("KIOSK-00005") }
        let shown = 4  // LT-PAR-00001, 00002, 00006 and 00007
        try tmux.send(":")
        try tmux.type("export \(json)")
        try tmux.send("Enter")
        try tmux.waitFor(text: "Exported \(shown) devices to \(json) (JSON)")
        try tmux.send(":")
        try tmux.type("export \(csv)")
        try tmux.send("Enter")
        try tmux.waitFor(text: "(CSV)")

        // An existing file is refused, named; `!` replaces it.
        try tmux.send(":")
        try tmux.type("export \(json)")
        try tmux.send("Enter")
        try tmux.waitFor(text: "Not exported: \(json) exists")

        // The marks, when there are: two of them as keys.
        try tmux.send("Space")
        try tmux.send("Space")
        try tmux.waitFor(text: "2 marked")
        try tmux.send(":")
        try tmux.type("export-keys \(keys)")
        try tmux.send("Enter")
        try tmux.waitFor(text: "Exported 2 devices to \(keys) (keys)")
        try tmux.send(":")
        try tmux.type("export! \(json)")
        try tmux.send("Enter")
        try tmux.waitFor(text: "Exported 2 devices to \(json) (JSON)")
        try tmux.send("q")

        // The JSON goes into an empty database whole; the CSV too.
        for file in [json, csv] {
            let target = try DecomProcess()
            defer { target.remove() }
            let imported = try target.run(["import", file])
            #expect(imported.status == 0, "\(imported.stderr)")
            let listed = try target.run(["export", "--format", "json"]).stdout
            let devices = try #require(
                try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]])
            #expect(devices.count == (file == json ? 2 : shown), "\(file)")
            #expect(devices.allSatisfy { ($0["name"] as? String)?.hasPrefix("LT-PAR") == true })
        }

        // The keys are what delete reads.
        #expect(try String(contentsOfFile: keys, encoding: .utf8) == "1\n2\n")
        let dry = try decom.run(["delete", "--from-file", keys, "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("LT-PAR-00001") && dry.stdout.contains("LT-PAR-00002"))
    }

    @Test func oShowsTheWholeRecordAsTextThenJSON() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let tmux = try console(decom)
        try tmux.waitFor(text: "LT-PAR-00001")
        // Device 8's name carries an escape sequence: shown, never sent.
        try tmux.send("G")
        try tmux.send("k")
        try tmux.send("o")
        // The record arrives after the view opens ("Loading…" until then).
        try tmux.waitFor("the record of device 8, its name shown safely, as text") {
            $0.contains("Device 8 · text") && $0.contains("Device 8: EVIL^[]0;pwned")
                && $0.contains("Compliance")
        }
        try tmux.send("J")
        try tmux.waitFor("the JSON document") {
            $0.contains("Device 8 · JSON") && $0.contains("\"data\"")
        }
        #expect(!(try tmux.screen(escapes: true)).contains("pwned\u{07}"))
        try tmux.send("Escape")
        try tmux.waitFor("the view to close") { !$0.contains("Device 8 · JSON") }
        try tmux.send("q")
        try tmux.waitFor(text: "decom exited 0")
    }
}
