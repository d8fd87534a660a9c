import DecomCore

// MARK: - Restore (`r`)

extension ConsoleState {
    /// `r` in the archived view (or all): restores the marked devices, or the cursor's, each
    /// from the archive that archived it, after a dialog naming them. The role is checked
    /// first (``DeletionService/restoreRefusal(role:)``); the core checks it again.
    mutating func requestRestore() -> [Effect] {
        if let refusal = DeletionService.restoreRefusal(role: actor.role) {
            show("Not allowed: \(refusal)", .error)
            return []
        }
        guard scope != .active else {
            show("r restores archived devices: A shows the archived view", .warning)
            return []
        }
        if undoing {
            show("Wait for the undo to finish", .warning)
            return []
        }
        let ids = targetIDs
        guard !ids.isEmpty else {
            show("No device to restore", .warning)
            return []
        }
        pending = PendingRequest(work: .restore, ids: ids, hidden: hiddenCount(of: ids))
        mode = .planning(.restore)
        return [.planRestore(ids: ids)]
    }

    /// Opens the dialog for a restore plan that arrived while its request was still waiting.
    mutating func openRestoreConfirmation(_ plan: RestorePlan) -> [Effect] {
        guard case .planning(.restore) = mode, let request = pending else { return [] }
        pending = nil
        mode = .confirmRestore(
            RestoreConfirmation(
                plan: plan, requested: request.ids.count,
                hidden: hiddenCount(of: plan.allowedIDs)))
        return []
    }

    /// The restore dialog: `y` or Enter on Yes restores, `n`, Esc or Enter on No cancels.
    mutating func handleConfirmRestore(_ key: Key, _ confirmation: RestoreConfirmation)
        -> [Effect]
    {
        var c = confirmation
        func cancel() -> [Effect] {
            mode = .normal
            show("Cancelled: nothing was restored", .info)
            return []
        }
        func start() -> [Effect] {
            mode = .progress(.restore, done: 0, total: c.plan.allowed.count)
            return [.restore(c.plan)]
        }
        if key == .escape { return cancel() }
        if c.plan.allowed.isEmpty {
            if [.enter, .char("n"), .char("N"), .char("q")].contains(key) { return cancel() }
            return []
        }
        switch YesNoKey(key, yesFocused: c.yesFocused) {
        case .yes: return start()
        case .no: return cancel()
        case .moveFocus:
            c.yesFocused.toggle()
            mode = .confirmRestore(c)
        case nil: break
        }
        return []
    }

    /// "Restored 2 devices from alice's archive #12 · 1 gone": the restored devices leave
    /// the archived view and the marks; what was not restored opens the result view.
    mutating func finishRestore(_ record: TransactionRecord) -> [Effect] {
        let applied = record.items.filter(\.outcome.isApplied)
        marks.subtract(applied.compactMap(\.deviceId))
        var text: String
        if record.status != .success {
            text = "Nothing restored: \(record.error ?? record.status.rawValue.lowercased())"
        } else {
            text = "Restored \(Format.plural(applied.count, "device"))"
            let archives = Set(applied.compactMap { RestorePlan.archive(namedIn: $0.reason) })
            if archives.count == 1, let only = archives.first {
                text += " of archive #\(only)"
            } else if archives.count > 1 {
                text += " of \(archives.count) archives"
            }
            for (outcome, count) in record.outcomeCounts where !outcome.isApplied {
                text += " · \(count) \(Self.words(outcome))"
            }
        }
        let clean = record.status == .success && applied.count == record.items.count
        show(text, clean ? .info : record.status == .success ? .warning : .error)
        mode = clean ? .normal : .result(record, scroll: 0)
        refreshing = true
        var effects: [Effect] = [.load(scope)]
        if historyLoaded { effects.append(.loadHistory) }
        return effects
    }

}
