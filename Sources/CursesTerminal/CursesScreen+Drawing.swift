import CNCursesW
import DecomConsole

extension CursesScreen {
    /// One cell to write: its leading column, and how many columns its character takes on
    /// screen (more than one for a wide character that fits).
    private struct Change {
        var x: Int
        var y: Int
        var width: Int
    }

    func paint(_ canvas: Canvas) {
        let screen = size
        let resized =
            screen.width != drawnSize.width || screen.height != drawnSize.height
            || canvas.width != previous?.width || canvas.height != previous?.height
        if resized {
            // New size: forget pairs and the previous canvas, clear and repaint once.
            pairs.reset()
            previous = nil
            werase(window)
            clearok(window, true)
            drawnSize = screen
        }
        let columns = min(screen.width, canvas.width)
        let rows = min(screen.height, canvas.height)

        var changes = changedCells(canvas, columns: columns, rows: rows)
        // A frame has a few styles, each in runs of cells: each run's colours are mapped once.
        var styles = StyleCache()
        var missing = Set<ColorPairs.Colors>()
        for change in changes {
            let colors = styles.colors(of: canvas[change.x, change.y].style, pairs: pairs)
            if !pairs.isCached(colors) { missing.insert(colors) }
        }
        if missing.count > pairs.room {
            // Out of pairs: start the cache again and repaint everything with the new numbers.
            pairs.reset()
            previous = nil
            changes = changedCells(canvas, columns: columns, rows: rows)
        }

        for change in changes {
            let cell = canvas[change.x, change.y]
            let colors = styles.colors(of: cell.style, pairs: pairs)
            write(
                cell, attributes: decom_attributes(UInt32(cell.style.attrs.rawValue)),
                pair: pairs.pair(for: colors), x: change.x, y: change.y, width: change.width)
        }
        previous = canvas
        placeCursor(canvas.cursor, columns: columns, rows: rows)
    }

    /// The colours of the last style looked up, for the run of cells that share it.
    private struct StyleCache {
        var style: Style?
        var colors = ColorPairs.Colors(fg: -1, bg: -1)

        mutating func colors(of style: Style, pairs: ColorPairs) -> ColorPairs.Colors {
            if style != self.style {
                self.style = style
                colors = pairs.colors(of: style)
            }
            return colors
        }
    }

    /// The cells that differ from the previous canvas (all of them when there is none).
    private func changedCells(_ canvas: Canvas, columns: Int, rows: Int) -> [Change] {
        var changes: [Change] = []
        for y in 0..<rows {
            var x = 0
            while x < columns {
                let cell = canvas[x, y]
                var span = 1
                while x + span < canvas.width, canvas[x + span, y].isContinuation { span += 1 }
                var changed = true
                if let previous {
                    changed = (x..<x + span).contains { previous[$0, y] != canvas[$0, y] }
                }
                if changed {
                    // A continuation with no character before it is drawn as a blank; a wide
                    // character cut by the screen edge is drawn in the columns left.
                    changes.append(Change(x: x, y: y, width: min(span, columns - x)))
                }
                x += span
            }
        }
        return changes
    }

    /// Writes one canvas cell, a whole grapheme cluster, in `width` columns, so that the
    /// columns after it stay where the canvas has them (see ``pieces(for:width:)``).
    private func write(
        _ cell: Canvas.Cell, attributes: attr_t, pair: Int32, x: Int, y: Int, width: Int
    ) {
        // Most cells hold one printable ASCII character: no arrays for it.
        if width == 1, cell.text.utf8.count == 1, let byte = cell.text.utf8.first,
            (0x20..<0x7F).contains(byte)
        {
            put(wchar_t(byte), x: x, y: y, attributes: attributes, pair: pair)
            return
        }
        var used = 0
        for piece in pieces(for: cell.text, width: width) {
            put(piece.scalars, x: x + piece.offset, y: y, attributes: attributes, pair: pair)
            used = piece.offset + piece.width
        }
        for column in used..<max(used, width) {
            put([" "], x: x + column, y: y, attributes: attributes, pair: pair)
        }
    }

