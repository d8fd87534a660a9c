import DecomConsole
import DecomCore
import Testing

/// The mouse as htop and k9s use it: a click picks a row, a click in the mark column marks it,
/// the wheel scrolls. At 80x24 the table's rows start on line 2 (header, column titles).
@Suite struct MouseTests {
    static func click(_ state: inout ConsoleState, x: Int, y: Int) -> [Effect] {
        reduce(&state, .key(.mouse(MouseEvent(.press, x: x, y: y))))
    }

    static func wheel(_ state: inout ConsoleState, down: Bool) {
        _ = reduce(&state, .key(.mouse(MouseEvent(down ? .wheelDown : .wheelUp, x: 30, y: 5))))
    }

    static var longFleet: [DeviceSummary] {
        (1...100).map { Fixture.row(Int64($0), "device-\($0)") }
    }

    @Test func aClickOnARowMovesTheCursorThere() {
        var state = Fixture.state()
        _ = Self.click(&state, x: 20, y: 2 + 4)
        #expect(state.cursorRow?.id == 5)
        #expect(state.marks.isEmpty)
    }

    @Test func aClickInTheMarkColumnTogglesThatRowsMarkAndLeavesTheCursor() {
        var state = Fixture.state()
        _ = Self.click(&state, x: 1, y: 2 + 3)
        #expect(state.marks == [4])
        #expect(state.cursorRow?.id == 1)
        _ = Self.click(&state, x: 0, y: 2 + 6)
        #expect(state.marks == [4, 7])
        _ = Self.click(&state, x: 1, y: 2 + 3)
        #expect(state.marks == [7])
        // The row clicked last (4) is where `v` starts its range, as after Space.
        Fixture.press(&state, .char("j"), .char("j"), .char("j"), .char("j"), .char("v"))
        #expect(state.marks == [4, 5, 7])
    }

    @Test func clicksOutsideTheRowsDoNothing() {
        var state = Fixture.state()
        for (x, y) in [(5, 0), (5, 1), (5, 2 + 10), (5, 22), (5, 23), (200, 4)] {
            _ = Self.click(&state, x: x, y: y)
        }
        #expect(state.cursor == 0)
        #expect(state.marks.isEmpty)
    }

    @Test func aClickCountsTheScroll() {
        var state = Fixture.state(Self.longFleet)
        Fixture.press(&state, .pageDown, .pageDown)
        let top = state.scroll
        #expect(top > 0)
        _ = Self.click(&state, x: 20, y: 2)
        #expect(state.cursorRow?.id == Int64(top + 1))
    }

    @Test func theWheelScrollsTheTableAndTheCursorWithIt() {
        var state = Fixture.state(Self.longFleet)
        Self.wheel(&state, down: true)
        #expect(state.scroll == 3)
        #expect(state.cursor == 3)
        Self.wheel(&state, down: true)
        Self.wheel(&state, down: false)
        #expect(state.scroll == 3)
        #expect(state.cursor == 3)
        // At the end the table stops and the cursor goes on to the last row.
        for _ in 0..<50 { Self.wheel(&state, down: true) }
        #expect(state.cursor == 99)
        #expect(state.scroll == 100 - state.pageHeight)
        for _ in 0..<50 { Self.wheel(&state, down: false) }
        #expect(state.cursor == 0)
        #expect(state.scroll == 0)
    }

    @Test func aClickWithTheDetailsPaneOpenReadsTheNewRowsDetails() {
        var state = Fixture.state(width: 160, height: 48)
        Fixture.press(&state, .enter)
        #expect(Self.click(&state, x: 20, y: 2 + 2) == [.loadDetails(3)])
        #expect(Self.click(&state, x: 20, y: 2 + 2) == [])
    }

    @Test func theMouseDoesNothingInAPromptOrADialog() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        _ = Self.click(&state, x: 1, y: 2 + 3)
        #expect(state.marks.isEmpty)
        #expect(state.mode == .filterPrompt(previous: ""))
        Fixture.press(&state, .escape, .char("?"))
        _ = Self.click(&state, x: 20, y: 2 + 3)
        #expect(state.cursor == 0)
        #expect(state.mode == .help)
    }

    @Test func theMouseDoesNothingInATooSmallWindow() {
        var state = Fixture.state(width: 30, height: 8)
        _ = Self.click(&state, x: 1, y: 3)
        #expect(state.marks.isEmpty)
    }
}

/// Ctrl-Z, a key in raw mode, suspends where a shell can take the terminal back.
@Suite struct SuspendTests {
    @Test func ctrlZAsksTheRuntimeToSuspend() {
        var state = Fixture.state()
        #expect(Fixture.press(&state, .ctrl("z")) == [.suspend])
        Fixture.press(&state, .char("/"))
        #expect(Fixture.press(&state, .ctrl("z")) == [.suspend])
    }

    @Test func overSSHCtrlZSaysSuspendIsNotAvailable() {
        var state = Fixture.state()
        state.suspendRefusal = "Suspend is not available over SSH"
        #expect(Fixture.press(&state, .ctrl("z")) == [])
        #expect(state.flash?.text == "Suspend is not available over SSH")
    }

    @Test func notWhileAnActionRuns() {
        var state = Fixture.state()
        Fixture.press(&state, .char(" "), .char("d"))
        _ = reduce(&state, .planReady(Fixture.plan([state.rows[0]], mode: .archive)))
        Fixture.press(&state, .char("y"))
        guard case .progress = state.mode else {
            Issue.record("expected the archive to run, mode is \(state.mode)")
            return
        }
        #expect(Fixture.press(&state, .ctrl("z")) == [])
        #expect(state.flash?.text == "Wait for the action to finish")
    }
}
