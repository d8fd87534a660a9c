/// Why ``CursesScreen/open(environment:)`` could not open the terminal.
public enum CursesScreenError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Standard input or output is not a terminal (a pipe, a file, a cron job).
    case notATerminal
    /// Neither `TERM` nor the fallbacks are known to terminfo.
    case unknownTerminal(tried: [String])
    /// The terminal's description has no cursor addressing (`TERM=dumb`, an editor's shell).
    case cannotMoveCursor(terminal: String)
    /// Another ``CursesScreen`` is open and not yet shut down.
    case alreadyOpen
    /// A system call failed while preparing the terminal.
    case system(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .notATerminal:
            return "standard input and output must be a tty"
        case .unknownTerminal(let tried):
            return "no terminal description found in terminfo for "
                + tried.map { "'\($0)'" }.joined(separator: ", ")
        case .cannotMoveCursor(let terminal):
            return "terminal type '\(terminal)' cannot move the cursor; run decom's console in"
                + " a terminal emulator, or set TERM to its type (such as xterm-256color)"
        case .alreadyOpen:
            return "the terminal is already open"
        case .system(let call, let errno):
            return "\(call) failed (errno \(errno))"
        }
    }
}
