import DecomConsole
import DecomCore
import Foundation
import Testing

/// Habits from k9s, lazygit and vim: Esc closes, Tab lists before it chooses, a wrong
/// argument or count is said and not half-taken.
@Suite struct ConsoleHabitsTests {
    @Test func escapeClosesTheDetailsPane() {
        var state = Fixture.state(width: 160, height: 48)
        Fixture.press(&state, .enter)
        #expect(state.detailsOpen)
        Fixture.press(&state, .escape)
        #expect(!state.detailsOpen)
    }

    @Test func escapeClosesEveryOverlay() {
        var state = Fixture.state()
        Fixture.press(&state, .char("?"), .escape)
        #expect(state.mode == .normal, "help")
        Fixture.press(&state, .char(":"), .escape)
        #expect(state.mode == .normal, "command line")
        Fixture.press(&state, .char("/"), .escape)
        #expect(state.mode == .normal, "filter prompt")
        Fixture.press(&state, .char("H"), .escape)
        #expect(state.mode == .normal, "history")
        Fixture.press(&state, .char(" "), .char("D"))
        _ = reduce(&state, .planReady(Fixture.plan([state.rows[0]], mode: .purge)))
        Fixture.press(&state, .escape)
        #expect(state.mode == .normal, "purge dialog")
    }

    @Test func tabOnAnEmptyArgumentListsTheCandidatesFirst() {
        var state = Fixture.state()
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "theme ")
        Fixture.press(&state, .tab)
        guard case .command(let listed) = state.mode else {
            Issue.record("not in command mode")
            return
        }
        #expect(listed.text == "theme ", "nothing inserted")
        #expect(listed.candidates == ["dark", "daylight", "default", "mono"])
        Fixture.press(&state, .tab)
        guard case .command(let chosen) = state.mode else { return }
        #expect(chosen.text == "theme dark", "the next Tab takes the first")
    }

    @Test func tabOnAnEmptyCommandLineListsTheCommands() {
        var state = Fixture.state()
        Fixture.press(&state, .char(":"), .tab)
        guard case .command(let line) = state.mode else { return }
        #expect(line.text.isEmpty)
        #expect(line.candidates == ConsoleCommand.allCases.map(\.rawValue))
    }

    @Test func sortTakesOnlyAscOrDesc() {
        var state = Fixture.state()
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "sort name sideways")
        Fixture.press(&state, .enter)
        #expect(state.sort == DeviceSort(), "the sort did not change")
        #expect(state.flash?.level == .error)
        #expect(state.flash?.text == ":sort name sideways: the direction is asc or desc")
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "sort name de")
        Fixture.press(&state, .tab)
        guard case .command(let line) = state.mode else { return }
        #expect(line.text == "sort name desc", "the direction completes")
        Fixture.press(&state, .enter)
        #expect(state.sort == DeviceSort(column: .name, ascending: false))
    }

    @Test func aWrongTypedCountIsCleared() {
        var state = Fixture.state()
        for _ in 0..<3 { Fixture.press(&state, .char(" ")) }
        Fixture.press(&state, .char("D"))
        _ = reduce(&state, .planReady(Fixture.plan(Array(state.rows[0..<3]), mode: .purge)))
        Fixture.type(&state, "4")
        #expect(Fixture.press(&state, .enter).isEmpty)
        guard case .confirm(let rejected) = state.mode else {
            Issue.record("the dialog closed")
            return
        }
        #expect(rejected.rejectedTyping)
        #expect(rejected.typed.isEmpty, "the wrong count is cleared")
        Fixture.type(&state, "3")
        guard case .confirm(let retyped) = state.mode else { return }
        #expect(retyped.typed == "3" && retyped.typedMatches)
    }
}

/// Esc typed fast before a key reaches the console as Alt and the key (terminals send both
/// as ESC then the letter): outside a prompt it is the two keys.
@Suite struct AltOutsidePromptsTests {
    @Test func altOutsideAPromptIsEscapeThenTheKey() {
        var state = Fixture.state()
        Fixture.press(&state, .char("?"))
        #expect(state.mode == .help)
        let effects = Fixture.press(&state, .alt("d"))
        #expect(
            state.mode == .planning(.deletion(.archive)), "help closed, then d asked to archive")
        #expect(effects == [.plan(ids: [1], mode: .archive)])
    }
}
