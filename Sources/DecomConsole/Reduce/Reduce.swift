import DecomCore
import Foundation

/// The console's one state transition: applies an action and returns the work to do. Pure:
/// it performs no I/O and reads no clock (time arrives with `.tick`).
public func reduce(_ state: inout ConsoleState, _ action: Action) -> [Effect] {
    switch action {
    case .key(let key): return state.handle(key)
    case .resized(let size):
        state.viewport = size
        state.keepCursorVisible()
        return []
    case .loaded(let rows, let scope):
        guard scope == state.scope else { return [] }
        return state.apply(rows: rows, scope: scope)
    case .pageLoaded(let rows, let total, let scope):
        // Shown only until the whole scope arrives (the worker answers in order).
        guard scope == state.scope, state.rowsScope != scope || state.isPartial else {
            return []
        }
        let follow = state.followID
        let effects = state.apply(rows: rows, scope: scope)
        if total.map({ $0 > rows.count }) ?? true {
            state.isPartial = true
            state.pendingTotal = total
            state.followID = follow
        }
        return effects
    case .counted(let total, let scope):
        if state.isPartial, scope == state.scope, state.rowsScope == scope {
            state.pendingTotal = total
        }
        return []
    case .loadFailed(let message):
        state.loadError = message
        state.show("Could not read the database: \(message)", .error)
        return []
    case .planReady(let plan): return state.openConfirmation(plan)
    case .planFailed(let message):
        if case .planning = state.mode { state.mode = .normal }
        state.pending = nil
        state.show("Could not plan: \(message)", .error)
        return []
    case .progress(let done, let total):
        if case .progress(let work, _, _) = state.mode {
            state.mode = .progress(work, done: done, total: total)
        } else if state.undoing {
            state.undoProgress = WorkProgress(done: done, total: total)
        }
        return []
    case .restorePlanReady(let plan): return state.openRestoreConfirmation(plan)
    case .restored(let record):
        state.waitingFor = nil
        return state.finishRestore(record)
    case .executed(let record):
        state.waitingFor = nil
        return state.finishExecution(record)
    case .executeFailed(let message):
        state.waitingFor = nil
        state.mode = .normal
        state.show("Nothing changed: \(message)", .error)
        return [.load(state.scope)]
    case .undone(let record):
        state.waitingFor = nil
        return state.finishUndo(record)
    case .undoFailed(let message):
        state.waitingFor = nil
        state.undoing = false
        state.show(message, .error)
        return []
    case .detailsLoaded(let details):
        guard details.device.id == state.cursorRow?.id else { return [] }
        state.details = details
        return []
    case .detailsFailed(let id, let message):
        if case .describe(let view) = state.mode, view.id == id { state.mode = .normal }
        guard id == state.cursorRow?.id else { return [] }
        state.details = nil
        state.show("Could not read device \(id): \(message)", .error)
        return []
    case .historyLoaded(let records):
        // The selection stays on its transaction: a new one (the undo's RESTORE) moves the
        // list under it, and a `u` must act on the row the admin chose.
        func keep(_ selected: Int) -> Int {
            if selected < state.history.count,
                let moved = records.firstIndex(where: { $0.id == state.history[selected].id })
            {
                return moved
            }
            return min(selected, max(0, records.count - 1))
        }
        switch state.mode {
        case .history(let selected):
            state.mode = .history(selected: keep(selected))
        case .confirmUndo(var c):
            c.selected = keep(c.selected)
            state.mode = .confirmUndo(c)
        default:
            break
        }
        state.history = records
        state.historyLoaded = true
        return []
    case .historyFailed(let message):
        state.show("Could not read the history: \(message)", .error)
        return []
    case .themeChanged(let name):
        state.themeName = name
        state.show("Theme \(name)", .info)
        return []
    case .themeFailed(let message):
        state.show(message, .error)
        return []
    case .recordLoaded(let id, let text, let json):
        guard case .describe(var view) = state.mode, view.id == id else { return [] }
        view.text = text
        view.json = json
        state.mode = .describe(view)
        return []
    case .exported(let request, let written, let path):
        state.finishExport(request, written: written, path: path)
        return []
    case .exportFailed(let message):
        state.show(message, .error)
        return []
    case .historyNotSaved(let message):
        state.show(message, .warning)
        return []
    case .tick(let date):
        state.now = date
        if let flash = state.flash, flash.expires <= date { state.flash = nil }
        return []
    case .externalChange:
        var effects: [Effect] = state.loadEffects()
        if case .history = state.mode { effects.append(.loadHistory) }
        if state.detailsOpen, let id = state.cursorRow?.id { effects.append(.loadDetails(id)) }
        return effects
    case .waiting(let status):
        state.waitingFor = status
        return []
    }
}

