/// The progress bar `decom import` draws on standard error while it checks a large file.
///
/// Shown only when standard error is a terminal (a script's log gets no carriage returns)
/// and the file holds at least ``threshold`` bytes (about 2,500 Fleet hosts): a small file
/// is done before a bar could be read (issue 14).
public enum ImportProgress {
    /// The smallest file, in bytes, that gets a bar.
    public static let threshold = 1_000_000

    /// Whether a bar is drawn for a file of `bytes` when standard error is or is not a
    /// terminal.
    public static func shows(fileBytes bytes: Int, isTerminal: Bool) -> Bool {
        isTerminal && bytes >= threshold
    }

    /// One frame: a carriage return, then `[#####-----]  52%  52,000 of 100,000 records
    /// checked`, the bar `width` cells wide; `done` is clamped to `0...total`.
    public static func frame(done: Int, total: Int, width: Int = 30) -> String {
        let total = max(total, 1)
        let done = min(max(done, 0), total)
        let filled = width * done / total
        let percent = 100 * done / total
        let bar =
            String(repeating: "#", count: filled)
            + String(repeating: "-", count: width - filled)
        let padded =
            String(repeating: " ", count: max(0, 3 - String(percent).count))
            + String(percent)
        return "\r[\(bar)] \(padded)%  \(grouped(done)) of \(grouped(total)) records checked"
    }

    /// What clears the bar's line once the import is over.
    public static let clear = "\r\u{1B}[K"

    private static func grouped(_ n: Int) -> String {
        var digits = Array(String(n))
        var out = ""
        while digits.count > 3 {
            out = "," + String(digits.suffix(3)) + out
            digits.removeLast(3)
        }
        return String(digits) + out
    }
}
