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

    @Test func theDialogShowsTheZeroWidthSpace() throws {
        var state = Fixture.state(rows, width: 120, height: 40)
        Fixture.press(&state, .char(" "), .char(" "), .char("D"))
        _ = reduce(&state, .planReady(Fixture.plan(Array(rows[0...1]), mode: .purge)))
        let text = screen(state)
        #expect(text.contains("#1 abcd"), "\(text)")
        #expect(text.contains("#2 ab<U+200B>cd"), "\(text)")
        // The stand-in in reverse video, the name around it not.
        let canvas = render(
            state, theme: .builtinDefault, size: (120, 40),
            capabilities: TerminalCapabilities(colorDepth: .colors16, unicode: true))
        let line = try #require(canvas.lines.firstIndex { $0.contains("#2 ab<U+200B>cd") })
        let start = try #require(canvas.lines[line].range(of: "ab<U+200B>cd"))
        let x = DisplayWidth.of(canvas.lines[line][..<start.lowerBound])
        let reversed = (0..<12).map { canvas[x + $0, line].style.attrs.contains(.reverse) }
        let dialog = canvas[x, line].style.attrs.contains(.reverse)
        #expect(
            reversed == [dialog, dialog] + Array(repeating: !dialog, count: 8) + [dialog, dialog])
    }

    @Test func aLiteralStandInIsNotMarked() {
        var state = Fixture.state(
            [Fixture.row(1, "ab<U+200B>cd"), Fixture.row(2, "ab\u{200B}cd")], width: 120, height: 40
        )
        Fixture.press(&state, .char(" "), .char(" "), .char("D"))
        _ = reduce(&state, .planReady(Fixture.plan(state.rows, mode: .purge)))
        let canvas = render(
            state, theme: .builtinDefault, size: (120, 40),
            capabilities: TerminalCapabilities(colorDepth: .colors16, unicode: true))
        func styles(_ needle: String) -> [Bool] {
            guard let line = canvas.lines.firstIndex(where: { $0.contains(needle) }),
                let start = canvas.lines[line].range(of: needle)
            else { return [] }
            let x = DisplayWidth.of(canvas.lines[line][..<start.lowerBound]) + 5
            return (0..<8).map { canvas[x + $0, line].style.attrs.contains(.reverse) }
        }
        let literal = styles("#1 ab<U+200B>cd")
        let standIn = styles("#2 ab<U+200B>cd")
        #expect(literal.count == 8 && standIn.count == 8 && literal != standIn)
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
