import Foundation
import Testing

/// Habits of a terminal program (issue 15): Ctrl-Z gives the terminal back to the shell and
/// `fg` draws the console again; a click picks a row, a click in the mark column marks it, the
/// wheel scrolls, and `mouse: false` leaves the mouse to the terminal.
@Suite(.serialized) struct ConsoleSuspendMouseEndToEndTests {
    static let prompt = "e2e-shell$ "

    /// An interactive bash (job control on) in tmux, at its prompt.
    func shell(_ decom: DecomProcess, height: Int = 30) throws -> Tmux {
        var environment = decom.environment
        environment["TERM"] = "xterm-256color"
        environment["PS1"] = Self.prompt
        let tmux = try Tmux(
            command: "bash --norc --noprofile -i", width: 120, height: height,
            environment: environment)
        try tmux.waitFor("the prompt", Self.atPrompt)
        return tmux
    }

    func start(_ tmux: Tmux, _ decom: DecomProcess, _ arguments: [String] = []) throws {
        let command = [DecomProcess.binary, "console", "--db", decom.db] + arguments
        try tmux.type(command.map(Tmux.quote).joined(separator: " "))
        try tmux.send("Enter")
        try tmux.waitFor("the table") { Self.cursorID($0) != nil && !$0.contains("reading") }
    }

