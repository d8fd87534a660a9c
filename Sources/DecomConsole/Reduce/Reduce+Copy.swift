import DecomCore
import Foundation

extension ConsoleState {
    // MARK: - Copy

    /// `y`: the cursor's device id to the clipboard.
    mutating func copyCursorID() -> [Effect] {
        guard let row = cursorRow else {
            show("Nothing to copy: no device under the cursor", .warning)
            return []
        }
        return copy(String(row.id), what: "device id \(row.id)")
    }

    /// `Y`: the marked devices' keys (their ids, one a line, as `decom delete --from-file`
    /// reads them), marks the filter hides included.
    mutating func copyMarkedKeys() -> [Effect] {
        guard !marks.isEmpty else {
            show("Nothing to copy: no marks (y copies the cursor's id)", .warning)
            return []
        }
        let text = marks.sorted().map(String.init).joined(separator: "\n")
        return copy(text, what: Format.plural(marks.count, "marked id"))
    }

    /// Sends the text through OSC 52 and says so, or, where the terminal takes no OSC 52 (or
    /// the text is too long for it), opens a dialog showing the text to select with the mouse.
    mutating func copy(_ text: String, what: String) -> [Effect] {
        if clipboard, Clipboard.sequence(for: text) != nil {
            show("Copied \(what) to the clipboard (OSC 52)", .info)
            return [.copy(text)]
        }
        mode = .copyText(CopyText(what: what, text: text))
        return []
    }

    /// The copy dialog: j/k and pages scroll, Esc (or q, Enter, y) closes.
    mutating func handleCopyText(_ key: Key, _ shown: CopyText) -> [Effect] {
        var shown = shown
        let last = max(0, shown.text.split(separator: "\n").count - 1)
        switch key {
        case .escape, .enter, .char("q"), .char("y"), .char("Y"):
            mode = .normal
            return []
        case .char("j"), .down: shown.scroll = min(last, shown.scroll + 1)
        case .char("k"), .up: shown.scroll = max(0, shown.scroll - 1)
        case .pageDown: shown.scroll = min(last, shown.scroll + pageHeight)
        case .pageUp: shown.scroll = max(0, shown.scroll - pageHeight)
        case .char("g"), .home: shown.scroll = 0
        case .char("G"), .end: shown.scroll = last
        default: return []
        }
        mode = .copyText(shown)
        return []
    }

    // MARK: - Full view

    /// The full view of a device: j/k, PgUp/PgDn, g/G scroll, `J` switches text and JSON,
    /// Esc (or q, o) closes.
    mutating func handleRecordView(_ key: Key, _ view: DeviceRecordView) -> [Effect] {
        var view = view
        let page = max(1, viewport.height - 5)
        let last = max(0, view.lines.count - page)
        switch key {
        case .escape, .char("q"), .char("o"):
            mode = .normal
            return []
        case .char("J"):
            view.showsJSON.toggle()
            view.scroll = 0
        case .char("j"), .down: view.scroll = min(last, view.scroll + 1)
        case .char("k"), .up: view.scroll = max(0, view.scroll - 1)
        case .pageDown, .ctrl("f"), .char(" "): view.scroll = min(last, view.scroll + page)
        case .pageUp, .ctrl("b"): view.scroll = max(0, view.scroll - page)
        case .char("g"), .home: view.scroll = 0
        case .char("G"), .end: view.scroll = last
        default: return []
        }
        mode = .describe(view)
        return []
    }

    // MARK: - Export

    /// `:export FILE`, `:export-keys FILE` (with `!`, replacing a file): the marked devices, or
    /// the filtered view when nothing is marked.
    mutating func requestExport(_ path: String, keys: Bool, overwrite: Bool) -> [Effect] {
        let name = keys ? ":export-keys" : ":export"
        guard !path.isEmpty else {
            let usage =
                keys
                ? "Usage: :export-keys[!] FILE (one id a line, for decom delete --from-file)"
                : "Usage: :export[!] FILE (FILE.csv for CSV, else JSON)"
            show(usage, .warning)
            return []
        }
        let ids: [Int64]
        if !marks.isEmpty {
            ids = marks.sorted()
        } else {
            guard !isPartial else {
                show("\(name): the view is still being read; try again in a moment", .warning)
                return []
            }
            ids = view.map { rows.id(at: $0) }
        }
        guard !ids.isEmpty else {
            show("Nothing to export: no marks and the view is empty", .warning)
            return []
        }
        let kind: ExportRequest.Kind =
            keys ? .keys : path.lowercased().hasSuffix(".csv") ? .csv : .json
        show("Exporting \(Format.plural(ids.count, "device"))", .info)
        return [.export(ExportRequest(path: path, kind: kind, ids: ids, overwrite: overwrite))]
    }

    /// "Exported 3 devices to /home/ana/old.csv (CSV)".
    mutating func finishExport(_ request: ExportRequest, written: Int, path: String) {
        let what = request.kind == .keys ? "keys" : request.kind.rawValue.uppercased()
        var text =
            "Exported \(Format.plural(written, "device"))"
            + " to \(SafeText.visible(path)) (\(what))"
        if written < request.ids.count {
            text += " · \(Format.count(request.ids.count - written)) no longer in the database"
        }
        show(text, written == request.ids.count ? .info : .warning)
    }
}

extension ConsoleState {
    /// Ctrl-Y: the cursor's serial number to the clipboard (what a vendor's portal or a
    /// ticket asks for), as `y` copies its id.
    mutating func copyCursorSerial() -> [Effect] {
        guard let row = cursorRow else {
            show("Nothing to copy: no device under the cursor", .warning)
            return []
        }
        guard let serial = row.serialNumber, !serial.isEmpty else {
            show("Device \(row.id) has no serial number (y copies its id)", .warning)
            return []
        }
        // Device text: control characters become visible stand-ins before any paste.
        return copy(SafeText.visible(serial), what: "serial of device \(row.id)")
    }
}
