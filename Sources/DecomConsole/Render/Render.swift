import DecomCore
import Foundation

/// Draws the state into a canvas of the terminal's size. Pure: same state, same canvas.
///
/// Every piece of device text goes through `SafeText.visible` and is cut by display width, so
/// no escape sequence reaches the terminal and wide characters keep the columns aligned.
public func render(
    _ state: ConsoleState, theme: Theme, size: (width: Int, height: Int),
    capabilities: TerminalCapabilities
) -> Canvas {
    DisplayWidth.$emoji.withValue(capabilities.emoji) {
        paint(state, theme: theme, size: size, capabilities: capabilities)
    }
}

private func paint(
    _ state: ConsoleState, theme: Theme, size: (width: Int, height: Int),
    capabilities: TerminalCapabilities
) -> Canvas {
    var painter = Painter(
        state: state, theme: capabilities.colorDepth == .none ? theme.attributesOnly : theme,
        glyphs: Glyphs(unicode: capabilities.unicode),
        layout: Layout(width: size.width, height: size.height, detailsOpen: state.detailsOpen))
    painter.paint()
    return painter.canvas
}

/// Draws one frame: each part of the screen in its own method.
struct Painter {
    let state: ConsoleState
    let theme: Theme
    let glyphs: Glyphs
    let layout: Layout
    var canvas: Canvas

    init(state: ConsoleState, theme: Theme, glyphs: Glyphs, layout: Layout) {
        self.state = state
        self.theme = theme
        self.glyphs = glyphs
        self.layout = layout
        canvas = Canvas(width: layout.width, height: layout.height)
    }

    func style(_ role: StyleRole) -> Style { theme.style(role) }

    mutating func paint() {
        let visibility = state.visibility(in: Size(width: layout.width, height: layout.height))
        if visibility == .tooSmall {
            paintTooSmall()
            return
        }
        paintHeader()
        if case .history(let selected) = state.mode {
            paintHistory(selected: selected)
        } else if case .confirmUndo(let c) = state.mode {
            paintHistory(selected: c.selected)
        } else {
            paintTable()
            paintDetails()
        }
        paintStatus()
        paintFooter()
        if case .overlayHidden(let needs) = visibility {
            paintHiddenOverlay(needs: needs)
            return
        }
        switch state.mode {
        case .help: paintHelp()
        case .confirm(let confirmation): paintConfirmation(confirmation)
        case .confirmRestore(let confirmation): paintRestoreConfirmation(confirmation)
        case .result(let record, let scroll): paintResult(record, scroll: scroll)
        case .confirmUndo(let c): paintUndoConfirmation(c)
        case .copyText(let shown): paintCopyText(shown)
        case .describe(let view): paintRecordView(view)
        default: break
        }
    }

    // MARK: - Header

