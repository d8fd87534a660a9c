import DecomCore
import Foundation

/// The `:` commands, with what their argument completes from.
public enum ConsoleCommand: String, CaseIterable, Sendable {
    case theme, sort, filter, cursor, columns, export
    case exportKeys = "export-keys"
    case markAll = "mark-all"
    case history, help, quit

    var takesArgument: Bool {
        switch self {
        case .theme, .sort, .filter, .cursor, .columns, .export, .exportKeys: true
        default: false
        }
    }
}

extension ConsoleState {
    /// The `:` prompt: readline editing (``LineEdit``), Tab completion, Up and Down through
    /// the commands entered before; Backspace on an empty line closes it, as in vim.
    mutating func handleCommand(_ key: Key, _ line: CommandPrompt) -> [Effect] {
        var line = line
        switch key {
        case .escape:
            mode = .normal
            return []
        case .enter:
            mode = .normal
            var effects: [Effect] = []
            if commandHistory.record(line.text) {
                effects.append(.saveHistory(.command, commandHistory.entries))
            }
            return runCommand(line.text) + effects
        case .tab:
            complete(&line)
            mode = .command(line)
            return []
        case .up:
            guard let browse = commandHistory.older(than: line.browse, draft: line.text)
            else { return [] }
            line.text = commandHistory.entries[browse.index]
            line.browse = browse
        case .down:
            guard let browse = line.browse else { return [] }
            let next = commandHistory.newer(than: browse)
            line.text = next.map { commandHistory.entries[$0.index] } ?? browse.draft
            line.browse = next
        case .backspace where line.text.isEmpty:
            mode = .normal
            return []
        default:
            switch line.edit.apply(key) {
            case .edited: line.browse = nil
            case .moved: break
            case .ignored: return []
            }
        }
        line.candidates = []
        line.cycle = nil
        line.stem = nil
        mode = .command(line)
        return []
    }

    /// What the word being typed can become.
    func completions(for text: String) -> (prefix: String, word: String, options: [String]) {
        guard let space = text.firstIndex(of: " ") else {
            return ("", text, ConsoleCommand.allCases.map(\.rawValue).filter { $0.hasPrefix(text) })
        }
        let name = String(text[..<space])
        let prefix = String(text[...space])
        let word = String(text[text.index(after: space)...])
        let options: [String]
        switch ConsoleCommand(rawValue: name) {
        case .theme: options = themeNames.sorted()
        case .sort:
            // After the column, its direction.
            if let space = word.firstIndex(of: " ") {
                options = ["asc", "desc"].map { word[...space] + $0 }
            } else {
                options = SortColumn.allCases.map(\.rawValue)
            }
        case .cursor: options = CursorStyle.allCases.map(\.rawValue)
        case .columns:
            // The name after the last comma, among those not named yet.
            if let comma = word.lastIndex(of: ",") {
                let named = word[..<comma].split(separator: ",").compactMap {
                    DeviceColumn(name: $0.trimmingCharacters(in: .whitespaces))
                }
                let last = String(word[word.index(after: comma)...])
                let names = DeviceColumn.allCases.filter { !named.contains($0) }.map(\.rawValue)
                return (prefix + word[...comma], last, names.filter { $0.hasPrefix(last) })
            }
            options = ["default"] + DeviceColumn.allCases.map(\.rawValue)
        default: options = []
        }
        return (prefix, word, options.filter { $0.hasPrefix(word) })
    }

    /// Tab: completes a single candidate, extends to the common prefix of several, then
    /// cycles through them on the next Tabs.
    mutating func complete(_ line: inout CommandPrompt) {
        if let cycle = line.cycle, let stem = line.stem, !line.candidates.isEmpty {
            let next = (cycle + 1) % line.candidates.count
            line.text = stem + line.candidates[next]
            line.cycle = next
            return
        }
        let (prefix, word, options) = completions(for: line.text)
        guard !options.isEmpty else {
            line.candidates = []
            return
        }
        // Nothing typed yet: the first Tab lists what may come, the next ones take each in turn.
        if word.isEmpty, options.count > 1, line.candidates != options {
            line.candidates = options
            return
        }
        if options.count == 1 {
            let takesArgument =
                prefix.isEmpty && ConsoleCommand(rawValue: options[0])?.takesArgument == true
            line.text = prefix + options[0] + (takesArgument ? " " : "")
            line.candidates = []
            return
        }
        let common = options.dropFirst().reduce(options[0]) { $0.commonPrefix(with: $1) }
        line.candidates = options
        if common.count > word.count {
            line.text = prefix + common
        } else {
            line.stem = prefix
            line.cycle = 0
            line.text = prefix + options[0]
        }
    }

