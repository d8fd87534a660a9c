import DecomCore
import Foundation

extension Painter {
    // MARK: - Boxes

    /// A centred box of the given inner size, clamped to the screen between header and status.
    func centred(innerWidth: Int, innerHeight: Int) -> Layout.Rect {
        let width = min(layout.width - 2, innerWidth + 4)
        let height = min(layout.height - 3, innerHeight + 2)
        return Layout.Rect(
            x: (layout.width - width) / 2, y: max(1, (layout.height - 1 - height) / 2),
            width: width, height: height)
    }

    /// Draws a box with lines of text; lines past its height are dropped.
    mutating func paintBox(
        title: String, lines: [(String, Style)], style boxStyle: Style, titleStyle: Style,
        width: Int
    ) {
        let rect = centred(innerWidth: width, innerHeight: lines.count)
        canvas.box(
            x: rect.x, y: rect.y, width: rect.width, height: rect.height, style: boxStyle,
            title: title, titleStyle: titleStyle, glyphs: glyphs)
        for (i, line) in lines.enumerated() where i < rect.height - 2 {
            canvas.putFit(
                line.0, x: rect.x + 2, y: rect.y + 1 + i, width: rect.width - 4, style: line.1,
                glyphs: glyphs)
        }
    }

    // MARK: - Confirmations

    /// A confirmation's title and lines, and the size its box needs: what `paintConfirmation`
    /// draws and what ``ConsoleState/visibility(in:)`` measures.
    func confirmationContent(_ c: Confirmation) -> DialogContent {
        let plan = c.plan
        let danger = c.isDanger
        let base = style(danger ? .dangerDialog : .dialog)
        let strong = style(danger ? .dangerDialogTitle : .dialogTitle)
        let allowed = plan.allowed
        let verb = plan.mode.verb.prefix(1).uppercased() + plan.mode.verb.dropFirst()
        var devices = Format.plural(allowed.count, "device")
        if c.hidden > 0 { devices += " (\(Format.count(c.hidden)) hidden by the filter)" }
        let title = allowed.isEmpty ? "Nothing to \(plan.mode.verb)" : "\(verb) \(devices)?"
        var lines: [(String, Style)] = []
        // Device names and skip reasons may be cut (with an ellipsis); every other line is
        // what the admin decides on, and must show whole.
        var cuttable: Set<Int> = []
        if danger && !allowed.isEmpty {
            lines.append(("This cannot be undone.", strong))
            switch plan.mode {
            case .purge:
                lines.append(("Removes the devices and all their data:", base))
                lines.append(
                    (
                        "  \(Format.plural(plan.sessionsAffected, "active session")) revoked, \(Format.plural(plan.enrollmentsAffected, "MDM enrollment")) removed",
                        base
                    ))
            default:
                lines.append(("Removes the MDM agent; the records stay:", base))
                lines.append(
                    ("  \(Format.plural(plan.enrollmentsAffected, "MDM enrollment")) ended", base))
            }
        }
        let shownNames = 5
        for item in allowed.prefix(shownNames) {
            cuttable.insert(lines.count)
            lines.append(("  \(glyphs.separator) \(itemName(item))", base))
        }
        if allowed.count > shownNames {
            lines.append(("  and \(Format.count(allowed.count - shownNames)) more", base))
        }
        let rejected = plan.rejected
        if !rejected.isEmpty {
            lines.append(("Skipped, \(Format.count(rejected.count)) not changed:", strong))
            for item in rejected.prefix(3) {
                if case .skip(let outcome, let reason) = item.decision {
                    cuttable.insert(lines.count)
                    lines.append(
                        (
                            "  \(itemName(item)): \(ConsoleState.words(outcome)), \(SafeText.visible(reason))",
                            base
                        ))
                }
            }
            if rejected.count > 3 {
                lines.append(("  and \(Format.count(rejected.count - 3)) more", base))
            }
        }
        if allowed.isEmpty {
            lines.append(("", base))
            lines.append(("[ OK ]", style(.dialogButtonFocused)))
        } else if danger {
            lines.append(("", base))
            let typed = c.typed.isEmpty ? "_" : c.typed
            lines.append(("Type \(allowed.count) to \(plan.mode.verb): [\(typed)]", strong))
            if c.rejectedTyping {
                lines.append(("That is not \(allowed.count): nothing was done.", strong))
            }
            lines.append(
                c.typedMatches
                    ? ("Enter: \(plan.mode.verb) now    Esc: cancel", style(.dialogButtonFocused))
                    : ("Enter: disabled until the count is typed    Esc: cancel", base))
        } else {
            if plan.sessionsAffected > 0 {
                lines.append(
                    (
                        "\(Format.plural(plan.sessionsAffected, "active session")) suspended until undone",
                        base
                    ))
            }
            lines.append(("u undoes it.", base))
            lines.append(("", base))
        }
        return dialogContent(title: title, lines: lines, cuttable: cuttable)
    }

