import DecomConsole
import DecomCore
import Testing

/// Two devices whose names differ only by an invisible character look different wherever
/// the admin decides: the confirmation dialog, the details pane, the result view.
@Suite struct LookAlikeTests {
    let rows = [
        Fixture.row(1, "abcd"), Fixture.row(2, "ab\u{200B}cd"), Fixture.row(3, "x\u{2060}"),
    ]

    func screen(_ state: ConsoleState) -> String {
        render(
            state, theme: .builtinDefault, size: (120, 40),
            capabilities: TerminalCapabilities(colorDepth: .colors16, unicode: true)
        ).lines.joined(separator: "\n")
    }

    @Test func theDialogShowsTheZeroWidthSpace() {
        var state = Fixture.state(rows, width: 120, height: 40)
        Fixture.press(&state, .char(" "), .char(" "), .char("D"))
        _ = reduce(&state, .planReady(Fixture.plan(Array(rows[0...1]), mode: .purge)))
        let text = screen(state)
        #expect(text.contains("#1 abcd"), "\(text)")
        #expect(text.contains("#2 ab<U+200B>cd"), "\(text)")
    }

    @Test func theDetailsShowTheWordJoiner() {
        var state = Fixture.state(rows, width: 120, height: 40)
        Fixture.press(&state, .char("j"), .char("j"), .enter)
        _ = reduce(&state, .detailsLoaded(Fixture.details(3, name: "x\u{2060}")))
        #expect(screen(state).contains("x<U+2060>"))
    }

    @Test func theResultShowsTheZeroWidthSpace() {
        var state = Fixture.state(rows, width: 120, height: 40)
        Fixture.press(&state, .char("j"), .char("D"))
        _ = reduce(&state, .planReady(Fixture.plan([rows[1]], mode: .purge)))
        let record = Fixture.record(
            id: 7, .purge, applied: [], forbidden: [rows[1]])
        _ = reduce(&state, .executed(record))
        let text = screen(state)
        #expect(text.contains("#2 ab<U+200B>cd"), "\(text)")
    }
}
