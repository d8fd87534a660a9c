import DecomTestSupport
import Foundation
import Testing

/// Device text an attacker controls (names, comments, serials) never reaches the terminal
/// raw: not in the console's table, details, dialogs, flash lines, result and history views,
/// nor in the CLI's output. tmux is the terminal: its screen (`capture-pane -e`) holds only
/// decom's own SGR sequences, its title is unchanged and its clipboard empty.
@Suite struct InjectionEndToEndTests {
    static let payloads = [
        "\u{1B}[31mRED\u{1B}[0m", "\u{1B}[2J\u{1B}[H", "\u{1B}[10;10Hmoved", "\u{1B}]0;pwned\u{07}",
        "\u{1B}]52;c;cHduZWQ=\u{07}",
        "\u{1B}]8;;https://evil.example\u{1B}\\link\u{1B}]8;;\u{1B}\\",
        "\u{9B}31m", "\u{9D}0;c1title\u{9C}", "del\u{7F}", "back\u{08}\u{08}", "cr\rover",
        "bidi\u{202E}txt", "bell\u{07}", "line\u{2028}sep", "arabic\u{061C}mark",
    ]

    /// One device per payload: in its name, comment and serial. Import refuses control and
    /// format characters in a serial (an identifier must be something a key can name), so
    /// the serials are written afterwards with `sqlite3`, as another program could.
    func hostileSandbox(serials withSerials: Bool = true) throws -> DecomProcess {
        let decom = try DecomProcess()
        var fleet: [[String: Any]] = []
        var serials: [String] = []
        for (n, payload) in Self.payloads.enumerated() {
            var device = Fixtures.device(100 + n, name: "HOST\(n)-" + payload, mdmStatus: nil)
            device["comment"] = "note " + payload
            fleet.append(device)
            let literal = ("SER\(n)" + payload).unicodeScalars.map { "char(\($0.value))" }
            serials.append(
                "UPDATE devices SET serial_number = \(literal.joined(separator: " || ")) WHERE id = \(100 + n);"
            )
        }
        fleet.append(Fixtures.device(1, name: "LT-PAR-00001"))
        let file = decom.home.appendingPathComponent("hostile.json").path
        try JSONSerialization.data(withJSONObject: fleet).write(to: URL(fileURLWithPath: file))
        let imported = try decom.run(["import", file])
        #expect(imported.status == 0, "\(imported.stderr)")
        if withSerials { try SQLiteShell.run(decom.db, serials.joined(separator: "\n")) }
        return decom
    }

