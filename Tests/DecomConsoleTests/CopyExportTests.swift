import DecomConsole
import DecomCore
import Foundation
import Testing

/// Issue 15, "get data out": `y`/`Y` copy ids through OSC 52 or show them in a dialog, and
/// `:export`/`:export-keys` ask the runtime to write the marks or the filtered view.
@Suite struct CopyExportTests {
    /// The exports among the effects (Enter on the `:` line also saves its history).
    func exports(_ effects: [Effect]) -> [ExportRequest] {
        effects.compactMap { if case .export(let request) = $0 { request } else { nil } }
    }

    func withClipboard(_ rows: [DeviceSummary] = Fixture.fleet) -> ConsoleState {
        var state = Fixture.state(rows)
        state.clipboard = true
        return state
    }

    @Test func yCopiesTheCursorsIDThroughTheClipboard() {
        var state = withClipboard()
        Fixture.press(&state, .char("j"), .char("j"))
        let effects = Fixture.press(&state, .char("y"))
        #expect(effects == [.copy("3")])
        #expect(state.mode == .normal)
        #expect(state.flash?.text == "Copied device id 3 to the clipboard (OSC 52)")
    }

    @Test func capitalYCopiesEveryMarkOneALine() {
        var state = withClipboard()
        Fixture.press(&state, .char(" "), .char(" "), .char("G"), .char(" "))
        // A mark the filter hides is copied too: it is still marked.
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "alpha")
        Fixture.press(&state, .enter)
        let effects = Fixture.press(&state, .char("Y"))
        #expect(effects == [.copy("1\n2\n10")])
        #expect(state.flash?.text == "Copied 3 marked ids to the clipboard (OSC 52)")
    }

    @Test func capitalYWithoutMarksSaysSo() {
        var state = withClipboard()
        #expect(Fixture.press(&state, .char("Y")).isEmpty)
        #expect(state.flash?.text.hasPrefix("Nothing to copy: no marks") == true)
    }

    @Test func withoutAClipboardTheTextIsShownAndEscCloses() {
        var state = Fixture.state()
        #expect(!state.clipboard)
        let effects = Fixture.press(&state, .char("j"), .char("y"))
        #expect(effects.isEmpty, "no OSC 52 where the terminal takes none")
        #expect(state.mode == .copyText(CopyText(what: "device id 2", text: "2")))
        Fixture.press(&state, .escape)
        #expect(state.mode == .normal)
    }

    @Test func theOSC52SequenceIsBase64BetweenOSCAndST() {
        let bytes = Clipboard.sequence(for: "1\n22")
        #expect(bytes.map { String(decoding: $0, as: UTF8.self) } == "\u{1B}]52;c;MQoyMg==\u{1B}\\")
        #expect(Clipboard.sequence(for: String(repeating: "9", count: 60_000)) == nil)
    }

    @Test func theClipboardRuleFollowsTERMAndNO_CLIPBOARD() {
        #expect(Clipboard.accepts(terminalType: "xterm-256color", environment: [:]))
        #expect(Clipboard.accepts(terminalType: "tmux-256color", environment: [:]))
        #expect(Clipboard.accepts(terminalType: "screen", environment: [:]))
        #expect(!Clipboard.accepts(terminalType: "vt100", environment: [:]))
        #expect(!Clipboard.accepts(terminalType: "linux", environment: [:]))
        #expect(!Clipboard.accepts(terminalType: "dumb", environment: [:]))
        #expect(!Clipboard.accepts(terminalType: "xterm", environment: ["NO_CLIPBOARD": ""]))
    }

    @Test func exportWritesTheMarksElseTheFilteredView() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "beta")
        Fixture.press(&state, .enter, .char(":"))
        Fixture.type(&state, "export old.csv")
        let view = exports(Fixture.press(&state, .enter))
        #expect(
            view == [
                ExportRequest(path: "old.csv", kind: .csv, ids: [6, 7, 8, 9, 10], overwrite: false)
            ])
        Fixture.press(&state, .char(" "), .char(":"))
        Fixture.type(&state, "export! ~/marked.json")
        let marked = exports(Fixture.press(&state, .enter))
        #expect(
            marked == [ExportRequest(path: "~/marked.json", kind: .json, ids: [6], overwrite: true)]
        )
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "export-keys keys.txt")
        let keys = exports(Fixture.press(&state, .enter))
        #expect(keys == [ExportRequest(path: "keys.txt", kind: .keys, ids: [6], overwrite: false)])
    }

    @Test func exportSaysHowManyWentWhereOrWhyNot() {
        var state = Fixture.state()
        let request = ExportRequest(path: "a.json", kind: .json, ids: [1, 2, 3], overwrite: false)
        _ = reduce(&state, .exported(request, written: 3, path: "/home/ana/a.json"))
        #expect(state.flash?.text == "Exported 3 devices to /home/ana/a.json (JSON)")
        _ = reduce(&state, .exported(request, written: 2, path: "/home/ana/a.json"))
        #expect(
            state.flash?.text
                == "Exported 2 devices to /home/ana/a.json (JSON) · 1 no longer in the database")
        _ = reduce(&state, .exportFailed("Not exported: /home/ana/a.json exists"))
        #expect(state.flash?.level == .error)
    }

    @Test func exportWithoutAFileOrWithABangElsewhereIsRefused() {
        var state = Fixture.state()
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "export")
        #expect(exports(Fixture.press(&state, .enter)).isEmpty)
        #expect(state.flash?.text.hasPrefix("Usage: :export[!] FILE") == true)
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "sort! name")
        #expect(exports(Fixture.press(&state, .enter)).isEmpty)
        #expect(state.flash?.text == ":sort takes no !")
    }

    @Test func copyDialogSnapshot() {
        var state = Fixture.state()
        Fixture.press(&state, .char(" "), .char(" "), .char("Y"))
        let canvas = render(
            state, theme: .builtinDefault, size: (80, 24),
            capabilities: TerminalCapabilities(colorDepth: .colors256, unicode: true))
        assertSnapshot(canvas, named: "copy-dialog-80x24")
    }
}
