import Foundation
import Glibc
import Testing

/// Themes on a real terminal (tmux, read with `capture-pane -e`): the escape sequences each
/// theme puts on screen, live switching, NO_COLOR, user themes, broken themes, how a theme is
/// chosen, plain terminals, and the `decom themes` commands.
@Suite(.serialized) struct ThemeEndToEndTests {
    // MARK: - Console helpers

    /// Starts the console with exactly the sandbox's environment plus `env`, less `unset`
    /// (`env -i`, so nothing leaks in from the tmux server, such as LANG or NO_COLOR).
    func console(
        _ decom: DecomProcess, arguments: [String] = [], env: [String: String] = [:],
        unset: [String] = [], width: Int = 120, height: Int = 40
    ) throws -> Tmux {
        var environment = decom.environment
        environment["TERM"] = "xterm-256color"
        for (key, value) in env { environment[key] = value }
        for key in unset { environment[key] = nil }
        let words =
            ["env", "-i"] + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            + [DecomProcess.binary, "console", "--db", decom.db] + arguments
        return try Tmux(console: words, width: width, height: height, environment: [:])
    }

    /// Waits for the table, returns the screen with its styles.
    func table(_ tmux: Tmux) throws -> StyledScreen {
        StyledScreen(
            try tmux.waitFor("the table", escapes: true) {
                $0.contains("LT-PAR-00001") && $0.contains("quit")
            })
    }

    func quit(_ tmux: Tmux) throws {
        try tmux.send("q")
        try tmux.waitFor(text: "decom exited 0")
    }

    /// The first screen of the console started this way.
    func firstScreen(
        _ decom: DecomProcess, arguments: [String] = [], env: [String: String] = [:]
    ) throws -> StyledScreen {
        let tmux = try console(decom, arguments: arguments, env: env)
        let screen = try table(tmux)
        try quit(tmux)
        return screen
    }