    /// The header: `decom · DATABASE · COUNTS · MARKED · filter: TEXT · sort: COLUMN ↑` and the
    /// actor at the right. When it does not fit (issue 15, 80x24), it gives up, in order: the
    /// word `decom`, the `sort:` label, then the middle of the database name and of the filter,
    /// so that the applied filter stays readable at both ends; only then is the end cut.
    mutating func paintHeader() {
        let s = state
        var counts: String
        if s.isPartial {
            // The total follows the first page (`.counted`); until then the header says only
            // that the rest is being read.
            let total = s.pendingTotal.map { " of \(Format.count($0))" } ?? ""
            counts =
                "\(Format.count(s.view.count))/\(Format.count(s.rows.count))\(total) "
                + "\(s.scope.rawValue), reading\(glyphs.ellipsis)"
        } else {
            counts =
                "\(Format.count(s.view.count))/\(Format.count(s.rows.count)) \(s.scope.rawValue)"
        }
        if s.refreshing { counts += ", updating\(glyphs.ellipsis)" }
        if !s.marks.isEmpty {
            counts += " \(glyphs.separator) \(Format.count(s.marks.count)) marked"
        }
        let arrow = s.sort.ascending ? glyphs.ascending : glyphs.descending
        let database = Format.device(s.databaseName)
        let filter = s.filter.isActive ? Format.device(s.filter.appliedText) : nil
        let right = "\(Format.device(s.actor.user)) (\(s.actor.role.rawValue)) "
        let rightWidth = min(DisplayWidth.of(right), layout.width / 3)
        let room = layout.width - rightWidth
        let separator = " \(glyphs.separator) "
        // What gives way, in order, so that the applied filter stays readable (issue 15): the
        // word decom, the sort label, the database name, the `filter:` label (a `/` instead),
        // and only then the middle of the filter.
        func compose(
            title: Bool, sortLabel: Bool, database: String?, filterLabel: Bool, filter: String?
        ) -> String {
            var parts: [String] = title ? ["decom"] : []
            if let database { parts.append(database) }
            parts.append(counts)
            if let filter { parts.append((filterLabel ? "filter: " : "/") + filter) }
            parts.append(
                sortLabel
                    ? "sort: \(s.sort.column.rawValue) \(arrow)"
                    : "\(s.sort.column.rawValue)\(arrow)")
            return " " + parts.joined(separator: separator)
        }
        var left = ""
        for (title, sortLabel, showsDatabase, filterLabel) in [
            (true, true, true, true), (false, true, true, true), (false, false, true, true),
            (false, false, false, true), (false, false, false, false),
        ] {
            left = compose(
                title: title, sortLabel: sortLabel, database: showsDatabase ? database : nil,
                filterLabel: filterLabel, filter: filter)
            if DisplayWidth.of(left) <= room - 1 { break }
        }
        if DisplayWidth.of(left) > room - 1, let filter {
            let fixed = DisplayWidth.of(
                compose(
                    title: false, sortLabel: false, database: nil, filterLabel: false, filter: ""))
            left = compose(
                title: false, sortLabel: false, database: nil, filterLabel: false,
                filter: Self.middleShortened(
                    filter, to: max(room - 1 - fixed, 5), ellipsis: glyphs.ellipsis))
        }
        canvas.putFit(
            left, x: 0, y: 0, width: room, style: style(.header), glyphs: glyphs)
        canvas.putFit(
            right, x: room, y: 0, width: rightWidth, style: style(.header), glyphs: glyphs)
    }

    /// `text` in at most `width` columns: its start and its end, the middle given up for
    /// `ellipsis` (whole characters, wide ones counted as two).
    static func middleShortened(_ text: String, to width: Int, ellipsis: String) -> String {
        guard DisplayWidth.of(text) > width else { return text }
        let budget = max(0, width - DisplayWidth.of(ellipsis))
        let characters = Array(text)
        var head = ""
        var tail = ""
        var used = 0
        var front = 0
        var back = characters.count - 1
        var takeFront = true
        while front <= back {
            let c = takeFront ? characters[front] : characters[back]
            let w = DisplayWidth.of(String(c))
            if used + w > budget { break }
            used += w
            if takeFront {
                head.append(c)
                front += 1
            } else {
                tail = String(c) + tail
                back -= 1
            }
            takeFront.toggle()
        }
        return head + ellipsis + tail
    }

    // MARK: - Status line