extension ConsoleState {
    /// Shows a line of feedback for a few seconds.
    mutating func show(_ text: String, _ level: Flash.Level) {
        flash = Flash(text: text, level: level, expires: now.addingTimeInterval(Flash.lifetime))
    }

    // MARK: - Keys

    /// Ctrl-Z (a key in raw mode): suspends to the shell, as a program in cooked mode would,
    /// unless the runtime said why it cannot (``suspendRefusal``). Not while an archive,
    /// purge or undo runs: a stopped process would hold the database's write lock.
    mutating func requestSuspend() -> [Effect] {
        if let suspendRefusal {
            show(suspendRefusal, .warning)
            return []
        }
        if case .progress = mode {
            show("Wait for the action to finish", .warning)
            return []
        }
        return [.suspend]
    }

    mutating func handle(_ key: Key) -> [Effect] {
        if key == .ctrl("c") { return [.interrupt] }
        if key == .ctrl("z") { return requestSuspend() }
        // No key acts on what is not on the screen (issue 11): the same answer `render` draws.
        switch visibility(in: viewport) {
        case .tooSmall:
            if key == .char("q") {
                if case .progress = mode { return [] }
                return [.quit]
            }
            return []
        case .overlayHidden:
            guard key == .escape else { return [] }
        case .everything:
            break
        }
        if case .mouse(let event) = key { return handleMouse(event) }
        // Esc then a key, sent together, reads as Alt and the key: outside a prompt, the two.
        if case .alt(let c) = key, !mode.isPrompt {
            return handle(.escape) + handle(.char(c))
        }
        // While a write waits for another writer, Esc stops it (nothing changes).
        if key == .escape, waitingFor != nil, !mode.isPrompt { return [.cancelWait] }
        switch mode {
        case .normal: return handleNormal(key)
        case .filterPrompt(let previous): return handleFilterPrompt(key, previous: previous)
        case .findPrompt(let origin): return handleFindPrompt(key, origin: origin)
        case .command(let line): return handleCommand(key, line)
        case .help:
            if [.escape, .char("?"), .char("q"), .enter].contains(key) { mode = .normal }
            return []
        case .planning:
            if key == .escape {
                mode = .normal
                pending = nil
                show("Cancelled", .info)
            }
            return []
        case .confirm(let confirmation): return handleConfirm(key, confirmation)
        case .confirmRestore(let confirmation): return handleConfirmRestore(key, confirmation)
        case .progress:
            if key == .char("q") { show("Wait for the action to finish", .warning) }
            return []
        case .result(let record, let scroll): return handleResult(key, record, scroll: scroll)
        case .history(let selected): return handleHistory(key, selected: selected)
        case .confirmUndo(let confirmation): return handleConfirmUndo(key, confirmation)
        case .copyText(let shown): return handleCopyText(key, shown)
        case .describe(let view): return handleRecordView(key, view)
        }
    }