    mutating func paintConfirmation(_ c: Confirmation) {
        let content = confirmationContent(c)
        let danger = c.isDanger
        let base = style(danger ? .dangerDialog : .dialog)
        let strong = style(danger ? .dangerDialogTitle : .dialogTitle)
        paintBox(
            title: content.title, lines: content.lines, style: base, titleStyle: strong,
            width: content.width)
        if !danger && !c.plan.allowed.isEmpty {
            paintButtons(
                yesFocused: c.yesFocused, width: content.width, lineCount: content.lines.count)
        }
    }

    /// A yes/no dialog's buttons on its last line, the focused one marked by `> <`.
    mutating func paintButtons(yesFocused: Bool, width: Int, lineCount: Int) {
        let rect = centred(innerWidth: width, innerHeight: lineCount)
        let y = rect.y + rect.height - 2
        let yes = yesFocused ? ">[y] Yes<" : " [y] Yes "
        let no = yesFocused ? " [N] No " : ">[N] No<"
        let x = rect.x + (rect.width - 19) / 2
        canvas.put(
            yes, x: x, y: y, style: style(yesFocused ? .dialogButtonFocused : .dialogButton))
        canvas.put(
            no, x: x + 11, y: y, style: style(yesFocused ? .dialogButton : .dialogButtonFocused))
    }

    /// The question before undoing another user's archive (whose work, when, how much), and
    /// the size its box needs.
    func undoConfirmationContent(_ c: UndoConfirmation) -> DialogContent {
        let record = c.record
        let base = style(.dialog)
        let strong = style(.dialogTitle)
        let mine = record.user == state.actor.user
        let who = mine ? "you" : Format.device(record.user)
        let ago = Format.ago(record.createdAt, now: state.now)
        let title = mine ? "Undo your archive?" : "Undo \(who)'s archive?"
        let lines: [(String, Style)] = [
            (mine ? "This is your work:" : "This is \(who)'s work, not yours:", strong),
            (
                "transaction \(record.id), \(Format.plural(record.appliedCount, "device")) archived",
                base
            ),
            (
                "by \(who) (\(record.role.rawValue)) on \(Format.date(record.createdAt)), \(ago == "now" ? "just now" : ago + " ago")",
                base
            ),
            ("Undoing it brings those devices back as they were.", base),
            ("", base),
        ]
        // Every line is what the admin decides on: the box needs them whole.
        return dialogContent(title: title, lines: lines, cuttable: [])
    }

    mutating func paintUndoConfirmation(_ c: UndoConfirmation) {
        let content = undoConfirmationContent(c)
        paintBox(
            title: content.title, lines: content.lines, style: style(.dialog),
            titleStyle: style(.dialogTitle), width: content.width)
        paintButtons(
            yesFocused: c.yesFocused, width: content.width, lineCount: content.lines.count)
    }

    func itemName(_ item: DeletionPlan.Item) -> String {
        guard let device = item.device else { return SafeText.revealing(item.key) }
        return "#\(device.id) \(Format.revealed(device.name))"
    }

    // MARK: - Help

