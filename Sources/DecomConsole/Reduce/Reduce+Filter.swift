import DecomCore
import Foundation

extension ConsoleState {
    mutating func handleFilterPrompt(_ key: Key, previous: String) -> [Effect] {
        let before = cursorRow?.id
        switch key {
        case .enter:
            mode = .normal
            if let error = filter.error {
                show("Filter not applied: \(error.message)", .error)
                setFilter(filter.appliedText)
            }
        case .escape:
            mode = .normal
            setFilter("")
        case .backspace, .delete:
            guard !filter.text.isEmpty else { break }
            setFilter(String(filter.text.dropLast()))
        case .ctrl("u"):
            setFilter("")
        case .tab:
            guard let completion = QueryCompletion.complete(filter.text) else { break }
            setFilter(completion.text)
            filter.options = completion.options
        case .char(let c):
            setFilter(filter.text + String(c))
        default:
            break
        }
        if detailsOpen, let id = cursorRow?.id, id != before { return [.loadDetails(id)] }
        return []
    }

    /// Sets the filter text and narrows or widens the view. Work is done only when the
    /// parsed query changes; a query that only adds terms filters the rows shown already.
    mutating func setFilter(_ text: String) {
        filter.text = text
        filter.options = []
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let query: DeviceQuery?
        if trimmed.isEmpty {
            query = nil
        } else {
            do {
                query = try DeviceQuery.parse(trimmed)
            } catch {
                filter.error = error
                return
            }
        }
        filter.error = nil
        guard trimmed != filter.appliedText else { return }
        let keep = cursorRow?.id
        let narrows = Self.narrows(from: filter.appliedText, to: trimmed)
        filter.appliedText = trimmed
        filter.query = query
        refilter(from: narrows ? view : sortedOrder)
        placeCursor(on: keep)
    }

    /// Recomputes the view from candidate row indices (already in sort order).
    mutating func refilter(from candidates: [Int]) {
        guard let query = filter.query, !query.isEmpty else {
            view = sortedOrder
            return
        }
        view = query.matchingIndices(rows, among: candidates)
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