    /// The ncurses cells that draw a grapheme cluster in `width` columns: each with its column
    /// offset, its code points and the columns ncurses gives it (`wcwidth` of its first).
    ///
    /// ncurses sizes a cell by its first code point and sends every code point it holds, at
    /// most `CCHARW_MAX` (5). So a cluster is drawn whole in one cell when the terminal gives
    /// it the width of its first code point (`👩‍💻` on a terminal that joins ZWJ sequences),
    /// or split into one cell per spacing code point, each with the zero-width ones after it,
    /// when the terminal adds up code points (`👍` `🏽` on xterm): either way ncurses' idea of
    /// the cursor matches the terminal's. A cluster neither way fits (eight people joined into
    /// one 2-column family) is replaced visibly by U+FFFD (`?` without Unicode), padded.
    private func pieces(for text: String, width: Int) -> [(
        offset: Int, width: Int, scalars: [Unicode.Scalar]
    )] {
        let replacement: Unicode.Scalar = capabilities.unicode ? "\u{FFFD}" : "?"
        let fallback = [(offset: 0, width: 1, scalars: [replacement])]
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return [] }
        if scalars.contains(where: { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }) {
            return fallback
        }
        if !capabilities.unicode, scalars.contains(where: { !$0.isASCII }) { return fallback }
        let widths = scalars.map { Int(decom_wcwidth(wchar_t(bitPattern: $0.value))) }
        guard !widths.contains(where: { $0 < 0 }), widths[0] >= 1 else { return fallback }
        let limit = Int(CCHARW_MAX)
        if widths[0] == width || (scalars.count == 1 && widths[0] <= width) {
            if scalars.count <= limit { return [(0, widths[0], scalars)] }
        }
        // One cell per spacing code point.
        var cells: [(offset: Int, width: Int, scalars: [Unicode.Scalar])] = []
        var offset = 0
        for (scalar, w) in zip(scalars, widths) {
            if w == 0 {
                cells[cells.count - 1].scalars.append(scalar)
                continue
            }
            cells.append((offset, w, [scalar]))
            offset += w
        }
        // A letter with its marks may sit in wider room, padded; an emoji asking for emoji
        // presentation (U+FE0F) may not: the terminal would draw it wider than ncurses knows.
        let padded = cells.count == 1 && !scalars.contains { $0.value == 0xFE0F }
        guard offset <= width, offset == width || padded,
            cells.allSatisfy({ $0.scalars.count <= limit })
        else { return fallback }
        return cells
    }

    private func put(_ character: wchar_t, x: Int, y: Int, attributes: attr_t, pair: Int32) {
        var character = character
        var cell = cchar_t()
        guard decom_cluster_cell(&cell, &character, 1, attributes, pair) == OK else { return }
        // Writing the bottom-right cell returns ERR (the cursor cannot advance) but draws it.
        _ = mvwadd_wch(window, Int32(y), Int32(x), &cell)
    }

    private func put(
        _ scalars: [Unicode.Scalar], x: Int, y: Int, attributes: attr_t, pair: Int32
    ) {
        let text = scalars.map { wchar_t(bitPattern: $0.value) }
        var cell = cchar_t()
        let result = text.withUnsafeBufferPointer { chars in
            decom_cluster_cell(&cell, chars.baseAddress, Int32(chars.count), attributes, pair)
        }
        guard result == OK else { return }
        // Writing the bottom-right cell returns ERR (the cursor cannot advance) but draws it.
        _ = mvwadd_wch(window, Int32(y), Int32(x), &cell)
    }

    /// Shows the cursor where the canvas asks for it, or hides it.
    private func placeCursor(_ cursor: (x: Int, y: Int)?, columns: Int, rows: Int) {
        if let cursor, cursor.x >= 0, cursor.x < columns, cursor.y >= 0, cursor.y < rows {
            leaveok(window, false)
            wmove(window, Int32(cursor.y), Int32(cursor.x))
            wnoutrefresh(window)
            doupdate()
            if !cursorVisible {
                curs_set(1)
                cursorVisible = true
            }
        } else {
            if cursorVisible {
                curs_set(0)
                cursorVisible = false
            }
            leaveok(window, true)
            wnoutrefresh(window)
            doupdate()
        }
    }
}