    /// The help's two columns: key, text, and whether the line is a section title. Only the
    /// keys the actor's role may use are offered (a viewer sees no `d D x u r`).
    func helpColumns() -> [[(String, String, Bool)]] {
        let role = state.actor.role
        var acts: [(String, String)] = []
        if role.may(DeletionMode.archive) { acts.append(("d", "archive (undoable)")) }
        if role.may(DeletionMode.purge) { acts.append(("D", "purge (irreversible)")) }
        if role.may(DeletionMode.unenroll) { acts.append(("x", "unenroll (irreversible)")) }
        if role.may(.restore) {
            acts.append(("u r", "undo, restore archived"))
        }
        if acts.isEmpty { acts.append(("", "\(role.rawValue): reading only")) }
        let left: [(String, [(String, String)])] = [
            (
                "Move",
                [
                    ("j k ↑ ↓", "up, down (wheel, click)"), ("PgUp PgDn", "page (^B ^F)"),
                    ("g G", "top, bottom (Home End)"),
                ]
            ),
            (
                "Mark",
                [
                    ("Space", "mark, move down"), ("v", "range from last mark"),
                    ("a * C", "mark all, invert, clear"),
                ]
            ),
            (
                "Find",
                [
                    ("/", "filter, Esc cancels edit"), ("f n N", "find, next, previous"),
                    ("s S", "sort column, direction"), ("A", "active, archived, all"),
                ]
            ),
            (
                "Get data out",
                [("y Y ^Y", "copy id, marks, serial"), ("^Z", "suspend; fg resumes")]
            ),
        ]
        let right: [(String, [(String, String)])] = [
            ("Act on marks or cursor row", acts),
            (
                "Views",
                [
                    ("Enter Tab", "details, J K scroll"), ("o", "whole record, J JSON"),
                    // `? q` are on the footer at any width: their line here made room
                    // for `r` at 80x24.
                    ("H", role.may(.restore) ? "history, undo older" : "history"),
                ]
            ),
            (
                "Commands",
                [
                    (":theme", "NAME"), (":sort", "COLUMN [asc|desc]"), (":filter", "QUERY"),
                    (":columns", "id,name,... or default"), (":cursor", "bar|arrow (slow SSH)"),
                    (":export", "FILE[.csv], ! replaces"),
                    (":export-keys", "FILE, for delete"),
                ]
            ),
        ]
        func lines(_ groups: [(String, [(String, String)])]) -> [(String, String, Bool)] {
            var out: [(String, String, Bool)] = []
            for (i, group) in groups.enumerated() {
                if i > 0 { out.append(("", "", false)) }
                out.append((group.0, "", true))
                out += group.1.map { ($0.0, $0.1, false) }
            }
            return out
        }
        return [lines(left), lines(right)]
    }

    /// The least inner width of the help box.
    static let helpWidth = 74

    /// The keys' width of a help column: its widest key and a space.
    static func helpKeyWidth(_ entries: [(String, String, Bool)]) -> Int {
        (entries.filter { !$0.2 }.map { DisplayWidth.of($0.0) }.max() ?? 0) + 1
    }

    /// The inner width the help needs to show every line whole: two columns as wide as the
    /// widest line of either, and the gap between them.
    func helpNeededWidth() -> Int {
        let column =
            helpColumns().flatMap { entries in
                let keys = Self.helpKeyWidth(entries)
                return entries.map {
                    $0.2 ? DisplayWidth.of($0.0) : keys + DisplayWidth.of($0.1)
                }
            }.max() ?? 0
        return max(Self.helpWidth, 2 * column + 2)
    }

    mutating func paintHelp() {
        let columns = helpColumns()
        let (l, r) = (columns[0], columns[1])
        let height = max(l.count, r.count)
        let rect = centred(innerWidth: helpNeededWidth(), innerHeight: height)
        canvas.box(
            x: rect.x, y: rect.y, width: rect.width, height: rect.height, style: style(.dialog),
            title: "Keys", titleStyle: style(.dialogTitle), glyphs: glyphs)
        let columnWidth = (rect.width - 6) / 2
        for (column, entries) in [l, r].enumerated() {
            let x = rect.x + 2 + column * (columnWidth + 2)
            let keyWidth = min(columnWidth / 2, Self.helpKeyWidth(entries))
            for (i, entry) in entries.enumerated() where i < rect.height - 2 {
                let y = rect.y + 1 + i
                if entry.2 {
                    canvas.putFit(
                        entry.0, x: x, y: y, width: columnWidth, style: style(.helpSection),
                        glyphs: glyphs)
                    continue
                }
                let keys =
                    glyphs.unicode
                    ? entry.0 : entry.0.replacingOccurrences(of: "↑ ↓", with: "Up Down")
                canvas.putFit(
                    keys, x: x, y: y, width: keyWidth, style: style(.helpKey), glyphs: glyphs)
                canvas.putFit(
                    entry.1, x: x + keyWidth, y: y, width: columnWidth - keyWidth,
                    style: style(.helpText), glyphs: glyphs)
            }
        }
    }

    // MARK: - Result

