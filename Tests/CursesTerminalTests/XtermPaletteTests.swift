import DecomConsole
import Testing

@testable import CursesTerminal

@Suite struct XtermPaletteTests {
    @Test func knownEntries() {
        #expect(XtermPalette.rgb(index: 0) == 0x000000)
        #expect(XtermPalette.rgb(index: 1) == 0xcd0000)
        #expect(XtermPalette.rgb(index: 12) == 0x5c5cff)
        #expect(XtermPalette.rgb(index: 15) == 0xffffff)
        #expect(XtermPalette.rgb(index: 16) == 0x000000, "the cube starts at black")
        #expect(XtermPalette.rgb(index: 21) == 0x0000ff)
        #expect(XtermPalette.rgb(index: 46) == 0x00ff00)
        #expect(XtermPalette.rgb(index: 196) == 0xff0000)
        #expect(XtermPalette.rgb(index: 17) == 0x00005f)
        #expect(XtermPalette.rgb(index: 231) == 0xffffff, "the cube ends at white")
        #expect(XtermPalette.rgb(index: 232) == 0x080808, "the grey ramp starts at 8")
        #expect(XtermPalette.rgb(index: 255) == 0xeeeeee, "and ends at 238")
    }

    /// The console's nearest-colour mapping and the direct-colour drawing use two tables of
    /// the same palette: they must agree, or a colour would change on its way to the screen.
    @Test func agreesWithTheThemeEnginesTable() {
        for index in 0...255 {
            let entry = ColorMapping.xterm256[index]
            let packed = UInt32(entry.r) << 16 | UInt32(entry.g) << 8 | UInt32(entry.b)
            #expect(XtermPalette.rgb(index: UInt8(index)) == packed, "index \(index)")
        }
    }
}
