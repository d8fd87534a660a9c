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
        // Lines flow down then across columns of at least 36 cells, as many as fit.
        let columnCount = max(1, min(3, (innerWidth + 2) / 38))
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
        for (i, line) in lines.enumerated() {
            let column = i / innerHeight
            guard column < columnCount else { break }
            let x = rect.x + 2 + column * (columnWidth + 2)
            let y = rect.y + 1 + i % innerHeight
            paintDetailLine(line, x: x, y: y, width: columnWidth)
        }
    }

    mutating func paintDetailLine(_ line: DetailLine, x: Int, y: Int, width: Int) {
        switch line {
        case .section(let title):
            canvas.putFit(
                title, x: x, y: y, width: width, style: style(.detailsSection), glyphs: glyphs)
        case .field(let label, let value):
            let labelWidth = min(16, width / 2)
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
                .field("id", String(row.id)), .field("name", Format.device(row.name)),
                .text("Loading" + glyphs.ellipsis),
            ]
        }
        let d = details.device
        var lines: [DetailLine] = [
            .section("Identifiers"),
            .field("id", String(d.id)),
            .field("name", Format.device(d.name)),
            .field("label", Format.device(d.label)),
            .field("serial", Format.device(d.serialNumber)),
            .field(
                "MAC",
                d.macAddresses.isEmpty ? "-" : Format.device(d.macAddresses.joined(separator: ", "))
            ),
            .field("HWID", Format.device(d.hwid)),
            .section("Status"),
            .field("client status", d.clientStatus.rawValue),
            .field("device status", d.deviceStatus.rawValue),
            .field("type", Format.device(d.type)),
            .field("category", Format.device(d.category)),
            .field("source", Format.device(d.source)),
            .field("rent", Format.device(d.rent)),
            .field("tracking", Format.device(d.trackingNumber)),
            .field("last seen", seen(d.lastSeen)),
        ]
        if d.archivedAt != nil { lines.append(.field("archived at", Format.date(d.archivedAt))) }
        if let comment = d.comment, !comment.isEmpty {
            lines.append(.field("comment", Format.device(comment)))
        }
        lines.append(.section("Compliance: \(details.verdict.name)"))
        for check in details.checks {
            let symbol: CheckResultSymbol =
                switch check.result {
                case .pass: .pass
                case .fail: .fail
                case .unknown: .unknown
                }
            lines.append(.check(symbol, check.check.title))
        }
        lines.append(.section("MDM"))
        if let m = d.mdm {
            lines += [
                .field("id", String(m.id)),
                .field("status", m.status.rawValue),
                .field("local name", Format.device(m.localName)),
                .field("locked", Format.flag(m.isLocked)),
                .field("lock date", Format.date(m.lockDate)),
                .field("firewall", Format.flag(m.firewallEnabled)),
                .field("OS updates on", Format.flag(m.osUpdatesEnabled)),
                .field("encrypted", Format.flag(m.isEncrypted)),
                .field("screen lock", Format.flag(m.screenlockEnabled)),
                .field("compromised", Format.flag(m.isCompromised)),
                .field("update pending", Format.flag(m.osUpdatesAvailable)),
                .field("FDE profile", Format.flag(m.diskEncryptionProfileInstalled)),
                .field("enrolled", Format.date(m.enrollmentDate)),
                .field("unenrolled", Format.date(m.unenrollmentDate)),
                .field("downloaded", Format.date(m.downloadDate)),
                .field("last seen", seen(m.lastSeenDate)),
                .field("last sync", Format.date(m.lastSyncDate)),
            ]
        } else {
            lines.append(.text("not enrolled"))
        }
        lines.append(.section("Characteristics"))
        lines += characteristicLines(d.characteristics)
        let active = details.sessions.filter(\.isActive)
        lines.append(
            .section(
                "Sessions: \(active.count) active, \(details.sessions.count - active.count) suspended"
            ))
        for session in details.sessions.prefix(5) {
            let state = session.isActive ? "active" : "suspended"
            lines.append(
                .text(
                    "\(Format.device(session.user)) \(state) since \(Format.date(session.createdAt))"
                ))
        }
        lines.append(.section("Last transactions"))
        if details.transactions.isEmpty { lines.append(.text("none")) }
        for record in details.transactions.prefix(5) {
            let outcome =
                record.items.first { $0.deviceId == d.id }?.outcome.rawValue
                ?? record.status.rawValue
            lines.append(
                .text(
                    "#\(record.id) \(record.type.rawValue) \(outcome) \(Format.date(record.createdAt)) \(Format.device(record.user))"
                ))
        }
        return lines
    }

    func seen(_ date: Date?) -> String {
        guard let date else { return "-" }
        return "\(Format.date(date)) (\(Format.ago(date, now: state.now)))"
    }

    func characteristicLines(_ c: Characteristics) -> [DetailLine] {
        let text: [(String, String?)] = [
            ("OS platform", c.osPlatform), ("processor", c.processor), ("RAM", c.ram),
            ("storage", c.storage), ("screen", c.screenSize), ("resolution", c.resolution),
            ("graphics", c.graphic), ("model year", c.modelYear), ("connectivity", c.connectivity),
            ("keyboard", c.keyboardLayout?.rawValue), ("colour", c.color), ("seats", c.seatsNumber),
            ("assembly", c.assembly),
            ("compliance", c.compliance.map { $0.joined(separator: ", ") }),
            ("connection", c.connectionType.map { $0.joined(separator: ", ") }),
        ]
        let flags: [(String, Bool?)] = [
            ("microphone", c.hasMicrophone), ("webcam", c.hasWebcam),
            ("noise cancelling", c.noiseCancellation), ("stool", c.hasStool),
            ("video package", c.hasVideoPackage), ("screen", c.hasScreen),
            ("premium tablet", c.hasPremiumTablet),
        ]
        var lines = text.compactMap { label, value in
            value.map { DetailLine.field(label, Format.device($0)) }
        }
        lines += flags.compactMap { label, value in
            value.map { DetailLine.field(label, Format.flag($0)) }
        }
        if lines.isEmpty { lines.append(.text("none recorded")) }
        return lines
    }
}
