import DecomConsole
import DecomCore
import Testing

@Suite struct ExecutionAndUndoTests {
    @Test func executionFlashesTheOutcomeAndListsWhatWasNotApplied() {
        var state = Fixture.state()
        Fixture.press(&state, .char("a"), .char("d"))
        _ = reduce(&state, .planReady(Fixture.plan(state.rows, mode: .archive)))
        Fixture.press(&state, .char("y"))
        _ = reduce(&state, .progress(done: 5, total: 10))
        #expect(state.mode == .progress(.deletion(.archive), done: 5, total: 10))
        let record = Fixture.record(
            id: 7, .archive, applied: Array(state.rows[0..<8]), forbidden: Array(state.rows[8...]))
        let effects = reduce(&state, .executed(record))
        #expect(effects == [.load(.active)])
        #expect(state.flash?.text == "Archived 8 · 2 forbidden · u to undo")
        guard case .result(let shown, _) = state.mode else {
            Issue.record("no result view")
            return
        }
        #expect(shown.id == 7)
        // Applied devices are unmarked; the ones left over stay marked.
        #expect(state.marks == [9, 10])
        Fixture.press(&state, .escape)
        #expect(state.mode == .normal)
    }

    @Test func uInTheResultViewClosesItAndUndoes() {
        var state = Fixture.state()
        Fixture.press(&state, .char("a"), .char("d"))
        _ = reduce(&state, .planReady(Fixture.plan(state.rows, mode: .archive)))
        Fixture.press(&state, .char("y"))
        let record = Fixture.record(
            id: 7, .archive, applied: Array(state.rows[0..<8]), forbidden: Array(state.rows[8...]))
        _ = reduce(&state, .executed(record))
        #expect(Fixture.press(&state, .char("u")) == [.undo(nil)])
        #expect(state.mode == .normal)
    }

    @Test func aFullySuccessfulExecutionShowsNoResultView() {
        var state = Fixture.state()
        Fixture.press(&state, .char("D"))
        _ = reduce(&state, .planReady(Fixture.plan([state.rows[0]], mode: .purge)))
        Fixture.type(&state, "1")
        Fixture.press(&state, .enter)
        _ = reduce(&state, .executed(Fixture.record(id: 8, .purge, applied: [state.rows[0]])))
        #expect(state.mode == .normal)
        #expect(state.flash?.text == "Purged 1")
    }

    @Test func uAsksForAnUndoAndRestoresTheMarks() {
        var state = Fixture.state()
        #expect(Fixture.press(&state, .char("u")) == [.undo(nil)])
        let restored = Fixture.record(
            id: 9, .restore, applied: Array(state.rows[2..<5]), undoes: 7)
        let effects = reduce(&state, .undone(restored))
        #expect(effects == [.load(.active), .loadHistory])
        #expect(state.marks == [3, 4, 5])
        #expect(state.flash?.text == "Restored 3 devices of archive #7")
    }

