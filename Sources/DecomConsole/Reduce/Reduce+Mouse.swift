import DecomCore

// MARK: - Mouse

extension ConsoleState {
    /// The gutter's width: the cursor's column, then the mark column (`TableColumn.gutter`).
    static let markColumns = 0..<2
    /// How many rows a step of the wheel scrolls, as most terminals and pagers do.
    static let wheelLines = 3

    /// A click or a turn of the wheel, on the screen `render` drew for the viewport.
    ///
    /// In the table a click on a row moves the cursor there, a click in the mark column (the
    /// gutter's second cell, where the mark shows) toggles that row's mark without moving the
    /// cursor, and the wheel scrolls the table, the cursor with it, or the details pane when it
    /// is over the pane. In the full record, the result and the history views the wheel moves
    /// as `j` and `k` do. Anything else (the header, a dialog, a prompt) ignores the mouse.
    mutating func handleMouse(_ event: MouseEvent) -> [Effect] {
        switch mode {
        case .normal: break
        case .describe, .result, .history:
            guard event.kind != .press else { return [] }
            let key: Key = event.kind == .wheelUp ? .up : .down
            var effects: [Effect] = []
            for _ in 0..<Self.wheelLines { effects += handle(key) }
            return effects
        default: return []
        }
        let before = cursorRow?.id
        let layout = Layout(
            width: viewport.width, height: viewport.height, detailsOpen: detailsOpen)
        if let pane = layout.details, showsDetails, pane.contains(x: event.x, y: event.y) {
            switch event.kind {
            case .wheelUp: detailsScroll = max(detailsScroll - Self.wheelLines, 0)
            case .wheelDown: detailsScroll = min(detailsScroll + Self.wheelLines, 500)
            case .press: break
            }
            return []
        }
        switch event.kind {
        case .wheelUp: scrollTable(by: -Self.wheelLines)
        case .wheelDown: scrollTable(by: Self.wheelLines)
        case .press:
            let body = layout.tableBody
            guard body.contains(x: event.x, y: event.y) else { return [] }
            keepCursorVisible()
            let position = scroll + event.y - body.y
            guard position < view.count else { return [] }
            if Self.markColumns.contains(event.x - body.x) {
                let id = shownRow(position).id
                if marks.remove(id) == nil { marks.insert(id) }
                anchor = id
            } else {
                moveCursor(to: position)
            }
        }
        if detailsOpen, let id = cursorRow?.id, id != before {
            detailsScroll = 0
            return [.loadDetails(id)]
        }
        return []
    }

    /// Scrolls the table by whole rows; the cursor keeps its line on the screen, and moves on
    /// to the first or the last row once the table can scroll no further.
    mutating func scrollTable(by lines: Int) {
        guard !view.isEmpty else { return }
        keepCursorVisible()
        let height = max(1, pageHeight)
        let top = min(max(0, scroll + lines), max(0, view.count - height))
        let shift = top - scroll
        scroll = top
        cursor = min(max(0, cursor + (shift != 0 ? shift : lines)), view.count - 1)
        keepCursorVisible()
    }
}

extension Layout.Rect {
    /// Whether the cell at (x, y) is inside the rectangle.
    func contains(x: Int, y: Int) -> Bool {
        x >= self.x && x < self.x + width && y >= self.y && y < self.y + height
    }
}
