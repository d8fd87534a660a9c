import DecomCore
import Foundation

/// The device table's columns at a width: which of the chosen columns show, and how wide.
///
/// A column is as wide as the widest of its title and its values on the screen (within
/// ``DeviceColumn/widest``), so a value shows whole. When the width runs short, whole columns
/// leave, lowest ``DeviceColumn/keepRank`` first, until ID, NAME and SERIAL show whole; only
/// then does NAME shrink (to 4 at least), then SERIAL leave, so identifiers are the last thing
/// cut (issue 15). Width a column left behind goes to a lower one that fits in it.
struct TableColumns {
    /// The cursor and mark gutter before the first column.
    static let gutter = 2

    var columns: [(DeviceColumn, Int)]

    /// The widest NAME that other columns leave the table for; a longer name is cut when
    /// there is no room for it.
    static let nameBudget = 36

    /// Lays out `chosen` in `width`; `natural` gives each column's title-and-values width.
    init(chosen: [DeviceColumn], width: Int, natural: (DeviceColumn) -> Int) {
        var shown = chosen
        var widths: [DeviceColumn: Int] = [:]
        for column in chosen { widths[column] = natural(column) }
        let nameNatural = widths[.name] ?? 0
        func used(name: Int) -> Int {
            shown.reduce(Self.gutter) { $0 + 1 + ($1 == .name ? name : widths[$1] ?? 0) }
        }
        // Columns leave for NAME only up to a usual name's width: one long name scrolled
        // into view is cut rather than take a chosen column away, so the columns stay put
        // as the admin scrolls.
        while used(name: min(nameNatural, Self.nameBudget)) > width,
            let victim = shown.filter({ $0.keepRank < DeviceColumn.serial.keepRank })
                .min(by: { $0.keepRank < $1.keepRank })
        {
            shown.removeAll { $0 == victim }
        }
        // Only identifiers left: NAME gives way to a few characters, then SERIAL leaves.
        let smallest = min(nameNatural, 4)
        if used(name: smallest) > width, shown.contains(.serial), shown.contains(.name) {
            shown.removeAll { $0 == .serial }
        }
        var name = 0
        if shown.contains(.name) {
            let spare = width - used(name: 0)
            name = max(min(nameNatural, spare), min(smallest, max(0, spare)))
        }
        // A column that left for a wider one may fit in what is left.
        let dropped = chosen.filter { !shown.contains($0) }.sorted { $0.keepRank > $1.keepRank }
        for column in dropped where used(name: name) + 1 + (widths[column] ?? 0) <= width {
            shown.append(column)
        }
        widths[.name] = name
        columns = chosen.filter { shown.contains($0) }.map { ($0, widths[$0] ?? 0) }
    }
}

extension Painter {
    mutating func paintTable() {
        let body = layout.tableBody
        let width = layout.tableHeader.width
        let scroll = effectiveScroll(height: body.height)
        let shown = scroll..<min(state.view.count, scroll + body.height)
        let columns = tableColumns(width: width, rows: shown.map { state.shownRow($0) })

        // Header.
        canvas.fill(
            x: 0, y: layout.tableHeader.y, width: width, height: 1, style: style(.tableHeader))
        var x = TableColumns.gutter + 1
        for (column, w) in columns.columns {
            guard x < width else { break }
            canvas.putFit(
                title(column), x: x, y: layout.tableHeader.y, width: min(w, width - x),
                style: style(.tableHeader), glyphs: glyphs)
            x += w + 1
        }

        guard !state.view.isEmpty else {
            paintEmptyTable(body)
            return
        }
        for (line, position) in shown.enumerated() {
            paintRow(
                state.shownRow(position), cursor: position == state.cursor, y: body.y + line,
                columns: columns.columns, width: width)
        }
    }

    /// A column's title, with the sort's arrow on the column that sorts.
    func title(_ column: DeviceColumn) -> String {
        // SEEN and LAST SEEN sort alike: the arrow goes on the first of them.
        let first = state.columns.first { $0.sortColumn == state.sort.column }
        guard column == first else { return column.title }
        return column.title + (state.sort.ascending ? glyphs.ascending : glyphs.descending)
    }

    /// The chosen columns laid out for the rows on the screen (``TableColumns``).
    func tableColumns(width: Int, rows: [DeviceSummary]) -> TableColumns {
        TableColumns(chosen: state.columns, width: width) { column in
            var widest = DisplayWidth.of(title(column))
            for row in rows {
                widest = max(widest, DisplayWidth.of(cell(column, row)))
            }
            return column.widest.map { min(widest, max($0, DisplayWidth.of(title(column)))) }
                ?? widest
        }
    }

