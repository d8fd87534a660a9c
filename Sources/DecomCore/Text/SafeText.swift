/// Makes text that came from devices or imports safe to print on a terminal.
///
/// Device names, comments, labels and serials come from agents and import files that an
/// attacker may control. Every control character (C0, DEL, C1), and every bidirectional
/// override or isolate, is replaced by a visible stand-in, so no escape sequence, carriage
/// return or reordering reaches the terminal: ESC shows as `^[`, other C0 controls as `^X`,
/// DEL as `^?`, C1 controls and format controls as `<U+XXXX>`.
public enum SafeText {
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.append(scalar)
                continue
            }
            out.append(contentsOf: stand(in: scalar).unicodeScalars)
        }
        return String(out)
    }

    public static func visible(_ text: String?) -> String? { text.map { visible($0) } }

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