    func writeUserTheme(_ decom: DecomProcess, name: String, _ text: String) throws -> String {
        let folder = decom.home.appendingPathComponent("config/decom/themes")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name + ".yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let orangeHeader = """
        name: mine
        description: default with an orange header
        inherits: default
        styles:
          header: {fg: black, bg: "#ff8700", attrs: [bold]}

        """

    /// Line 4 names an unknown colour, line 5 an unknown role.
    static let broken = """
        name: broken
        inherits: default
        styles:
          header: {fg: black, bg: nosuchcolour}
          footr_key: {attrs: [bold]}

        """

    // MARK: - Themes change the escape sequences

    @Test func lightThemeDrawsOtherEscapeSequencesThanDefault() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let dark = try firstScreen(decom)
        let light = try firstScreen(decom, arguments: ["--theme", "light"])
        #expect(dark.text == light.text, "the same screen, only the styles differ")
        #expect(dark.colorSequences != light.colorSequences)
        let darkHeader = try #require(dark.style(of: "decom"))
        let lightHeader = try #require(light.style(of: "decom"))
        #expect(darkHeader.background != lightHeader.background)
        // light writes its rows in ink (#1f2328), default in the terminal's own colour.
        #expect(dark.style(of: "LT-RENT-00004")?.foreground == nil)
        #expect(light.style(of: "LT-RENT-00004")?.foreground != nil)
        #expect(!light.colorSequences.isEmpty && !dark.colorSequences.isEmpty)
    }

    @Test func themeCommandSwitchesLiveAndNamesTheTheme() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let reference = try firstScreen(decom, arguments: ["--theme", "high-contrast"])
        let tmux = try console(decom)
        let before = try table(tmux)
        let wanted = try #require(reference.style(of: "decom"))
        #expect(before.style(of: "decom") != wanted)

        try tmux.send(":")
        try tmux.type("theme high-contrast")
        try tmux.send("Enter")
        let after = StyledScreen(
            try tmux.waitFor("the header in high-contrast's colours", escapes: true) {
                StyledScreen($0).style(of: "decom") == wanted
            })
        #expect(after.colorSequences != before.colorSequences)
        #expect(
            after.style(of: "LT-RENT-00004") == reference.style(of: "LT-RENT-00004"),
            "rows too take the new theme")
        try tmux.waitFor("the footer to name the theme") {
            Self.bottomLines($0).contains("Theme high-contrast")
        }
        // For a moment only: the flash goes and the key hints come back.
        try tmux.waitFor("the flash to go", timeout: 30) {
            !$0.contains("Theme high-contrast") && Self.bottomLines($0).contains("quit")
        }

        try tmux.send(":")
        try tmux.type("theme no-such-theme")
        try tmux.send("Enter")
        try tmux.waitFor("an unknown theme refused") {
            Self.bottomLines($0).contains("no-such-theme") && !$0.contains(":theme no-such")
        }
        #expect(
            StyledScreen(try tmux.screen(escapes: true)).style(of: "decom") == wanted,
            "a theme that cannot be loaded leaves the current one")
        try quit(tmux)
    }

    static func bottomLines(_ screen: String) -> String {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        let nonEmpty = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return nonEmpty.suffix(2).joined(separator: "\n")
    }

    // MARK: - NO_COLOR

    /// The styles of every row state and verdict, from one console: plain, cursor, marked,
    /// cursor on a marked row, archived, and the verdict marks.
    struct RowStyles {
        var plain: StyledScreen.Style
        var cursor: StyledScreen.Style
        var marked: StyledScreen.Style
        var cursorMarked: StyledScreen.Style
        var archived: StyledScreen.Style
        var nonCompliant: StyledScreen.Style
        var unknown: StyledScreen.Style
        var compliant: StyledScreen.Style
        /// Every colour parameter seen on any of the screens.
        var colorSequences: Set<String>
    }

    /// Devices 6 and 7 archived beforehand (the archived view's cursor sits on 6). Row 1 is
    /// marked, then the cursor moves back over it.
    func rowStyles(_ decom: DecomProcess, _ tmux: Tmux) throws -> RowStyles {
        // Down to the last row read below: a capture may catch a frame half written (the
        // first row drawn over the "Loading…" of the frame before).
        let first = StyledScreen(
            try tmux.waitFor("the table", escapes: true) {
                $0.contains("LT-PAR-00001") && $0.contains("PH-NOMDM-00009")
            })
        let cursor = try #require(first.style(of: "LT-PAR-00001"))
        try tmux.send("Space")
        let marked = StyledScreen(
            try tmux.waitFor("row 1 marked", escapes: true) {
                StyledScreen($0).style(of: "LT-PAR-00002") == cursor
            })
        try tmux.send("k")
        let both = StyledScreen(
            try tmux.waitFor("the cursor back on row 1", escapes: true) {
                StyledScreen($0).style(of: "LT-PAR-00002") != cursor
            })
        try tmux.send("A")
        let archived = StyledScreen(
            try tmux.waitFor("the archived devices", escapes: true) {
                $0.contains("LT-PAR-00007") && !$0.contains("LT-PAR-00001")
            })
        return RowStyles(
            plain: try #require(marked.style(of: "LT-RENT-00004")),
            cursor: cursor,
            marked: try #require(marked.style(of: "LT-PAR-00001")),
            cursorMarked: try #require(both.style(of: "LT-PAR-00001")),
            archived: try #require(archived.style(of: "LT-PAR-00007")),
            nonCompliant: try #require(first.style(of: "✗", onLineWith: "LT-WIPE-00003")),
            unknown: try #require(first.style(of: "?", onLineWith: "PH-NOMDM-00009")),
            compliant: try #require(first.style(of: "✓", onLineWith: "LT-RENT-00004")),
            colorSequences: first.colorSequences.union(marked.colorSequences)
                .union(both.colorSequences).union(archived.colorSequences))
    }

    @Test(arguments: [("1", "default"), ("", "default"), ("1", "light")])
    func noColorLeavesOnlyAttributes(noColor: String, theme: String) throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        #expect(try decom.run(["delete", "6", "7"]).status == 0)
        let tmux = try console(decom, arguments: ["--theme", theme], env: ["NO_COLOR": noColor])
        let styles = try rowStyles(decom, tmux)
        #expect(styles.colorSequences.isEmpty, "colour codes on screen: \(styles.colorSequences)")
        let rows = [
            styles.plain, styles.cursor, styles.marked, styles.cursorMarked, styles.archived,
        ]
        #expect(Set(rows).count == rows.count, "row states look alike: \(rows)")
        let verdicts = [styles.compliant, styles.nonCompliant, styles.unknown]
        #expect(Set(verdicts).count == verdicts.count, "verdicts look alike: \(verdicts)")
        #expect(styles.nonCompliant != styles.plain && styles.unknown != styles.plain)
        try quit(tmux)
    }

    @Test func rowStatesAndVerdictsDifferInEveryShippedTheme() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        #expect(try decom.run(["delete", "6", "7"]).status == 0)
        for theme in ["default", "light", "high-contrast", "solarized-dark", "mono"] {
            let tmux = try console(decom, arguments: ["--theme", theme])
            let styles = try rowStyles(decom, tmux)
            let rows = [
                styles.plain, styles.cursor, styles.marked, styles.cursorMarked, styles.archived,
            ]
            #expect(Set(rows).count == rows.count, "\(theme): row states look alike: \(rows)")
            // Without colour too: attributes alone tell them apart.
            let attributes = rows.map(\.attributes)
            #expect(
                Set(attributes).count == attributes.count,
                "\(theme): row states differ only by colour: \(attributes)")
            #expect(
                Set([
                    styles.plain.attributes, styles.nonCompliant.attributes,
                    styles.unknown.attributes,
                ]).count == 3,
                "\(theme): verdicts differ only by colour")
            try quit(tmux)
        }
    }

    // MARK: - User themes

    @Test func userThemeThatChangesOneRole() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let standard = try firstScreen(decom)
        _ = try writeUserTheme(decom, name: "mine", Self.orangeHeader)
        let mine = try firstScreen(decom, arguments: ["--theme", "mine"])
        let header = try #require(mine.style(of: "decom"))
        #expect(header.background == "48;5;208", "#ff8700 at 256 colours")
        #expect(header.foreground == "30")
        #expect(header.attributes.contains(1))
        #expect(mine.style(of: "j/k") == standard.style(of: "j/k"), "the rest is default's")
        #expect(mine.style(of: "LT-PAR-00001") == standard.style(of: "LT-PAR-00001"))
        #expect(
            mine.style(of: "✗", onLineWith: "LT-WIPE-00003")
                == standard.style(
                    of: "✗", onLineWith: "LT-WIPE-00003"))
    }

    @Test func brokenUserThemeFallsBackToDefaultAndSaysWhere() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let standard = try firstScreen(decom)
        let path = try writeUserTheme(decom, name: "broken", Self.broken)
        let tmux = try console(decom, arguments: ["--theme", "broken"], width: 200)
        let screen = try tmux.waitFor("the flash naming the problem", escapes: true) {
            $0.contains("\(path):4:") && $0.contains("nosuchcolour")
        }
        #expect(screen.contains("broken"))
        #expect(screen.contains("using default"))
        #expect(StyledScreen(screen).style(of: "decom") == standard.style(of: "decom"))
        try quit(tmux)
    }

    /// `:theme` on a file with two problems: one line naming the first, not the file's
    /// problems joined by a newline drawn as `^J`.
    @Test func themeCommandOnABrokenThemeSaysWhereOnOneLine() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let path = try writeUserTheme(decom, name: "broken", Self.broken)
        // Wide enough for the sandbox's long path and the whole message.
        let tmux = try console(decom, width: 300)
        let before = try table(tmux)
        try tmux.send(":")
        try tmux.type("theme broken")
        try tmux.send("Enter")
        let screen = try tmux.waitFor("the flash naming the problem") {
            $0.contains("\(path):4:")
        }
        #expect(!screen.contains("^J"), "a newline drawn in the flash")
        #expect(screen.contains("(and 1 more)"))
        #expect(
            StyledScreen(try tmux.screen(escapes: true)).style(of: "decom")
                == before.style(of: "decom"), "the theme in use stays")
        try quit(tmux)
    }

    // MARK: - Choosing a theme

    @Test func environmentAndConfigFileChooseTheTheme() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        func header(_ screen: StyledScreen) throws -> StyledScreen.Style {
            try #require(screen.style(of: "decom"))
        }
        let light = try header(firstScreen(decom, arguments: ["--theme", "light"]))
        let contrast = try header(firstScreen(decom, arguments: ["--theme", "high-contrast"]))
        let standard = try header(firstScreen(decom))
        #expect(Set([light, contrast, standard]).count == 3)

        #expect(try header(firstScreen(decom, env: ["DECOM_THEME": "light"])) == light)

        let config = decom.home.appendingPathComponent("config/decom")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "theme: high-contrast\n".write(
            to: config.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        #expect(try header(firstScreen(decom)) == contrast, "config file")
        #expect(
            try header(firstScreen(decom, env: ["DECOM_THEME": "light"])) == light,
            "DECOM_THEME beats the config file")
        #expect(
            try header(
                firstScreen(
                    decom, arguments: ["--theme", "default"], env: ["DECOM_THEME": "light"]))
                == standard, "--theme beats DECOM_THEME")
    }

    @Test func configFileChoosesTheArrowCursor() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        // The cursor starts on the first row, LT-PAR-00001.
        let bar = try firstScreen(decom)
        #expect(bar.style(of: "LT-PAR-00001")?.attributes.contains(7) == true, "a bar")

        let config = decom.home.appendingPathComponent("config/decom")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "cursor: arrow\n".write(
            to: config.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        let arrow = try firstScreen(decom)
        #expect(arrow.style(of: "▸")?.attributes.contains(7) == true, "the gutter shows it")
        #expect(
            arrow.style(of: "LT-PAR-00001") == arrow.style(of: "LT-PAR-00002"),
            "the row looks like the others")
    }

    // MARK: - Plain terminals

    /// Whether this system has a C.UTF-8 locale, which the console falls back to without LANG.
    static var hasCUTF8: Bool {
        guard let locale = newlocale(1 << LC_CTYPE, "C.UTF-8", nil) else { return false }
        freelocale(locale)
        return true
    }

    @Test func vt100WithoutLangStillReads() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let tmux = try console(
            decom, env: ["TERM": "vt100"], unset: ["LANG", "LC_ALL", "LC_CTYPE"], width: 80,
            height: 24)
        let screen = try table(tmux)
        #expect(screen.colorSequences.isEmpty, "vt100 has no colours")
        #expect(screen.text.contains("LT-PAR-00001"))
        #expect(screen.text.contains("NAME"))
        // Without LANG the console falls back to C.UTF-8 where there is one.
        let cursorMark = Self.hasCUTF8 ? "▸" : ">"
        let cursorLine = try #require(screen.lines.first { $0.text.contains("LT-PAR-00001") })
        #expect(cursorLine.text.hasPrefix(cursorMark), "cursor mark: \(cursorLine.text)")
        #expect(screen.style(of: "LT-PAR-00001")?.attributes.contains(7) == true, "reverse")
        #expect(screen.style(of: "LT-PAR-00002")?.attributes.isEmpty == true)
        try tmux.send("Space")
        // The header is written before the rows: wait for the frame to have reached the row
        // too (the cursor has moved on, so the marked row is no longer reversed).
        let marked = StyledScreen(
            try tmux.waitFor("a marked row", escapes: true) {
                $0.contains("1 marked")
                    && StyledScreen($0).style(of: "LT-PAR-00002")?.attributes.contains(7) == true
            })
        let markedStyle = try #require(marked.style(of: "LT-PAR-00001"))
        #expect(!markedStyle.attributes.isEmpty && !markedStyle.attributes.contains(7))
        try quit(tmux)
        // vt100 has no alternate screen: the last frame is cleared, not left under the shell.
        let after = try tmux.screen()
        #expect(!after.contains("LT-PAR-00001") && !after.contains("NAME"), "\(after)")
    }

    /// vt100 has bold, underline and reverse but no dim: archived rows shown among active
    /// ones (scope "all") must still look different from them.
    @Test func vt100TellsArchivedRowsApartWithoutDim() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        #expect(try decom.run(["delete", "6", "7"]).status == 0)
        let tmux = try console(decom, env: ["TERM": "vt100"])
        _ = try table(tmux)
        try tmux.send("A")
        try tmux.waitFor("the archived devices") { !$0.contains("LT-PAR-00001") }
        try tmux.send("A")
        let all = StyledScreen(
            try tmux.waitFor("every device", escapes: true) {
                $0.contains("LT-PAR-00001") && $0.contains("LT-PAR-00007")
            })
        let plain = try #require(all.style(of: "LT-RENT-00004"))
        let archived = try #require(all.style(of: "LT-PAR-00007"))
        #expect(archived != plain, "an archived row looks like an active one: \(archived)")
        #expect(all.colorSequences.isEmpty)
        try quit(tmux)
    }

    @Test func unknownTermFallsBackAndKeepsColour() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let tmux = try console(decom, env: ["TERM": "xterm-no-such-terminal"])
        let screen = try table(tmux)
        #expect(!screen.colorSequences.isEmpty, "xterm-256color has colours")
        try quit(tmux)
    }

    // MARK: - decom themes

    @Test func themesListsTheShippedThemesAndWhereTheyComeFrom() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        _ = try writeUserTheme(decom, name: "mine", Self.orangeHeader)
        let listed = try decom.run(["themes"], useDB: false)
        #expect(listed.status == 0, "\(listed.stderr)")
        let lines = listed.stdout.split(separator: "\n").map(String.init)
        for name in ["default", "light", "high-contrast", "solarized-dark", "mono"] {
            let line = try #require(
                lines.first { $0.hasPrefix(name + " ") }, "\(name) in:\n\(listed.stdout)")
            #expect(
                line.contains("source tree: ") || line.contains("installed: "), "\(line)")
            #expect(line.contains("Themes/\(name).yaml"), "\(line)")
        }
        let mine = try #require(lines.first { $0.hasPrefix("mine ") })
        #expect(mine.contains("user: \(decom.home.path)/config/decom/themes/mine.yaml"))
    }

    @Test func themesShowIsPlainTextWhenNotATerminal() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let shown = try decom.run(["themes", "show", "light"], useDB: false)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(!shown.stdout.contains("\u{1b}"), "no escape sequences into a pipe")
        #expect(shown.stdout.hasPrefix("light"))
        for role in ["header", "cursor_row", "marked_row", "non_compliant", "too_small"] {
            #expect(shown.stdout.contains("\n\(role) "), "\(role)")
        }
        #expect(shown.stdout.contains("#0b57d0"), "colours in words")
        let missing = try decom.run(["themes", "show", "no-such-theme"], useDB: false)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no-such-theme"))
    }

    @Test func themesCheck() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let broken = try writeUserTheme(decom, name: "broken", Self.broken)
        let bad = try decom.run(["themes", "check", broken], useDB: false)
        #expect(bad.status == 2)
        let problems = bad.stdout.split(separator: "\n").map(String.init)
        #expect(problems.count == 2, "every problem: \(bad.stdout)")
        #expect(problems.first?.hasPrefix("\(broken):4: ") == true, "\(bad.stdout)")
        #expect(problems.first?.contains("nosuchcolour") == true)
        #expect(problems.last?.hasPrefix("\(broken):5: ") == true)
        #expect(problems.last?.contains("footr_key") == true)

        let good = try writeUserTheme(decom, name: "mine", Self.orangeHeader)
        let ok = try decom.run(["themes", "check", good], useDB: false)
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        let shipped = DecomProcess.packageRoot.appendingPathComponent("Themes/light.yaml").path
        #expect(try decom.run(["themes", "check", shipped], useDB: false).status == 0)

        let orphan = try writeUserTheme(
            decom, name: "orphan", "name: orphan\ninherits: nowhere\nstyles: {}\n")
        let unresolved = try decom.run(["themes", "check", orphan], useDB: false)
        #expect(unresolved.status == 2)
        #expect(unresolved.stdout.contains("\(orphan):2: "), "\(unresolved.stdout)")
    }
}

/// A screen from `capture-pane -e` read back into characters with the SGR state each was
/// drawn in. tmux writes only the changes between cells, across lines too, so the state is
/// carried from the first line to the last.
struct StyledScreen {
    struct Style: Hashable, CustomStringConvertible {
        /// SGR attribute numbers: 1 bold, 2 dim, 3 italic, 4 underline, 5 blink, 7 reverse.
        var attributes: Set<Int> = []
        /// The colour parameters (`97`, `38;5;16`, `38;2;1;2;3`); nil is the terminal's own.
        var foreground: String?
        var background: String?

        var description: String {
            "[\(attributes.sorted().map(String.init).joined(separator: ","))"
                + " fg \(foreground ?? "-") bg \(background ?? "-")]"
        }
    }

    struct Line {
        var scalars: [Unicode.Scalar] = []
        var styles: [Style] = []
        var text: String { String(String.UnicodeScalarView(scalars)) }
    }

    var lines: [Line] = []
    /// Every colour parameter written (`31`, `44`, `38;5;208`); 39 and 49, the terminal's own
    /// colours, are not colours.
    var colorSequences: Set<String> = []

    var text: String { lines.map(\.text).joined(separator: "\n") }

    init(_ capture: String) {
        var style = Style()
        var line = Line()
        var scalars = Array(capture.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if scalar == "\u{1b}", scalars.first == "[" {
                scalars.removeFirst()
                var parameters = ""
                while let next = scalars.popFirst() {
                    if next.properties.numericType != nil || next == ";" || next == ":" {
                        parameters.unicodeScalars.append(next)
                        continue
                    }
                    if next == "m" { apply(parameters, to: &style) }
                    break
                }
            } else if scalar == "\n" {
                lines.append(line)
                line = Line()
            } else {
                line.scalars.append(scalar)
                line.styles.append(style)
            }
        }
        lines.append(line)
    }

    private mutating func apply(_ parameters: String, to style: inout Style) {
        var numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map {
            Int($0.split(separator: ":").first ?? "0") ?? 0
        }[...]
        while let code = numbers.popFirst() {
            switch code {
            case 0: style = Style()
            case 1...9: style.attributes.insert(code)
            case 22: style.attributes.subtract([1, 2])
            case 23...29: style.attributes.remove(code - 20)
            case 30...37, 90...97:
                style.foreground = "\(code)"
                colorSequences.insert("\(code)")
            case 40...47, 100...107:
                style.background = "\(code)"
                colorSequences.insert("\(code)")
            case 39: style.foreground = nil
            case 49: style.background = nil
            case 38, 48:
                var words = ["\(code)"]
                if let kind = numbers.popFirst() {
                    words.append("\(kind)")
                    for _ in 0..<(kind == 2 ? 3 : kind == 5 ? 1 : 0) {
                        words.append("\(numbers.popFirst() ?? 0)")
                    }
                }
                let value = words.joined(separator: ";")
                if code == 38 { style.foreground = value } else { style.background = value }
                colorSequences.insert(value)
            default: break
            }
        }
    }

    /// The style of the first character of the first place `text` appears on one line.
    func style(of text: String) -> Style? {
        for line in lines {
            if let index = Self.index(of: text, in: line.scalars) { return line.styles[index] }
        }
        return nil
    }

    /// The style of `text` found after `anchor` on the line that holds `anchor`.
    func style(of text: String, onLineWith anchor: String) -> Style? {
        for line in lines {
            guard let start = Self.index(of: anchor, in: line.scalars) else { continue }
            let rest = Array(line.scalars[(start + anchor.unicodeScalars.count)...])
            guard let found = Self.index(of: text, in: rest) else { return nil }
            return line.styles[start + anchor.unicodeScalars.count + found]
        }
        return nil
    }

    static func index(of text: String, in scalars: [Unicode.Scalar]) -> Int? {
        let needle = Array(text.unicodeScalars)
        guard !needle.isEmpty, needle.count <= scalars.count else { return nil }
        for start in 0...(scalars.count - needle.count)
        where scalars[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
