import Foundation

/// The lines entered at one prompt (the filter, or the `:` command line), oldest first, as
/// Up and Down walk them.
///
/// Like bash with `HISTCONTROL=ignorespace:erasedups`: an empty line is not kept, and a line
/// entered again moves to the newest place rather than appearing twice. At most ``limit``
/// lines are kept, the oldest dropped first, so the file stays small whatever a session types.
public struct PromptHistory: Sendable, Hashable {
    public static let limit = 200
    /// The longest line kept, in characters: a pasted novel is not history.
    public static let longestLine = 2_000

    public private(set) var entries: [String]

    public init(_ entries: [String] = []) {
        var kept: [String] = []
        for entry in entries { Self.append(entry, to: &kept) }
        self.entries = kept
    }

    /// Adds a line entered at the prompt; false when it changed nothing.
    @discardableResult
    public mutating func record(_ line: String) -> Bool {
        let before = entries
        Self.append(line, to: &entries)
        return entries != before
    }

    private static func append(_ line: String, to entries: inout [String]) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= longestLine else { return }
        entries.removeAll { $0 == trimmed }
        entries.append(trimmed)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
    }
}

/// Where Up has taken a prompt in its history: the entry shown, and the line that was being
/// typed before the first Up, which Down past the newest entry brings back.
public struct HistoryBrowse: Sendable, Hashable {
    public var index: Int
    public var draft: String
}

extension PromptHistory {
    /// The entry Up shows from `browse` (nil: the line being typed); nil when there is none.
    func older(than browse: HistoryBrowse?, draft: String) -> HistoryBrowse? {
        guard !entries.isEmpty else { return nil }
        guard let browse else { return HistoryBrowse(index: entries.count - 1, draft: draft) }
        return HistoryBrowse(index: max(0, browse.index - 1), draft: browse.draft)
    }

    /// The entry Down shows from `browse`, nil past the newest (the draft comes back).
    func newer(than browse: HistoryBrowse) -> HistoryBrowse? {
        browse.index + 1 < entries.count
            ? HistoryBrowse(index: browse.index + 1, draft: browse.draft) : nil
    }
}
