import DecomConsole
import DecomCore
import Testing

@Suite struct DetailsPaneTests {
    @Test func enterOpensTheDetailsAndAsksForTheCursorDevice() {
        var state = Fixture.state()
        #expect(Fixture.press(&state, .enter) == [.loadDetails(1)])
        #expect(state.detailsOpen)
        Fixture.press(&state, .tab)
        #expect(!state.detailsOpen)
    }

    @Test func shiftJAndKScrollTheDetailsAndAnotherRowStartsAtTheTop() {
        var state = Fixture.state()
        Fixture.press(&state, .enter, .char("J"), .char("J"))
        #expect(state.detailsScroll == 6)
        Fixture.press(&state, .char("K"))
        #expect(state.detailsScroll == 3)
        #expect(Fixture.press(&state, .char("j")) == [.loadDetails(2)])
        #expect(state.detailsScroll == 0)
    }

    @Test func shiftJDoesNothingWithTheDetailsClosed() {
        var state = Fixture.state()
        Fixture.press(&state, .char("J"))
        #expect(state.detailsScroll == 0)
    }
}
