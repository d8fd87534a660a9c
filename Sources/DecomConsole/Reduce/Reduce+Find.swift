import DecomCore
import Foundation

/// The find prompt (`f`) and its repeats (`n`, `N`): less's and vim's search, on the rows the
/// table shows. It moves the cursor and never filters: the view, marks and counts stay.
///
/// A find is written in the query language of `/` and `decom list` (``DeviceQuery``), so
/// `f seen:>90d` and `f LT-PAR` both work. While it is typed, the cursor goes to the first
/// matching row at or after where it was when the prompt opened; Esc puts it back there.
public struct FindState: Sendable {
    /// What the prompt holds, and where its cursor is.
    public internal(set) var edit = LineEdit()
    /// The last find that parsed: what `n` and `N` repeat.
    public internal(set) var query: DeviceQuery?
    /// The text of ``query``, for the flash.
    public internal(set) var queryText = ""
    /// Why the text does not parse.
    public internal(set) var error: QueryError?
    /// Set when the typed find matches no row shown.
    public internal(set) var noMatch = false
}

extension ConsoleState {
    /// Opens the find prompt empty (Up is not needed: `n` repeats the last find), the cursor
    /// where it is.
    mutating func openFind() {
        find.edit.set("")
        find.error = nil
        find.noMatch = false
        mode = .findPrompt(origin: cursor)
    }

    /// A key at the find prompt: the readline keys edit; each edit that parses moves the
    /// cursor to the first match from `origin` on (wrapping). Enter keeps the cursor there
    /// (refused while the text does not parse); Esc returns it to `origin`.
    mutating func handleFindPrompt(_ key: Key, origin: Int) -> [Effect] {
        let before = cursorRow?.id
        switch key {
        case .enter:
            if find.error != nil { break }
            mode = .normal
            if find.noMatch {
                show("No device shown matches \(SafeText.visible(find.queryText))", .warning)
            } else if find.query != nil {
                show("Found: n next, N previous", .info)
            }
        case .escape:
            mode = .normal
            moveCursor(to: origin)
        default:
            guard case .edited = find.edit.apply(key) else { break }
            let text = find.edit.text.trimmingCharacters(in: .whitespaces)
            find.noMatch = false
            if text.isEmpty {
                find.error = nil
                find.query = nil
                find.queryText = ""
                moveCursor(to: origin)
                break
            }
            do {
                let query = try DeviceQuery.parse(text, now: now)
                find.error = nil
                find.query = query
                find.queryText = text
                if let position = findMatch(query, from: origin, forward: true) {
                    moveCursor(to: position)
                } else {
                    find.noMatch = true
                    moveCursor(to: origin)
                }
            } catch {
                find.error = error
            }
        }
        return detailsFollowCursor(from: before)
    }

    /// `n` (forward) and `N` (backward): the next row after the cursor that the last find
    /// matches, wrapping at the end of the view with a flash that says so.
    mutating func repeatFind(forward: Bool) -> [Effect] {
        guard let query = find.query else {
            show("Nothing to repeat: f finds a device", .warning)
            return []
        }
        let before = cursorRow?.id
        guard !view.isEmpty else { return [] }
        let start = forward ? cursor + 1 : cursor - 1
        guard let position = findMatch(query, from: start, forward: forward) else {
            show("No device shown matches \(SafeText.visible(find.queryText))", .warning)
            return []
        }
        let wrapped = forward ? position <= cursor : position >= cursor
        moveCursor(to: position)
        if wrapped {
            show(forward ? "Find wrapped to the top" : "Find wrapped to the bottom", .info)
        }
        return detailsFollowCursor(from: before)
    }

    /// The first position of the view from `start` in the given direction, wrapping once
    /// round, whose row `query` matches; nil when none does.
    func findMatch(_ query: DeviceQuery, from start: Int, forward: Bool) -> Int? {
        let count = view.count
        guard count > 0 else { return nil }
        let first = ((start % count) + count) % count
        for step in 0..<count {
            let position = forward ? (first + step) % count : (first - step + count) % count
            if query.matches(rows[view[position]]) { return position }
        }
        return nil
    }

    /// When the details pane is open and the cursor moved to another device, its details.
    private mutating func detailsFollowCursor(from before: Int64?) -> [Effect] {
        guard detailsOpen, let id = cursorRow?.id, id != before else { return [] }
        detailsScroll = 0
        return [.loadDetails(id)]
    }
}
