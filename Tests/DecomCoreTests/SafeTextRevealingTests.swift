import DecomCore
import Testing

@Suite struct SafeTextRevealingTests {
    @Test func invisibleCharactersAreShown() {
        #expect(SafeText.revealing("ab\u{200B}cd") == "ab<U+200B>cd")
        #expect(SafeText.revealing("a\u{200C}b\u{200D}c") == "a<U+200C>b<U+200D>c")
        #expect(SafeText.revealing("\u{FEFF}x\u{2060}y\u{AD}z") == "<U+FEFF>x<U+2060>y<U+00AD>z")
        #expect(SafeText.revealing("\u{3164}name") == "<U+3164>name", "a Hangul filler")
        #expect(SafeText.revealing("x\u{FE0F}") == "x<U+FE0F>", "no emoji to present")
        #expect(SafeText.revealing("esc\u{1B}") == "esc^[", "controls as visible(_:) shows them")
        let nonchar = String(Unicode.Scalar(0xFDD0 as UInt32)!)
        #expect(SafeText.visible(nonchar + "x") == "<U+FDD0>x", "noncharacters")
        #expect(SafeText.revealing("a\u{200B}") { "[" + $0 + "]" } == "a[<U+200B>]")
    }

    @Test func emojiSequencesKeepTheirJoinersSelectorsAndTags() {
        for emoji in [
            "\u{1F469}\u{200D}\u{1F4BB}", "\u{2764}\u{FE0F}", "1\u{FE0F}\u{20E3}",
            "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
            "\u{1F3F3}\u{FE0F}\u{200D}\u{1F308}", "\u{1F9D1}\u{1F3FD}\u{200D}\u{1F680}",
        ] {
            #expect(SafeText.revealing(emoji + " laptop") == emoji + " laptop")
        }
        #expect(
            SafeText.revealing("\u{1F469}\u{200D}") == "\u{1F469}<U+200D>", "a joiner to nothing")
    }
}
