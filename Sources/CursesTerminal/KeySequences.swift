import CNCursesW

/// Escape sequences the common terminals send for keys that a terminfo entry may not list:
/// tmux and screen send `ESC [1~` for Home where xterm-256color expects `ESC OH`, and the
/// `vt100` fallback (an unknown `TERM` over SSH) knows no Page Up, Home, End, Delete or F5.
/// Each is bound only when terminfo left it free, so a terminal's own entry always wins.
enum KeySequences {
    static let fallbacks: [(sequence: String, code: Int32)] = {
        var table: [(String, Int32)] = [
            ("\u{1b}[A", KEY_UP), ("\u{1b}[B", KEY_DOWN),
            ("\u{1b}[C", KEY_RIGHT), ("\u{1b}[D", KEY_LEFT),
            ("\u{1b}OA", KEY_UP), ("\u{1b}OB", KEY_DOWN),
            ("\u{1b}OC", KEY_RIGHT), ("\u{1b}OD", KEY_LEFT),
            ("\u{1b}[1~", KEY_HOME), ("\u{1b}[7~", KEY_HOME),
            ("\u{1b}[H", KEY_HOME), ("\u{1b}OH", KEY_HOME),
            ("\u{1b}[4~", KEY_END), ("\u{1b}[8~", KEY_END),
            ("\u{1b}[F", KEY_END), ("\u{1b}OF", KEY_END),
            ("\u{1b}[2~", KEY_IC), ("\u{1b}[3~", KEY_DC),
            ("\u{1b}[5~", KEY_PPAGE), ("\u{1b}[6~", KEY_NPAGE),
            ("\u{1b}[Z", KEY_BTAB),
        ]
        let f0 = decom_key_f0()
        for (n, letter) in ["P", "Q", "R", "S"].enumerated() {
            table.append(("\u{1b}O" + letter, f0 + Int32(n) + 1))
        }
        for (n, code) in [15, 17, 18, 19, 20, 21, 23, 24].enumerated() {
            table.append(("\u{1b}[\(code)~", f0 + Int32(n) + 5))
        }
        return table
    }()

    /// Binds every fallback that terminfo left free (`key_defined` gives 0).
    static func bindFallbacks() {
        for (sequence, code) in fallbacks where key_defined(sequence) == 0 {
            define_key(sequence, code)
        }
    }
}
