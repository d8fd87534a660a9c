import DecomConsole
import DecomCore
import Testing

/// The find of issue 15 ("A find that moves the cursor without filtering, with `n`/`N`"):
/// `f` takes a query of the filter's language and moves the cursor; the view stays whole.
@Suite struct FindTests {
    @Test func findMovesTheCursorAndKeepsEveryRowShown() {
        var state = Fixture.state()
        Fixture.press(&state, .char("f"))
        Fixture.type(&state, "beta")
        #expect(state.cursorRow?.id == 6, "first match from the cursor on")
        #expect(state.view.count == 10, "nothing filtered")
        Fixture.press(&state, .enter)
        #expect(state.mode == .normal)
        #expect(state.cursorRow?.id == 6)
        #expect(state.filter.appliedText.isEmpty)
    }

    @Test func nAndNWalkTheMatchesAndWrap() {
        var state = Fixture.state()
        Fixture.press(&state, .char("f"))
        Fixture.type(&state, "type:phone")
        Fixture.press(&state, .enter)
        #expect(state.cursorRow?.id == 2)
        Fixture.press(&state, .char("n"))
        #expect(state.cursorRow?.id == 4)
        Fixture.press(&state, .char("N"), .char("N"))
        #expect(state.cursorRow?.id == 10, "N from the first match wraps to the last")
        #expect(state.flash?.text == "Find wrapped to the bottom")
        Fixture.press(&state, .char("n"))
        #expect(state.cursorRow?.id == 2, "n from the last wraps to the top")
        #expect(state.flash?.text == "Find wrapped to the top")
    }

    @Test func escReturnsTheCursorWhereTheFindStarted() {
        var state = Fixture.state()
        Fixture.press(&state, .char("j"), .char("j"))
        Fixture.press(&state, .char("f"))
        Fixture.type(&state, "beta-9")
        #expect(state.cursorRow?.id == 9)
        Fixture.press(&state, .escape)
        #expect(state.mode == .normal)
        #expect(state.cursorRow?.id == 3)
    }

    @Test func aFindThatDoesNotParseOrMatchLeavesTheCursorAndSaysWhy() {
        var state = Fixture.state()
        Fixture.press(&state, .char("j"))
        Fixture.press(&state, .char("f"))
        Fixture.type(&state, "compliant:maybe")
        #expect(state.find.error != nil)
        #expect(state.cursorRow?.id == 2)
        Fixture.press(&state, .enter)
        #expect(state.mode == .findPrompt(origin: 1), "Enter on a bad find keeps the prompt")
        Fixture.press(&state, .ctrl("u"))
        Fixture.type(&state, "gamma")
        #expect(state.find.noMatch)
        #expect(state.cursorRow?.id == 2)
        #expect(HelpAndRoomTests.screen(state, 80, 24).contains("no device shown matches"))
    }

    @Test func nWithoutAFindSaysHowToStartOne() {
        var state = Fixture.state()
        Fixture.press(&state, .char("n"))
        #expect(state.cursorRow?.id == 1)
        #expect(state.flash?.text == "Nothing to repeat: f finds a device")
    }

    @Test func findUsesTheQueryLanguageAndOnlyTheRowsShown() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "alpha")
        Fixture.press(&state, .enter)
        Fixture.press(&state, .char("f"))
        Fixture.type(&state, "seen:>10d")
        #expect(state.cursorRow?.id == 3, "alpha-3 was seen 12 days ago")
        Fixture.press(&state, .enter, .char("n"), .char("n"), .char("n"))
        #expect(state.cursorRow?.id == 3, "beta rows are filtered out: 3, 4, 5, then 3 again")
    }

    /// A trial: typing `/seen:>90d -compliant:yes` key by key left the cursor where the
    /// half-typed `-c` had put it (a few matches), in the middle of the final results.
    @Test func aTypedFilterPutsTheCursorOnItsDeviceOrAtTheTop() {
        var state = Fixture.state()
        Fixture.press(&state, .char("j"))
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "beta-9")
        #expect(state.cursorRow?.id == 9)
        Fixture.press(&state, .backspace)
        #expect(state.view.count == 5, "beta- again: beta-6 to beta-10")
        #expect(state.cursorRow?.id == 6, "device 2 is not shown: the top of the results")
        Fixture.press(&state, .ctrl("u"))
        #expect(state.cursorRow?.id == 2, "back on the device the prompt opened on")
    }

    /// A trial: `f` opened with the last find's text, so typing appended to it, and Enter on
    /// a find matching nothing said nothing.
    @Test func fOpensEmptyAndEnterOnNoMatchSaysSo() {
        var state = Fixture.state()
        Fixture.press(&state, .char("f"))
        Fixture.type(&state, "beta")
        Fixture.press(&state, .enter, .char("f"))
        #expect(state.find.edit.text.isEmpty)
        Fixture.type(&state, "gamma")
        Fixture.press(&state, .enter)
        #expect(state.flash?.text == "No device shown matches gamma")
    }

    /// A trial: the flash said "Archived 1746" where the dialog said 1,746.
    @Test func largeCountsInTheFlashHaveThousandsSeparators() {
        let rows = (1...1_746).map { Fixture.row(Int64($0), "d-\($0)") }
        var state = Fixture.state(rows)
        _ = reduce(&state, .executed(Fixture.record(id: 3, .archive, applied: rows)))
        #expect(state.flash?.text.hasPrefix("Archived 1,746") == true, "\(state.flash?.text ?? "")")
    }
}
