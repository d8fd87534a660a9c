import DecomConsole
import DecomCore
import Foundation
import Testing

/// The two ways to show the cursor's row: a bar across it, or an arrow in the gutter only.
@Suite struct CursorStyleTests {
    let theme = Theme.builtinDefault

    /// The cells' styles of the table's first two rows, with the cursor on the first row or
    /// moved to the second.
    func table(_ style: CursorStyle, moved: Bool) -> [[Style]] {
        var state = Fixture.state(width: 100, height: 30)
        state.cursorStyle = style
        if moved { Fixture.press(&state, .char("j")) }
        let canvas = render(
            state, theme: theme, size: (100, 30),
            capabilities: TerminalCapabilities(colorDepth: .colors256, unicode: true))
        // The table's body starts on line 2.
        return [2, 3].map { y in (0..<100).map { canvas[$0, y].style } }
    }

    @Test func theBarColoursTheWholeRow() {
        let rows = table(.bar, moved: true)
        #expect(rows[1].allSatisfy { $0 == theme.style(.cursorRow) })
        #expect(!rows[0].contains(theme.style(.cursorRow)))
    }

    @Test func theArrowChangesOnlyTheGutterWhenTheCursorMoves() {
        let before = table(.arrow, moved: false)
        let after = table(.arrow, moved: true)
        #expect(Array(after[1].prefix(2)) == Array(repeating: theme.style(.cursorRow), count: 2))
        #expect(!after[0].contains(theme.style(.cursorRow)))
        for row in 0..<2 {
            #expect(before[row] != after[row], "the gutter moved")
            #expect(Array(before[row].dropFirst(2)) == Array(after[row].dropFirst(2)))
        }
    }

    @Test func cursorCommandSwitchesAndRefusesOtherStyles() {
        var state = Fixture.state()
        #expect(state.cursorStyle == .bar)
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "cursor arrow")
        Fixture.press(&state, .enter)
        #expect(state.cursorStyle == .arrow)
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "cursor block")
        Fixture.press(&state, .enter)
        #expect(state.cursorStyle == .arrow)
        #expect(state.flash?.text.contains("Usage: :cursor bar|arrow") == true)
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "cursor b")
        Fixture.press(&state, .tab, .enter)
        #expect(state.cursorStyle == .bar)
    }
}
