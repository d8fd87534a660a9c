import CNCursesW
import DecomConsole
import Glibc
import Testing

@testable import CursesTerminal

/// ncurses screen state for the pair tests: a screen on /dev/null with colours started, made
/// once. Only the serialized suite below touches it.
private enum OffscreenCurses {
    static let ready: Bool = {
        guard let output = fopen("/dev/null", "w"), let input = fopen("/dev/null", "r"),
            newterm("xterm-256color", output, input) != nil, start_color() == OK
        else { return false }
        return use_default_colors() == OK
    }()
}

@Suite struct ColorPairsMappingTests {
    func pairs(
        _ depth: ColorDepth, colors: Int, defaultColors: Bool = true
    ) -> ColorPairs {
        ColorPairs(
            depth: depth, colorCount: colors, pairCount: 256, hasDefaultColors: defaultColors)
    }

    typealias Colors = ColorPairs.Colors

    @Test func noColourDrawsTheTerminalsOwnAndHasNoPairs() {
        let none = pairs(.none, colors: 0)
        #expect(none.colors(of: Style(fg: .ansi(9), bg: .rgb(1, 2, 3))) == Colors(fg: -1, bg: -1))
        #expect(none.room == 0)
    }

    @Test func at256ColoursIndexesStayAndRGBTakesTheNearestOfTheCube() {
        let p = pairs(.colors256, colors: 256)
        #expect(p.colors(of: Style(fg: .ansi(11))) == Colors(fg: 11, bg: -1))
        #expect(p.colors(of: Style(fg: .indexed(200), bg: .ansi(4))) == Colors(fg: 200, bg: 4))
        #expect(p.colors(of: Style(fg: .rgb(255, 0, 0))) == Colors(fg: 196, bg: -1))
        #expect(p.colors(of: Style(bg: .rgb(0x0b, 0x57, 0xd0))).bg >= 16, "never a system colour")
        #expect(p.room == 255)
    }

    @Test func at16ColoursEverythingIsAnANSIColour() {
        let p = pairs(.colors16, colors: 16)
        #expect(p.colors(of: Style(fg: .ansi(11), bg: .ansi(4))) == Colors(fg: 11, bg: 4))
        #expect(p.colors(of: Style(fg: .indexed(196))) == Colors(fg: 9, bg: -1))
        #expect(p.colors(of: Style(fg: .rgb(0, 0, 0xee))) == Colors(fg: 4, bg: -1))
    }

    @Test func eightColoursDrawTheBrightHalfWithTheDarkHalf() {
        let p = pairs(.colors16, colors: 8)
        #expect(p.colors(of: Style(fg: .ansi(11), bg: .ansi(12))) == Colors(fg: 3, bg: 4))
        #expect(p.colors(of: Style(fg: .ansi(15))) == Colors(fg: 7, bg: -1))
        #expect(p.colors(of: Style(fg: .ansi(2))) == Colors(fg: 2, bg: -1))
    }

    @Test func withoutDefaultColoursTheDefaultIsWhiteOnBlack() {
        let p = pairs(.colors256, colors: 256, defaultColors: false)
        #expect(
            p.colors(of: Style())
                == Colors(fg: Int32(COLOR_WHITE), bg: Int32(COLOR_BLACK)))
        #expect(p.colors(of: Style(fg: .ansi(1))) == Colors(fg: 1, bg: Int32(COLOR_BLACK)))
    }

    @Test func directColourPacksRGBAndKeepsTheFirstEightAsANSI() {
        let p = pairs(.trueColor, colors: TerminalSetup.directColorCount)
        #expect(p.colors(of: Style(fg: .ansi(2), bg: .default)) == Colors(fg: 2, bg: -1))
        #expect(p.colors(of: Style(fg: .ansi(12))) == Colors(fg: 0x5c5cff, bg: -1))
        #expect(p.colors(of: Style(fg: .indexed(196))) == Colors(fg: 0xff0000, bg: -1))
        #expect(p.colors(of: Style(fg: .rgb(0x12, 0x34, 0x56))) == Colors(fg: 0x123456, bg: -1))
        // Packed values below 8 would read as ANSI colours: near-black blues become 8.
        #expect(p.colors(of: Style(fg: .rgb(0, 0, 5), bg: .rgb(0, 0, 0))) == Colors(fg: 8, bg: 8))
    }

    @Test func a256ColourDepthOnADirectEntryStillPacksRGB() {
        // A direct-colour entry without COLORTERM: colours map to the 256, drawn as RGB.
        let p = pairs(.colors256, colors: TerminalSetup.directColorCount)
        #expect(p.colors(of: Style(fg: .indexed(196), bg: .ansi(1))) == Colors(fg: 0xff0000, bg: 1))
    }
}

@Suite(.serialized) struct ColorPairsCacheTests {
    typealias Colors = ColorPairs.Colors

    func content(of pair: Int32) -> Colors {
        var fg: Int32 = 0
        var bg: Int32 = 0
        _ = extended_pair_content(pair, &fg, &bg)
        return Colors(fg: fg, bg: bg)
    }

    @Test func sameColoursGiveTheSamePair() throws {
        try #require(OffscreenCurses.ready, "ncurses could not open xterm-256color on /dev/null")
        var p = ColorPairs(
            depth: .colors256, colorCount: 256, pairCount: 64, hasDefaultColors: true)
        let red = p.colors(of: Style(fg: .ansi(9)))
        let blue = p.colors(of: Style(fg: .ansi(15), bg: .ansi(4), attrs: .bold))
        #expect(!p.isCached(red))
        let first = p.pair(for: red)
        #expect(first == 1)
        #expect(p.isCached(red))
        #expect(p.pair(for: red) == first)
        #expect(p.pair(for: p.colors(of: Style(fg: .ansi(9), attrs: [.bold, .reverse]))) == first)
        let second = p.pair(for: blue)
        #expect(second == 2)
        #expect(p.room == 63 - 2)
        #expect(content(of: first) == red)
        #expect(content(of: second) == blue)
    }

    @Test func theTerminalsOwnColoursArePairZero() throws {
        try #require(OffscreenCurses.ready)
        var p = ColorPairs(
            depth: .colors256, colorCount: 256, pairCount: 64, hasDefaultColors: true)
        let plain = p.colors(of: Style(attrs: .reverse))
        #expect(p.isCached(plain))
        #expect(p.pair(for: plain) == 0)
        #expect(p.room == 63, "pair 0 costs nothing")
    }

    @Test func whenFullNewColoursGetPairZeroUntilReset() throws {
        try #require(OffscreenCurses.ready)
        var p = ColorPairs(depth: .colors256, colorCount: 256, pairCount: 4, hasDefaultColors: true)
        let colors = (1...4).map { Colors(fg: Int32($0), bg: -1) }
        #expect(p.pair(for: colors[0]) == 1)
        #expect(p.pair(for: colors[1]) == 2)
        #expect(p.pair(for: colors[2]) == 3)
        #expect(p.room == 0)
        #expect(p.pair(for: colors[3]) == 0, "no pair left")
        #expect(!p.isCached(colors[3]))
        #expect(p.pair(for: colors[1]) == 2, "pairs made before stay")

        p.reset()
        #expect(p.room == 3)
        #expect(!p.isCached(colors[0]))
        #expect(p.pair(for: colors[3]) == 1, "numbers are given out from 1 again")
        #expect(content(of: 1) == colors[3], "pair 1 redefined")
        #expect(p.pair(for: colors[0]) == 2)
    }
}
