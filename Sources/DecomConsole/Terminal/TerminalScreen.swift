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
    /// Set when a signal asked the console to leave, or the terminal went away.
    var interruption: TerminalInterruption? { get }
    /// Restores the terminal as it was. Safe to call twice.
    func shutdown()
    /// Sends the text to the terminal's clipboard (``Clipboard``) with the next frame; only
    /// called when ``TerminalCapabilities/clipboard`` is true.
    func copyToClipboard(_ text: String)
    /// Whether ``suspend()`` can give the terminal back to a shell (one with job control
    /// started decom).
    var canSuspend: Bool { get }
    /// Restores the terminal, stops the process until `fg` resumes it, then redraws.
    func suspend()
}

extension TerminalScreen {
    /// A terminal without a clipboard ignores the copy.
    public func copyToClipboard(_ text: String) {}
    /// A screen with no shell behind it cannot suspend.
    public var canSuspend: Bool { false }
    public func suspend() {}
}

/// What the terminal can show.
public struct TerminalCapabilities: Sendable, Hashable {
    public var colorDepth: ColorDepth
    /// Whether the locale is UTF-8: when false, borders and marks are drawn in ASCII.
    public var unicode: Bool
    /// How wide the terminal draws each kind of emoji sequence (measured when it opened).
    public var emoji: EmojiWidths
    /// Whether copies go to the clipboard through OSC 52 (``Clipboard/accepts(terminalType:environment:)``);
    /// when false the console shows what it would copy in a dialog.
    public var clipboard: Bool

    public init(
        colorDepth: ColorDepth, unicode: Bool, emoji: EmojiWidths = .unicode,
        clipboard: Bool = false
    ) {
        self.colorDepth = colorDepth
        self.unicode = unicode
        self.emoji = emoji
        self.clipboard = clipboard
    }
}

/// Why the console left before the admin quit: a signal, or the terminal gone (end of file,
/// hang-up or an I/O error on it, which count as SIGHUP).
public struct TerminalInterruption: Sendable, Hashable {
    /// The signal's number; SIGHUP for a terminal that went away.
    public var signal: Int32

    public init(signal: Int32) { self.signal = signal }

    /// The exit status a shell reports for a program a signal ended: 128 + the signal.
    public var exitStatus: Int32 { 128 + signal }
}
