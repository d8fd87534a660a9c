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

    /// A scalar of the Basic Multilingual Plane as a JSON escape: `\u001b`.
    public static func jsonEscape(_ s: Unicode.Scalar) -> String {
        let hex = String(s.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
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

    /// Whether a scalar must not reach a terminal as it is.
    public static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return true }
        // Bidirectional embeddings, overrides and isolates; zero-width marks that reorder.
        if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) { return true }
        if v == 0x200E || v == 0x200F || v == 0x061C { return true }
        // Line and paragraph separators move the cursor on some terminals.
        if v == 0x2028 || v == 0x2029 { return true }
        return false
    }

    private static func stand(in s: Unicode.Scalar) -> String {
        let v = s.value
        if v < 0x20 { return "^" + String(UnicodeScalar(UInt8(v + 0x40))) }
        if v == 0x7F { return "^?" }
        let hex = String(v, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }
}
