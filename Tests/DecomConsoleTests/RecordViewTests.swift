import DecomConsole
import DecomCore
import Foundation
import Testing

/// Issue 15: a full view of one device (k9s's describe), as `decom show`'s text or JSON.
@Suite struct RecordViewTests {
    static let text = (["Device 3: alpha-3", ""] + (1...40).map { "  line \($0)" })
        .joined(separator: "\n")
    static let json =
        "{\n  \"data\" : {\n    \"id\" : 3,\n    \"name\" : \"alpha-\\u001b[31m\"\n  }\n}"

    func opened() -> ConsoleState {
        var state = Fixture.state()
        Fixture.press(&state, .char("j"), .char("j"))
        return state
    }

    @Test func oOpensTheCursorsRecordAndAsksForIt() {
        var state = opened()
        let effects = Fixture.press(&state, .char("o"))
        #expect(effects == [.loadRecord(3)])
        #expect(state.mode == .describe(DeviceRecordView(id: 3)))
        // An answer for another device (the cursor moved meanwhile) is not shown.
        _ = reduce(&state, .recordLoaded(id: 4, text: "other", json: "{}"))
        #expect(state.mode == .describe(DeviceRecordView(id: 3)))
        _ = reduce(&state, .recordLoaded(id: 3, text: Self.text, json: Self.json))
        guard case .describe(let view) = state.mode else {
            Issue.record("the view closed")
            return
        }
        #expect(view.lines.first == "Device 3: alpha-3")
    }

    @Test func scrollingJSONAndEscape() {
        var state = opened()
        Fixture.press(&state, .char("o"))
        _ = reduce(&state, .recordLoaded(id: 3, text: Self.text, json: Self.json))
        Fixture.press(&state, .char("j"), .char("j"))
        guard case .describe(var view) = state.mode else { return }
        #expect(view.scroll == 2)
        Fixture.press(&state, .char("G"))
        guard case .describe(let end) = state.mode else { return }
        #expect(end.scroll == 42 - (24 - 5), "the last line at the bottom")
        Fixture.press(&state, .char("g"), .pageDown)
        guard case .describe(let paged) = state.mode else { return }
        #expect(paged.scroll == 19)
        Fixture.press(&state, .char("J"))
        guard case .describe(let json) = state.mode else { return }
        #expect(json.showsJSON && json.scroll == 0)
        #expect(json.lines.count == 6)
        view = json
        Fixture.press(&state, .escape)
        #expect(state.mode == .normal)
        #expect(state.cursorRow?.id == 3, "the table is where it was")
    }

    @Test func aDeviceGoneClosesTheView() {
        var state = opened()
        Fixture.press(&state, .char("o"))
        _ = reduce(&state, .detailsFailed(id: 3, "the device no longer exists"))
        #expect(state.mode == .normal)
        #expect(state.flash?.text == "Could not read device 3: the device no longer exists")
    }

    @Test func snapshots() {
        var state = opened()
        Fixture.press(&state, .char("o"))
        let hostile = Self.text.replacingOccurrences(of: "line 2\n", with: "line 2 \u{1B}[31mRED\n")
        _ = reduce(&state, .recordLoaded(id: 3, text: hostile, json: Self.json))
        let capabilities = TerminalCapabilities(colorDepth: .colors256, unicode: true)
        assertSnapshot(
            render(state, theme: .builtinDefault, size: (80, 24), capabilities: capabilities),
            named: "record-text-80x24")
        Fixture.press(&state, .char("J"))
        assertSnapshot(
            render(state, theme: .builtinDefault, size: (80, 24), capabilities: capabilities),
            named: "record-json-80x24")
    }
}
