import DecomConsole
import DecomCore
import Foundation
import Testing

/// Help offers the keys the role may use; help, dialog reasons and details values show whole
/// where the window has room (120x40).
@Suite struct HelpAndRoomTests {
    static func screen(_ state: ConsoleState, _ width: Int = 120, _ height: Int = 40) -> String {
        RestoreFlowTests.screen(state, width, height).joined(separator: "\n")
    }

    static let actingKeys = [
        "archive (undoable)", "purge (irreversible)", "unenroll (irreversible)",
        "undo, restore archived",
    ]

    @Test func aViewersHelpOffersNoKeyThatChangesDevices() {
        var state = Fixture.state(role: .viewer, width: 120, height: 40)
        Fixture.press(&state, .char("?"))
        let help = Self.screen(state)
        for text in Self.actingKeys { #expect(!help.contains(text), "offered: \(text)") }
        #expect(help.contains("viewer: reading only"))
        #expect(help.contains("history, undo older") == false)
    }

    @Test func anOperatorsHelpHasNoPurgeAndAnAdminsHasEveryKey() {
        var op = Fixture.state(role: .operator, width: 120, height: 40)
        Fixture.press(&op, .char("?"))
        let help = Self.screen(op)
        #expect(!help.contains("purge (irreversible)"))
        #expect(help.contains("archive (undoable)") && help.contains("undo, restore archived"))
        var admin = Fixture.state(width: 120, height: 40)
        Fixture.press(&admin, .char("?"))
        let all = Self.screen(admin)
        for text in Self.actingKeys { #expect(all.contains(text), "missing: \(text)") }
    }

    @Test func helpLinesAreWholeAt120x40AndStillShowAt80x24() {
        var state = Fixture.state(width: 120, height: 40)
        Fixture.press(&state, .char("?"))
        let help = Self.screen(state)
        for text in [
            "filter, Esc cancels edit", "FILE[.csv], ! replaces", "bar|arrow (slow SSH)",
            "copy id, marks, serial", "top, bottom (Home End)", "history, undo older",
        ] {
            #expect(help.contains(text), "cut: \(text)")
        }
        #expect(state.visibility(in: Size(width: 80, height: 24)) == .everything)
    }

    @Test func dialogReasonsAreWholeWhereThereIsRoom() {
        var state = Fixture.state(width: 120, height: 40)
        Fixture.press(&state, .char("a"), .char("d"))
        let reason =
            "rented device is IN_SERVICE at the customer's site; end the rental or take it back first"
        var plan = Fixture.plan(state.rows, mode: .archive)
        plan.items[3].decision = .skip(.forbidden, reason: reason)
        _ = reduce(&state, .planReady(plan))
        #expect(Self.screen(state).contains("#4 alpha-4: forbidden, \(reason)"))
    }

    /// A trial at 80x24: "#5 PH-BER-00005: forbidden, an MDM enrollment is in progress; wait
    /// for …" was cut with spare rows below; the reason goes on on a second line.
    @Test func aLongReasonWrapsAt80x24WhereRowsAreSpare() {
        var state = Fixture.state()
        Fixture.press(&state, .char("a"), .char("d"))
        let reason = "an MDM enrollment is in progress; wait for it to finish, then try again"
        var plan = Fixture.plan(state.rows, mode: .archive)
        plan.items[3].decision = .skip(.forbidden, reason: reason)
        _ = reduce(&state, .planReady(plan))
        let screen = Self.screen(state, 80, 24)
        #expect(screen.contains("#4 alpha-4: forbidden, an MDM enrollment is in progress;"))
        #expect(screen.contains("then try again"), "\(screen)")
        #expect(!screen.contains("…"), "\(screen)")
    }

    @Test func detailsValuesAreWholeAt120x40() {
        var state = Fixture.state(width: 120, height: 40)
        Fixture.press(&state, .enter)
        _ = reduce(&state, .detailsLoaded(Fixture.details(1, name: "alpha-1")))
        let pane = Self.screen(state)
        // Dates with their age, the longest values of the pane.
        #expect(pane.contains("2023-11-11 22:13 (3d)"))
        #expect(pane.contains("2022-10-10 22:13 (1y)"))
    }

    @Test func ctrlYCopiesTheCursorsSerial() {
        var state = Fixture.state()
        state.clipboard = true
        Fixture.press(&state, .char("j"))
        #expect(Fixture.press(&state, .ctrl("y")) == [.copy("SN000002")])
        #expect(state.flash?.text == "Copied serial of device 2 to the clipboard (OSC 52)")
    }
}
