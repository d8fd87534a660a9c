import CNCursesW
import DecomConsole

extension CursesScreen {
    /// One cell to write: its leading column, and 2 when it is the left half of a wide
    /// character that fits on screen.
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
        let missing = Set(changes.map { pairs.colors(of: canvas[$0.x, $0.y].style) })
            .filter { !pairs.isCached($0) }
        if missing.count > pairs.room {
            // Out of pairs: start the cache again and repaint everything with the new numbers.
            pairs.reset()
            previous = nil
            changes = changedCells(canvas, columns: columns, rows: rows)
        }

        for change in changes {
            write(canvas[change.x, change.y], x: change.x, y: change.y, width: change.width)
        }
        previous = canvas
        placeCursor(canvas.cursor, columns: columns, rows: rows)
    }

    /// The cells that differ from the previous canvas (all of them when there is none).
    private func changedCells(_ canvas: Canvas, columns: Int, rows: Int) -> [Change] {
        var changes: [Change] = []
        for y in 0..<rows {
            var x = 0
            while x < columns {
                let cell = canvas[x, y]
                let isWide = x + 1 < canvas.width && canvas[x + 1, y].isContinuation
                let span = isWide ? 2 : 1
                var changed = true
                if let previous {
                    changed = previous[x, y] != cell
                    if isWide { changed = changed || previous[x + 1, y] != canvas[x + 1, y] }
                }
                if changed {
                    // A continuation with no wide character before it is drawn as a blank; a
                    // wide character cut by the screen edge is drawn in one column.
                    changes.append(Change(x: x, y: y, width: min(span, columns - x)))
                }
                x += span
            }
        }
        return changes
    }

    /// Writes one cell with `setcchar` and `mvwadd_wch`. When the terminal's width for the
    /// character (`wcwidth`) differs from the canvas's, the columns are kept: a narrow glyph
    /// in a wide cell is followed by a blank, anything else becomes a replacement mark.
    private func write(_ cell: Canvas.Cell, x: Int, y: Int, width: Int) {
        let attributes = decom_attributes(UInt32(cell.style.attrs.rawValue))
        let pair = pairs.pair(for: pairs.colors(of: cell.style))
        let glyph = glyph(for: cell.text, width: width)
        put(glyph.scalars, x: x, y: y, attributes: attributes, pair: pair)
        if glyph.padded {
            put([" "], x: x + 1, y: y, attributes: attributes, pair: pair)
        }
    }

    /// The scalars to write for a cell's text in `width` columns, and whether a blank must
    /// follow in the second column.
    private func glyph(for text: String, width: Int) -> (scalars: [Unicode.Scalar], padded: Bool) {
        let replacement: Unicode.Scalar = capabilities.unicode ? "\u{FFFD}" : "?"
        guard let first = text.unicodeScalars.first else { return ([" "], width == 2) }
        if first.value < 0x20 || (0x7F..<0xA0).contains(first.value) {
            return ([replacement], width == 2)
        }
        if !capabilities.unicode, !first.isASCII {
            return (["?"], width == 2)
        }
        let terminalWidth = Int(decom_wcwidth(wchar_t(bitPattern: first.value)))
        guard terminalWidth >= 1, terminalWidth <= width else {
            return ([replacement], width == 2)
        }
        // The spacing character and the combining marks after it, as many as a cchar_t holds;
        // a zero-width joiner ends it (ncurses holds one spacing character per cell).
        var scalars = [first]
        for scalar in text.unicodeScalars.dropFirst() {
            guard scalars.count < Int(CCHARW_MAX), scalar.value != 0x200D,
                decom_wcwidth(wchar_t(bitPattern: scalar.value)) == 0
            else { break }
            scalars.append(scalar)
        }
        return (scalars, terminalWidth < width)
    }

    private func put(
        _ scalars: [Unicode.Scalar], x: Int, y: Int, attributes: attr_t, pair: Int32
    ) {
        var text = scalars.map { wchar_t(bitPattern: $0.value) }
        text.append(0)
        var cell = cchar_t()
        var extendedPair = pair
        let result = text.withUnsafeBufferPointer { chars in
            // Pairs above 255 do not fit the attribute bits: they go through `opts`.
            if pair > 255 {
                return setcchar(&cell, chars.baseAddress, attributes, 0, &extendedPair)
            }
            return setcchar(&cell, chars.baseAddress, attributes, Int16(pair), nil)
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
