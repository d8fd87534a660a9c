import DecomConsole
import DecomCore
import Foundation
import Testing

/// The filter and `:` prompts: a query that does not parse is never applied in part, the
/// readline keys edit inside the line, Esc cancels only the edit, Up and Down walk the history.
@Suite struct PromptEditingTests {
    func ids(_ state: ConsoleState) -> [Int64] { state.view.map { state.rows[$0].id } }

    // MARK: - A query that does not parse

    @Test func enterOnAnInvalidQueryAppliesNothingAndKeepsTheText() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "compliant:maybe")
        #expect(state.view.count == 10, "while it does not parse, no prefix of it is applied")
        Fixture.press(&state, .enter)
        #expect(state.mode == .filterPrompt(previous: ""), "the prompt stays open")
        #expect(state.filter.text == "compliant:maybe")
        #expect(state.filter.refused)
        #expect(!state.filter.isActive)
        #expect(state.view.count == 10)
        // The admin corrects the value in place.
        Fixture.press(&state, .ctrl("w"))
        Fixture.type(&state, "compliant:no")
        Fixture.press(&state, .enter)
        #expect(state.mode == .normal)
        #expect(state.filter.appliedText == "compliant:no")
        #expect(ids(state) == [3, 6, 9])
    }

    @Test func anInvalidEditKeepsTheFilterAppliedBefore() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "alpha")
        Fixture.press(&state, .enter, .char("/"))
        Fixture.type(&state, " compliant:maybe")
        #expect(state.filter.appliedText == "alpha")
        #expect(state.view.count == 5)
        Fixture.press(&state, .enter)
        #expect(state.filter.appliedText == "alpha")
        #expect(state.view.count == 5)
        #expect(state.filter.text == "alpha compliant:maybe")
    }

    @Test func commandFilterThatDoesNotParseChangesNothing() {
        var state = Fixture.state()
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "filter seen:>20x")
        Fixture.press(&state, .enter)
        #expect(!state.filter.isActive)
        #expect(state.view.count == 10)
        #expect(state.flash?.text.hasPrefix("Filter not applied: seen '>20x'") == true)
    }

    // MARK: - Esc cancels the edit only

    @Test func escapeRestoresTheFilterThatWasApplied() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "beta")
        Fixture.press(&state, .enter, .char("/"), .ctrl("u"))
        Fixture.type(&state, "alpha")
        #expect(ids(state) == [1, 2, 3, 4, 5], "the table follows the edit")
        Fixture.press(&state, .escape)
        #expect(state.mode == .normal)
        #expect(state.filter.appliedText == "beta")
        #expect(ids(state) == [6, 7, 8, 9, 10])
    }

    // MARK: - Readline keys

    @Test func editingInsideTheLineFiltersAsTyped() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "os:ios")
        Fixture.press(&state, .ctrl("a"))
        Fixture.type(&state, "beta ")
        #expect(state.filter.text == "beta os:ios")
        #expect(state.filter.edit.cursor == 5)
        #expect(ids(state) == [6, 8, 10])
        Fixture.press(&state, .alt("f"), .ctrl("k"))
        #expect(state.filter.text == "beta os")
        Fixture.press(&state, .alt("b"), .ctrl("w"))
        #expect(state.filter.text == "os")
        #expect(state.filter.edit.cursor == 0)
        Fixture.press(&state, .ctrl("e"), .left, .delete)
        #expect(state.filter.text == "o")
    }

    @Test func tabCompletesTheWordBeforeTheCursor() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, " beta")
        Fixture.press(&state, .home)
        Fixture.type(&state, "compl")
        Fixture.press(&state, .tab)
        #expect(state.filter.text == "compliant: beta")
        #expect(state.filter.edit.cursor == 10)
    }

    // MARK: - History

    @Test func upAndDownWalkTheFiltersEnteredAndTheDraftComesBack() {
        var state = Fixture.state()
        for query in ["alpha", "beta", "alpha"] {
            Fixture.press(&state, .char("/"), .ctrl("u"))
            Fixture.type(&state, query)
            Fixture.press(&state, .enter)
        }
        #expect(state.filterHistory.entries == ["beta", "alpha"], "a repeat moves to the end")
        Fixture.press(&state, .char("/"), .ctrl("u"))
        Fixture.type(&state, "os:")
        Fixture.press(&state, .up)
        #expect(state.filter.text == "alpha")
        Fixture.press(&state, .up)
        #expect(state.filter.text == "beta")
        #expect(ids(state) == [6, 7, 8, 9, 10], "the table follows")
        Fixture.press(&state, .up)
        #expect(state.filter.text == "beta", "the oldest stays")
        Fixture.press(&state, .down, .down)
        #expect(state.filter.text == "os:", "the line being typed comes back")
        Fixture.press(&state, .escape)
        #expect(state.filter.appliedText == "alpha")
    }

    @Test func enteringAFilterAsksToSaveTheHistory() {
        var state = Fixture.state()
        state.filterHistory = PromptHistory(["os:ios"])
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "seen:>20d")
        #expect(
            Fixture.press(&state, .enter) == [.saveHistory(.filter, ["os:ios", "seen:>20d"])])
        #expect(ids(state) == [6, 7, 8, 9, 10], "seen 24 to 40 days ago")
        Fixture.press(&state, .char("/"))
        #expect(Fixture.press(&state, .enter).isEmpty, "the same line again saves nothing")
    }

    @Test func theCommandLineHasItsOwnHistory() {
        var state = Fixture.state()
        state.commandHistory = PromptHistory(["sort name", "theme dark"])
        Fixture.press(&state, .char(":"), .up, .up)
        guard case .command(let line) = state.mode else {
            Issue.record("not in command mode")
            return
        }
        #expect(line.text == "sort name")
        Fixture.press(&state, .ctrl("e"))
        Fixture.type(&state, " desc")
        Fixture.press(&state, .enter)
        #expect(state.sort == DeviceSort(column: .name, ascending: false))
        #expect(state.commandHistory.entries == ["sort name", "theme dark", "sort name desc"])
    }

    // MARK: - Drawing

    @Test func theCursorIsDrawnWhereTheLineCursorIsPastWideCharacters() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "会議 name:\u{1B}x")
        Fixture.press(&state, .home, .alt("f"))
        let canvas = render(
            state, theme: .builtinDefault, size: (80, 24),
            capabilities: TerminalCapabilities(colorDepth: .colors256, unicode: true))
        // "/" then two wide characters: the cursor after them is at column 5.
        #expect(canvas.cursor?.x == 5)
        #expect(canvas.cursor?.y == 22)
        #expect(canvas.lines[22].hasPrefix("/会議 name:^[x"), "the escape is shown, not sent")
    }

    @Test func aLongLineScrollsSoTheCursorStaysInView() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, String(repeating: "abcdefghij ", count: 12))
        let canvas = render(
            state, theme: .builtinDefault, size: (80, 24),
            capabilities: TerminalCapabilities(colorDepth: .colors256, unicode: true))
        let x = canvas.cursor?.x ?? 0
        #expect(x > 1 && x < 80)
        #expect(canvas.lines[22].hasPrefix("/…"))
    }

    @Test func snapshotOfARefusedFilter() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "alpha compliant:maybe")
        Fixture.press(&state, .enter, .alt("b"))
        let canvas = render(
            state, theme: .builtinDefault, size: (80, 24),
            capabilities: TerminalCapabilities(colorDepth: .colors256, unicode: true))
        assertSnapshot(canvas, named: "filter-refused-80x24")
    }
}

/// Typed text shown back in the prompt's completion list goes through `SafeText`.
@Suite struct PromptCompletionSafetyTests {
    @Test func typedControlsInTheOptionsAreShownNotSent() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "status:\u{1B}x,in")
        Fixture.press(&state, .tab)
        #expect(state.filter.options.count == 3)
        let canvas = render(
            state, theme: .builtinDefault, size: (160, 48),
            capabilities: TerminalCapabilities(colorDepth: .colors256, unicode: true))
        let line = canvas.lines[46]
        #expect(line.contains("status:^[x,in_service"))
        #expect(!canvas.lines.joined().contains("\u{1B}"))
    }
}
