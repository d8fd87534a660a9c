import DecomConsole
import DecomCore

/// A plain text table for the terminal: columns padded by display width, every cell made
/// safe with `SafeText.visible` (device text never reaches the terminal raw), long cells cut
/// with an ellipsis.
struct TextTable {
    struct Column {
        var title: String
        var maxWidth: Int
        var rightAligned = false
    }

    var columns: [Column]
    var rows: [[String]] = []

    init(_ columns: [Column]) { self.columns = columns }

    mutating func append(_ cells: [String]) { rows.append(cells.map { SafeText.visible($0) }) }

    func render() -> String {
        var widths = columns.map { DisplayWidth.of($0.title) }
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = min(max(widths[i], DisplayWidth.of(cell)), columns[i].maxWidth)
            }
        }
        var out = ""
        func line(_ cells: [String]) {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() where i < widths.count {
                let fitted = Canvas.fit(cell, width: widths[i])
                if columns[i].rightAligned {
                    let trimmed = String(fitted.reversed().drop(while: { $0 == " " }).reversed())
                    let pad = widths[i] - DisplayWidth.of(trimmed)
                    parts.append(String(repeating: " ", count: max(0, pad)) + trimmed)
                } else {
                    parts.append(fitted)
                }
            }
            let text = parts.joined(separator: "  ")
            out += String(text.reversed().drop(while: { $0 == " " }).reversed()) + "\n"
        }
        line(columns.map(\.title))
        for row in rows { line(row) }
        return out
    }
}
