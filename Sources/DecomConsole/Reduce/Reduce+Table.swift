import DecomCore

// MARK: - Cursor

extension ConsoleState {
    /// Moves the cursor to a position of the view, clamped. A page move also scrolls by a page.
    mutating func moveCursor(to position: Int, page: Bool = false) {
        guard !view.isEmpty else {
            cursor = 0
            scroll = 0
            return
        }
        // The admin moved: the cursor no longer follows a device across a scope switch.
        followID = nil
        let target = min(max(0, position), view.count - 1)
        if page {
            scroll += target - cursor
        }
        cursor = target
        keepCursorVisible()
    }

    /// Scrolls as little as needed to show the cursor, and never past the end.
    mutating func keepCursorVisible() {
        let height = max(1, pageHeight)
        cursor = view.isEmpty ? 0 : min(max(0, cursor), view.count - 1)
        scroll = min(scroll, max(0, view.count - height))
        if cursor < scroll { scroll = cursor }
        if cursor >= scroll + height { scroll = cursor - height + 1 }
        scroll = max(0, scroll)
    }

    /// Puts the cursor back on a device after the view changed, or keeps its position.
    mutating func placeCursor(on id: Int64?) {
        if let id, let row = rowIndex(of: id),
            let position = view.firstIndex(of: Int32(truncatingIfNeeded: row))
        {
            cursor = position
        }
        keepCursorVisible()
    }
}

// MARK: - Marks

extension ConsoleState {
    mutating func toggleMarkAndAdvance() {
        guard let row = cursorRow else { return }
        if marks.remove(row.id) == nil {
            marks.insert(row.id)
        }
        anchor = row.id
        moveCursor(to: cursor + 1)
    }

    /// Marks every shown row between the last mark and the cursor, both included.
    /// `v`: marks from the last mark to the cursor. With no mark to start from (none yet, or
    /// the filter hides it), the range starts at the cursor, as lazygit's visual mode does:
    /// the row is marked, and the next `v` marks from it to the cursor.
    mutating func markRange() {
        guard let row = cursorRow else { return }
        guard let anchor, let anchorRow = rowIndex(of: anchor),
            let start = view.firstIndex(of: Int32(truncatingIfNeeded: anchorRow))
        else {
            marks.insert(row.id)
            self.anchor = row.id
            show("Range starts here: move, then v marks to the cursor", .info)
            return
        }
        let range = min(start, cursor)...max(start, cursor)
        for position in range { marks.insert(rows.id(at: view[position])) }
        self.anchor = row.id
        show("Marked \(Format.count(range.count)) rows", .info)
    }

    /// Refuses a key that acts on every shown row while the rows are not yet the whole scope:
    /// only its first page, or still the previous scope's rows.
    mutating func refusedWhilePartial() -> Bool {
        if isPartial {
            let read =
                pendingTotal.map { "\(Format.count(rows.count)) of \(Format.count($0)) devices" }
                ?? "\(Format.count(rows.count)) devices so far"
            show("Still reading the fleet (\(read)): try again in a moment", .warning)
            return true
        }
        if rowsScope != scope {
            show("Still reading the \(scope.rawValue) devices: try again in a moment", .warning)
            return true
        }
        return false
    }

    mutating func markAllShown() {
        if refusedWhilePartial() { return }
        guard !view.isEmpty else {
            show("No rows shown: nothing to mark", .warning)
            return
        }
        for index in view { marks.insert(rows.id(at: index)) }
        show("Marked all \(Format.count(view.count)) shown rows", .info)
    }

    mutating func invertShown() {
        if refusedWhilePartial() { return }
        for index in view {
            let id = rows.id(at: index)
            if marks.remove(id) == nil { marks.insert(id) }
        }
    }

    /// `C`: clears every mark, those the filter hides too, and says how many.
    mutating func clearMarks() {
        guard !marks.isEmpty else {
            show("No marks to clear", .info)
            return
        }
        let count = marks.count
        let hidden = hiddenCount(of: marks)
        marks.removeAll()
        anchor = nil
        var text = "Cleared \(Format.plural(count, "mark"))"
        if hidden > 0 { text += " (\(Format.count(hidden)) hidden by the filter)" }
        show(text, .info)
    }

    /// How many of the ids are not in the view.
    func hiddenCount(of ids: some Collection<Int64>) -> Int {
        guard filter.isActive else { return 0 }
        let shown = Set(view.lazy.map { rows.id(at: $0) })
        return ids.reduce(0) { $0 + (shown.contains($1) ? 0 : 1) }
    }
}

// MARK: - Sort and scope

extension ConsoleState {
    /// `s`: the next sort key among the shown columns' (in their order), or among every
    /// sort key when no shown column sorts.
    mutating func cycleSortColumn() {
        var all: [SortColumn] = []
        for column in columns.compactMap(\.sortColumn) where !all.contains(column) {
            all.append(column)
        }
        if all.isEmpty { all = SortColumn.allCases }
        let next = all.firstIndex(of: sort.column).map { ($0 + 1) % all.count } ?? 0
        setSort(DeviceSort(column: all[next], ascending: sort.ascending))
    }

    mutating func flipSortDirection() {
        setSort(DeviceSort(column: sort.column, ascending: !sort.ascending))
    }

    mutating func setSort(_ newSort: DeviceSort) {
        let keep = cursorRow?.id
        sort = newSort
        resort()
        refilter(from: sortedOrder)
        placeCursor(on: keep)
        show(
            "Sorted by \(sort.column.rawValue) \(sort.ascending ? "ascending" : "descending")",
            .info)
    }

    /// Orders every row by the sort, once per sort change or load.
    mutating func resort() {
        sortedOrder = sort.sortedPositions(rows)
    }

    mutating func cycleScope() -> [Effect] {
        let all = ListScope.allCases
        // The cursor's device, followed into the new scope (`apply(rows:scope:)`).
        followID = cursorRow?.id ?? followID
        scope = all[((all.firstIndex(of: scope) ?? 0) + 1) % all.count]
        show("Showing \(scope.rawValue) devices", .info)
        return loadEffects()
    }
}
