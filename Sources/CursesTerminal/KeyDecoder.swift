import CNCursesW
import DecomConsole

/// Turns what `wget_wch` returns into a ``Key``: a function key code when it says
/// `KEY_CODE_YES`, a character otherwise. Codes it does not know give nil, so the caller
/// ignores them.
enum KeyDecoder {
    /// A character code: controls become Enter, Tab, Backspace, Escape or Ctrl with a letter
    /// (`raw()` mode, so Ctrl-C arrives here as 3); printable text becomes ``Key/char(_:)``.
    static func key(character code: UInt32) -> Key? {
        switch code {
        case 8, 127: return .backspace
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 1...26:
            guard let letter = Unicode.Scalar(UInt32(96) + code) else { return nil }
            return .ctrl(Character(letter))
        case 0..<32, 0x80..<0xA0:
            return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .char(Character(scalar))
        }
    }

    /// A function key code from terminfo (`KEY_UP`, `KEY_F(n)`, `KEY_RESIZE`, ...).
    static func key(function code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        // Some terminals (screen, tmux, rxvt) send Home and End as Find and Select.
        case KEY_HOME, KEY_FIND: return .home
        case KEY_END, KEY_SELECT: return .end
        case KEY_BTAB: return .backTab
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_RESIZE: return .resize
        default:
            let f0 = decom_key_f0()
            if code > f0, code <= f0 + 63 { return .function(Int(code - f0)) }
            return KeySequences.alt(code: code).map(Key.alt)
        }
    }

    /// A mouse event from `getmouse`: the button (``decom_mouse_button``: 1 the left button's
    /// press, 4 and 5 the wheel) at a cell. Other buttons and releases give nil.
    static func mouse(button: Int32, x: Int32, y: Int32) -> Key? {
        let kind: MouseEvent.Kind
        switch button {
        case 1: kind = .press
        case 4: kind = .wheelUp
        case 5: kind = .wheelDown
        default: return nil
        }
        guard x >= 0, y >= 0 else { return nil }
        return .mouse(MouseEvent(kind, x: Int(x), y: Int(y)))
    }
}
