import Foundation

/// Copying to the admin's clipboard through the terminal: OSC 52 (`ESC ] 52 ; c ; BASE64 ST`).
///
/// The sequence travels with the console's output, so it reaches the admin's own terminal over
/// SSH and through the pty of `decom serve-ssh`: there it is the only way to their clipboard.
/// A terminal cannot say whether it accepts it, so the rule is a guess from `TERM` (the
/// xterm control sequences; xterm, kitty, WezTerm, iTerm2, foot and tmux accept it, tmux with
/// `set-clipboard on`) and the admin's word (`NO_CLIPBOARD`): where the guess is no, the
/// console shows the text in a dialog to select with the mouse.
public enum Clipboard {
    /// The most base64 the console sends in one sequence: hterm (ChromeOS) and several
    /// terminals drop longer ones; more is shown in the dialog instead.
    public static let maxEncodedLength = 74_994

    /// Whether the terminal plausibly accepts OSC 52: not when `NO_CLIPBOARD` is set (to
    /// anything, as `NO_COLOR`), nor on the Linux console, a vt100/vt220 family terminal or
    /// `dumb` (which ignore or print it).
    public static func accepts(terminalType: String, environment: [String: String]) -> Bool {
        if environment["NO_CLIPBOARD"] != nil { return false }
        let type = terminalType.lowercased()
        let refused = ["vt", "linux", "dumb", "cons", "ansi", "sun", "wsvt"]
        return !type.isEmpty && !refused.contains { type.hasPrefix($0) }
    }

    /// The OSC 52 sequence that sets the clipboard (`c`) to the text, ended by ST (`ESC \`);
    /// nil when it would be longer than ``maxEncodedLength``.
    public static func sequence(for text: String) -> [UInt8]? {
        let encoded = Data(text.utf8).base64EncodedString()
        guard encoded.utf8.count <= maxEncodedLength else { return nil }
        return Array("\u{1B}]52;c;\(encoded)\u{1B}\\".utf8)
    }
}
