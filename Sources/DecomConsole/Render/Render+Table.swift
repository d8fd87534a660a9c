import DecomCore
import Foundation

/// A column of the device table.
enum TableColumn: CaseIterable {
    case gutter, id, name, serial, type, os, status, mdm, compliance, seen
    case label, category, deviceStatus, rented, hwid

    var title: String {
        switch self {
        case .gutter: ""
        case .id: "ID"
        case .name: "NAME"
        case .serial: "SERIAL"
        case .type: "TYPE"
        case .os: "OS"
        case .status: "STATUS"
        case .mdm: "MDM"
        case .compliance: "COMP"
        case .seen: "SEEN"
        case .label: "LABEL"
        case .category: "CATEGORY"
        case .deviceStatus: "DEVICE"
        case .rented: "RENT"
        case .hwid: "HWID"
        }
    }

    /// The columns and their widths for a table width: the columns from 80 columns,
    /// wider columns and more of them as width allows.
    static func layout(width: Int, idWidth: Int) -> [(TableColumn, Int)] {
        var widths: [TableColumn: Int] = [
            .gutter: 2, .id: idWidth, .serial: 10, .type: 7, .os: 7, .status: 10, .mdm: 9,
            .compliance: 4, .seen: 4,
        ]
        var order: [TableColumn] = [
            .gutter, .id, .name, .serial, .type, .os, .status, .mdm, .compliance, .seen,
        ]
        var name = 12
        func spare() -> Int {
            order.reduce(-name - (order.count - 1)) { $0 - ($1 == .name ? 0 : widths[$1] ?? 0) }
                + width
        }
        // A compact window keeps the id, the name and what decides a deletion (status, then
        // compliance): the other columns go first, least needed first.
        for column in [TableColumn.type, .os, .mdm, .serial, .seen, .status] where spare() < 0 {
            order.removeAll { $0 == column }
        }
        // Room for a typical asset tag first, then for the values that are cut most often
        // (serials, OS versions, the long client statuses), then a long name, then more
        // columns, then the rest to the name again.
        let growth: [(TableColumn, Int)] = [
            (.name, 14), (.serial, 12), (.os, 10), (.status, 18), (.mdm, 13), (.type, 10),
            (.name, 24), (.serial, 14), (.mdm, 22),
        ]
        for (column, target) in growth {
            let current = column == .name ? name : widths[column] ?? 0
            let add = min(target - current, spare())
            guard add > 0 else { continue }
            if column == .name { name += add } else { widths[column] = current + add }
        }
        let extras: [(TableColumn, Int)] = [
            (.deviceStatus, 8), (.label, 12), (.category, 10), (.rented, 4), (.hwid, 18),
        ]
        for (column, w) in extras where spare() >= w + 1 {
            widths[column] = w
            order.append(column)
        }
        let canonical: [TableColumn] = [
            .gutter, .id, .name, .label, .serial, .type, .os, .category, .status, .deviceStatus,
            .mdm, .compliance, .seen, .rented, .hwid,
        ]
        order = canonical.filter { order.contains($0) }
        name = min(48, name + max(0, spare()))
        widths[.name] = name
        return order.map { ($0, widths[$0] ?? 0) }
    }
}

extension Painter {
    mutating func paintTable() {
        let body = layout.tableBody
        let width = layout.tableHeader.width
        let maxID = state.rows.last?.id ?? 0
        let idWidth = max(3, String(maxID).count)
        let columns = TableColumn.layout(width: width, idWidth: idWidth)

        // Header.
        canvas.fill(
            x: 0, y: layout.tableHeader.y, width: width, height: 1, style: style(.tableHeader))
        var x = 0
        for (column, w) in columns {
            var title = column.title
            if column.sortColumn == state.sort.column {
                title += state.sort.ascending ? glyphs.ascending : glyphs.descending
            }
            canvas.putFit(
                title, x: x, y: layout.tableHeader.y, width: min(w, width - x),
                style: style(.tableHeader), glyphs: glyphs)
            x += w + 1
        }

        guard !state.view.isEmpty else {
            paintEmptyTable(body)
            return
        }
        let scroll = effectiveScroll(height: body.height)
        for line in 0..<body.height {
            let position = scroll + line
            guard position < state.view.count else { break }
            paintRow(
                state.shownRow(position), cursor: position == state.cursor, y: body.y + line,
                columns: columns, width: width)
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
        _ row: DeviceSummary, cursor: Bool, y: Int, columns: [(TableColumn, Int)], width: Int
    ) {
        // With the arrow cursor only the gutter shows the cursor; the row keeps its look.
        let bar = cursor && state.cursorStyle == .bar
        let base = rowStyle(row, cursor: bar)
        canvas.fill(x: 0, y: y, width: width, height: 1, style: base)
        var x = 0
        for (column, w) in columns {
            let w = min(w, width - x)
            guard w > 0 else { break }
            var cellStyle = base
            if column == .gutter && cursor && !bar {
                cellStyle = rowStyle(row, cursor: true)
            }
            if column == .compliance && !bar {
                cellStyle = verdictStyle(row.compliance)
                if state.marks.contains(row.id) { cellStyle.attrs.insert(.bold) }
            }
            canvas.putFit(
                cell(column, row, cursor: cursor), x: x, y: y, width: w, style: cellStyle,
                glyphs: glyphs)
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

    func cell(_ column: TableColumn, _ row: DeviceSummary, cursor: Bool) -> String {
        switch column {
        case .gutter:
            (cursor ? glyphs.cursor : " ") + (state.marks.contains(row.id) ? glyphs.mark : " ")
        case .id: String(row.id)
        case .name: Format.device(row.name)
        case .serial: Format.device(row.serialNumber)
        case .type: Format.device(row.type)
        case .os: Format.device(row.osPlatform)
        case .status: row.clientStatus.rawValue
        case .mdm: row.mdmStatus?.rawValue ?? "none"
        case .compliance: verdictText(row.compliance)
        case .seen: Format.ago(row.lastSeen, now: state.now)
        case .label: Format.device(row.label)
        case .category: Format.device(row.category)
        case .deviceStatus: row.deviceStatus.rawValue
        case .rented: row.rented ? "yes" : "no"
        case .hwid: Format.device(row.hwid)
        }
    }
}

extension TableColumn {
    var sortColumn: SortColumn? {
        switch self {
        case .id: .id
        case .name: .name
        case .serial: .serial
        case .type: .type
        case .os: .os
        case .status: .status
        case .mdm: .mdm
        case .compliance: .compliance
        case .seen: .lastSeen
        default: nil
        }
    }
}
