import Foundation

/// Text as decom writes it into a CSV cell, and back: no cell drives a terminal or a
/// spreadsheet, and decom's own import reads every cell back exactly.
///
/// - Control text: every scalar that ``SafeText/needsEscape(_:)`` names (C0 controls, line
///   breaks and tabs included, DEL, C1 controls, bidirectional controls, line and paragraph
///   separators) is written `\u{1B}`, Swift's notation, so `decom export | less -R` or
///   `| head` on a terminal shows text and runs no escape sequence. A `\` is written
///   `\u{5C}` only where the text after it would otherwise read as such an escape; every other
///   `\` (Windows paths, `DOMAIN\user`) stays as it is.
/// - Formulas (OWASP's CSV injection advice): a cell starting with `=`, `+`, `-`, `@`, tab or
///   carriage return gets a leading `'`, which spreadsheets show as text; a cell that is a plain
///   number (`-5`, `+1.5`) is left alone, since a spreadsheet reads it as that number and
///   nothing else. A cell starting with `'` followed by one of those characters or by `'`
///   also gets one, so that the import's rule is exact.
/// - Reading back: a leading `'` followed by one of `= + - @`, tab, CR or `'` is dropped, then
///   every `\u{X}` (1 to 6 hex digits naming a scalar) becomes its scalar. Nothing else
///   changes, so a hand-written file loses text only where it holds these very forms.
public enum CSVText {
    /// The cell's text before RFC 4180 quoting.
    public static func encode(_ text: String) -> String {
        // Printable ASCII but `\`: nothing to escape (most cells of a fleet).
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x5C }) {
            return isFormula(text) || isPrefixed(text) ? "'" + text : text
        }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            if SafeText.needsEscape(scalar) || (scalar == "\\" && escapeAt(scalars, index) != nil) {
                out.append(
                    contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                        .unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        let escaped = String(out)
        if isFormula(escaped) || isPrefixed(escaped) { return "'" + escaped }
        return escaped
    }

    /// The text that ``encode(_:)`` wrote as a cell.
    public static func decode(_ cell: String) -> String {
        let text = isPrefixed(cell) ? String(cell.dropFirst()) : cell
        guard text.contains("\\u{") else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\\", let (scalar, length) = escapeAt(scalars, index) {
                out.append(scalar)
                index += length
            } else {
                out.append(scalars[index])
                index += 1
            }
        }
        return String(out)
    }

    /// One CSV field (RFC 4180): `nil` is an empty cell, an empty string `""`; a cell is
    /// quoted when it holds a comma, a quote or a leading or trailing space, or was given a `'`
    /// (OWASP: quote the neutralised cell).
    public static func field(_ text: String?) -> String {
        guard let text else { return "" }
        if text.isEmpty { return "\"\"" }
        return asciiField(text) ?? scalarField(text)
    }

    /// ``field(_:)`` for printable ASCII text without `\` (most cells of a fleet), decided in
    /// one pass over its bytes; nil for any other text. The same cell as ``scalarField(_:)``
    /// (`CSVTextTests` compares them): in such text no scalar needs an escape, tab and CR
    /// cannot start it, and a character is a byte.
    static func asciiField(_ text: String) -> String? {
        var hasQuote = false
        var hasComma = false
        for byte in text.utf8 {
            guard byte >= 0x20, byte < 0x7F, byte != 0x5C else { return nil }
            if byte == 0x22 { hasQuote = true } else if byte == 0x2C { hasComma = true }
        }
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last else { return nil }
        func startsFormula(_ byte: UInt8) -> Bool {
            byte == 0x3D || byte == 0x2B || byte == 0x2D || byte == 0x40  // = + - @
        }
        var prefixed = false
        if startsFormula(first) {
            prefixed = !isPlainNumber(text)
        } else if first == 0x27, bytes.count > 1 {
            let second = bytes[bytes.index(after: bytes.startIndex)]
            prefixed = second == 0x27 || startsFormula(second)
        }
        let cell = prefixed ? "'" + text : text
        guard prefixed || hasQuote || hasComma || first == 0x20 || last == 0x20 else { return cell }
        let quoted = hasQuote ? cell.replacingOccurrences(of: "\"", with: "\"\"") : cell
        return "\"" + quoted + "\""
    }

    /// ``field(_:)`` for any non-empty text, scalar by scalar.
    static func scalarField(_ text: String) -> String {
        let cell = encode(text)
        let needsQuotes =
            isPrefixed(cell) || cell.first == " " || cell.last == " "
            || cell.unicodeScalars.contains { $0 == "," || $0 == "\"" }
        guard needsQuotes else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One CSV line of ``field(_:)``s, comma-separated, ending in a line feed.
    public static func row(_ fields: [String?]) -> String {
        var line = ""
        for (index, text) in fields.enumerated() {
            if index > 0 { line += "," }
            line += field(text)
        }
        return line + "\n"
    }

    // MARK: - Rules

    /// Code points, not characters: `=` followed by a combining mark still starts a formula.
    private static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// Whether a spreadsheet would read the cell as a formula: it starts with one of
    /// OWASP's characters and is not a plain number.
    static func isFormula(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, formulaStarts.contains(first) else {
            return false
        }
        return !isPlainNumber(text)
    }

    /// Whether the import drops the cell's first character: a `'` before a formula start or
    /// another `'`.
    static func isPrefixed(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard scalars.first == "'", let second = scalars.dropFirst().first else { return false }
        return second == "'" || formulaStarts.contains(second)
    }

    /// `-5`, `+12`, `-0.25`: a sign, digits, and at most one point between digits.
    static func isPlainNumber(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// The scalar of a `\u{X}` escape starting at `index`, and the escape's length.
    private static func escapeAt(_ s: [Unicode.Scalar], _ index: Int) -> (Unicode.Scalar, Int)? {
        guard index + 3 < s.count, s[index] == "\\", s[index + 1] == "u", s[index + 2] == "{"
        else { return nil }
        var value: UInt32 = 0
        var end = index + 3
        while end < s.count, end - (index + 3) < 6, s[end].isASCII,
            let digit = Int(String(s[end]), radix: 16)
        {
            value = value * 16 + UInt32(digit)
            end += 1
        }
        guard end > index + 3, end < s.count, s[end] == "}", let scalar = Unicode.Scalar(value)
        else { return nil }
        return (scalar, end + 1 - index)
    }
}