    mutating func paintStatus() {
        let y = layout.status.y
        let width = layout.width
        canvas.fill(x: 0, y: y, width: width, height: 1, style: .plain)
        if let waiting = state.waitingFor, !state.mode.isPrompt {
            canvas.putFit(
                "\(waiting.description) \(glyphs.separator) Esc cancels", x: 0, y: y, width: width,
                style: style(.flashWarning), glyphs: glyphs)
            return
        }
        switch state.mode {
        case .filterPrompt:
            let end = paintPrompt("/", state.filter.edit, y: y)
            if !state.filter.options.isEmpty {
                // The options hold typed text (the values before a comma).
                let note = "  " + SafeText.visible(state.filter.options.joined(separator: "  "))
                canvas.put(note, x: end + 1, y: y, style: style(.footerText))
            } else if let error = state.filter.error {
                let refused = state.filter.refused ? "Filter not applied: " : ""
                let note =
                    "  \(glyphs.fail) \(refused)\(SafeText.visible(error.message)) (at \(error.position))"
                canvas.put(note, x: end + 1, y: y, style: style(.flashError))
            } else {
                let note = "  \(Format.count(state.view.count)) match"
                canvas.put(note, x: end + 1, y: y, style: style(.footerText))
            }
        case .findPrompt:
            let end = paintPrompt("find: ", state.find.edit, y: y)
            if let error = state.find.error {
                let note =
                    "  \(glyphs.fail) \(SafeText.visible(error.message)) (at \(error.position))"
                canvas.put(note, x: end + 1, y: y, style: style(.flashError))
            } else if state.find.noMatch {
                canvas.put(
                    "  no device shown matches", x: end + 1, y: y, style: style(.flashWarning))
            }
        case .command(let line):
            let end = paintPrompt(":", line.edit, y: y)
            if !line.candidates.isEmpty {
                let list = "  " + SafeText.visible(line.candidates.joined(separator: " "))
                canvas.put(list, x: end + 1, y: y, style: style(.footerText))
            }
        case .planning(let work):
            let count = state.pending?.ids.count ?? 0
            var text = "Planning: \(work.verb) \(Format.plural(count, "device"))"
            if let hidden = state.pending?.hidden, hidden > 0 {
                text += " (\(Format.count(hidden)) hidden by the filter)"
            }
            canvas.putFit(
                text + glyphs.ellipsis, x: 0, y: y, width: width, style: style(.flashInfo),
                glyphs: glyphs)
        case .progress(let work, let done, let total):
            paintProgress(work.verb, done: done, total: total, y: y)
        default:
            if state.undoing, let progress = state.undoProgress {
                // An undo of a large archive shows its progress as an archive does.
                paintProgress("undo", done: progress.done, total: progress.total, y: y)
                return
            }
            if let flash = state.flash {
                let role: StyleRole =
                    switch flash.level {
                    case .info: .flashInfo
                    case .warning: .flashWarning
                    case .error: .flashError
                    }
                let mark =
                    flash.level == .error ? glyphs.fail + " " : flash.level == .warning ? "! " : ""
                canvas.putFit(
                    mark + SafeText.visible(flash.text), x: 0, y: y, width: width,
                    style: style(role), glyphs: glyphs)
            }
        }
    }

    /// "Archive: 3,000/12,000 ████░░░░": a label and a bar of at most 40 cells.
    mutating func paintProgress(_ verb: String, done: Int, total: Int, y: Int) {
        let label =
            verb.prefix(1).uppercased() + verb.dropFirst()
            + ": \(Format.count(done))/\(Format.count(total)) "
        let used = canvas.put(label, x: 0, y: y, style: style(.flashInfo))
        let barWidth = max(0, min(40, layout.width - used - 1))
        let filled = total > 0 ? barWidth * done / total : 0
        canvas.put(
            String(repeating: glyphs.progressDone, count: filled)
                + String(repeating: glyphs.progressTodo, count: barWidth - filled),
            x: used, y: y, style: style(.progressBar))
    }

    /// Draws a prompt line and puts the terminal's cursor where the line's cursor is.
    ///
    /// Each side of the cursor goes through `SafeText` and is measured in display columns, so
    /// a wide character or an escaped control keeps the cursor on the right cell. A line too
    /// long for the window scrolls: the start is cut (shown by an ellipsis) so that the cursor
    /// stays in view, as readline does. Returns the column after what was drawn.
    mutating func paintPrompt(_ sigil: String, _ edit: LineEdit, y: Int) -> Int {
        let used = canvas.put(sigil, x: 0, y: y, style: style(.prompt))
        let room = layout.width - used - 1
        guard room > 1 else { return used }
        var before = SafeText.visible(String(edit.beforeCursor))
        let after = SafeText.visible(String(edit.afterCursor))
        var x = used
        if DisplayWidth.of(before) > room - 1 {
            x += canvas.put(glyphs.ellipsis, x: x, y: y, style: style(.prompt))
            while !before.isEmpty && DisplayWidth.of(before) > room - 1 - (x - used) {
                before.removeFirst()
            }
        }
        x += canvas.put(before, x: x, y: y, style: style(.promptInput), maxWidth: room - (x - used))
        canvas.cursor = (x, y)
        x += canvas.put(after, x: x, y: y, style: style(.promptInput), maxWidth: room - (x - used))
        return x
    }

    // MARK: - Footer

