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

    /// Issue 14: a device imported from an MDM shows its id there after its source; one
    /// without has no such line.
    @Test func theDetailsShowTheMDMsIdAfterTheSource() throws {
        var device = Fixture.device(3, name: "LT-KAI")
        device.source = "intune"
        let details = DeviceDetails(
            device: device, evaluator: ComplianceEvaluator(now: Fixture.now), sessions: [],
            transactions: [], externalID: "6f1d0c3e-0000-4000-8000-00000000e201")
        let status = try #require(details.sections.first { $0.title == "Status" })
        let labels = status.lines.map(\.label)
        let source = try #require(labels.firstIndex(of: "source"))
        #expect(labels[source + 1] == "external id")
        #expect(
            status.lines[source + 1].value == .text("6f1d0c3e-0000-4000-8000-00000000e201"))
        let plain = Fixture.details(3, name: "LT-KAI")
        #expect(!plain.sections.flatMap(\.lines).contains { $0.label == "external id" })
    }

    @Test func shiftJDoesNothingWithTheDetailsClosed() {
        var state = Fixture.state()
        Fixture.press(&state, .char("J"))
        #expect(state.detailsScroll == 0)
    }
}