    mutating func handleNormal(_ key: Key) -> [Effect] {
        let before = cursorRow?.id
        var effects: [Effect] = []
        switch key {
        case .char("j"), .down: moveCursor(to: cursor + 1)
        case .char("k"), .up: moveCursor(to: cursor - 1)
        case .pageDown, .ctrl("f"): moveCursor(to: cursor + pageHeight, page: true)
        case .pageUp, .ctrl("b"): moveCursor(to: cursor - pageHeight, page: true)
        case .char("g"), .home: moveCursor(to: 0)
        case .char("G"), .end: moveCursor(to: view.count - 1)
        case .char(" "): toggleMarkAndAdvance()
        case .char("v"): markRange()
        case .char("a"): markAllShown()
        case .char("*"): invertShown()
        case .char("C"): clearMarks()
        case .char("o"):
            guard let id = cursorRow?.id else { return [] }
            mode = .describe(DeviceRecordView(id: id))
            return [.loadRecord(id)]
        case .char("y"): return copyCursorID()
        case .char("Y"): return copyMarkedKeys()
        case .escape:
            // Esc closes; in the table the only thing open is the details pane. Marks are
            // cleared by their own key, never by an Esc meant for something else.
            if detailsOpen {
                detailsOpen = false
                details = nil
                keepCursorVisible()
            } else if !marks.isEmpty {
                show("Marks kept: C clears all \(Format.count(marks.count))", .info)
            }
        case .char("/"):
            filter.edit.set(filter.appliedText)
            filter.origin = cursorRow?.id
            mode = .filterPrompt(previous: filter.appliedText)
        case .char("f"): openFind()
        case .char("n"): return repeatFind(forward: true)
        case .char("N"): return repeatFind(forward: false)
        case .char("s"): cycleSortColumn()
        case .char("S"): flipSortDirection()
        case .char("A"): return cycleScope()
        case .char("d"): return requestDeletion(.archive)
        case .char("D"): return requestDeletion(.purge)
        case .char("x"): return requestDeletion(.unenroll)
        case .char("u"): return requestUndo(nil)
        case .char("r"): return requestRestore()
        case .ctrl("y"): return copyCursorSerial()
        case .char("H"): return openHistory()
        case .char(":"): mode = .command(CommandPrompt())
        case .char("?"): mode = .help
        case .char("q"): return [.quit]
        case .char("J") where showsDetails: detailsScroll = min(detailsScroll + 3, 500)
        case .char("K") where showsDetails: detailsScroll = max(detailsScroll - 3, 0)
        case .enter, .tab:
            if Layout(width: viewport.width, height: viewport.height, detailsOpen: true)
                .details == nil
            {
                show(
                    "Details need a \(Layout.fullWidth)x\(Layout.fullHeight) window or larger",
                    .warning)
                return []
            }
            detailsOpen.toggle()
            keepCursorVisible()
            if detailsOpen, let id = cursorRow?.id {
                details = nil
                return [.loadDetails(id)]
            }
            details = nil
            return []
        default: break
        }
        if detailsOpen, let id = cursorRow?.id, id != before {
            detailsScroll = 0
            effects.append(.loadDetails(id))
        }
        return effects
    }

    // MARK: - Results

    /// What a console asks for before its first frame, the same reads as an `.externalChange`
    /// of a fresh state: the runtime sends them before the terminal opens, so that the first
    /// page is read while the terminal is set up (issue 16).
    public var startEffects: [Effect] { loadEffects() }

    /// What reads the rows of the scope: its first page too, when the table shows none of it
    /// yet.
    func loadEffects() -> [Effect] {
        if rowsScope == scope { return [.load(scope)] }
        return [.loadPage(scope, limit: Self.firstPageSize), .count(scope), .load(scope)]
    }

