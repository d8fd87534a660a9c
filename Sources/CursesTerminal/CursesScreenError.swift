/// Why ``CursesScreen/open(environment:)`` could not open the terminal.
public enum CursesScreenError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Standard input or output is not a terminal (a pipe, a file, a cron job).
    case notATerminal
    /// Neither `TERM` nor the fallbacks are known to terminfo.
    case unknownTerminal(tried: [String])
    /// Another ``CursesScreen`` is open and not yet shut down.
    case alreadyOpen
    /// A system call failed while preparing the terminal.
    case system(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .notATerminal:
            return "decom's console needs a terminal: standard input and output must be a tty"
        case .unknownTerminal(let tried):
            return "no terminal description found in terminfo for "
                + tried.map { "'\($0)'" }.joined(separator: ", ")
        case .alreadyOpen:
            return "the terminal is already open"
        case .system(let call, let errno):
            return "\(call) failed (errno \(errno))"
        }
    }
}
