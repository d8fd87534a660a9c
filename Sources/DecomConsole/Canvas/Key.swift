/// A key as the console's `reduce` sees it, whatever terminal it came from.
public enum Key: Sendable, Hashable {
    /// A printable character (letters, digits, punctuation, space, any Unicode text).
    case char(Character)
    /// Ctrl with a letter: `.ctrl("c")` is Ctrl-C.
    case ctrl(Character)
    /// Alt (Meta) with a character: `.alt("b")` is Alt-B, which terminals send as Esc then b.
    /// Esc pressed quickly before `b` looks the same, so only a prompt reads it as Alt;
    /// elsewhere it is Esc, then the character.
    case alt(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, tab, backTab, delete, insert
    case function(Int)
    /// The terminal changed size; the new size comes with the next render.
    case resize
    /// A click or a turn of the wheel, reported only while the mouse is on (the config's
    /// `mouse`, on by default).
    case mouse(MouseEvent)
}