    /// Whether the shell waits at its prompt: the last line written is the prompt alone.
    static func atPrompt(_ screen: String) -> Bool {
        let lines = screen.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }
        return lines.last.map { $0.trimmingCharacters(in: .whitespaces) }
            == prompt.trimmingCharacters(in: .whitespaces)
    }

    /// The id on the cursor's row (the row with `▸` in its gutter).
    static func cursorID(_ screen: String) -> Int? {
        guard let line = screen.split(separator: "\n").first(where: { $0.hasPrefix("▸") }) else {
            return nil
        }
        return firstNumber(line)
    }

    static func firstNumber(_ line: Substring) -> Int? {
        line.split(whereSeparator: { !$0.isNumber }).first.flatMap { Int($0) }
    }

    /// The id shown on a line of the screen.
    static func id(onLine number: Int, _ screen: String) -> Int? {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        guard number < lines.count else { return nil }
        return firstNumber(lines[number])
    }

    func paneFlags(_ tmux: Tmux, _ format: String) throws -> String {
        try tmux.run(["display-message", "-p", "-t", tmux.session, format])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A mouse report as xterm sends it in SGR mode (1006), which ncurses asks an
    /// `xterm-256color` terminal for: 1-based column and line; `M` a press, `m` a release.
    func mouse(_ tmux: Tmux, button: Int, column: Int, line: Int, release: Bool = true) throws {
        try tmux.type("\u{1B}[<\(button);\(column);\(line)M")
        if release { try tmux.type("\u{1B}[<\(button);\(column);\(line)m") }
    }

    static func seeded() throws -> DecomProcess {
        let decom = try DecomProcess()
        #expect(try decom.run(["seed", "--devices", "200", "--seed", "3"]).status == 0)
        return decom
    }

    @Test func ctrlZSuspendsToTheShellAndFgRedraws() throws {
        let decom = try Self.seeded()
        defer { decom.remove() }
        let tmux = try shell(decom)
        try start(tmux, decom)
        let first = try #require(Self.id(onLine: 2, try tmux.screen()))
        let second = try #require(Self.id(onLine: 3, try tmux.screen()))
        try tmux.send("j")
        try tmux.waitFor("the cursor on the second row") { Self.cursorID($0) == second }

        try tmux.send("C-z")
        let stopped = try tmux.waitFor("the shell's prompt after Stopped") {
            $0.contains("Stopped") && Self.atPrompt($0)
        }
        #expect(Self.cursorID(stopped) == nil, "the table is gone")
        #expect(stopped.contains("decom"), "bash names the stopped job")
        #expect(try paneFlags(tmux, "#{alternate_on} #{cursor_flag} #{mouse_any_flag}") == "0 1 0")

        try tmux.type("fg")
        try tmux.send("Enter")
        let back = try tmux.waitFor("the table drawn again") {
            Self.cursorID($0) == second && Self.id(onLine: 2, $0) == first
        }
        #expect(!back.contains("Stopped"), "the whole frame is drawn again")
        #expect(back.contains("decom · fleet.sqlite"), "the header is drawn again")
        #expect(try paneFlags(tmux, "#{alternate_on} #{mouse_any_flag}") == "1 1")
        // Keys work again after the resume.
        try tmux.send("k")
        try tmux.waitFor("the cursor on the first row") { Self.cursorID($0) == first }
        try tmux.send("q")
        try tmux.waitFor("the prompt after quitting") {
            Self.atPrompt($0) && Self.cursorID($0) == nil
        }
    }

    @Test func ctrlZWithoutAJobControlShellOrInAConfinedConsoleSaysWhy() throws {
        let decom = try Self.seeded()
        defer { decom.remove() }
        var environment = decom.environment
        environment["TERM"] = "xterm-256color"
        // tmux runs `sh -c`, which has no job control: a stop would be discarded.
        let plain = try Tmux(
            console: [DecomProcess.binary, "console", "--db", decom.db], environment: environment)
        try plain.waitFor("the table") { Self.cursorID($0) != nil }
        let second = try #require(Self.id(onLine: 3, try plain.screen()))
        try plain.send("C-z")
        try plain.waitFor(text: "Nothing to suspend to")
        try plain.send("j")
        try plain.waitFor("the console still running") { Self.cursorID($0) == second }

        // `decom serve-ssh` runs every console with --confined.
        let tmux = try shell(decom)
        try start(tmux, decom, ["--confined"])
        try tmux.send("C-z")
        try tmux.waitFor(text: "Suspend is not available over SSH")
        #expect(try !tmux.screen().contains("Stopped"))
        try tmux.send("j")
        try tmux.waitFor("the console still running") { Self.cursorID($0) == second }
    }

    @Test func aClickMovesTheCursorMarksInTheMarkColumnAndTheWheelScrolls() throws {
        let decom = try Self.seeded()
        defer { decom.remove() }
        let tmux = try shell(decom)
        try start(tmux, decom)
        #expect(try paneFlags(tmux, "#{mouse_standard_flag} #{mouse_sgr_flag}") == "1 1")
        // The ids on the screen's lines (0-based; the table's rows start on line 2).
        let screen = try tmux.screen()
        let ids = (0..<12).map { Self.id(onLine: $0, screen) }

        // A click on line 5 (1-based 6) puts the cursor on the row drawn there.
        try mouse(tmux, button: 0, column: 30, line: 6)
        try tmux.waitFor("the cursor on the clicked row") { Self.cursorID($0) == ids[5] }

        // The mark column is the gutter's second cell.
        try mouse(tmux, button: 0, column: 2, line: 8)
        let marked = try tmux.waitFor(text: "1 marked")
        let lines = marked.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[7].contains("●"), "the clicked row is marked")
        #expect(Self.cursorID(marked) == ids[5], "the cursor stays")
        try mouse(tmux, button: 0, column: 2, line: 8)
        try tmux.waitFor("the mark cleared") { !$0.contains("marked") && !$0.contains("●") }

        // The wheel (buttons 64 up, 65 down) scrolls three rows a step, the cursor with it.
        try mouse(tmux, button: 65, column: 30, line: 10, release: false)
        try tmux.waitFor("the table scrolled by three") {
            Self.id(onLine: 2, $0) == ids[5] && Self.cursorID($0) == ids[8]
        }
        try mouse(tmux, button: 64, column: 30, line: 10, release: false)
        try tmux.waitFor("the table back at the top") {
            Self.id(onLine: 2, $0) == ids[2] && Self.cursorID($0) == ids[5]
        }
    }

    @Test func mouseFalseLeavesTheMouseToTheTerminal() throws {
        let decom = try Self.seeded()
        defer { decom.remove() }
        let config = decom.home.appendingPathComponent("config/decom")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "mouse: false\n".write(
            to: config.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        let tmux = try shell(decom)
        try start(tmux, decom)
        // The terminal was never asked to report the mouse, so a click selects text in it and
        // reaches decom not at all.
        #expect(try paneFlags(tmux, "#{mouse_any_flag}") == "0")
        let second = try #require(Self.id(onLine: 3, try tmux.screen()))
        try tmux.send("j")
        try tmux.waitFor("the cursor on the second row") { Self.cursorID($0) == second }
    }
}
