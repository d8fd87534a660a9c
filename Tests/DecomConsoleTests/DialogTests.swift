import DecomConsole
import DecomCore
import Testing

/// The confirmations: what the keys do, and that no single slip deletes anything.
@Suite struct DialogTests {
    /// Marks the first `count` rows, presses `key`, and answers with the plan.
    func open(
        _ key: Character, mode: DeletionMode, marking count: Int = 3, forbidden: Set<Int64> = [],
        role: Role = .admin
    ) -> ConsoleState {
        var state = Fixture.state(role: role)
        for _ in 0..<count { Fixture.press(&state, .char(" ")) }
        let effects = Fixture.press(&state, .char(key))
        let ids = Array(1...Int64(count))
        #expect(effects == [.plan(ids: ids, mode: mode)])
        let rows = state.rows.filter { ids.contains($0.id) }
        _ = reduce(&state, .planReady(Fixture.plan(rows, mode: mode, forbidden: forbidden)))
        return state
    }

    @Test func archiveDialogOpensWithNoFocusedSoEnterCancels() {
        var state = open("d", mode: .archive)
        guard case .confirm(let c) = state.mode else {
            Issue.record("no dialog")
            return
        }
        #expect(!c.yesFocused)
        #expect(Fixture.press(&state, .enter).isEmpty)
        #expect(state.mode == .normal)
        #expect(state.marks == [1, 2, 3])
    }

    @Test func archiveConfirmsWithY() {
        var state = open("d", mode: .archive)
        let effects = Fixture.press(&state, .char("y"))
        guard case .execute(let plan) = effects.first else {
            Issue.record("no execution")
            return
        }
        #expect(plan.allowedIDs == [1, 2, 3])
        #expect(state.mode == .progress(.deletion(.archive), done: 0, total: 3))
    }

    @Test func archiveConfirmsWithTabThenEnter() {
        var state = open("d", mode: .archive)
        let effects = Fixture.press(&state, .tab, .enter)
        #expect(effects.count == 1)
    }

    @Test func archiveKeyPressedAgainDoesNotConfirm() {
        var state = open("d", mode: .archive)
        #expect(Fixture.press(&state, .char("d"), .char("d")).isEmpty)
        guard case .confirm = state.mode else {
            Issue.record("dialog closed")
            return
        }
    }

    @Test func purgeNeedsTheTypedCount() {
        var state = open("D", mode: .purge)
        #expect(Fixture.press(&state, .enter).isEmpty)
        guard case .confirm(let rejected) = state.mode else {
            Issue.record("dialog closed")
            return
        }
        #expect(rejected.rejectedTyping)
        Fixture.type(&state, "3")
        let effects = Fixture.press(&state, .enter)
        guard case .execute(let plan) = effects.first else {
            Issue.record("no execution")
            return
        }
        #expect(plan.mode == .purge)
    }

    @Test func aWrongCountKeepsTheActionDisabled() {
        var state = open("D", mode: .purge)
        Fixture.type(&state, "4")
        #expect(Fixture.press(&state, .enter).isEmpty)
        Fixture.press(&state, .backspace)
        Fixture.type(&state, "30")
        #expect(Fixture.press(&state, .enter).isEmpty)
        guard case .confirm(let c) = state.mode else {
            Issue.record("dialog closed")
            return
        }
        #expect(!c.typedMatches)
    }

    @Test func purgeKeyPressedTwiceNeverConfirms() {
        var state = open("D", mode: .purge)
        #expect(Fixture.press(&state, .char("D"), .char("D"), .enter).isEmpty)
        guard case .confirm(let c) = state.mode else {
            Issue.record("dialog closed")
            return
        }
        #expect(c.typed.isEmpty)
    }

    @Test func unenrollIsADangerDialogAndEscapeCancels() {
        var state = open("x", mode: .unenroll)
        guard case .confirm(let c) = state.mode else {
            Issue.record("no dialog")
            return
        }
        #expect(c.isDanger)
        Fixture.type(&state, "3")
        #expect(Fixture.press(&state, .escape).isEmpty)
        #expect(state.mode == .normal)
    }