    @Test func aHostileLabelIsRefusedOnImport() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let device = Fixtures.device(1, name: "x", label: "lab\u{1B}[31m")
        let file = decom.home.appendingPathComponent("label.json").path
        try JSONSerialization.data(withJSONObject: [device]).write(to: URL(fileURLWithPath: file))
        let imported = try decom.run(["import", file])
        #expect(imported.status == 2)
        #expect(RawControl.first(in: imported.stderr) == nil, "the message is safe too")
    }

    @Test func theCLINeverPrintsRawControls() throws {
        let decom = try hostileSandbox()
        defer { decom.remove() }
        var bytes = 0
        var commands: [[String]] = [
            ["list"], ["list", "--all", "--format", "json"], ["list", "HOST"], ["history"],
        ]
        for n in Self.payloads.indices {
            commands.append(["show", String(100 + n)])
            commands.append(["show", String(100 + n), "--format", "json"])
        }
        commands += [
            ["delete", "100", "101", "102"], ["delete", "--dry-run", "--hard", "103"],
            ["delete", "--format", "json", "104"], ["undo"], ["history", "1"], ["history", "2"],
        ]
        for command in commands {
            let result = try decom.run(command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(RawControl.first(in: result.stdout) == nil, "\(command): raw in stdout")
            #expect(RawControl.first(in: result.stderr) == nil, "\(command): raw in stderr")
            bytes += result.stdout.utf8.count + result.stderr.utf8.count
        }
        Stress.record("bytes_checked", bytes)
    }

    @Test func theConsoleNeverDrawsRawControls() throws {
        let decom = try hostileSandbox()
        defer { decom.remove() }
        var env = decom.environment
        env["TERM"] = "xterm-256color"
        let tmux = try Tmux(
            console: [DecomProcess.binary, "console", "--db", decom.db], width: 160, height: 45,
            environment: env)
        let title = try tmux.run(["display-message", "-p", "-t", tmux.session, "#{pane_title}"])
        var bytes = 0
        func clean(_ what: String, _ condition: @escaping (String) -> Bool) throws {
            let screen = try tmux.waitFor(what, escapes: true) { condition($0) }
            bytes += screen.utf8.count
            let rest = RawControl.withoutSGR(screen)
            #expect(RawControl.first(in: rest) == nil, "\(what): raw control on screen")
            #expect(!rest.contains("moved") || rest.contains("^[[10;10Hmoved"), "\(what)")
            let now = try tmux.run(["display-message", "-p", "-t", tmux.session, "#{pane_title}"])
            #expect(now == title, "\(what): the title changed to \(now)")
            #expect(!now.contains("pwned") && !now.contains("c1title"))
            let buffers = try tmux.run(["list-buffers"])
            #expect(buffers.isEmpty, "\(what): the clipboard was set: \(buffers)")
        }
        try clean("the table") { $0.contains("HOST0-") && $0.contains("HOST12-") }
        // Details of every hostile device.
        for n in Self.payloads.indices {
            try tmux.send("/")
            try tmux.send("C-u")
            try tmux.type("HOST\(n)-")
            try tmux.send("Enter")
            try tmux.waitFor(text: "1/\(Self.payloads.count + 1) active · filter: HOST\(n)-")
            // Enter toggles the details pane, which is closed here: open it, check, close it.
            try tmux.send("Enter")
            try clean("details of HOST\(n)") {
                $0.contains("Device \(100 + n)") && $0.contains("Identifiers")
                    && $0.contains("SER\(n)")
            }
            try tmux.send("Enter")
            try tmux.waitFor("the details of HOST\(n) to close") { !$0.contains("Identifiers") }
        }
        // Dialogs of all three modes on every hostile device.
        try tmux.send("/")
        try tmux.send("C-u")
        try tmux.type("HOST")
        try tmux.send("Enter")
        try tmux.send("a")
        try clean("all marked") { $0.contains("\(Self.payloads.count) marked") }
        try tmux.send("x")
        try clean("the unenroll dialog") { $0.contains("nenroll") && $0.contains("HOST") }
        try tmux.send("Escape")
        try tmux.send("D")
        try clean("the purge dialog") { $0.contains("Purge") }
        try tmux.send("Escape")
        try tmux.send("d")
        try clean("the archive dialog") { $0.contains("Archive \(Self.payloads.count)") }
        try tmux.send("y")
        try clean("the result of the archive") { $0.contains("Archived") }
        try tmux.send("Escape")
        try tmux.send("u")
        try clean("the flash of the undo") { $0.contains("Restored") }
        try tmux.send("H")
        try clean("the history view") { $0.contains("ARCHIVE") || $0.contains("archive") }
        try tmux.send("Enter")
        try clean("a transaction of the history") { $0.contains("HOST") }
        try tmux.send("Escape")
        try tmux.send("Escape")
        try tmux.send("q")
        try tmux.waitFor(text: "decom exited 0")
        Stress.record("bytes_checked", bytes)
    }

    /// Through a pipe (`| head`, `| less -R`) decom cannot tell a terminal is at the end:
    /// CSV and JSON carry no raw control whatever stdout is, and CSV reads back exactly.
    @Test func csvAndJSONThroughAPipeCarryNoRawControls() throws {
        let decom = try hostileSandbox()
        defer { decom.remove() }
        for command in [
            ["list", "--all", "--format", "csv"], ["export", "--format", "csv"],
            ["export", "--format", "json"],
        ] {
            let result = try decom.run(command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(RawControl.first(in: result.stdout) == nil, "\(command): raw in stdout")
            #expect(!result.stdout.contains("\t"), "\(command): raw tab")
        }
        // Import refuses controls in serials, which the sandbox wrote with sqlite3.
        let importable = try hostileSandbox(serials: false)
        defer { importable.remove() }
        let exported = try importable.run(["export", "--format", "csv"])
        let other = try DecomProcess()
        defer { other.remove() }
        let file = other.home.appendingPathComponent("fleet.csv").path
        try Data(exported.stdout.utf8).write(to: URL(fileURLWithPath: file))
        #expect(try other.run(["import", file]).status == 0)
        let again = try other.run(["export", "--format", "csv"])
        #expect(again.stdout == exported.stdout, "CSV reads back exactly")
        let show = try other.run(["show", "110", "--format", "json"])
        #expect(show.stdout.contains("HOST10-cr\\rover"), "the CR came back as a CR")
    }

    /// Every message that quotes an argument, decom's own or swift-argument-parser's, shows
    /// its controls as stand-ins.
    @Test func errorMessagesNeverEchoRawControlsFromArguments() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let evil = "x\u{1B}]0;pwned\u{07}\u{1B}]52;c;cm0gLXJmIH4=\u{07}\u{9B}2J\u{202E}\ny"
        let commands: [[String]] = [
            ["list", "--format", evil], ["export", "--format", evil], ["list", "--sort", evil],
            ["delete", "--from-file", evil], ["import", evil], ["history", evil], ["undo", evil],
            ["purge", "--archived-before", evil], ["list", "--" + evil], [evil],
            ["show", evil], ["delete", "--role", evil, "1"],
        ]
        for command in commands {
            let result = try decom.run(command)
            #expect(result.status == 2, "\(command): \(result.status)")
            #expect(!result.stderr.isEmpty, "\(command): no message")
            #expect(RawControl.first(in: result.stderr) == nil, "\(command): \(result.stderr)")
            #expect(!result.stderr.contains("x\ny"), "\(command): the argument's line break")
        }
    }

    /// Names that differ by an invisible character alone look different in the CLI's plan.
    @Test func theDryRunShowsInvisibleCharacters() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let fleet = [
            Fixtures.device(1, name: "front desk"), Fixtures.device(2, name: "front\u{200B} desk"),
            Fixtures.device(3, name: "front desk\u{FEFF}"),
        ]
        let file = decom.home.appendingPathComponent("lookalike.json").path
        try JSONSerialization.data(withJSONObject: fleet).write(to: URL(fileURLWithPath: file))
        #expect(try decom.run(["import", file]).status == 0)
        let plan = try decom.run(["delete", "--dry-run", "--hard", "--bulk", "1", "2", "3"])
        #expect(plan.stdout.contains("front<U+200B> desk"), "\(plan.stdout)")
        #expect(plan.stdout.contains("front desk<U+FEFF>"), "\(plan.stdout)")
        #expect(!plan.stdout.contains("\u{200B}") && !plan.stdout.contains("\u{FEFF}"))
    }

    @Test func theCLITableInATerminalLeavesTheTitleAlone() throws {
        let decom = try hostileSandbox()
        defer { decom.remove() }
        var env = decom.environment
        env["TERM"] = "xterm-256color"
        let list = [DecomProcess.binary, "list", "--db", decom.db].map(Tmux.quote).joined(
            separator: " ")
        let show = [DecomProcess.binary, "show", "--db", decom.db, "103"].map(Tmux.quote).joined(
            separator: " ")
        let tmux = try Tmux(
            command: "sh -c \(Tmux.quote(list + "; " + show + "; echo done-listing"))", width: 200,
            height: 60, environment: env)
        let title = try tmux.run(["display-message", "-p", "-t", tmux.session, "#{pane_title}"])
        let screen = try tmux.waitFor("the listing", escapes: true) { $0.contains("done-listing") }
        #expect(RawControl.first(in: RawControl.withoutSGR(screen)) == nil)
        #expect(!title.contains("pwned"))
        let now = try tmux.run(["display-message", "-p", "-t", tmux.session, "#{pane_title}"])
        #expect(now == title)
        #expect(try tmux.run(["list-buffers"]).isEmpty)
    }
}
