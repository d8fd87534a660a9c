import DecomCore
import Foundation

/// One line of the details pane.
enum DetailLine {
    case section(String)
    case field(String, String)
    case check(CheckResultSymbol, String)
    case text(String)
}

extension Painter {
    mutating func paintDetails() {
        guard let rect = layout.details else { return }
        let title = state.cursorRow.map { "Device \($0.id)" } ?? "Details"
        canvas.box(
            x: rect.x, y: rect.y, width: rect.width, height: rect.height, style: style(.border),
            title: title, titleStyle: style(.detailsSection), glyphs: glyphs)
        let all = detailLines()
        let innerWidth = rect.width - 4
        let innerHeight = rect.height - 2
        guard innerWidth > 0, innerHeight > 0 else { return }
        // Lines flow down then across columns of at least 36 cells: as many as fit, but no
        // more than the lines need, so that values are not cut where there is room.
        let fitting = max(1, min(3, (innerWidth + 2) / 38))
        let needed = (all.count + innerHeight - 1) / innerHeight
        let columnCount = max(1, min(fitting, needed))
        let columnWidth = (innerWidth - 2 * (columnCount - 1)) / columnCount
        let capacity = innerHeight * columnCount
        let first = min(state.detailsScroll, max(0, all.count - capacity))
        let lines = all.dropFirst(first)
        if all.count > capacity {
            let last = min(all.count, first + capacity)
            let note = " \(first + 1)-\(last) of \(all.count) \(glyphs.separator) J/K scroll "
            let noteWidth = DisplayWidth.of(note)
            if noteWidth + 4 < rect.width {
                canvas.put(
                    note, x: rect.x + rect.width - noteWidth - 2, y: rect.y + rect.height - 1,
                    style: style(.border))
            }
        }
        let shown = Array(lines)
        // Each column's labels are as wide as its widest label (at most 16), so that the
        // values get the rest of the column.
        let labelWidths = (0..<columnCount).map { column in
            let labels = shown.dropFirst(column * innerHeight).prefix(innerHeight).compactMap {
                line -> Int? in
                if case .field(let label, _) = line { return DisplayWidth.of(label) }
                return nil
            }
            return min(16, columnWidth / 2, labels.max() ?? 16)
        }
        for (i, line) in shown.enumerated() {
            let column = i / innerHeight
            guard column < columnCount else { break }
            let x = rect.x + 2 + column * (columnWidth + 2)
            let y = rect.y + 1 + i % innerHeight
            paintDetailLine(
                line, x: x, y: y, width: columnWidth, labelWidth: labelWidths[column])
        }
    }

    mutating func paintDetailLine(
        _ line: DetailLine, x: Int, y: Int, width: Int, labelWidth: Int? = nil
    ) {
        switch line {
        case .section(let title):
            canvas.putFit(
                title, x: x, y: y, width: width, style: style(.detailsSection), glyphs: glyphs)
        case .field(let label, let value):
            let labelWidth = labelWidth ?? min(16, width / 2)
            canvas.putFit(
                label, x: x, y: y, width: labelWidth, style: style(.detailsLabel), glyphs: glyphs)
            canvas.putFit(
                value, x: x + labelWidth + 1, y: y, width: width - labelWidth - 1,
                style: style(.detailsValue), glyphs: glyphs)
        case .check(let result, let title):
            let role: StyleRole =
                switch result {
                case .pass: .compliant
                case .fail: .nonCompliant
                case .unknown: .unknown
                }
            let word =
                switch result {
                case .pass: "pass"
                case .fail: "FAIL"
                case .unknown: "unknown"
                }
            let used = canvas.put(glyphs.symbol(result) + " ", x: x, y: y, style: style(role))
            canvas.putFit(
                "\(title): \(word)", x: x + used, y: y, width: width - used,
                style: style(.detailsValue), glyphs: glyphs)
        case .text(let text):
            canvas.putFit(
                text, x: x, y: y, width: width, style: style(.detailsValue), glyphs: glyphs)
        }
    }

    func detailLines() -> [DetailLine] {
        guard let row = state.cursorRow else { return [.text("No device under the cursor.")] }
        guard let details = state.details, details.device.id == row.id else {
            return [
                .field("id", String(row.id)), .field("name", Format.revealed(row.name)),
                .text("Loading" + glyphs.ellipsis),
            ]
        }
        var lines: [DetailLine] = []
        for section in details.sections {
            lines.append(.section(SafeText.visible(section.title)))
            if section.lines.isEmpty { lines.append(.text("none")) }
            for line in section.lines { lines.append(detailLine(line)) }
        }
        return lines
    }

    func detailLine(_ line: DeviceDescription.Line) -> DetailLine {
        switch line.value {
        case .text(let text): return .field(line.label, Format.revealed(text))
        case .flag(let flag): return .field(line.label, Format.flag(flag))
        case .date(let date): return .field(line.label, seen(date))
        case .check(let result):
            let symbol: CheckResultSymbol =
                switch result {
                case .pass: .pass
                case .fail: .fail
                case .unknown: .unknown
                }
            return .check(symbol, line.label)
        case .session(let session):
            let state = session.isActive ? "active" : "suspended"
            return .text(
                "\(Format.device(session.user)) \(state) since \(Format.date(session.createdAt))")
        case .transaction(let record, let outcome):
            return .text(
                "\(line.label) \(record.type.rawValue) \((outcome?.rawValue ?? record.status.rawValue)) \(Format.date(record.createdAt)) \(Format.device(record.user))"
            )
        }
    }

    func seen(_ date: Date?) -> String {
        guard let date else { return "-" }
        return "\(Format.date(date)) (\(Format.ago(date, now: state.now)))"
    }
}