    mutating func runCommand(_ text: String) -> [Effect] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return [] }
        let word = trimmed.prefix { $0 != " " }
        let argument = trimmed.dropFirst(word.count).trimmingCharacters(in: .whitespaces)
        // `!` after a command's name forces it, as in vim: `:export!` replaces a file.
        let force = word.hasSuffix("!")
        let name = force ? word.dropLast() : word
        guard let command = ConsoleCommand(rawValue: String(name)) else {
            show(
                "Unknown command :\(SafeText.visible(String(word))) (Tab lists the commands)",
                .error)
            return []
        }
        if force && command != .export && command != .exportKeys {
            show(":\(command.rawValue) takes no !", .error)
            return []
        }
        switch command {
        case .export: return requestExport(argument, keys: false, overwrite: force)
        case .exportKeys: return requestExport(argument, keys: true, overwrite: force)
        case .theme:
            guard !argument.isEmpty else {
                show(
                    "Usage: :theme NAME (\(themeNames.sorted().joined(separator: ", ")))", .warning)
                return []
            }
            return [.setTheme(argument)]
        case .sort:
            let parts = argument.split(separator: " ")
            guard let first = parts.first, let column = SortColumn(rawValue: String(first)) else {
                show(
                    "Usage: :sort COLUMN [asc|desc], COLUMN one of "
                        + SortColumn.allCases.map(\.rawValue).joined(separator: ", "), .warning)
                return []
            }
            guard parts.count <= 2, parts.count < 2 || ["asc", "desc"].contains(parts[1]) else {
                let extra = SafeText.visible(parts.dropFirst().joined(separator: " "))
                show(":sort \(column.rawValue) \(extra): the direction is asc or desc", .error)
                return []
            }
            let ascending = parts.count > 1 ? parts[1] == "asc" : sort.ascending
            setSort(DeviceSort(column: column, ascending: ascending))
        case .filter:
            setFilter(argument)
            if let error = filter.error {
                show("Filter not applied: \(error.message)", .error)
                setFilter(filter.appliedText)
            }
        case .cursor:
            guard let style = CursorStyle(rawValue: argument) else {
                show(
                    "Usage: :cursor bar|arrow (arrow redraws less over a slow link)", .warning)
                return []
            }
            cursorStyle = style
            show("Cursor: \(style.rawValue)", .info)
        case .columns:
            return setColumns(argument)
        case .markAll:
            markAllShown()
        case .history:
            return openHistory()
        case .help:
            mode = .help
        case .quit:
            return [.quit]
        }
        return []
    }
}

// MARK: - Columns

extension ConsoleState {
    /// `:columns`: alone, says which columns show; `default` returns to the config's
    /// `columns:` (or the standard set) and forgets the saved choice; a comma list sets the
    /// columns and their order and saves it (``Effect/saveColumns(_:)``). An unknown or
    /// repeated name is an error naming it, and the columns stay as they were.
    mutating func setColumns(_ argument: String) -> [Effect] {
        if argument.isEmpty {
            show(
                "Columns: \(DeviceColumn.text(columns)) (:columns default resets; Tab lists names)",
                .info)
            return []
        }
        if argument == "default" {
            columns = defaultColumns
            show("Columns: \(DeviceColumn.text(columns)) (the default)", .info)
            return [.saveColumns(nil)]
        }
        switch DeviceColumn.parseList(argument) {
        case .failure(let error):
            let hint = error == .empty ? "" : " (Tab lists the columns)"
            show(":columns not changed: \(error)\(hint)", .error)
            return []
        case .success(let chosen):
            columns = chosen
            show("Columns: \(DeviceColumn.text(chosen))", .info)
            return [.saveColumns(chosen)]
        }
    }
}
