/// What the screen can show of a state at a size: the one answer `render` draws from and
/// `reduce` obeys, so that no key acts on what is not on the screen (issue 11).
///
/// Below ``Layout/minimumWidth`` by ``Layout/minimumHeight`` only a message shows and only
/// quit acts. A dialog or the help whose box does not fit is replaced by a notice saying so;
/// until the window is large enough again only Esc (cancel, close) acts on it.
public enum Visibility: Sendable, Hashable {
    case everything
    /// Only the "too small" message.
    case tooSmall
    /// The table shows, but not the open overlay: it needs a window of this size.
    case overlayHidden(needs: Size)
}

/// A dialog's text, the inner width it is drawn at, and the box it needs to show whole.
struct DialogContent {
    var title: String
    var lines: [(String, Style)]
    var width: Int
    /// The smallest box that shows every line, and whole every line that is not a device name.
    var needs: Size
}

extension ConsoleState {
    /// What a screen of this size shows of the state. `reduce` asks it at the last size the
    /// terminal reported (`.resized`), `render` at the size it draws.
    public func visibility(in size: Size) -> Visibility {
        let layout = Layout(width: size.width, height: size.height, detailsOpen: detailsOpen)
        if layout.isTooSmall { return .tooSmall }
        let painter = Painter(
            state: self, theme: .builtinDefault, glyphs: Glyphs(unicode: true), layout: layout)
        guard let needs = painter.overlayNeeds() else { return .everything }
        // Boxes sit between the header and the status line (`Painter.centred`).
        if needs.width > layout.width - 2 || needs.height > layout.height - 3 {
            return .overlayHidden(needs: Size(width: needs.width + 2, height: needs.height + 3))
        }
        return .everything
    }
}

extension Painter {
    /// The box the open overlay needs, nil when none is open or it fits any drawable size.
    func overlayNeeds() -> Size? {
        switch state.mode {
        case .confirm(let confirmation):
            return confirmationContent(confirmation).needs
        case .confirmUndo(let confirmation):
            return undoConfirmationContent(confirmation).needs
        case .confirmRestore(let confirmation):
            return restoreConfirmationContent(confirmation).needs
        case .help:
            let lines = helpColumns().map(\.count).max() ?? 0
            return Size(width: helpNeededWidth() + 4, height: lines + 2)
        default:
            // The result view shortens its list to the room it has.
            return nil
        }
    }

    /// Draws, in place of an overlay too big for the window, a notice that says so.
    mutating func paintHiddenOverlay(needs: Size) {
        let what =
            switch state.mode {
            case .confirm(let c): "The \(c.plan.mode.verb) dialog"
            case .confirmUndo: "The undo dialog"
            case .confirmRestore: "The restore dialog"
            default: "The help"
            }
        let lines: [(String, Style)] = [
            ("\(what) needs \(needs.width)x\(needs.height):", style(.dialog)),
            ("enlarge the window to see it;", style(.dialog)),
            ("until then only Esc acts.", style(.dialog)),
        ]
        paintBox(
            title: "Window too small", lines: lines, style: style(.dialog),
            titleStyle: style(.dialogTitle), width: 32)
    }
}