    @Test func undoRefusedForAPurgeNamesTheNewestUndoableArchive() {
        var state = Fixture.state()
        Fixture.press(&state, .char("u"))
        let message = undoRefusalMessage(.notUndoable(12, .purge, newestArchive: 9))
        _ = reduce(&state, .undoFailed(message))
        #expect(state.flash?.level == .error)
        #expect(
            state.flash?.text == "Cannot undo purge #12: irreversible · undoable: archive #9 (H)")
        // Whole on an 80-column line (with the flash's mark), for ids of a long-lived fleet.
        for type in [TransactionType.purge, .unenroll, .restore] {
            let long = undoRefusalMessage(.notUndoable(1_234_567, type, newestArchive: 1_234_560))
            #expect(long.count + 2 <= 80, "\(long)")
        }
        // The undo is no longer running: another may start.
        #expect(Fixture.press(&state, .char("u")) == [.undo(nil)])
    }

    @Test func historyUndoesAnOlderArchive() {
        var state = Fixture.state()
        #expect(Fixture.press(&state, .char("H")) == [.loadHistory])
        let purge = Fixture.record(id: 12, .purge, applied: [state.rows[0]])
        let archive = Fixture.record(id: 9, .archive, applied: [state.rows[1]])
        _ = reduce(&state, .historyLoaded([purge, archive]))
        Fixture.press(&state, .char("u"))
        #expect(state.flash?.level == .warning)
        #expect(Fixture.press(&state, .char("j"), .char("u"), .char("y")) == [.undo(9)])
        Fixture.press(&state, .escape)
        #expect(state.mode == .normal)
    }

    @Test func historyAsksBeforeUndoingAnotherUsersArchiveAndNamesThem() throws {
        var state = Fixture.state()
        Fixture.press(&state, .char("H"))
        var bobs = Fixture.record(id: 9, .archive, applied: Array(state.rows[0..<3]))
        bobs.user = "bob"
        _ = reduce(&state, .historyLoaded([bobs]))
        #expect(Fixture.press(&state, .char("u")) == [], "no undo without a question")
        guard case .confirmUndo(let asked) = state.mode else {
            Issue.record("no undo dialog")
            return
        }
        #expect(asked.record.id == 9)
        let screen = render(
            state, theme: .builtinDefault, size: (80, 24),
            capabilities: TerminalCapabilities(colorDepth: .colors16, unicode: true)
        ).lines.joined(separator: "\n")
        #expect(screen.contains("Undo bob's archive?"))
        #expect(screen.contains("transaction 9, 3 devices archived"))
        #expect(screen.contains("by bob (admin)"))
        // No (the default) cancels and returns to the history.
        #expect(Fixture.press(&state, .enter) == [])
        #expect(state.mode == .history(selected: 0))
        #expect(state.flash?.text == "Cancelled: bob's archive was not undone")
        Fixture.press(&state, .char("u"))
        #expect(Fixture.press(&state, .char("y")) == [.undo(9)])
        #expect(state.mode == .history(selected: 0))
    }

    @Test func historyMarksYourTransactions() {
        var state = Fixture.state()
        Fixture.press(&state, .char("H"))
        var bobs = Fixture.record(id: 9, .archive, applied: [state.rows[0]])
        bobs.user = "bob"
        let mine = Fixture.record(id: 10, .archive, applied: [state.rows[1]])
        _ = reduce(&state, .historyLoaded([mine, bobs]))
        let screen = render(
            state, theme: .builtinDefault, size: (80, 24),
            capabilities: TerminalCapabilities(colorDepth: .colors16, unicode: true)
        ).lines
        #expect(screen.contains { $0.contains("10") && $0.contains("you/admin") })
        #expect(screen.contains { $0.contains("9") && $0.contains("bob/admin") })
        // Your own archive is asked for too: one `u`, one confirmed undo.
        #expect(Fixture.press(&state, .char("u")) == [])
        #expect(Fixture.press(&state, .char("y")) == [.undo(10)])
    }

    @Test func theFlashExpires() {
        var state = Fixture.state()
        Fixture.press(&state, .char("a"))
        #expect(state.flash != nil)
        _ = reduce(&state, .tick(Fixture.now.addingTimeInterval(10)))
        #expect(state.flash == nil)
    }

    @Test func externalChangesReloadTheRows() {
        var state = Fixture.state()
        #expect(reduce(&state, .externalChange) == [.load(.active)])
        var rows = Fixture.fleet
        rows.removeFirst()
        Fixture.press(&state, .char(" "), .char("j"), .char("j"), .char("j"), .char(" "))
        #expect(state.marks == [1, 5])
        _ = reduce(&state, .loaded(DeviceRows(rows), scope: .active))
        #expect(state.rows.count == 9)
        #expect(state.marks == [5], "the mark of the device that is gone goes with it")
        #expect(state.anchor == 5)
    }
}
