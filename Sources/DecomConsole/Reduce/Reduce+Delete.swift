import DecomCore

// MARK: - Asking

extension ConsoleState {
    /// The devices an action applies to: the marks, or the cursor row when nothing is marked.
    var targetIDs: [Int64] {
        if !marks.isEmpty { return marks.sorted() }
        return cursorRow.map { [$0.id] } ?? []
    }

    /// Starts a deletion: checks the role, then asks for a plan.
    mutating func requestDeletion(_ deletion: DeletionMode) -> [Effect] {
        if let refusal = DeletionPolicy.scopeRefusal(role: actor.role, mode: deletion) {
            show("Not allowed: \(refusal)", .error)
            return []
        }
        if undoing {
            show("Wait for the undo to finish", .warning)
            return []
        }
        let ids = targetIDs
        guard !ids.isEmpty else {
            show("No device to \(deletion.verb)", .warning)
            return []
        }
        pending = PendingRequest(
            work: .deletion(deletion), ids: ids, hidden: hiddenCount(of: ids))
        mode = .planning(.deletion(deletion))
        return [.plan(ids: ids, mode: deletion)]
    }

    /// Opens the dialog for a plan that arrived while its request was still waiting.
    mutating func openConfirmation(_ plan: DeletionPlan) -> [Effect] {
        guard case .planning(.deletion(let waiting)) = mode, waiting == plan.mode,
            let request = pending
        else { return [] }
        pending = nil
        // Every number in the dialog comes from the plan it confirms: a marked device the plan
        // skips is not counted as hidden.
        mode = .confirm(
            Confirmation(
                plan: plan, requested: request.ids.count, hidden: hiddenCount(of: plan.allowedIDs)))
        return []
    }

    // MARK: - Confirming

    mutating func handleConfirm(_ key: Key, _ confirmation: Confirmation) -> [Effect] {
        var c = confirmation
        if key == .escape {
            return cancelConfirmation(c)
        }
        if c.plan.allowed.isEmpty {
            // Nothing can be done: any closing key closes.
            if [.enter, .char("n"), .char("N"), .char("q")].contains(key) {
                return cancelConfirmation(c)
            }
            return []
        }
        if c.isDanger {
            switch key {
            case .char(let ch) where ch.isASCII && ch.isNumber:
                if c.typed.count < 9 { c.typed.append(ch) }
                c.rejectedTyping = false
            case .backspace, .delete:
                if !c.typed.isEmpty { c.typed.removeLast() }
                c.rejectedTyping = false
            case .enter:
                if c.typedMatches { return startExecution(c.plan) }
                // The wrong count is cleared, so the next digits are not appended to it.
                c.rejectedTyping = true
                c.typed = ""
            default:
                break
            }
            mode = .confirm(c)
            return []
        }
        switch YesNoKey(key, yesFocused: c.yesFocused) {
        case .yes: return startExecution(c.plan)
        case .no: return cancelConfirmation(c)
        case .moveFocus:
            c.yesFocused.toggle()
            mode = .confirm(c)
        case nil: break
        }
        return []
    }

    mutating func cancelConfirmation(_ c: Confirmation) -> [Effect] {
        mode = .normal
        show("Cancelled: nothing was \(c.plan.mode.pastTense)", .info)
        return []
    }

    mutating func startExecution(_ plan: DeletionPlan) -> [Effect] {
        mode = .progress(.deletion(plan.mode), done: 0, total: plan.allowed.count)
        return [.execute(plan)]
    }
}

// MARK: - Undo and history

extension ConsoleState {
    mutating func requestUndo(_ transaction: Int64?) -> [Effect] {
        guard actor.role.may(.restore) else {
            show("Not allowed: role \(actor.role.rawValue) may not undo; it needs operator", .error)
            return []
        }
        guard !undoing else {
            show("An undo is already running", .warning)
            return []
        }
        undoing = true
        undoProgress = nil
        show("Undoing…", .info)
        return [.undo(transaction)]
    }

    mutating func openHistory() -> [Effect] {
        mode = .history(selected: 0)
        return [.loadHistory]
    }

