import Foundation
import Testing

/// The console in a real terminal (tmux): the admin's whole round of filter, mark, archive,
/// undo, purge, resize and quit, with the database checked through the CLI.
@Suite(.serialized) struct ConsoleEndToEndTests {
    /// Starts the console in a shell that records `stty -g` before and after it runs.
    func console(
        _ decom: DecomProcess, arguments: [String] = [], width: Int = 120, height: Int = 40,
        env: [String: String] = [:]
    ) throws -> Tmux {
        var environment = decom.environment
        environment["TERM"] = "xterm-256color"
        for (key, value) in env { environment[key] = value }
        return try Tmux(
            console: [DecomProcess.binary, "console", "--db", decom.db] + arguments, width: width,
            height: height, environment: environment,
            stty: decom.home.appendingPathComponent("stty").path)
    }

    func clientStatus(_ decom: DecomProcess, _ key: String) throws -> String? {
        let shown = try decom.run(["show", key, "--format", "json"])
        guard shown.status == 0 else { return nil }
        let object =
            try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        return (object?["data"] as? [String: Any])?["client_status"] as? String
    }

    func terminalWasRestored(_ decom: DecomProcess, _ tmux: Tmux) throws {
        try tmux.waitFor(text: "decom exited 0")
        let before = try String(
            contentsOfFile: decom.home.appendingPathComponent("stty-before").path, encoding: .utf8)
        let after = try String(
            contentsOfFile: decom.home.appendingPathComponent("stty-after").path, encoding: .utf8)
        #expect(before == after, "stty settings changed")
        let flags = try tmux.run([
            "display-message", "-p", "-t", tmux.session, "#{alternate_on} #{cursor_flag}",
        ])
        #expect(
            flags.trimmingCharacters(in: .whitespacesAndNewlines) == "0 1",
            "alternate screen left, cursor visible")
    }

    @Test func filterMarkArchiveUndoPurgeResizeQuit() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let tmux = try console(decom)
        try tmux.waitFor(text: "LT-PAR-00001")

        // Filter narrows the table at each keystroke; Enter keeps it.
        try tmux.send("/")
        try tmux.type("LT-PAR")
        try tmux.waitFor("the filter to hide the kiosk") {
            !$0.contains("KIOSK-00005") && $0.contains("LT-PAR-00006")
        }
        try tmux.send("Enter")

        // Mark two rows and archive them; Enter on the fresh dialog would cancel, y confirms.
        try tmux.send("Space")
        try tmux.send("Space")
        try tmux.waitFor(text: "2 marked")
        try tmux.send("d")
        try tmux.waitFor(text: "Archive 2 devices?")
        try tmux.send("Enter")
        try tmux.waitFor("the dialog to close on Enter") { !$0.contains("Archive 2 devices?") }
        #expect(
            try clientStatus(decom, "1") == "AVAILABLE", "Enter on a fresh archive dialog cancels")
        try tmux.send("d")
        try tmux.waitFor(text: "Archive 2 devices?")
        try tmux.send("y")
        try tmux.waitFor(text: "Archived 2")
        #expect(try clientStatus(decom, "1") == "ARCHIVED")
        #expect(try clientStatus(decom, "2") == "ARCHIVED")
        try tmux.waitFor("archived rows to leave the table") { !$0.contains("LT-PAR-00001") }

        // Undo brings them back.
        try tmux.send("u")
        try tmux.waitFor(text: "Restored 2")
        #expect(try clientStatus(decom, "1") == "AVAILABLE")
        try tmux.waitFor(text: "LT-PAR-00001")

        // Purge one device: the typed count is required and D pressed twice never confirms.
        try tmux.send("C")  // the undo marked the two restored devices
        try tmux.send("/")
        try tmux.send("C-u")
        try tmux.type("LT-PAR-00006")
        try tmux.send("Enter")
        try tmux.waitFor("only device 6 shown") {
            !$0.contains("LT-PAR-00007") && $0.contains("LT-PAR-00006")
        }
        try tmux.send("D")
        try tmux.waitFor(text: "Purge 1 device")
        try tmux.send("D")
        try tmux.send("Enter")
        try tmux.waitFor(text: "Purge 1 device")
        #expect(
            try clientStatus(decom, "6") == "AVAILABLE",
            "D twice and Enter without the count purge nothing")
        try tmux.type("1")
        try tmux.send("Enter")
        try tmux.waitFor(text: "Purged 1")
        #expect(try clientStatus(decom, "6") == nil, "device 6 is gone")

        // Resize small, too small, and back.
        try tmux.resize(width: 80, height: 24)
        try tmux.waitFor("the 80x24 layout") {
            // The header gives up the word "decom" first when it is short of room.
            $0.split(separator: "\n").allSatisfy { $0.count <= 80 } && $0.contains(" active")
        }
        try tmux.resize(width: 30, height: 8)
        try tmux.waitFor(text: "too small")
        try tmux.resize(width: 120, height: 40)
        try tmux.waitFor("the table again") { !$0.contains("too small") && $0.contains("decom") }

        try tmux.send("q")
        try terminalWasRestored(decom, tmux)
    }

    /// Every signal that ends decom restores the terminal first and exits 128 + the signal, as
    /// shells report; SIGQUIT never opens Swift's interactive backtracer over the console.
    @Test func signalsRestoreTheTerminal() throws {
        for signal in [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE] {
            let decom = try DecomProcess.withFixtureFleet()
            defer { decom.remove() }
            let tmux = try console(decom)
            try tmux.waitFor(text: "LT-PAR-00001")
            let child = try #require(try tmux.decomPID(), "the console's pid")
            kill(child, signal)
            try tmux.waitFor(text: "decom exited")
            let screen = try tmux.screen()
            #expect(screen.contains("decom exited \(128 + signal)"), "signal \(signal): \(screen)")
            #expect(!screen.contains("Press space"), "signal \(signal): the backtracer took over")
            let flags = try tmux.run([
                "display-message", "-p", "-t", tmux.session, "#{alternate_on} #{cursor_flag}",
            ])
            #expect(
                flags.trimmingCharacters(in: .whitespacesAndNewlines) == "0 1",
                "signal \(signal): alternate screen left on or cursor hidden")
            #expect(
                !screen.contains("LT-PAR-00001"), "signal \(signal): the console's screen was left")
            let before = try String(
                contentsOfFile: decom.home.appendingPathComponent("stty-before").path,
                encoding: .utf8)
            let after = try String(
                contentsOfFile: decom.home.appendingPathComponent("stty-after").path,
                encoding: .utf8)
            #expect(before == after, "signal \(signal): stty settings changed")
            #expect(
                !FileManager.default.fileExists(atPath: "/proc/\(child)"),
                "signal \(signal): no process left behind")
        }
    }

    /// Ctrl-C is a key in raw mode; it leaves the console as SIGINT would: exit 130.
    @Test func controlCLeavesAsSIGINTDoes() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let tmux = try console(decom)
        try tmux.waitFor(text: "LT-PAR-00001")
        try tmux.send("C-c")
        try tmux.waitFor(text: "decom exited 130")
    }

    @Test func hostileDeviceTextNeverReachesTheScreenRaw() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let tmux = try console(decom)
        try tmux.waitFor(text: "LT-PAR-00001")
        try tmux.send("/")
        try tmux.type("EVIL")
        try tmux.send("Enter")
        try tmux.send("Enter")
        let screen = try tmux.waitFor("the details of the hostile device", escapes: true) {
            $0.contains("pwned") && $0.contains("Identifiers")
        }
        #expect(screen.contains("^[]0;pwned"), "the escape sequence is shown as text")
        #expect(!screen.contains("]0;pwned\u{07}"), "no OSC title sequence reached the terminal")
        #expect(!screen.contains("\u{202E}"), "no bidi override reached the terminal")
        let title = try tmux.run(["display-message", "-p", "-t", tmux.session, "#{pane_title}"])
        #expect(!title.contains("pwned"), "the window title was not changed")
        try tmux.send("q")
        try tmux.waitFor(text: "decom exited 0")
    }
}
