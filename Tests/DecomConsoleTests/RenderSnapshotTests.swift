import DecomConsole
import DecomCore
import Foundation
import Testing

@Suite struct RenderSnapshotTests {
    static let unicode = TerminalCapabilities(colorDepth: .colors256, unicode: true)
    static let ascii = TerminalCapabilities(colorDepth: .none, unicode: false)

    static let sizes: [(Int, Int)] = [(80, 24), (160, 48)]

    func draw(_ state: ConsoleState, _ size: (Int, Int), ascii: Bool = false) -> Canvas {
        var state = state
        _ = reduce(&state, .resized(Size(width: size.0, height: size.1)))
        return render(
            state, theme: .builtinDefault, size: size,
            capabilities: ascii ? Self.ascii : Self.unicode)
    }

    func snap(_ state: ConsoleState, _ name: String) {
        for size in Self.sizes {
            assertSnapshot(draw(state, size), named: "\(name)-\(size.0)x\(size.1)")
        }
    }

    /// The fleet with a mark, an archived row and the cursor moved.
    var browsing: ConsoleState {
        var rows = Fixture.fleet
        rows[3].clientStatus = .archived
        var state = Fixture.state(rows)
        Fixture.press(&state, .char("j"), .char(" "), .char("j"))
        return state
    }

    @Test func mainView() {
        snap(browsing, "main")
    }

    @Test func mainViewInASCII() {
        assertSnapshot(draw(browsing, (80, 24), ascii: true), named: "main-ascii-80x24")
    }

    @Test func emptyDatabase() {
        assertSnapshot(draw(Fixture.state([]), (80, 24)), named: "empty-80x24")
    }

    @Test func detailsPane() {
        var state = browsing
        Fixture.press(&state, .enter)
        _ = reduce(&state, .detailsLoaded(Fixture.details(4, name: "alpha-4")))
        snap(state, "details")
    }

    @Test func archiveDialog() {
        var state = Fixture.state()
        Fixture.press(&state, .char("a"), .char("d"))
        _ = reduce(&state, .planReady(Fixture.plan(state.rows, mode: .archive, forbidden: [4])))
        snap(state, "archive-dialog")
    }

    @Test func purgeDialog() {
        var state = Fixture.state()
        Fixture.press(&state, .char(" "), .char(" "), .char(" "), .char("D"))
        _ = reduce(
            &state, .planReady(Fixture.plan(Array(state.rows[0..<3]), mode: .purge, forbidden: [2]))
        )
        Fixture.type(&state, "2")
        snap(state, "purge-dialog")
    }

    @Test func unenrollDialogWithHiddenRows() {
        var state = Fixture.state()
        Fixture.press(&state, .char(" "), .char("/"))
        Fixture.type(&state, "beta")
        Fixture.press(&state, .enter, .char(" "), .char("x"))
        let rows = state.rows.filter { [1, 6].contains($0.id) }
        _ = reduce(&state, .planReady(Fixture.plan(rows, mode: .unenroll)))
        snap(state, "unenroll-dialog")
    }

    @Test func help() {
        var state = Fixture.state()
        Fixture.press(&state, .char("?"))
        snap(state, "help")
    }

    @Test func resultView() {
        var state = Fixture.state()
        Fixture.press(&state, .char("a"), .char("d"))
        _ = reduce(&state, .planReady(Fixture.plan(state.rows, mode: .archive)))
        Fixture.press(&state, .char("y"))
        _ = reduce(
            &state,
            .executed(
                Fixture.record(
                    id: 7, .archive, applied: Array(state.rows[0..<8]),
                    forbidden: Array(state.rows[8...]))))
        snap(state, "result")
    }

    @Test func historyView() {
        var state = Fixture.state()
        Fixture.press(&state, .char("H"))
        _ = reduce(
            &state,
            .historyLoaded([
                Fixture.record(id: 12, .purge, applied: [state.rows[0]]),
                Fixture.record(id: 9, .archive, applied: Array(state.rows[1..<3])),
            ]))
        assertSnapshot(draw(state, (80, 24)), named: "history-80x24")
    }