    mutating func apply(rows newRows: DeviceRows, scope rowsScope: ListScope) -> [Effect] {
        let keep = followID ?? cursorRow?.id
        loadError = nil
        refreshing = false
        self.rowsScope = rowsScope
        isPartial = false
        pendingTotal = nil
        rows = newRows
        // Marks name rows of the table: a device the new rows lack (another view after `A`,
        // or purged by someone else) is unmarked, and the admin is told when nothing more
        // important is on the flash line (a mark vanishing unsaid looked like a lost key).
        let before = marks.count
        marks = marks.filter { rowIndex(of: $0) != nil }
        if marks.count < before && flash == nil {
            let dropped = before - marks.count
            show(
                "\(Format.plural(dropped, "mark")) dropped: not in this view (\(Format.count(marks.count)) kept)",
                .info)
        }
        if let a = anchor, rowIndex(of: a) == nil { anchor = nil }
        resort()
        refilter(from: sortedOrder)
        if let follow = followID {
            // After `A`: on the device when the new view has it, else at the top, whatever
            // position the cursor had in the other scope's order.
            if !view.contains(where: { rows[$0].id == follow }) {
                cursor = 0
                scroll = 0
            }
            // Followed until the whole scope is here (`.pageLoaded` keeps it: a first page
            // may not hold the device yet).
            followID = nil
        }
        placeCursor(on: keep)
        // The device may have changed: its details are read again.
        if detailsOpen, let id = cursorRow?.id { return [.loadDetails(id)] }
        return []
    }

    mutating func finishExecution(_ record: TransactionRecord) -> [Effect] {
        let mode = DeletionMode(record.type)
        let applied = Set(record.items.filter(\.outcome.isApplied).compactMap(\.deviceId))
        marks.subtract(applied)
        show(Self.summary(of: record, mode: mode), record.status == .success ? .info : .error)
        if record.status == .success,
            record.items.contains(where: { !$0.outcome.isApplied })
        {
            self.mode = .result(record, scroll: 0)
        } else if record.status != .success {
            self.mode = .result(record, scroll: 0)
        } else {
            self.mode = .normal
        }
        refreshing = true
        var effects: [Effect] = [.load(scope)]
        if historyLoaded { effects.append(.loadHistory) }
        return effects
    }

    /// The undo's flash says what came back ("Restored 12 devices of archive #42"). The
    /// restored devices become the marks only when the admin had none: marks are the admin's
    /// work in progress, which an undo does not throw away.
    mutating func finishUndo(_ record: TransactionRecord) -> [Effect] {
        undoing = false
        undoProgress = nil
        let restored = record.items.filter { $0.outcome == .restored }.compactMap(\.deviceId)
        if marks.isEmpty { marks = Set(restored) }
        var text =
            "Restored \(Format.plural(restored.count, "device")) of archive #\(record.undoes.map(String.init) ?? "?")"
        for (outcome, count) in record.outcomeCounts where !outcome.isApplied {
            text += " · \(count) \(Self.words(outcome))"
        }
        show(text, restored.count == record.items.count ? .info : .warning)
        if case .history = mode {
        } else if record.items.contains(where: { !$0.outcome.isApplied }) {
            mode = .result(record, scroll: 0)
        }
        refreshing = true
        return [.load(scope), .loadHistory]
    }

    /// "Archived 35 · 2 forbidden · u to undo".
    static func summary(of record: TransactionRecord, mode: DeletionMode?) -> String {
        if record.status != .success {
            return "Nothing changed: \(record.error ?? record.status.rawValue.lowercased())"
        }
        let verb = mode?.pastTense ?? record.type.rawValue.lowercased()
        var text =
            verb.prefix(1).uppercased() + verb.dropFirst() + " \(Format.count(record.appliedCount))"
        for (outcome, count) in record.outcomeCounts where !outcome.isApplied {
            text += " · \(Format.count(count)) \(words(outcome))"
        }
        if mode == .archive && record.appliedCount > 0 { text += " · u to undo" }
        return text
    }

    static func words(_ outcome: ItemOutcome) -> String {
        outcome.rawValue.replacingOccurrences(of: "_", with: " ")
    }
}

extension DeletionMode {
    /// The mode a transaction type executes, nil for a restore, an import or a seed.
    init?(_ type: TransactionType) {
        switch type {
        case .archive: self = .archive
        case .purge: self = .purge
        case .unenroll: self = .unenroll
        case .archiveUnenroll: self = .archiveAndUnenroll
        case .restore, .import, .seed: return nil
        }
    }
}
