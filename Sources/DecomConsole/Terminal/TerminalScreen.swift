/// What the console's runtime needs of a terminal. CursesTerminal implements it over
/// ncurses; nothing else in the console talks to the terminal.
public protocol TerminalScreen: AnyObject {
    /// The size now, in columns and lines.
    var size: (width: Int, height: Int) { get }
    var capabilities: TerminalCapabilities { get }
    /// Copies the canvas to the screen, changing only the cells that differ from the last one.
    func draw(_ canvas: Canvas)
    /// The next key, or nil when none came within the timeout.
    func readKey(timeoutMilliseconds: Int) -> Key?
    /// Set when SIGTERM, SIGHUP or SIGINT asked the console to leave.
    var interruption: TerminalInterruption? { get }
    /// Restores the terminal as it was. Safe to call twice.
    func shutdown()
}

/// What the terminal can show.
public struct TerminalCapabilities: Sendable, Hashable {
    public var colorDepth: ColorDepth
    /// Whether the locale is UTF-8: when false, borders and marks are drawn in ASCII.
    public var unicode: Bool

    public init(colorDepth: ColorDepth, unicode: Bool) {
        self.colorDepth = colorDepth
        self.unicode = unicode
    }
}

/// A signal that asked the console to leave.
public enum TerminalInterruption: Sendable, Hashable {
    case terminate, hangup, interrupt
}
