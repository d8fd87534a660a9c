import DecomConsole
import DecomCore
import Testing

/// No key acts on what is not on the screen (issue 11): in a window too small for the table
/// only quit acts, and a dialog too big for the window is not confirmable until it shows.
@Suite struct VisibilityTests {
    func resize(_ state: inout ConsoleState, _ width: Int, _ height: Int) {
        _ = reduce(&state, .resized(Size(width: width, height: height)))
    }

    func text(_ state: ConsoleState) -> String {
        let size = (state.viewport.width, state.viewport.height)
        return render(
            state, theme: .builtinDefault, size: size,
            capabilities: TerminalCapabilities(colorDepth: .colors256, unicode: true)
        ).lines.joined(separator: "\n")
    }

    @Test func aTooSmallWindowRefusesPurgeKeys() {
        var state = Fixture.state(width: 30, height: 8)
        let effects = Fixture.press(&state, .char(" "), .char("D"), .char("1"), .enter)
        #expect(effects.isEmpty)
        #expect(state.marks.isEmpty)
        #expect(state.mode == .normal)
        #expect(text(state).contains("Keys do nothing"))
    }

    @Test func aTooSmallWindowRefusesArchiveKeys() {
        var state = Fixture.state(width: 30, height: 8)
        #expect(Fixture.press(&state, .char(" "), .char("d"), .char("y")).isEmpty)
        #expect(state.marks.isEmpty)
        #expect(state.mode == .normal)
    }

    /// The question before undoing another admin's archive follows the same rule.
    @Test func anUndoDialogShrunkOutOfViewIsNotConfirmable() {
        var state = Fixture.state()
        Fixture.press(&state, .char("H"))
        var bobs = Fixture.record(id: 9, .archive, applied: [state.rows[0]])
        bobs.user = "bob"
        _ = reduce(&state, .historyLoaded([bobs]))
        Fixture.press(&state, .char("u"))
        resize(&state, 44, 12)
        #expect(state.visibility(in: state.viewport) != .everything)
        #expect(Fixture.press(&state, .char("y")).isEmpty, "no undo of a dialog not shown")
        #expect(text(state).contains("The undo dialog needs"))
        resize(&state, 80, 24)
        #expect(Fixture.press(&state, .char("y")) == [.undo(9)])
    }

    @Test func aTooSmallWindowStillQuits() {
        var state = Fixture.state(width: 30, height: 8)
        #expect(Fixture.press(&state, .char("q")) == [.quit])
        #expect(Fixture.press(&state, .ctrl("c")) == [.interrupt])
    }

    /// The purge dialog opened at full size, its count typed, then the window shrunk: Enter
    /// does nothing until the dialog shows again, and digits typed meanwhile are not taken.
    @Test func aPurgeDialogShrunkOutOfViewIsNotConfirmable() {
        var state = Fixture.state()
        Fixture.press(&state, .char(" "), .char("D"))
        _ = reduce(&state, .planReady(Fixture.plan([state.rows[0]], mode: .purge)))
        Fixture.type(&state, "1")
        for (width, height) in [(30, 8), (50, 18), (79, 11)] {
            resize(&state, width, height)
            #expect(state.visibility(in: state.viewport) != .everything, "\(width)x\(height)")
            #expect(Fixture.press(&state, .enter).isEmpty, "\(width)x\(height)")
            Fixture.type(&state, "2")
            guard case .confirm(let c) = state.mode else {
                Issue.record("the dialog closed at \(width)x\(height)")
                return
            }
            #expect(c.typed == "1")
        }
        resize(&state, 80, 24)
        #expect(text(state).contains("Type 1 to purge: [1]"))
        #expect(
            Fixture.press(&state, .enter).contains { if case .execute = $0 { true } else { false } }
        )
    }

    @Test func aHiddenDialogSaysWhyAndEscapeCancelsIt() {
        var state = Fixture.state()
        Fixture.press(&state, .char("d"))
        _ = reduce(&state, .planReady(Fixture.plan([state.rows[0]], mode: .archive)))
        resize(&state, 40, 10)
        #expect(Fixture.press(&state, .char("y")).isEmpty)
        #expect(Fixture.press(&state, .tab, .enter).isEmpty)
        #expect(text(state).contains("The archive dialog needs"))
        Fixture.press(&state, .escape)
        #expect(state.mode == .normal)
    }

    @Test func aCompactWindowShowsTheTableAndActsOnIt() {
        var state = Fixture.state(width: 60, height: 18)
        #expect(state.visibility(in: state.viewport) == .everything)
        #expect(text(state).contains("alpha-1"))
        Fixture.press(&state, .char(" "))
        #expect(state.marks == [1])
        let effects = Fixture.press(&state, .char("d"))
        #expect(effects == [.plan(ids: [1], mode: .archive)])
        // An archive of one device fits at 60 columns: y confirms it.
        _ = reduce(&state, .planReady(Fixture.plan([state.rows[0]], mode: .archive)))
        #expect(text(state).contains("Archive 1 device?"))
        #expect(
            Fixture.press(&state, .char("y")).contains {
                if case .execute = $0 { true } else { false }
            })
    }

    @Test func aCompactWindowHasNoDetailsPaneAndDetailKeysDoNothing() {
        var state = Fixture.state(width: 60, height: 18)
        #expect(Fixture.press(&state, .enter).isEmpty)
        #expect(!state.detailsOpen)
        #expect(state.flash?.text.contains("Details need") == true)
        // Opened in a large window, then shrunk: J scrolls nothing that is hidden.
        resize(&state, 80, 24)
        Fixture.press(&state, .enter)
        resize(&state, 60, 18)
        Fixture.press(&state, .char("J"))
        #expect(state.detailsScroll == 0)
        #expect(!state.showsDetails)
    }
}