    mutating func handleHistory(_ key: Key, selected: Int) -> [Effect] {
        let last = max(0, history.count - 1)
        switch key {
        case .escape, .char("q"), .char("H"):
            mode = .normal
        case .char("j"), .down: mode = .history(selected: min(last, selected + 1))
        case .char("k"), .up: mode = .history(selected: max(0, selected - 1))
        case .char("g"), .home: mode = .history(selected: 0)
        case .char("G"), .end: mode = .history(selected: last)
        case .pageDown, .ctrl("f"): mode = .history(selected: min(last, selected + pageHeight))
        case .pageUp, .ctrl("b"): mode = .history(selected: max(0, selected - pageHeight))
        case .char("u"):
            guard selected < history.count else { return [] }
            let record = history[selected]
            guard record.type.isUndoable else {
                show(
                    "Transaction \(record.id) (\(record.type.rawValue)) cannot be undone; "
                        + "only an archive can", .warning)
                return []
            }
            if let by = record.undoneBy {
                show("Transaction \(record.id) was already undone by \(by)", .warning)
                return []
            }
            guard actor.role.may(.restore) else { return requestUndo(record.id) }
            // One `u`, one undo: always asked, naming whose work it is and when, so that a
            // second `u` never undoes the next archive the list moved under the selection.
            mode = .confirmUndo(UndoConfirmation(record: record, selected: selected))
            return []
        default:
            break
        }
        return []
    }

    mutating func handleConfirmUndo(_ key: Key, _ confirmation: UndoConfirmation) -> [Effect] {
        var c = confirmation
        func confirm() -> [Effect] {
            mode = .history(selected: c.selected)
            return requestUndo(c.record.id)
        }
        let whose = c.record.user == actor.user ? "your" : "\(Format.device(c.record.user))'s"
        switch key == .escape ? .no : YesNoKey(key, yesFocused: c.yesFocused) {
        case .yes: return confirm()
        case .no:
            mode = .history(selected: c.selected)
            show("Cancelled: \(whose) archive was not undone", .info)
        case .moveFocus:
            c.yesFocused.toggle()
            mode = .confirmUndo(c)
        case nil: break
        }
        return []
    }

    mutating func handleResult(_ key: Key, _ record: TransactionRecord, scroll: Int) -> [Effect] {
        let count = record.items.filter { !$0.outcome.isApplied }.count
        switch key {
        case .escape, .enter, .char("q"):
            mode = .normal
        case .char("j"), .down:
            mode = .result(record, scroll: min(max(0, count - 1), scroll + 1))
        case .char("k"), .up:
            mode = .result(record, scroll: max(0, scroll - 1))
        case .resize:
            break
        default:
            // Any other key closes the view and acts as in the table: `u` undoes at once.
            mode = .normal
            return handleNormal(key)
        }
        return []
    }
}

/// The flash for an undo the core refused: why, and which archive can still be undone, short
/// enough for an 80-column line whatever the ids ("Cannot undo purge #12: irreversible ·
/// undoable: archive #9 (H)"; the longer form was cut before the archive's number).
public func undoRefusalMessage(_ error: UndoError) -> String {
    switch error {
    case .notUndoable(let id, let type, let newest):
        let what =
            type == .purge
            ? "purge #\(id): irreversible"
            : type == .unenroll
                ? "unenroll #\(id): agent gone" : "restore #\(id): final"
        let hint = newest.map { "undoable: archive #\($0) (H)" } ?? "no archive can be undone"
        return "Cannot undo \(what) · \(hint)"
    case .nothingOfYours(_, let id, let by):
        return
            "Nothing of yours to undo; the newest archive is \(by)'s transaction \(id) (H to open it)"
    default:
        return "Cannot undo: \(error.description)"
    }
}

/// What a key means in a yes/no dialog (archive, restore, the history's undo): `y` and `n`,
/// Enter on the focused button, and Tab, the arrows or `h`/`l` moving the focus between them.
enum YesNoKey {
    case yes, no, moveFocus

    init?(_ key: Key, yesFocused: Bool) {
        switch key {
        case .char("y"), .char("Y"): self = .yes
        case .char("n"), .char("N"): self = .no
        case .enter: self = yesFocused ? .yes : .no
        case .tab, .backTab, .left, .right, .char("h"), .char("l"): self = .moveFocus
        default: return nil
        }
    }
}
