import CNCursesW
import DecomConsole
import Testing

@testable import CursesTerminal

@Suite struct KeyDecoderTests {
    @Test func mouseEventsBecomeMouseKeys() {
        // The events asked for decode to a button; nothing decodes to none.
        let press = decom_mouse_button(decom_mouse_events())
        #expect(press == 1)
        #expect(decom_mouse_button(0) == 0)
        #expect(
            KeyDecoder.mouse(button: press, x: 4, y: 7) == .mouse(MouseEvent(.press, x: 4, y: 7)))
        #expect(KeyDecoder.mouse(button: 4, x: 0, y: 0) == .mouse(MouseEvent(.wheelUp, x: 0, y: 0)))
        #expect(
            KeyDecoder.mouse(button: 5, x: 1, y: 2) == .mouse(MouseEvent(.wheelDown, x: 1, y: 2)))
        // Releases, other buttons and cells off the screen are ignored.
        #expect(KeyDecoder.mouse(button: 0, x: 1, y: 1) == nil)
        #expect(KeyDecoder.mouse(button: 1, x: -1, y: 1) == nil)
    }

    @Test func controlCodesBecomeKeys() {
        #expect(KeyDecoder.key(character: 3) == .ctrl("c"))
        #expect(KeyDecoder.key(character: 9) == .tab)
        #expect(KeyDecoder.key(character: 13) == .enter)
        #expect(KeyDecoder.key(character: 27) == .escape)
        #expect(KeyDecoder.key(character: 127) == .backspace)
        #expect(KeyDecoder.key(character: UInt32(("界" as Unicode.Scalar).value)) == .char("界"))
    }

    @Test func everyCtrlLetterIsNamedByItsLetter() {
        // 8, 9, 10, 13 and 27 are Backspace, Tab, Enter, Enter and Escape in raw mode.
        let named: [UInt32: Key] = [8: .backspace, 9: .tab, 10: .enter, 13: .enter]
        for code in UInt32(1)...26 {
            let letter = Character(Unicode.Scalar(96 + code)!)
            #expect(KeyDecoder.key(character: code) == named[code] ?? .ctrl(letter), "code \(code)")
        }
        #expect(KeyDecoder.key(character: 1) == .ctrl("a"))
        #expect(KeyDecoder.key(character: 26) == .ctrl("z"))
    }

    @Test func otherControlCodesAreIgnored() {
        for code: UInt32 in [0, 28, 29, 30, 31, 0x80, 0x9B, 0x9F] {
            #expect(KeyDecoder.key(character: code) == nil, "code \(code)")
        }
    }

    @Test func printableTextIsACharacter() {
        #expect(KeyDecoder.key(character: 32) == .char(" "))
        #expect(KeyDecoder.key(character: 0x41) == .char("A"))
        #expect(KeyDecoder.key(character: 0x7E) == .char("~"))
        #expect(KeyDecoder.key(character: 0xA0) == .char("\u{A0}"))
        #expect(KeyDecoder.key(character: 0xE9) == .char("é"))
        #expect(KeyDecoder.key(character: 0x1F600) == .char("😀"))
    }

    @Test func codesThatAreNotScalarsAreIgnored() {
        #expect(KeyDecoder.key(character: 0xD800) == nil, "a lone surrogate")
        #expect(KeyDecoder.key(character: 0x11_0000) == nil, "past the last code point")
    }

    @Test func functionKeyCodes() {
        let expected: [(Int32, Key)] = [
            (KEY_UP, .up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right),
            (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown), (KEY_HOME, .home), (KEY_END, .end),
            (KEY_FIND, .home), (KEY_SELECT, .end), (KEY_BTAB, .backTab), (KEY_DC, .delete),
            (KEY_IC, .insert), (KEY_BACKSPACE, .backspace), (KEY_ENTER, .enter),
            (KEY_RESIZE, .resize),
        ]
        for (code, key) in expected {
            #expect(KeyDecoder.key(function: code) == key, "code \(code)")
        }
    }

    @Test func numberedFunctionKeys() {
        let f0 = decom_key_f0()
        #expect(KeyDecoder.key(function: f0 + 1) == .function(1))
        #expect(KeyDecoder.key(function: f0 + 5) == .function(5))
        #expect(KeyDecoder.key(function: f0 + 12) == .function(12))
        #expect(KeyDecoder.key(function: f0 + 63) == .function(63))
        #expect(KeyDecoder.key(function: f0) == nil, "F0 is not a key")
        #expect(KeyDecoder.key(function: f0 + 64) == nil)
    }

    @Test func unknownFunctionCodesAreIgnored() {
        #expect(KeyDecoder.key(function: KEY_MOUSE) == nil)
        #expect(KeyDecoder.key(function: KEY_HELP) == nil)
        #expect(KeyDecoder.key(function: 0) == nil)
    }

    @Test func altAndCtrlArrowsMoveByWords() {
        let base = KeySequences.altBase
        let keys = KeySequences.altSequences.indices.map {
            KeyDecoder.key(function: base + Int32($0))
        }
        #expect(keys == KeySequences.altSequences.map { .alt($0.key) })
        #expect(
            Set(KeySequences.altSequences.map(\.sequence))
                .isSuperset(of: ["\u{1b}b", "\u{1b}f", "\u{1b}[1;5D", "\u{1b}[1;5C"]))
        #expect(KeyDecoder.key(function: base + Int32(KeySequences.altSequences.count)) == nil)
    }

    @Test func fallbackSequencesCoverTheKeysVt100Lacks() {
        let codes = Set(KeySequences.fallbacks.map(\.code))
        let f0 = decom_key_f0()
        for code in [KEY_HOME, KEY_END, KEY_PPAGE, KEY_NPAGE, KEY_DC, KEY_IC, KEY_BTAB, f0 + 5] {
            #expect(codes.contains(code), "code \(code)")
        }
        for n in Int32(1)...12 { #expect(codes.contains(f0 + n), "F\(n)") }
        let sequences = KeySequences.fallbacks.map(\.sequence)
        #expect(Set(sequences).count == sequences.count, "no sequence bound twice")
        #expect(sequences.allSatisfy { $0.hasPrefix("\u{1b}") })
    }
}
