import DecomConsole
import DecomCore
import Testing

@Suite struct MarkingTests {
    @Test func spaceMarksTheCursorRowAndMovesDown() {
        var state = Fixture.state()
        Fixture.press(&state, .char(" "), .char(" "))
        #expect(state.marks == [1, 2])
        #expect(state.cursor == 2)
        Fixture.press(&state, .char("k"), .char(" "))
        #expect(state.marks == [1])
    }

    @Test func vMarksTheRangeFromTheLastMarkToTheCursor() {
        var state = Fixture.state()
        Fixture.press(&state, .char("j"), .char(" "))  // marks 2, cursor on 3
        Fixture.press(&state, .char("j"), .char("j"), .char("j"), .char("v"))  // cursor on 6
        #expect(state.marks == [2, 3, 4, 5, 6])
    }

    @Test func vWithoutAMarkStartsTheRangeAtTheCursor() {
        var state = Fixture.state()
        Fixture.press(&state, .char("j"), .char("v"))
        #expect(state.marks == [2])
        #expect(state.flash?.text == "Range starts here: move, then v marks to the cursor")
        Fixture.press(&state, .char("j"), .char("j"), .char("v"))
        #expect(state.marks == [2, 3, 4])
    }

    @Test func markAllUnderAFilterMarksOnlyTheShownRows() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "beta")
        Fixture.press(&state, .enter, .char("a"))
        #expect(state.marks == [6, 7, 8, 9, 10])
    }

    @Test func markAllWithNothingShownSaysSo() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "nothing-is-called-this")
        Fixture.press(&state, .enter, .char("a"))
        #expect(state.marks.isEmpty)
        #expect(state.flash?.text == "No rows shown: nothing to mark")
    }

    @Test func marksSurviveFilteringAndClearingTheFilter() {
        var state = Fixture.state()
        Fixture.press(&state, .char(" "))  // marks 1 (alpha-1)
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "beta")
        Fixture.press(&state, .enter)
        #expect(state.view.count == 5)
        #expect(state.marks == [1])
        Fixture.press(&state, .char("/"), .ctrl("u"), .enter)
        #expect(state.view.count == 10)
        #expect(state.marks == [1])
    }

    @Test func starInvertsTheMarksAmongTheShownRowsOnly() {
        var state = Fixture.state()
        Fixture.press(&state, .char(" "))  // 1
        Fixture.press(&state, .char("G"), .char(" "))  // 10
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "beta")
        Fixture.press(&state, .enter, .char("*"))
        #expect(state.marks == [1, 6, 7, 8, 9])
    }

    /// Marks name rows of the table: another view (`A`) without the marked devices unmarks
    /// them, and says so.
    @Test func marksAViewLacksAreDroppedAndSaid() {
        var state = Fixture.state()
        Fixture.press(&state, .char(" "), .char(" "))  // 1, 2
        _ = reduce(&state, .loaded(DeviceRows(Array(Fixture.fleet.dropFirst())), scope: .active))
        #expect(state.marks == [2])
        #expect(state.flash?.text == "1 mark dropped: not in this view (1 kept)")
    }

    @Test func escapeKeepsTheMarksAndCClearsEveryOneSayingHowMany() {
        var state = Fixture.state()
        Fixture.press(&state, .char("a"), .escape)
        #expect(state.marks.count == 10, "Esc closes; it clears nothing")
        #expect(state.flash?.text == "Marks kept: C clears all 10")
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "beta")
        Fixture.press(&state, .enter, .char("C"))
        #expect(state.marks.isEmpty, "hidden marks are cleared too")
        #expect(state.flash?.text == "Cleared 10 marks (5 hidden by the filter)")
        Fixture.press(&state, .char("C"))
        #expect(state.flash?.text == "No marks to clear")
    }

    @Test func movesStayInsideTheView() {
        var state = Fixture.state()
        Fixture.press(&state, .char("k"))
        #expect(state.cursor == 0)
        Fixture.press(&state, .end)
        #expect(state.cursor == 9)
        Fixture.press(&state, .down)
        #expect(state.cursor == 9)
        Fixture.press(&state, .home)
        #expect(state.cursor == 0)
    }

    @Test func pageDownMovesByTheTableHeightAndScrolls() {
        let rows = (1...100).map { Fixture.row(Int64($0), "dev-\($0)") }
        var state = Fixture.state(rows)
        let page = state.pageHeight
        Fixture.press(&state, .pageDown)
        #expect(state.cursor == page)
        #expect(state.scroll > 0)
        #expect(state.cursor < state.scroll + page)
        Fixture.press(&state, .ctrl("b"))
        #expect(state.cursor == 0)
        #expect(state.scroll == 0)
    }

    @Test func sortKeysCycleTheColumnAndFlipTheDirection() {
        var state = Fixture.state()
        Fixture.press(&state, .char("s"))
        #expect(state.sort.column == .name)
        Fixture.press(&state, .char("S"))
        #expect(state.sort.ascending == false)
    }

    @Test func scopeKeyCyclesAndAsksForTheRows() {
        var state = Fixture.state()
        let effects = Fixture.press(&state, .char("A"))
        #expect(state.scope == .archived)
        // Nothing of the new scope is shown yet: its first page is asked for before the rest.
        #expect(
            effects == [
                .loadPage(.archived, limit: ConsoleState.firstPageSize), .count(.archived),
                .load(.archived),
            ])
        // Rows of a scope no longer asked for are ignored.
        _ = reduce(&state, .loaded([], scope: .active))
        #expect(state.rows.count == 10)
    }

    @Test func enterOpensTheDetailsPaneAndAsksForTheCursorDevice() {
        var state = Fixture.state()
        #expect(Fixture.press(&state, .enter) == [.loadDetails(1)])
        #expect(state.detailsOpen)
        #expect(Fixture.press(&state, .char("j")) == [.loadDetails(2)])
        #expect(Fixture.press(&state, .tab).isEmpty)
        #expect(!state.detailsOpen)
    }
}
