import DecomConsole
import DecomCore
import Testing

/// Grapheme clusters chosen from Unicode's emoji-test.txt (15.1) and GraphemeBreakTest.txt:
/// each is one extended grapheme cluster that a terminal must receive whole.
enum Clusters {
    /// emoji-test.txt: "1F469 200D 1F4BB ; fully-qualified # 👩‍💻 woman technologist".
    static let technologist = "\u{1F469}\u{200D}\u{1F4BB}"
    /// "1F44D 1F3FD ; fully-qualified # 👍🏽 thumbs up: medium skin tone".
    static let thumbsUp = "\u{1F44D}\u{1F3FD}"
    /// "1F1EB 1F1F7 ; fully-qualified # 🇫🇷 flag: France".
    static let flag = "\u{1F1EB}\u{1F1F7}"
    /// "0031 FE0F 20E3 ; fully-qualified # 1️⃣ keycap: 1".
    static let keycap = "1\u{FE0F}\u{20E3}"
    /// "1F3F4 E0067 E0062 E0073 E0063 E0074 E007F ; fully-qualified # 🏴󠁧󠁢󠁳󠁣󠁴󠁿 flag: Scotland".
    static let scotland = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}"
    /// "2764 FE0F ; fully-qualified # ❤️ red heart".
    static let heart = "\u{2764}\u{FE0F}"
    /// "1F468 200D 1F469 200D 1F467 200D 1F466 ; fully-qualified # 👨‍👩‍👧‍👦 family: man, woman,
    /// girl, boy".
    static let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}"
    /// "1F9D1 1F3FD 200D 1F680 ; fully-qualified # 🧑🏽‍🚀 astronaut: medium skin tone".
    static let astronaut = "\u{1F9D1}\u{1F3FD}\u{200D}\u{1F680}"
    /// GraphemeBreakTest.txt: "÷ 0065 × 0301 ÷" (a letter and a combining acute).
    static let combining = "e\u{301}"
    /// GraphemeBreakTest.txt: "÷ 1100 × 1161 × 11A8 ÷" (conjoining jamo L V T: 각).
    static let jamo = "\u{1100}\u{1161}\u{11A8}"

    static let all = [
        technologist, thumbsUp, flag, keycap, scotland, heart, family, astronaut, combining, jamo,
    ]
}

@Suite struct GraphemeTests {
    /// Writes the cluster then `|`, and returns the cells of the run and where `|` landed.
    func written(_ cluster: String, emoji: EmojiWidths) -> (cells: [Canvas.Cell], bar: Int?) {
        DisplayWidth.$emoji.withValue(emoji) {
            var canvas = Canvas(width: 12, height: 1)
            canvas.put(cluster + "|", x: 0, y: 0, style: .plain)
            let cells = (0..<12).map { canvas[$0, 0] }
            return (cells, cells.firstIndex { $0.text == "|" })
        }
    }

    @Test func everyClusterIsOneCellFollowedByItsContinuations() {
        for emoji in [EmojiWidths.unicode, .perCodePoint] {
            for cluster in Clusters.all {
                let (cells, bar) = written(cluster, emoji: emoji)
                let width = DisplayWidth.$emoji.withValue(emoji) {
                    DisplayWidth.of(Character(cluster))
                }
                #expect(cells[0].text == cluster, "\(cluster) whole in its first cell")
                let continued = cells[1..<width].allSatisfy { $0.isContinuation }
                #expect(continued, "\(cluster)")
                #expect(bar == width, "\(cluster): the next column follows its \(width) columns")
            }
        }
    }

    @Test func widthsFollowTheTerminalsRule() {
        func width(_ cluster: String, _ emoji: EmojiWidths) -> Int {
            DisplayWidth.$emoji.withValue(emoji) { DisplayWidth.of(Character(cluster)) }
        }
        for cluster in [Clusters.technologist, Clusters.thumbsUp, Clusters.family] {
            #expect(width(cluster, .unicode) == 2, "one wide glyph by Unicode's rule")
        }
        #expect(width(Clusters.thumbsUp, .perCodePoint) == 4)
        #expect(width(Clusters.technologist, .perCodePoint) == 4)
        #expect(width(Clusters.family, .perCodePoint) == 8)
        #expect(width(Clusters.combining, .unicode) == 1)
        #expect(width(Clusters.jamo, .unicode) == 2)
        // tmux 3.3a, as measured: ZWJ sequences 2, skin tones added up, ❤️ 1.
        let tmux = EmojiWidths(measured: [.zwj: 2, .modifier: 4, .presentation: 1, .flag: 2])
        #expect(width(Clusters.technologist, tmux) == 2)
        #expect(width(Clusters.family, tmux) == 2)
        #expect(width(Clusters.thumbsUp, tmux) == 4)
        #expect(width(Clusters.heart, tmux) == 1)
        #expect(width(Clusters.flag, tmux) == 2)
    }