    @Test func filterPromptAndProgress() {
        var state = Fixture.state()
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, "alpha")
        assertSnapshot(draw(state, (80, 24)), named: "filter-80x24")
        Fixture.press(&state, .enter, .char("a"), .char("d"))
        _ = reduce(&state, .planReady(Fixture.plan(Array(state.rows[0..<5]), mode: .archive)))
        Fixture.press(&state, .char("y"))
        _ = reduce(&state, .progress(done: 2, total: 5))
        assertSnapshot(draw(state, (80, 24)), named: "progress-80x24")
    }

    @Test func tooSmall() {
        let canvas = render(
            Fixture.state(), theme: .builtinDefault, size: (30, 8), capabilities: Self.unicode)
        assertSnapshot(canvas, named: "too-small-30x8")
        #expect(canvas.lines.joined().contains("Terminal too small"))
    }

    /// Below 80x24: fewer columns, no details pane, the footer cut to what fits.
    @Test func compactLayout() {
        var state = browsing
        Fixture.press(&state, .enter)
        for size in [(60, 18), (40, 10)] {
            assertSnapshot(draw(state, size), named: "compact-\(size.0)x\(size.1)")
        }
    }

    /// A dialog too big for a compact window is replaced by a notice saying so.
    @Test func hiddenDialog() {
        var state = Fixture.state()
        Fixture.press(&state, .char(" "), .char("D"))
        _ = reduce(&state, .planReady(Fixture.plan([state.rows[0]], mode: .purge)))
        assertSnapshot(draw(state, (60, 18)), named: "hidden-dialog-60x18")
    }

    // MARK: - Hostile and wide text

    @Test func anEscapeSequenceInANameIsShownNeverSent() {
        let rows = [
            Fixture.row(1, "evil\u{1B}[2J\u{1B}]0;pwned\u{07}name"),
            Fixture.row(2, "plain"),
        ]
        var state = Fixture.state(rows)
        Fixture.press(&state, .enter)
        var device = Fixture.device(1, name: "evil\u{1B}[2J\u{1B}]0;pwned\u{07}name")
        device.comment = "line\r\nbreak\u{202E}rtl"
        _ = reduce(
            &state,
            .detailsLoaded(
                DeviceDetails(
                    device: device, evaluator: ComplianceEvaluator(now: Fixture.now),
                    sessions: [], transactions: [])))
        for size in Self.sizes {
            let canvas = draw(state, size)
            assertSnapshot(canvas, named: "escape-\(size.0)x\(size.1)")
            let raw = canvas.cells.contains { cell in
                cell.text.unicodeScalars.contains { SafeText.needsEscape($0) }
            }
            #expect(!raw)
            #expect(canvas.lines.joined().contains("evil^[[2J^[]0;"))
        }
    }

    @Test func wideCharactersKeepTheColumnsAligned() {
        let rows = [
            Fixture.row(1, "東京オフィスのノートパソコン十二号機"),
            Fixture.row(2, "🚀 rocket 🚀 laptop 🚀🚀🚀🚀🚀"),
            Fixture.row(3, "plain-name"),
        ]
        for size in Self.sizes {
            let canvas = draw(Fixture.state(rows), size)
            assertSnapshot(canvas, named: "wide-\(size.0)x\(size.1)")
            // The serial column starts at the same display column on every row.
            let serialColumns = (2...4).map { y -> Int? in
                var column = 0
                for x in 0..<canvas.width {
                    let text = canvas[x, y].text
                    if text == "S", x + 1 < canvas.width, canvas[x + 1, y].text == "N" {
                        return column
                    }
                    column += 1
                }
                return nil
            }
            #expect(Set(serialColumns).count == 1)
            #expect(serialColumns.first != nil)
        }
    }
}
