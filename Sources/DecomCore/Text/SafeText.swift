/// Makes text that came from devices or imports safe to print on a terminal.
///
/// Device names, comments, labels and serials come from agents and import files that an
/// attacker may control. Every control character (C0, DEL, C1), and every bidirectional
/// override or isolate, is replaced by a visible stand-in, so no escape sequence, carriage
/// return or reordering reaches the terminal: ESC shows as `^[`, other C0 controls as `^X`,
/// DEL as `^?`, C1 controls and format controls as `<U+XXXX>`.
public enum SafeText {
    public static func visible(_ text: String) -> String {
        replacing(text, where: needsEscape, with: stand(in:))
    }

    /// JSON text with the same scalars written as `\uXXXX`, so that device text cannot drive a
    /// terminal through JSON either; a JSON reader gets the same strings back. The C0 controls
    /// are left alone: a JSON encoder escapes them inside strings, and outside them they are
    /// the JSON's own line breaks and indentation.
    public static func escapingJSON(_ json: String) -> String {
        replacing(json, where: { $0.value >= 0x20 && needsEscape($0) }, with: jsonEscape)
    }

    /// A scalar as a JSON escape: `\u001b`; beyond the Basic Multilingual Plane as its
    /// UTF-16 surrogate pair (RFC 8259, section 7): `\ud83f\udffe` for U+1FFFE, a
    /// noncharacter. One `\u` takes four hex digits only, so `\u1fffe` would read as U+1FFF
    /// followed by `e`.
    public static func jsonEscape(_ s: Unicode.Scalar) -> String {
        func unit(_ value: UInt32) -> String {
            let hex = String(value, radix: 16)
            return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        guard s.value > 0xFFFF else { return unit(s.value) }
        let offset = s.value - 0x10000
        return unit(0xD800 + (offset >> 10)) + unit(0xDC00 + (offset & 0x3FF))
    }

    private static func replacing(
        _ text: String, where escape: (Unicode.Scalar) -> Bool,
        with standIn: (Unicode.Scalar) -> String
    ) -> String {
        guard text.unicodeScalars.contains(where: escape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard escape(scalar) else {
                out.append(scalar)
                continue
            }
            out.append(contentsOf: standIn(scalar).unicodeScalars)
        }
        return String(out)
    }

    public static func visible(_ text: String?) -> String? { text.map { visible($0) } }

    /// A message of several lines made safe line by line: its line feeds stay, every other
    /// scalar that ``needsEscape(_:)`` names gets its stand-in. For messages that carry text
    /// from arguments or files whose own line breaks were already escaped.
    public static func visibleLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { visible(String($0)) }
            .joined(separator: "\n")
    }

    /// Device text for the places where an admin decides (confirmation dialogs, the details
    /// pane, result views, the CLI's plan and confirmation): ``visible(_:)``, and every
    /// invisible character shown as `<U+XXXX>` too, so that `ab\u{200B}cd` cannot pass for
    /// `abcd`.
    ///
    /// Invisible: format characters (Unicode category Cf: U+200B, U+200C, U+200D, U+2060,
    /// U+FEFF, U+00AD…) and default-ignorable code points (variation selectors, Hangul
    /// fillers, U+034F). Left alone where an emoji sequence needs them (UTS #51): U+200D
    /// between two emoji, U+FE0E/U+FE0F after an emoji, and tags in a tag sequence after
    /// U+1F3F4, since they change what is drawn (`👩‍💻`, `❤️`, `🏴󠁧󠁢󠁳󠁣󠁴󠁿`).
    ///
    /// `marking` wraps each stand-in of an invisible character (the console draws it in a
    /// style of its own, so that no literal `<U+200B>` in a name can pass for one).
    public static func revealing(_ text: String, marking: (String) -> String = { $0 }) -> String {
        let safe = visible(text)
        guard safe.unicodeScalars.contains(where: isInvisible) else { return safe }
        var out = String.UnicodeScalarView()
        for character in safe {
            let scalars = Array(character.unicodeScalars)
            for (index, scalar) in scalars.enumerated() {
                if isInvisible(scalar) && !isPartOfEmoji(scalars, index) {
                    out.append(contentsOf: marking(stand(in: scalar)).unicodeScalars)
                } else {
                    out.append(scalar)
                }
            }
        }
        return String(out)
    }

    public static func revealing(_ text: String?) -> String? { text.map { revealing($0) } }

    /// Whether a scalar draws nothing: a format character or a default-ignorable code point.
    public static func isInvisible(_ s: Unicode.Scalar) -> Bool {
        s.properties.generalCategory == .format || s.properties.isDefaultIgnorableCodePoint
    }

    /// Whether the invisible scalar at `index` of a grapheme cluster belongs to an emoji
    /// sequence.
    private static func isPartOfEmoji(_ scalars: [Unicode.Scalar], _ index: Int) -> Bool {
        guard index > 0, scalars[0].properties.isEmoji else { return false }
        let v = scalars[index].value
        let previous = scalars[index - 1]
        switch v {
        case 0x200D:
            guard index + 1 < scalars.count else { return false }
            return scalars[index + 1].properties.isEmoji
                && (previous.properties.isEmoji || previous.value == 0xFE0F
                    || previous.properties.isEmojiModifier)
        case 0xFE0E, 0xFE0F:
            return previous.properties.isEmoji
        case 0xE0020...0xE007F:
            return scalars[0].value == 0x1F3F4 && scalars.last?.value == 0xE007F
        default:
            return false
        }
    }

    /// Whether a scalar must not reach a terminal as it is.
    public static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return true }
        // Bidirectional embeddings, overrides and isolates; zero-width marks that reorder.
        if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) { return true }
        if v == 0x200E || v == 0x200F || v == 0x061C { return true }
        // Line and paragraph separators move the cursor on some terminals.
        if v == 0x2028 || v == 0x2029 { return true }
        // Noncharacters are for a program's own use, not for interchange (the console marks
        // text with two of them): U+FDD0 to U+FDEF and the last two code points of every plane
        // (Unicode 15, section 23.7), computed rather than looked up, since every scalar of
        // every listing passes here.
        if (0xFDD0...0xFDEF).contains(v) || v & 0xFFFE == 0xFFFE { return true }
        return false
    }

    static func stand(in s: Unicode.Scalar) -> String {
        let v = s.value
        if v < 0x20 { return "^" + String(UnicodeScalar(UInt8(v + 0x40))) }
        if v == 0x7F { return "^?" }
        let hex = String(v, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }
}