    /// The keys that matter in the current mode; delete keys only for a role that may use them.
    func footerKeys() -> [(String, String)] {
        let role = state.actor.role
        switch state.mode {
        case .normal:
            var keys: [(String, String)] = [("j/k", "move"), ("Space", "mark"), ("/", "filter")]
            // In the archived view restore is what there is to do: `r` comes first and `d`
            // (which finds nothing to archive there) is not offered.
            if role.may(.restore) && state.scope != .active { keys.append(("r", "restore")) }
            if role.may(DeletionMode.archive) && state.scope != .archived {
                keys.append(("d", "archive"))
            }
            if role.may(DeletionMode.purge) { keys.append(("D", "purge")) }
            if role.may(DeletionMode.unenroll) { keys.append(("x", "unenroll")) }
            if role.may(.restore) { keys.append(("u", "undo")) }
            if !state.marks.isEmpty { keys.append(("C", "clear marks")) }
            if state.detailsOpen { keys.append(("J/K", "scroll details")) }
            keys += [
                ("Enter", "details"), ("v", "range"), ("a", "all"), ("y", "copy id"),
                ("s/S", "sort"),
                ("A", "scope"), ("H", "history"), (":", "command"), ("?", "help"), ("q", "quit"),
            ]
            return keys
        case .filterPrompt:
            return [
                ("Tab", "complete"), ("Enter", "apply"), ("Esc", "cancel edit"),
                ("Up/Down", "history"), ("Ctrl-U", "clear"),
            ]
        case .findPrompt:
            return [("Enter", "stay here"), ("Esc", "back"), ("n/N", "next, previous after Enter")]
        case .command:
            return [
                ("Tab", "complete"), ("Enter", "run"), ("Up/Down", "history"), ("Esc", "cancel"),
            ]
        case .help:
            return [("Esc", "close"), ("?", "close")]
        case .planning:
            return [("Esc", "cancel")]
        case .confirm(let c):
            if c.plan.allowed.isEmpty { return [("Enter", "close"), ("Esc", "close")] }
            if c.isDanger {
                return [("0-9", "type the count"), ("Enter", "confirm"), ("Esc", "cancel")]
            }
            return [
                ("y", "yes"), ("n", "no"), ("Tab", "switch"), ("Enter", "choose"),
                ("Esc", "cancel"),
            ]
        case .progress:
            if state.waitingFor != nil { return [("Esc", "stop waiting; nothing changes")] }
            return [("", "working: the action completes as one transaction")]
        case .result, .copyText:
            return [("j/k", "scroll"), ("Esc", "close")]
        case .describe(let view):
            return [
                ("j/k", "scroll"), ("PgUp/PgDn", "page"), ("g/G", "top, end"),
                ("J", view.showsJSON ? "text" : "JSON"), ("Esc", "close"),
            ]
        case .confirmUndo, .confirmRestore:
            return [
                ("y", "yes"), ("n", "no"), ("Tab", "switch"), ("Enter", "choose"),
                ("Esc", "cancel"),
            ]
        case .history:
            var keys: [(String, String)] = [("j/k", "select")]
            if role.may(.restore) { keys.append(("u", "undo this archive")) }
            keys.append(("Esc", "close"))
            return keys
        }
    }

    mutating func paintFooter() {
        let y = layout.footer.y
        canvas.fill(x: 0, y: y, width: layout.width, height: 1, style: style(.footerText))
        var keys = footerKeys()
        if case .overlayHidden = state.visibility(
            in: Size(width: layout.width, height: layout.height))
        {
            keys = [("Esc", state.mode == .help ? "close" : "cancel")]
        }
        // Help and quit stay on screen at any width: drawn from the right edge first.
        var right = layout.width
        if state.mode == .normal {
            keys.removeAll { $0.0 == "?" || $0.0 == "q" }
            for (key, text) in [("q", "quit"), ("?", "help")] {
                right -= DisplayWidth.of(key) + 1 + DisplayWidth.of(text) + 2
                let x = right + 2
                let used = canvas.put(key, x: x, y: y, style: style(.footerKey))
                canvas.put(text, x: x + used + 1, y: y, style: style(.footerText))
            }
        }
        var x = 0
        for (key, text) in keys {
            let needed = DisplayWidth.of(key) + (key.isEmpty ? 0 : 1) + DisplayWidth.of(text)
            if x + needed > right { break }
            if !key.isEmpty {
                x += canvas.put(key, x: x, y: y, style: style(.footerKey))
                x += 1
            }
            x += canvas.put(text, x: x, y: y, style: style(.footerText))
            x += 2
        }
    }
}
