import DecomCore
import Foundation

extension Painter {
    /// The restore dialog's title and lines, and the size its box needs: the archives the
    /// devices come back from (whose, when), the devices, and those that stay as they are.
    func restoreConfirmationContent(_ c: RestoreConfirmation) -> DialogContent {
        let plan = c.plan
        let base = style(.dialog)
        let strong = style(.dialogTitle)
        let allowed = plan.allowed
        var devices = Format.plural(allowed.count, "device")
        if c.hidden > 0 { devices += " (\(Format.count(c.hidden)) hidden by the filter)" }
        let title = allowed.isEmpty ? "Nothing to restore" : "Restore \(devices)?"
        var lines: [(String, Style)] = []
        var cuttable: Set<Int> = []
        let archives = plan.archives
        if !archives.isEmpty {
            lines.append(("Each comes back as its archive left it:", strong))
            for share in archives.prefix(3) {
                let origin = share.origin
                let who =
                    origin.user == state.actor.user ? "you" : Format.device(origin.user)
                lines.append(
                    (
                        "  archive #\(origin.transaction) by \(who), \(Format.date(origin.at)): \(Format.plural(share.devices, "device"))",
                        base
                    ))
            }
            if archives.count > 3 {
                lines.append(("  and \(Format.count(archives.count - 3)) more archives", base))
            }
        }
        for item in allowed.prefix(5) {
            cuttable.insert(lines.count)
            lines.append(("  \(glyphs.separator) \(restoreItemName(item))", base))
        }
        if allowed.count > 5 {
            lines.append(("  and \(Format.count(allowed.count - 5)) more", base))
        }
        let rejected = plan.rejected
        if !rejected.isEmpty {
            lines.append(("Skipped, \(Format.count(rejected.count)) not changed:", strong))
            for item in rejected.prefix(3) {
                if case .skip(let outcome, let reason) = item.decision {
                    cuttable.insert(lines.count)
                    lines.append(
                        (
                            "  \(restoreItemName(item)): \(ConsoleState.words(outcome)), \(SafeText.visible(reason))",
                            base
                        ))
                }
            }
            if rejected.count > 3 {
                lines.append(("  and \(Format.count(rejected.count - 3)) more", base))
            }
        }
        lines.append(("", base))
        if allowed.isEmpty { lines.append(("[ OK ]", style(.dialogButtonFocused))) }
        return dialogContent(title: title, lines: lines, cuttable: cuttable)
    }

    mutating func paintRestoreConfirmation(_ c: RestoreConfirmation) {
        let content = restoreConfirmationContent(c)
        paintBox(
            title: content.title, lines: content.lines, style: style(.dialog),
            titleStyle: style(.dialogTitle), width: content.width)
        if !c.plan.allowed.isEmpty {
            paintButtons(
                yesFocused: c.yesFocused, width: content.width, lineCount: content.lines.count)
        }
    }

    func restoreItemName(_ item: RestorePlan.Item) -> String {
        guard let device = item.device else { return SafeText.revealing(item.key) }
        return "#\(device.id) \(Format.revealed(device.name))"
    }

    /// A dialog's content at the width its lines want, up to what the window gives (so that a
    /// reason is not cut where there is room), and the box it needs: every line whole but
    /// the `cuttable` ones (device names, skip reasons).
    func dialogContent(title: String, lines: [(String, Style)], cuttable: Set<Int>)
        -> DialogContent
    {
        let (lines, cuttable) = wrappedWhereRoom(lines, cuttable: cuttable)
        let longest = max(
            lines.map { DisplayWidth.of($0.0) }.max() ?? 0, DisplayWidth.of(title) + 6)
        let width = max(44, min(layout.width - 6, longest))
        let whole = lines.indices.filter { !cuttable.contains($0) }.map {
            DisplayWidth.of(lines[$0].0)
        }
        let needed = max(whole.max() ?? 0, DisplayWidth.of(title) + 2, 19)
        return DialogContent(
            title: title, lines: lines, width: width,
            needs: Size(width: needed + 4, height: lines.count + 2))
    }

    /// Cuttable lines (device names, skip reasons) too wide for the window go on a second,
    /// indented line when the window has the rows for it, so a reason is read whole rather
    /// than cut where there is room below (issue 15). A line is broken at its last space that
    /// fits; what still does not fit is cut when drawn.
    func wrappedWhereRoom(_ lines: [(String, Style)], cuttable: Set<Int>)
        -> (lines: [(String, Style)], cuttable: Set<Int>)
    {
        let inner = layout.width - 6
        let wide = lines.indices.filter {
            cuttable.contains($0) && DisplayWidth.of(lines[$0].0) > inner
        }
        guard !wide.isEmpty, lines.count + wide.count + 2 <= layout.height - 2 else {
            return (lines, cuttable)
        }
        var out: [(String, Style)] = []
        var outCuttable: Set<Int> = []
        for (index, line) in lines.enumerated() {
            if cuttable.contains(index) { outCuttable.insert(out.count) }
            guard wide.contains(index) else {
                out.append(line)
                continue
            }
            var head = ""
            var rest = Substring(line.0)
            while let space = rest.firstIndex(of: " ", after: rest.startIndex),
                DisplayWidth.of(head + rest[..<space]) <= inner
            {
                head += rest[..<space]
                rest = rest[space...]
            }
            guard !head.trimmingCharacters(in: .whitespaces).isEmpty else {
                out.append(line)
                continue
            }
            out.append((head, line.1))
            outCuttable.insert(out.count)
            out.append(("    " + rest.drop { $0 == " " }, line.1))
        }
        return (out, outCuttable)
    }
}

extension Substring {
    /// The first index of `character` strictly after `index`.
    fileprivate func firstIndex(of character: Character, after index: Index) -> Index? {
        guard index < endIndex else { return nil }
        return self[self.index(after: index)...].firstIndex(of: character)
    }
}
