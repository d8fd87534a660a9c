import DecomConsole
import DecomCore
import Foundation
import Testing

/// A big fleet shows its first page at once and the rest when it is read; meanwhile nothing
/// acts on rows that are not there yet.
@Suite struct FirstPageTests {
    /// A fresh console, before any rows.
    func starting(width: Int = 120, height: Int = 30) -> ConsoleState {
        var state = ConsoleState(
            actor: Actor(user: "alice", role: .admin), databaseName: "fleet.sqlite",
            now: Fixture.now)
        _ = reduce(&state, .resized(Size(width: width, height: height)))
        return state
    }

    let page = DeviceRows((1...3).map { Fixture.row(Int64($0), "page-\($0)") })
    let whole = DeviceRows((1...5).map { Fixture.row(Int64($0), "page-\($0)") })

    @Test func startAsksForTheFirstPageThenEverything() {
        var state = starting()
        #expect(
            reduce(&state, .externalChange) == [
                .loadPage(.active, limit: ConsoleState.firstPageSize), .count(.active),
                .load(.active),
            ])
        _ = reduce(&state, .loaded(whole, scope: .active))
        // Once the scope is shown, a change elsewhere reloads it without a first page.
        #expect(reduce(&state, .externalChange) == [.load(.active)])
    }

    /// The runtime sends a fresh console's reads before its terminal opens; they are the
    /// reads its first `.externalChange` would ask for.
    @Test func theStartsReadsAreTheFirstExternalChanges() {
        var state = starting()
        #expect(state.startEffects == reduce(&state, .externalChange))
    }

    @Test func theFirstPageShowsWithTheTotalUntilTheRestArrives() {
        var state = starting()
        _ = reduce(&state, .pageLoaded(page, total: 100_000, scope: .active))
        #expect(state.isPartial)
        #expect(state.view.count == 3)
        let header = headerLine(state)
        #expect(header.contains("3/3 of 100,000 active, reading"), "\(header)")

        Fixture.press(&state, .char("j"), .char(" "))
        #expect(state.marks == [2])
        _ = reduce(&state, .loaded(whole, scope: .active))
        #expect(!state.isPartial)
        #expect(state.view.count == 5)
        #expect(state.marks == [2], "marks made on the first page stay")
        #expect(state.cursorRow?.id == 3, "the cursor stays on its device")
        #expect(headerLine(state).contains("5/5 active"))
    }

    /// The first page is on screen before the scope is counted (issue 16: a count reads the
    /// whole scope's index, half the first frame's budget at 100,000 devices); the header
    /// says the rest is being read, then how many there are once counted.
    @Test func theFirstPageShowsBeforeTheCount() {
        var state = starting()
        _ = reduce(&state, .pageLoaded(page, total: nil, scope: .active))
        #expect(state.isPartial)
        #expect(state.view.count == 3)
        var header = headerLine(state)
        #expect(header.contains("3/3 active, reading"), "\(header)")
        Fixture.press(&state, .char("a"))
        #expect(state.marks.isEmpty)
        #expect(
            state.flash?.text.contains("3 devices so far") == true, "\(state.flash?.text ?? "")")

        _ = reduce(&state, .counted(100_000, scope: .active))
        header = headerLine(state)
        #expect(header.contains("3/3 of 100,000 active, reading"), "\(header)")

        _ = reduce(&state, .loaded(whole, scope: .active))
        #expect(!state.isPartial)
        // A count that comes after the whole scope (or for another scope) changes nothing.
        _ = reduce(&state, .counted(100_000, scope: .active))
        _ = reduce(&state, .counted(7, scope: .archived))
        header = headerLine(state)
        #expect(header.contains("5/5 active") && !header.contains("100,000"), "\(header)")
    }

    @Test func keysOverEveryShownRowWaitForTheWholeFleet() {
        var state = starting()
        _ = reduce(&state, .pageLoaded(page, total: 5, scope: .active))
        Fixture.press(&state, .char("a"))
        #expect(state.marks.isEmpty, "a marks nothing while only the first page is here")
        #expect(state.flash?.level == .warning)
        #expect(state.flash?.text.contains("3 of 5") == true, "\(state.flash?.text ?? "")")
        Fixture.press(&state, .char("*"))
        #expect(state.marks.isEmpty)
        _ = reduce(&state, .loaded(whole, scope: .active))
        Fixture.press(&state, .char("a"))
        #expect(state.marks == Set(1...5))
    }

    @Test func aPageArrivingAfterTheWholeScopeIsIgnored() {
        var state = starting()
        _ = reduce(&state, .loaded(whole, scope: .active))
        _ = reduce(&state, .pageLoaded(page, total: 5, scope: .active))
        #expect(state.view.count == 5)
        #expect(!state.isPartial)
    }

    @Test func aPageThatIsTheWholeScopeIsNotPartial() {
        var state = starting()
        _ = reduce(&state, .pageLoaded(page, total: 3, scope: .active))
        #expect(!state.isPartial)
        Fixture.press(&state, .char("a"))
        #expect(state.marks == [1, 2, 3])
    }

    @Test func afterAScopeChangeTheOldRowsCannotBeMarkedAll() {
        var state = starting()
        _ = reduce(&state, .loaded(whole, scope: .active))
        Fixture.press(&state, .char("A"))  // archived: its rows are not here yet
        Fixture.press(&state, .char("a"))
        #expect(state.marks.isEmpty, "the active rows still shown are not marked as archived ones")
        _ = reduce(&state, .loaded([Fixture.row(9, "old", status: .archived)], scope: .archived))
        Fixture.press(&state, .char("a"))
        #expect(state.marks == [9])
    }

    func headerLine(_ state: ConsoleState) -> String {
        let canvas = render(
            state, theme: .builtinDefault, size: (120, 30),
            capabilities: TerminalCapabilities(colorDepth: .colors256, unicode: true))
        return canvas.lines[0]
    }
}
