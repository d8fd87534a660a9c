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

    /// Alt with a letter arrives as Esc and the letter (xterm's `metaSendsEscape`, the
    /// default of tmux, screen, GNOME Terminal and macOS Terminal's "Use Option as Meta").
    /// Esc typed fast before `b` arrives the same way: outside a prompt the console takes an
    /// Alt key as the two keys (``Key/alt(_:)``). Only `b` and `f`, which no table key uses,
    /// so an Esc that leaves a prompt never turns the next key into an edit.
    /// Ctrl-Left and Ctrl-Right (xterm's `CSI 1;5D`, `CSI 1;5C`) move by words as Alt-B and
    /// Alt-F do, as bash binds them. Each gets a code of its own above ncurses's `KEY_MAX`.
    static let altSequences: [(sequence: String, key: Character)] = [
        ("\u{1b}b", "b"), ("\u{1b}f", "f"),
        ("\u{1b}[1;5D", "b"), ("\u{1b}[1;5C", "f"), ("\u{1b}[1;3D", "b"), ("\u{1b}[1;3C", "f"),
    ]
    static let altBase: Int32 = 0x2000

    /// Binds every fallback that terminfo left free (`key_defined` gives 0).
    static func bindFallbacks() {
        for (sequence, code) in fallbacks where key_defined(sequence) == 0 {
            define_key(sequence, code)
        }
        for (n, alt) in altSequences.enumerated() where key_defined(alt.sequence) == 0 {
            define_key(alt.sequence, altBase + Int32(n))
        }
    }

    /// The Alt key a code stands for: one bound above, or one the terminfo entry names (an
    /// xterm entry knows Ctrl-Left as `kLFT5`, with a code ncurses chose).
    static func alt(code: Int32) -> Character? {
        if code >= altBase, code < altBase + Int32(altSequences.count) {
            return altSequences[Int(code - altBase)].key
        }
        guard code > 0 else { return nil }
        return altSequences.first { key_defined($0.sequence) == code }?.key
    }
}