    mutating func paintResult(_ record: TransactionRecord, scroll: Int) {
        let notApplied = record.items.filter { !$0.outcome.isApplied }
        let title =
            "Transaction \(record.id) \(record.type.rawValue) \(record.status.rawValue): \(Format.count(record.appliedCount)) applied, \(Format.count(notApplied.count)) not"
        var lines: [(String, Style)] = []
        if let error = record.error { lines.append((SafeText.visible(error), style(.dialogTitle))) }
        let room = max(1, layout.height - 8)
        for item in notApplied.dropFirst(scroll).prefix(room) {
            let name =
                item.deviceId.map { "#\($0) \(Format.revealed(item.deviceName))" }
                ?? SafeText.revealing(item.key)
            let reason = item.reason.map { ": " + SafeText.visible($0) } ?? ""
            lines.append(("\(name)  \(ConsoleState.words(item.outcome))\(reason)", style(.dialog)))
        }
        if notApplied.isEmpty { lines.append(("Every item was applied.", style(.dialog))) }
        lines.append(("", style(.dialog)))
        lines.append(("j/k scroll · Esc close", style(.dialogButton)))
        paintBox(
            title: title, lines: lines, style: style(.dialog), titleStyle: style(.dialogTitle),
            width: min(layout.width - 6, 100))
    }

    // MARK: - Copy

    /// What `y` or `Y` would have copied, where the terminal takes no OSC 52: the text alone
    /// on its lines, to select with the mouse (ids only, through SafeText all the same).
    mutating func paintCopyText(_ shown: CopyText) {
        let text = shown.text.split(separator: "\n", omittingEmptySubsequences: false)
        let room = max(1, layout.height - 9)
        var lines: [(String, Style)] = [
            ("No clipboard here (TERM or NO_CLIPBOARD): select the text", style(.dialog)),
            ("with the mouse (Shift-drag in most terminals) and copy it.", style(.dialog)),
            ("", style(.dialog)),
        ]
        for line in text.dropFirst(shown.scroll).prefix(room) {
            lines.append((SafeText.visible(String(line)), style(.dialogTitle)))
        }
        lines.append(("", style(.dialog)))
        let more = text.count > room ? "j/k scroll · " : ""
        lines.append(("\(more)Esc close", style(.dialogButton)))
        paintBox(
            title: "Copy \(shown.what)", lines: lines, style: style(.dialog),
            titleStyle: style(.dialogTitle), width: min(layout.width - 6, 62))
    }

    // MARK: - Full view

    /// One device's whole record over the table, between the header and the status line:
    /// every line through SafeText (the runtime's text is already safe; this keeps it so).
    mutating func paintRecordView(_ view: DeviceRecordView) {
        let top = 1
        let height = max(3, layout.status.y - top)
        let width = layout.width
        canvas.fill(x: 0, y: top, width: width, height: height, style: style(.dialog))
        let form = view.showsJSON ? "JSON" : "text"
        let other = view.showsJSON ? "text" : "JSON"
        canvas.box(
            x: 0, y: top, width: width, height: height, style: style(.dialog),
            title: "Device \(view.id) · \(form) · J for \(other)", titleStyle: style(.dialogTitle),
            glyphs: glyphs)
        let room = height - 2
        guard view.text != nil else {
            canvas.putFit(
                "Loading" + glyphs.ellipsis, x: 2, y: top + 1, width: width - 4,
                style: style(.dialog), glyphs: glyphs)
            return
        }
        let lines = view.lines
        for (i, line) in lines.dropFirst(view.scroll).prefix(room).enumerated() {
            canvas.putFit(
                SafeText.visible(String(line)), x: 2, y: top + 1 + i, width: width - 4,
                style: style(.dialog), glyphs: glyphs)
        }
        if lines.count > room {
            let end = min(lines.count, view.scroll + room)
            let where_ = " \(view.scroll + 1)-\(end) of \(lines.count) "
            canvas.putFit(
                where_, x: max(2, width - 2 - DisplayWidth.of(where_)), y: top + height - 1,
                width: DisplayWidth.of(where_), style: style(.dialogTitle), glyphs: glyphs)
        }
    }

    // MARK: - History

    /// One line of the history list, the titles' line too, so that each title sits over its
    /// column: ID 6, TYPE 9 (ARCHIVE_UNENROLL is cut), STATUS 10 (COMMITTING), WHEN 16
    /// (`2023-11-14 22:13`), WHO 17, then RESULT.
    static func historyLine(
        gutter: String, id: String, type: String, status: String, when: String, who: String,
        result: String, ellipsis: String, idWidth: Int = 6, typeWidth: Int = 9
    ) -> String {
        gutter + Canvas.fit(id, width: idWidth, ellipsis: ellipsis) + " "
            + Canvas.fit(type, width: typeWidth, ellipsis: ellipsis) + " "
            + Canvas.fit(status, width: 10, ellipsis: ellipsis) + " "
            + Canvas.fit(when, width: 16, ellipsis: ellipsis) + " "
            + Canvas.fit(who, width: 17, ellipsis: ellipsis) + " " + result
    }