    /// The scroll the state asks for, moved if needed to show the cursor at this size.
    func effectiveScroll(height: Int) -> Int {
        var scroll = min(state.scroll, max(0, state.view.count - height))
        if state.cursor < scroll { scroll = state.cursor }
        if state.cursor >= scroll + height { scroll = state.cursor - height + 1 }
        return max(0, scroll)
    }

    mutating func paintEmptyTable(_ body: Layout.Rect) {
        let lines: [String]
        if let error = state.loadError {
            lines = ["Could not read the database:", Format.device(error)]
        } else if !state.loaded {
            lines = ["Loading" + glyphs.ellipsis]
        } else if state.filter.isActive {
            lines = ["No device matches the filter.", "Press / then Esc to drop it."]
        } else if state.scope == .active {
            lines = [
                "No devices in this database.",
                "Fill it with `decom seed --devices 1000` or `decom import FILE`,",
                "or press A to show archived devices.",
            ]
        } else {
            lines = ["No \(state.scope.rawValue) devices.", "Press A to change the scope."]
        }
        for (i, line) in lines.enumerated() where i < body.height {
            canvas.putFit(
                "  " + line, x: body.x, y: body.y + 1 + i, width: body.width, style: style(.row),
                glyphs: glyphs)
        }
    }

    func rowStyle(_ row: DeviceSummary, cursor: Bool) -> Style {
        let marked = state.marks.contains(row.id)
        switch (cursor, marked) {
        case (true, true): return style(.cursorMarkedRow)
        case (true, false): return style(.cursorRow)
        case (false, true): return style(.markedRow)
        case (false, false): return row.isArchived ? style(.archivedRow) : style(.row)
        }
    }

    mutating func paintRow(
        _ row: DeviceSummary, cursor: Bool, y: Int, columns: [(DeviceColumn, Int)], width: Int
    ) {
        // With the arrow cursor only the gutter shows the cursor; the row keeps its look.
        let bar = cursor && state.cursorStyle == .bar
        let base = rowStyle(row, cursor: bar)
        canvas.fill(x: 0, y: y, width: width, height: 1, style: base)
        let gutter =
            (cursor ? glyphs.cursor : " ") + (state.marks.contains(row.id) ? glyphs.mark : " ")
        canvas.putFit(
            gutter, x: 0, y: y, width: min(TableColumns.gutter, width),
            style: cursor && !bar ? rowStyle(row, cursor: true) : base, glyphs: glyphs)
        var x = TableColumns.gutter + 1
        for (column, w) in columns {
            let w = min(w, width - x)
            guard w > 0 else { break }
            var cellStyle = base
            if column == .compliance && !bar {
                cellStyle = verdictStyle(row.compliance)
                if state.marks.contains(row.id) { cellStyle.attrs.insert(.bold) }
            }
            canvas.putFit(
                cell(column, row), x: x, y: y, width: w, style: cellStyle, glyphs: glyphs)
            x += w + 1
        }
    }

    func verdictStyle(_ verdict: ComplianceVerdict) -> Style {
        switch verdict {
        case .compliant: style(.compliant)
        case .nonCompliant: style(.nonCompliant)
        case .unknown: style(.unknown)
        }
    }

    func verdictText(_ verdict: ComplianceVerdict) -> String {
        switch verdict {
        case .compliant: glyphs.pass
        case .nonCompliant(let failing): "\(glyphs.fail) \(failing.count)"
        case .unknown: glyphs.unknown
        }
    }

    /// The text of a column for a row. Device text goes through `SafeText` (``Format``).
    func cell(_ column: DeviceColumn, _ row: DeviceSummary) -> String {
        switch column {
        case .id: String(row.id)
        case .name: Format.device(row.name)
        case .serial: Format.device(row.serialNumber)
        case .type: Format.device(row.type)
        case .category: Format.device(row.category)
        case .os: Format.device(row.osPlatform)
        case .status: row.clientStatus.rawValue
        case .mdm: row.mdmStatus?.rawValue ?? "none"
        case .deviceStatus: row.deviceStatus.rawValue
        case .rental: row.rented ? "yes" : "no"
        case .label: Format.device(row.label)
        case .source: Format.device(row.source)
        case .externalID: Format.device(row.externalID)
        case .hwid: Format.device(row.hwid)
        case .compliance: verdictText(row.compliance)
        case .seen: Format.ago(row.lastSeen, now: state.now)
        case .seenDate: Format.day(row.lastSeen)
        case .enrolled: Format.day(row.enrolledAt)
        case .archived: Format.day(row.archivedAt)
        }
    }
}
