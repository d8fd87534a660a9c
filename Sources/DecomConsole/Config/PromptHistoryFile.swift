import Foundation

/// The prompts' histories on disk, kept across runs: `$XDG_STATE_HOME/decom/filter_history`
/// and `command_history` (default `~/.local/state/decom/`, the XDG Base Directory rule for
/// "state data that should persist between restarts", like bash's and less's histories).
///
/// One line an entry, `\` written `\\` and a line break `\n`, so an entry holding either
/// comes back as it was. A file that is not decom's (a binary, a huge one) gives at most
/// ``PromptHistory/limit`` entries of at most ``PromptHistory/longestLine`` characters; what
/// the console shows of them goes through `SafeText` like any other text. Written whole to a
/// temporary file renamed over the old one, so a crash leaves the old or the new history,
/// never half of one; the folder is made private (0700) as bash makes its history file.
public enum PromptHistoryFile {
    public enum Prompt: String, Sendable, CaseIterable {
        case filter, command
    }

    /// `$XDG_STATE_HOME/decom`, or `$HOME/.local/state/decom` when `XDG_STATE_HOME` is unset,
    /// empty or relative (as the XDG specification asks). Nil without either.
    public static func directory(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            return trimmedSlash(xdg) + "/decom"
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return trimmedSlash(home) + "/.local/state/decom"
        }
        return nil
    }

    public static func path(_ prompt: Prompt, directory: String) -> String {
        directory + "/\(prompt.rawValue)_history"
    }

    /// The history in a file; empty when there is none or it cannot be read. Only the last
    /// megabyte is read.
    public static func load(_ prompt: Prompt, directory: String) -> PromptHistory {
        guard let handle = FileHandle(forReadingAtPath: path(prompt, directory: directory))
        else { return PromptHistory() }
        defer { try? handle.close() }
        let cap: UInt64 = 1 << 20
        guard let size = try? handle.seekToEnd() else { return PromptHistory() }
        try? handle.seek(toOffset: size > cap ? size - cap : 0)
        guard let data = try? handle.readToEnd() else { return PromptHistory() }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// Reads the file's text: the last ``PromptHistory/limit`` lines that are not too long.
    public static func parse(_ text: String) -> PromptHistory {
        let lines = text.split(whereSeparator: \.isNewline)
        return PromptHistory(lines.suffix(PromptHistory.limit).map(unescape))
    }

    /// The file's text for a history.
    public static func text(_ history: PromptHistory) -> String {
        history.entries.map { escape($0) + "\n" }.joined()
    }

    /// Writes the history: a temporary file in the folder, renamed over the old one.
    public static func save(
        _ history: PromptHistory, _ prompt: Prompt, directory: String
    ) throws {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let url = URL(fileURLWithPath: path(prompt, directory: directory))
        try Data(text(history).utf8).write(to: url, options: .atomic)
    }

    static func escape(_ entry: String) -> String {
        var out = ""
        for c in entry {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\r\n": out += "\\r\\n"
            default: out.append(c)
            }
        }
        return out
    }

    static func unescape(_ line: Substring) -> String {
        var out = ""
        var escaped = false
        for c in line {
            if escaped {
                switch c {
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }

    private static func trimmedSlash(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