    @Test func writingOverAWideClusterBlanksAllOfIt() {
        let canvas = DisplayWidth.$emoji.withValue(.perCodePoint) {
            var canvas = Canvas(width: 8, height: 1)
            canvas.put(Clusters.thumbsUp, x: 1, y: 0, style: .plain)
            canvas.put("x", x: 3, y: 0, style: .plain)
            return canvas
        }
        #expect(canvas.lines == ["   x    "])
        #expect((0..<8).allSatisfy { !canvas[$0, 0].isContinuation })
    }

    @Test func fitCutsBeforeAClusterThatDoesNotFit() {
        let (cut, width) = DisplayWidth.$emoji.withValue(.perCodePoint) {
            (
                Canvas.fit("ab" + Clusters.thumbsUp, width: 5),
                DisplayWidth.of(Canvas.fit(Clusters.thumbsUp + "z", width: 5))
            )
        }
        #expect(cut == "ab…  ")
        #expect(width == 5)
    }

    // MARK: - Where the admin looks

    func screen(_ state: ConsoleState, emoji: EmojiWidths) -> [String] {
        render(
            state, theme: .builtinDefault, size: (120, 40),
            capabilities: TerminalCapabilities(colorDepth: .colors16, unicode: true, emoji: emoji)
        ).lines
    }

    func rows() -> [DeviceSummary] {
        [
            Fixture.row(1, Clusters.technologist + " dev laptop"),
            Fixture.row(2, Clusters.thumbsUp + " thumbs"),
            Fixture.row(3, "plain laptop"),
        ]
    }

    /// The column (counted in canvas columns) where `needle` starts on a line.
    func column(of needle: String, in line: String, emoji: EmojiWidths) -> Int? {
        guard let range = line.range(of: needle) else { return nil }
        return DisplayWidth.$emoji.withValue(emoji) { DisplayWidth.of(line[..<range.lowerBound]) }
    }

    @Test func theTableDrawsClustersWholeAndKeepsTheSerialColumn() {
        for emoji in [EmojiWidths.unicode, .perCodePoint] {
            let lines = screen(Fixture.state(rows(), width: 120, height: 40), emoji: emoji)
            let text = lines.joined(separator: "\n")
            #expect(text.contains(Clusters.technologist + " dev laptop"))
            #expect(text.contains(Clusters.thumbsUp + " thumbs"))
            let serials = (1...3).compactMap { id in
                lines.lazy.compactMap {
                    column(of: String(format: "SN%06d", id), in: $0, emoji: emoji)
                }.first
            }
            #expect(serials.count == 3 && Set(serials).count == 1, "\(serials)")
        }
    }

    @Test func theDetailsAndTheDialogDrawClustersWhole() {
        var state = Fixture.state(rows(), width: 120, height: 40)
        Fixture.press(&state, .enter)
        _ = reduce(
            &state, .detailsLoaded(Fixture.details(1, name: Clusters.technologist + " dev laptop")))
        #expect(
            screen(state, emoji: .perCodePoint).joined().contains(
                Clusters.technologist + " dev laptop"))
        Fixture.press(&state, .tab, .char(" "), .char("j"), .char(" "), .char("D"))
        _ = reduce(&state, .planReady(Fixture.plan(Array(state.rows[0...1]), mode: .purge)))
        let dialog = screen(state, emoji: .perCodePoint).joined(separator: "\n")
        #expect(dialog.contains(Clusters.technologist + " dev laptop"), "\(dialog)")
        #expect(dialog.contains(Clusters.thumbsUp + " thumbs"), "\(dialog)")
    }
}
