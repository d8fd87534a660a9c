import DecomCore
import Foundation

extension ConsoleState {
    /// The `/` prompt: the line is edited with the readline keys (``LineEdit``), and the
    /// table follows each keystroke that parses.
    ///
    /// The view never shows part of what was typed: while the text does not parse, the table
    /// shows the filter applied when the prompt opened. Enter applies text that parses and
    /// closes the prompt; on text that does not, it says why and keeps the prompt open with the
    /// text as typed. Esc cancels the edit only: the filter applied before comes back (k9s,
    /// less and readline's habit); Ctrl-U then Enter clears a filter.
    mutating func handleFilterPrompt(_ key: Key, previous: String) -> [Effect] {
        let before = cursorRow?.id
        var effects: [Effect] = []
        switch key {
        case .enter:
            if filter.error != nil {
                filter.refused = true
                break
            }
            mode = .normal
            filter.browse = nil
            filter.edit.set(filter.appliedText)
            if filterHistory.record(filter.appliedText) {
                effects.append(.saveHistory(.filter, filterHistory.entries))
            }
        case .escape:
            mode = .normal
            filter.browse = nil
            setFilter(previous)
        case .tab:
            let head = String(filter.edit.beforeCursor)
            let tail = String(filter.edit.afterCursor)
            guard let completion = QueryCompletion.complete(head) else { break }
            filter.edit.set(completion.text + tail)
            filter.edit.cursor = completion.text.count
            updateFilter()
            filter.options = completion.options
        case .up:
            guard let browse = filterHistory.older(than: filter.browse, draft: filter.text)
            else { break }
            setFilter(filterHistory.entries[browse.index])
            filter.browse = browse
        case .down:
            guard let browse = filter.browse else { break }
            let next = filterHistory.newer(than: browse)
            setFilter(next.map { filterHistory.entries[$0.index] } ?? browse.draft)
            filter.browse = next
        default:
            switch filter.edit.apply(key) {
            case .edited:
                filter.browse = nil
                updateFilter()
            case .moved:
                filter.options = []
            case .ignored:
                break
            }
        }
        if detailsOpen, let id = cursorRow?.id, id != before {
            effects.append(.loadDetails(id))
        }
        return effects
    }

    /// Sets the filter text (the cursor at its end) and narrows or widens the view.
    mutating func setFilter(_ text: String) {
        filter.edit.set(text)
        updateFilter()
    }

    /// Applies the prompt's text when it parses. When it does not, the error is kept and the
    /// view shows the filter applied when the prompt opened (outside the prompt: the one
    /// applied now), never a part of the text. Work is done only when the parsed query
    /// changes; a query that only adds terms filters the rows shown already.
    mutating func updateFilter() {
        filter.options = []
        filter.refused = false
        let trimmed = filter.text.trimmingCharacters(in: .whitespaces)
        do {
            let query = trimmed.isEmpty ? nil : try DeviceQuery.parse(trimmed, now: now)
            filter.error = nil
            applyFilter(trimmed, query)
        } catch {
            filter.error = error
            guard case .filterPrompt(let previous) = mode, previous != filter.appliedText else {
                return
            }
            applyFilter(previous, try? DeviceQuery.parse(previous, now: now))
        }
    }

    private mutating func applyFilter(_ trimmed: String, _ query: DeviceQuery?) {
        guard trimmed != filter.appliedText else { return }
        var keep = cursorRow?.id
        if case .filterPrompt = mode { keep = filter.origin }
        let narrows = Self.narrows(from: filter.appliedText, to: trimmed)
        filter.appliedText = trimmed
        filter.query = query
        refilter(from: narrows ? view : sortedOrder)
        // On the same device when the new view shows it, else at the top of the results.
        if let keep, let row = rowIndex(of: keep),
            view.contains(Int32(truncatingIfNeeded: row))
        {
            placeCursor(on: keep)
        } else {
            cursor = 0
            scroll = 0
        }
    }

    /// Recomputes the view from candidate row positions (already in sort order), on the
    /// columns and across the cores (``DeviceQuery/matchingPositions(_:among:)``).
    mutating func refilter(from candidates: [Int32]) {
        guard let query = filter.query, !query.isEmpty else {
            view = sortedOrder
            return
        }
        view = query.matchingPositions(rows, among: candidates)
    }

    /// Whether every row matching `new` also matches `old`, so `new` may filter the rows
    /// `old` left. True when `new` keeps all of `old`'s terms (terms combine with AND), or
    /// only lengthens its last free word (a substring match). Quotes make no promise.
    static func narrows(from old: String, to new: String) -> Bool {
        if old.isEmpty { return false }
        if old.contains("\"") || new.contains("\"") { return false }
        let oldTerms = old.split(separator: " ")
        let newTerms = new.split(separator: " ")
        guard newTerms.count >= oldTerms.count, let last = oldTerms.last else { return false }
        for (a, b) in zip(oldTerms.dropLast(), newTerms) where a != b { return false }
        let counterpart = newTerms[oldTerms.count - 1]
        if counterpart == last { return true }
        // Both free words: `status` typed on to `status:a` is a field term, not a longer word.
        func isFreeWord(_ term: Substring) -> Bool { !term.contains(":") && !term.hasPrefix("-") }
        return isFreeWord(last) && isFreeWord(counterpart) && counterpart.hasPrefix(last)
    }
}
