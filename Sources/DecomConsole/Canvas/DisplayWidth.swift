/// How many terminal columns text takes: 2 for wide characters (CJK, emoji presentation),
/// 0 for combining marks and zero-width joiners, 1 otherwise; an emoji sequence as wide as
/// the terminal draws it (``EmojiWidths``, set by `render` for the terminal at hand).
public enum DisplayWidth {
    /// The widths of emoji sequences on the terminal being drawn for.
    @TaskLocal public static var emoji = EmojiWidths.unicode

    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.count == 1 { return of(first) }
        if let kind = EmojiWidths.kind(of: character) {
            return emoji.width(of: character, kind: kind)
        }
        // A base and its combining marks, or conjoining Hangul jamo: the columns of the
        // spacing code points (U+1100 gives 2, its vowel and final 0).
        return max(of(first), scalars.dropFirst().reduce(of(first)) { $0 + of($1) })
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x7F { return v < 0x20 ? 0 : 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || scalar.properties.isNoncharacterCodePoint { return 0 }
        // Hangul jamo vowels and finals join the initial before them.
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        if isWideEastAsian(v) { return 2 }
        return 1
    }

    public static func of(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// East Asian Wide and Fullwidth ranges (Unicode's EastAsianWidth.txt, W and F).
    static func isWideEastAsian(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E,
            0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
            0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
            0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF, 0x20000...0x2FFFD,
            0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
