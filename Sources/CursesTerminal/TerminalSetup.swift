import CNCursesW
import DecomConsole
import Glibc

/// The choices made while opening the terminal, kept apart from ncurses where they can be.
enum TerminalSetup {
    /// The terminal types to try, in order: `TERM` (SSH from kitty or ghostty sends one the
    /// server may not know), then `xterm-256color`, then `vt100`.
    static func terminalCandidates(environment: [String: String]) -> [String] {
        var candidates: [String] = []
        if let term = environment["TERM"], !term.isEmpty { candidates.append(term) }
        for fallback in ["xterm-256color", "vt100"] where !candidates.contains(fallback) {
            candidates.append(fallback)
        }
        return candidates
    }

    /// Sets the locale from the environment and returns whether it is UTF-8. SSH often sends no
    /// `LANG`, which leaves the C locale: then `C.UTF-8` is tried before giving up on Unicode.
    static func prepareLocale() -> Bool {
        setlocale(LC_ALL, "")
        if codesetIsUTF8() { return true }
        guard setlocale(LC_ALL, "C.UTF-8") != nil else { return false }
        return codesetIsUTF8()
    }

    private static func codesetIsUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// The colour depth to draw with (issue 4): `NO_COLOR` with any value, even empty, means
    /// attributes alone; true colour needs both a direct-colour terminfo entry (`COLORS` of
    /// 2^24) and `COLORTERM` of `truecolor` or `24bit`; then 256, then 16 (8 colours count as
    /// 16, the bright half drawn with the dark half).
    static func colorDepth(
        environment: [String: String], hasColors: Bool, colors: Int
    ) -> ColorDepth {
        if environment["NO_COLOR"] != nil || !hasColors { return .none }
        let colorTerm = environment["COLORTERM"]?.lowercased() ?? ""
        if colors >= directColorCount, colorTerm == "truecolor" || colorTerm == "24bit" {
            return .trueColor
        }
        if colors >= 256 { return .colors256 }
        if colors >= 8 { return .colors16 }
        return .none
    }

    /// The attributes a terminal shows, from ncurses' `term_attrs()`: vt100 has no dim or
    /// italic, and ncurses drops what the terminal lacks without a word.
    static func supportedAttributes(terminal: attr_t) -> TextAttributes {
        var supported: TextAttributes = []
        for bit in 0..<5 {
            let attribute = TextAttributes(rawValue: 1 << bit)
            if decom_attributes(UInt32(attribute.rawValue)) & terminal != 0 {
                supported.insert(attribute)
            }
        }
        return supported
    }

    /// `COLORS` of a direct-colour terminfo entry (`xterm-direct`): colour numbers are packed RGB.
    static let directColorCount = 1 << 24
}