    mutating func paintHistory(selected: Int) {
        let top = layout.tableHeader.y
        let height = layout.status.y - top
        let width = layout.width
        let listHeight = max(3, height / 2)
        // ID and TYPE are as wide as the history's widest (a 7-wide ID column for ids of two
        // digits cut RESULT at 80 columns; ARCHIVE_UNENROLL showed as ARCHIVE_…).
        let idWidth = max(2, state.history.map { String($0.id).count }.max() ?? 2)
        let typeWidth = max(4, state.history.map { $0.type.rawValue.count }.max() ?? 4)
        canvas.putFit(
            Self.historyLine(
                gutter: " ", id: "ID", type: "TYPE", status: "STATUS", when: "WHEN", who: "WHO",
                result: "RESULT", ellipsis: glyphs.ellipsis, idWidth: idWidth,
                typeWidth: typeWidth), x: 0, y: top,
            width: width, style: style(.tableHeader), glyphs: glyphs)
        if !state.historyLoaded {
            canvas.putFit(
                "  Loading" + glyphs.ellipsis, x: 0, y: top + 2, width: width, style: style(.row),
                glyphs: glyphs)
            return
        }
        if state.history.isEmpty {
            canvas.putFit(
                "  No transaction yet.", x: 0, y: top + 2, width: width, style: style(.row),
                glyphs: glyphs)
            return
        }
        let rows = listHeight - 1
        let first = max(0, min(selected - rows + 1, state.history.count - rows))
        for (line, record) in state.history.dropFirst(max(0, first)).prefix(rows).enumerated() {
            let index = max(0, first) + line
            let isSelected = index == selected
            var summary = record.outcomeCounts.map {
                "\(Format.count($0.1)) \(ConsoleState.words($0.0))"
            }.joined(
                separator: " \(glyphs.separator) ")
            if let by = record.undoneBy { summary += " \(glyphs.separator) undone by #\(by)" }
            if let undoes = record.undoes { summary += " \(glyphs.separator) undoes #\(undoes)" }
            if let source = record.source {
                summary += " \(glyphs.separator) from \(SafeText.visible(source))"
            }
            let text = Self.historyLine(
                gutter: isSelected ? glyphs.cursor : " ", id: String(record.id),
                type: record.type.rawValue, status: record.status.rawValue,
                when: Format.date(record.createdAt),
                who: (record.user == state.actor.user ? "you" : Format.device(record.user))
                    + "/\(record.role.rawValue)", result: summary, ellipsis: glyphs.ellipsis,
                idWidth: idWidth, typeWidth: typeWidth)
            canvas.putFit(
                text, x: 0, y: top + 1 + line, width: width,
                style: style(isSelected ? .cursorRow : .row), glyphs: glyphs)
        }
        guard selected < state.history.count else { return }
        let record = state.history[selected]
        let itemsTop = top + listHeight
        canvas.putFit(
            " Items of transaction \(record.id) by \(Format.device(record.user))"
                + (record.user == state.actor.user ? " (you)" : ""), x: 0, y: itemsTop,
            width: width,
            style: style(.detailsSection), glyphs: glyphs)
        for (i, item) in record.items.prefix(max(0, layout.status.y - itemsTop - 1)).enumerated() {
            let name =
                item.deviceId.map { "#\($0) \(Format.revealed(item.deviceName))" }
                ?? SafeText.revealing(item.key)
            let reason = item.reason.map { ": " + SafeText.visible($0) } ?? ""
            canvas.putFit(
                "   \(name)  \(ConsoleState.words(item.outcome))\(reason)", x: 0,
                y: itemsTop + 1 + i, width: width, style: style(.row), glyphs: glyphs)
        }
    }

    // MARK: - Too small

    mutating func paintTooSmall() {
        let lines = [
            "Terminal too small",
            "\(layout.width)x\(layout.height): decom needs \(Layout.minimumWidth)x\(Layout.minimumHeight)",
            "Keys do nothing until then;",
            "q quits",
        ]
        let top = max(0, (layout.height - lines.count) / 2)
        for (i, line) in lines.enumerated() where top + i < layout.height {
            let w = DisplayWidth.of(line)
            let x = max(0, (layout.width - w) / 2)
            canvas.put(line, x: x, y: top + i, style: style(i == 0 ? .tooSmall : .row))
        }
    }
}