    @Test func typedCountIsTheNumberOfDevicesTheActionApplies() {
        var state = open("D", mode: .purge, forbidden: [2])
        Fixture.type(&state, "3")
        #expect(Fixture.press(&state, .enter).isEmpty)
        Fixture.press(&state, .backspace)
        Fixture.type(&state, "2")
        #expect(Fixture.press(&state, .enter).count == 1)
    }

    /// Issue 11: with #2 and #4 marked and a filter showing neither, a purge whose plan skips
    /// one of them said "Purge 1 device (2 hidden by the filter)".
    @Test func theHiddenCountComesFromThePlan() {
        var state = Fixture.state()
        Fixture.press(&state, .char("j"), .char(" "), .char("j"), .char(" "))  // 2, then 4
        let marked = state.marks
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "beta")
        Fixture.press(&state, .enter)
        #expect(state.view.allSatisfy { !marked.contains(state.rows[$0].id) }, "both hidden")
        Fixture.press(&state, .char("D"))
        let rows = state.rows.filter { marked.contains($0.id) }
        let skipped = rows[1].id
        _ = reduce(&state, .planReady(Fixture.plan(rows, mode: .purge, forbidden: [skipped])))
        guard case .confirm(let c) = state.mode else {
            Issue.record("no dialog")
            return
        }
        #expect(c.hidden == 1)
        let screen = render(
            state, theme: .builtinDefault, size: (80, 24),
            capabilities: TerminalCapabilities(colorDepth: .colors16, unicode: true)
        ).lines.joined(separator: "\n")
        #expect(screen.contains("Purge 1 device (1 hidden by the filter)?"), "\(screen)")
    }

    @Test func hiddenMarkedRowsAreCounted() {
        var state = Fixture.state()
        Fixture.press(&state, .char(" "), .char(" "))  // 1, 2
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "beta")
        Fixture.press(&state, .enter, .char(" "))  // 6
        Fixture.press(&state, .char("d"))
        let rows = state.rows.filter { [1, 2, 6].contains($0.id) }
        _ = reduce(&state, .planReady(Fixture.plan(rows, mode: .archive)))
        guard case .confirm(let c) = state.mode else {
            Issue.record("no dialog")
            return
        }
        #expect(c.hidden == 2)
        let screen = render(
            state, theme: .builtinDefault, size: (80, 24),
            capabilities: TerminalCapabilities(colorDepth: .colors16, unicode: true)
        ).lines.joined(separator: "\n")
        #expect(screen.contains("3 devices (2 hidden by the filter)"), "\(screen)")
    }

    @Test func aPlanArrivingAfterCancelIsIgnored() {
        var state = Fixture.state()
        Fixture.press(&state, .char("d"), .escape)
        _ = reduce(&state, .planReady(Fixture.plan([state.rows[0]], mode: .archive)))
        #expect(state.mode == .normal)
    }

    @Test func theCursorRowIsTheTargetWhenNothingIsMarked() {
        var state = Fixture.state()
        Fixture.press(&state, .char("j"))
        #expect(Fixture.press(&state, .char("x")) == [.plan(ids: [2], mode: .unenroll)])
    }
}

@Suite struct RoleTests {
    let unicode = TerminalCapabilities(colorDepth: .colors16, unicode: true)

    func footer(_ state: ConsoleState) -> String {
        render(state, theme: .builtinDefault, size: (160, 48), capabilities: unicode).lines.last
            ?? ""
    }

    @Test func aViewerSeesNoDeleteKeysAndIsRefused() {
        var state = Fixture.state(role: .viewer)
        for key: Character in ["d", "D", "x", "u"] {
            #expect(Fixture.press(&state, .char(key)).isEmpty)
            #expect(state.flash?.level == .error)
            #expect(state.flash?.text.contains("viewer") == true)
            #expect(state.mode == .normal)
        }
        let line = footer(state)
        #expect(!line.contains("archive"))
        #expect(!line.contains("purge"))
        #expect(!line.contains("unenroll"))
    }

    @Test func anOperatorMayArchiveButNotPurge() {
        var state = Fixture.state(role: .operator)
        let line = footer(state)
        #expect(line.contains("archive"))
        #expect(!line.contains("purge"))
        #expect(Fixture.press(&state, .char("D")).isEmpty)
        #expect(state.flash?.text.contains("may not purge") == true)
        #expect(Fixture.press(&state, .char("d")) == [.plan(ids: [1], mode: .archive)])
    }
}
