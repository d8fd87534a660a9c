import Foundation
import Testing

@testable import DecomCore

struct SafeTextTests {
    @Test func escapeAndCSIBecomeVisible() {
        #expect(SafeText.visible("\u{1B}[2J\u{1B}[31mred") == "^[[2J^[[31mred")
    }

    @Test func oscTitleClipboardAndHyperlinkPayloadsAreDefused() {
        // OSC 0 sets the window title, OSC 52 writes the clipboard, OSC 8 makes a link.
        #expect(SafeText.visible("\u{1B}]0;owned\u{07}") == "^[]0;owned^G")
        #expect(SafeText.visible("\u{1B}]52;c;cm0gLXJmIC8=\u{07}") == "^[]52;c;cm0gLXJmIC8=^G")
        #expect(
            SafeText.visible("\u{1B}]8;;http://evil\u{1B}\\click\u{1B}]8;;\u{1B}\\")
                == "^[]8;;http://evil^[\\click^[]8;;^[\\")
    }

    @Test func c1ControlsShowAsCodePoints() {
        #expect(SafeText.visible("a\u{9B}31mb") == "a<U+009B>31mb")
        #expect(SafeText.visible("\u{85}\u{9D}") == "<U+0085><U+009D>")
    }

    @Test func delBackspaceCarriageReturnAndOtherC0() {
        #expect(SafeText.visible("a\u{7F}b") == "a^?b")
        #expect(SafeText.visible("paid\u{08}\u{08}\u{08}\u{08}due") == "paid^H^H^H^Hdue")
        #expect(SafeText.visible("ok\rFAIL") == "ok^MFAIL")
        #expect(SafeText.visible("a\nb\tc\u{0}") == "a^Jb^Ic^@")
    }

    @Test func bidiOverridesAndSeparatorsAreVisible() {
        #expect(SafeText.visible("invoice\u{202E}fdp.exe") == "invoice<U+202E>fdp.exe")
        #expect(SafeText.visible("\u{2066}x\u{2069}") == "<U+2066>x<U+2069>")
        #expect(SafeText.visible("a\u{200F}b\u{2028}c") == "a<U+200F>b<U+2028>c")
    }

    @Test(arguments: [
        "LT-PAR-00421", "Réception Zoë", "Bürorechner Jürgen", "会議室タブレット", "Kiosk ☕ Café",
        "📦 Spare stock", "👩🏽‍💻 dev", "e\u{301}", "", "a b  c", "עברית", "العربية",
    ])
    func normalTextIsUnchanged(_ text: String) {
        #expect(SafeText.visible(text) == text)
    }

    /// The noncharacters are computed, not looked up: the same set as Unicode's property, on
    /// every code point.
    @Test func needsEscapeNamesEveryNoncharacterAsUnicodeDoes() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if scalar.properties.isNoncharacterCodePoint {
                #expect(SafeText.needsEscape(scalar), "U+\(String(value, radix: 16))")
            } else if value >= 0xA0 && !(0x2000...0x2100).contains(value) && value != 0x061C {
                #expect(!SafeText.needsEscape(scalar), "U+\(String(value, radix: 16))")
            }
        }
    }

    @Test func needsEscapeCoversTheRanges() {
        #expect(SafeText.needsEscape("\u{1B}"))
        #expect(SafeText.needsEscape("\u{9F}"))
        #expect(!SafeText.needsEscape("\u{A0}"))
        #expect(!SafeText.needsEscape(" "))
        #expect(!SafeText.needsEscape("~"))
        #expect(SafeText.visible(nil as String?) == nil)
        #expect(SafeText.visible("\u{1B}" as String?) == "^[")
    }

    @Test func jsonKeepsItsSyntaxAndEscapesWhatATerminalWouldObey() throws {
        let text = "a\u{9B}31m\u{202E}b\u{2028}c\u{061C}d\u{7F}é"
        let json = String(
            decoding: try JSONEncoder().encode(["name": text, "n": "x\ny"]), as: UTF8.self)
        let escaped = SafeText.escapingJSON(json)
        #expect(!escaped.unicodeScalars.contains { $0.value >= 0x20 && SafeText.needsEscape($0) })
        #expect(escaped.contains("\\u202e") && escaped.contains("\\u2028"))
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(escaped.utf8))
        #expect(decoded == ["name": text, "n": "x\ny"], "a JSON reader gets the same strings")
        #expect(SafeText.jsonEscape("\u{1B}") == "\\u001b")
    }
}
