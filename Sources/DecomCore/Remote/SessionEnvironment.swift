/// What an SSH visitor may put into the environment of their console.
///
/// The child's environment is built from scratch; from the visitor come only TERM (from the
/// `pty-req`) and the `env` requests named here, with non-empty values of plain characters
/// (issue 12). Everything else (`DECOM_*`, `LD_*`, `PATH`, `HOME`) is refused: the role, user
/// and database come from the server's own decisions through argv, never from the visitor.
public enum SessionEnvironment {
    /// Whether an `env` request of `name=value` is accepted: `LANG`, `LC_*` (`LC_ALL`,
    /// `LC_CTYPE`, ...), `COLORTERM` and `NO_COLOR`, with a value of 1 to 64 letters, digits,
    /// `.`, `_`, `-` or `@`.
    public static func accepts(name: String, value: String) -> Bool {
        guard isAllowedName(name) else { return false }
        return isPlain(value, max: 64, extra: ["@"])
    }

    /// How many variables one session may set: the locale categories and two more.
    public static let maximumCount = 16

    /// The names an `env` request may set.
    public static func isAllowedName(_ name: String) -> Bool {
        if name == "LANG" || name == "COLORTERM" || name == "NO_COLOR" { return true }
        guard name.hasPrefix("LC_"), (4...24).contains(name.count) else { return false }
        return name.dropFirst(3).unicodeScalars.allSatisfy { ("A"..."Z").contains($0) }
    }

    /// The TERM a console gets from a `pty-req`: the client's value when it is 1 to 64
    /// letters, digits, `.`, `_`, `-` or `+` (terminfo names such as `xterm-256color`,
    /// `xterm-ghostty`, `screen.xterm`), else `xterm-256color`. The console falls back further
    /// by itself when terminfo does not know the name.
    public static func terminal(fromRequest term: String) -> String {
        isPlain(term, max: 64, extra: ["+"]) ? term : "xterm-256color"
    }

    private static func isPlain(_ text: String, max: Int, extra: Set<Unicode.Scalar>) -> Bool {
        let scalars = text.unicodeScalars
        guard (1...max).contains(scalars.count) else { return false }
        return scalars.allSatisfy { s in
            switch s {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": true
            default: extra.contains(s)
            }
        }
    }
}
