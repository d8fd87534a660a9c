import DecomCore
import Testing

@testable import DecomConsole

/// The header at 80x24 (issue 15): a long filter stays readable at both ends, shortened from
/// the middle, after the header has given up the word `decom` and the `sort:` label; the
/// actor keeps its place.
@Suite struct HeaderTests {
    func header(_ state: ConsoleState, width: Int = 80) -> String {
        var state = state
        _ = reduce(&state, .resized(Size(width: width, height: 24)))
        let canvas = render(
            state, theme: .builtinDefault, size: (width, 24),
            capabilities: RenderSnapshotTests.unicode)
        return canvas.lines[0]
    }

    func filtered(_ text: String, marks: Bool = false) -> ConsoleState {
        var state = Fixture.state()
        if marks { Fixture.press(&state, .char(" "), .char(" ")) }
        Fixture.press(&state, .char("/"))
        Fixture.type(&state, text)
        Fixture.press(&state, .enter)
        return state
    }

    @Test func aShortFilterIsShownWhole() {
        let line = header(filtered("alpha"))
        #expect(line.contains("decom · fleet.sqlite"))
        #expect(line.contains("filter: alpha"))
        #expect(line.contains("sort: id ↑"))
    }

    @Test func aLongFilterKeepsBothEndsAt80Columns() {
        let text = "-status:in_service,available seen:>90d compliant:no os:windows"
        let line = header(filtered(text, marks: true))
        #expect(line.count <= 80)
        #expect(line.contains("alice (admin)"), "\(line)")
        #expect(line.contains("/-status:in_servi"), "the filter's start: \(line)")
        #expect(!line.contains("fleet.sqlite"), "the database name gave way first: \(line)")
        #expect(line.contains("indows · id↑"), "the filter's end: \(line)")
        #expect(line.contains("…"), "\(line)")
        #expect(line.contains("2 marked"), "\(line)")
        #expect(line.contains("id↑"), "the sort, without its label: \(line)")
        #expect(!line.hasPrefix(" decom"), "\(line)")
    }

    /// A trial at 80x24 with marks: `flee…ite · … · filter: seen:…:yes` cut a filter that fits
    /// whole once the database name and the label give way.
    @Test func aFilterThatFitsWithoutTheDatabaseNameIsShownWhole() {
        let line = header(filtered("seen:>90d -compliant:yes", marks: true))
        #expect(line.contains("seen:>90d -compliant:yes"), "\(line)")
        #expect(!line.contains("…"), "\(line)")
    }

    @Test func middleShortenedKeepsWholeCharactersAndWidth() {
        #expect(Painter.middleShortened("abcdefghij", to: 5, ellipsis: "…") == "ab…ij")
        #expect(Painter.middleShortened("abc", to: 5, ellipsis: "…") == "abc")
        let wide = Painter.middleShortened("日本語のテキスト", to: 7, ellipsis: "…")
        #expect(
            DisplayWidth.of(wide) <= 7 && wide.hasPrefix("日本") && wide.hasSuffix("ト"), "\(wide)")
    }
}
