import Foundation

/// A line being typed at a prompt, with a cursor, edited with the readline keys admins' fingers
/// know (GNU readline's emacs mode, as bash and zsh bind it).
///
/// The cursor counts grapheme clusters (Swift `Character`s), so it never stands inside an
/// accented letter, an emoji sequence or a flag, and one Left passes one of them whatever its
/// width. A word (Ctrl-W, Alt-B, Alt-F) is what readline's `unix-word-rubout` and
/// `backward-word` take: Ctrl-W goes back over spaces, then to the previous space; Alt-B and
/// Alt-F stop at the edges of runs of letters and digits.
public struct LineEdit: Sendable, Hashable {
    public internal(set) var text: String
    /// Characters before the cursor: 0 is the start, `text.count` the end.
    public internal(set) var cursor: Int

    public init(_ text: String = "") {
        self.text = text
        cursor = text.count
    }

    /// The text before the cursor.
    public var beforeCursor: Substring { text.prefix(cursor) }
    /// The text from the cursor on.
    public var afterCursor: Substring { text.dropFirst(cursor) }

    /// What a key did to the line.
    public enum Outcome: Sendable, Hashable {
        /// The text changed.
        case edited
        /// Only the cursor moved (or the key was an edit that had nothing to act on).
        case moved
        /// Not an editing key: the prompt decides.
        case ignored
    }

    /// Applies an editing key. Enter, Esc, Tab, Up and Down are the prompt's.
    public mutating func apply(_ key: Key) -> Outcome {
        let chars = Array(text)
        switch key {
        case .char(let c):
            insert(String(c))
            return .edited
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(chars.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = chars.count
        case .alt("b"): cursor = Self.wordStart(chars, before: cursor)
        case .alt("f"): cursor = Self.wordEnd(chars, after: cursor)
        case .backspace:
            guard cursor > 0 else { return .moved }
            return replace(cursor - 1..<cursor, in: chars)
        case .delete, .ctrl("d"):
            guard cursor < chars.count else { return .moved }
            return replace(cursor..<cursor + 1, in: chars)
        case .ctrl("w"):
            var start = cursor
            while start > 0 && chars[start - 1] == " " { start -= 1 }
            while start > 0 && chars[start - 1] != " " { start -= 1 }
            return replace(start..<cursor, in: chars)
        case .ctrl("u"): return replace(0..<cursor, in: chars)
        case .ctrl("k"): return replace(cursor..<chars.count, in: chars)
        default: return .ignored
        }
        return .moved
    }

    /// Puts text at the cursor and moves the cursor after it.
    public mutating func insert(_ inserted: String) {
        let chars = Array(text)
        text = String(chars[..<cursor]) + inserted + String(chars[cursor...])
        // Counted in the whole text: an inserted combining mark joins the character before.
        cursor = min(text.count, (String(chars[..<cursor]) + inserted).count)
    }

    /// Replaces the whole line, the cursor at its end.
    public mutating func set(_ newText: String) {
        text = newText
        cursor = newText.count
    }

    private mutating func replace(_ range: Range<Int>, in chars: [Character]) -> Outcome {
        guard !range.isEmpty else { return .moved }
        text = String(chars[..<range.lowerBound]) + String(chars[range.upperBound...])
        cursor = min(range.lowerBound, text.count)
        return .edited
    }

    private static func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber }

    /// Readline's `backward-word`: back over non-word characters, then to the word's start.
    static func wordStart(_ chars: [Character], before position: Int) -> Int {
        var i = position
        while i > 0 && !isWord(chars[i - 1]) { i -= 1 }
        while i > 0 && isWord(chars[i - 1]) { i -= 1 }
        return i
    }

    /// Readline's `forward-word`: on over non-word characters, then to the word's end.
    static func wordEnd(_ chars: [Character], after position: Int) -> Int {
        var i = position
        while i < chars.count && !isWord(chars[i]) { i += 1 }
        while i < chars.count && isWord(chars[i]) { i += 1 }
        return i
    }
}
