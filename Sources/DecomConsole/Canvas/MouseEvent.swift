/// What the mouse did, and at which cell of the screen (0-based, from the top left).
///
/// Only a press of the left button and the wheel are reported: a click moves the cursor to its
/// row or, in the mark column, toggles the row's mark; the wheel scrolls, as htop and k9s use
/// them. While a terminal reports the mouse, its own text selection takes Shift with the drag
/// in most terminals (xterm, GNOME Terminal, Konsole, kitty, WezTerm, foot).
public struct MouseEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The left button went down.
        case press
        /// The wheel turned away from the user (the view moves up).
        case wheelUp
        /// The wheel turned towards the user (the view moves down).
        case wheelDown
    }

    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}
