import DecomCore
import Foundation

/// How values read on screen.
enum Format {
    /// Text from a device or an import, with control characters made visible.
    static func device(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "-" }
        return SafeText.visible(text)
    }

    /// Device text where the admin decides (dialogs, details, results): invisible characters
    /// shown as `<U+XXXX>` too (``SafeText/revealing(_:marking:)``), marked so that the canvas
    /// draws them in a style of their own (``Canvas/markStart``).
    static func revealed(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "-" }
        return SafeText.revealing(text) { Canvas.markStart + $0 + Canvas.markEnd }
    }

    /// 1234567 as "1,234,567", whatever the locale.
    static func count(_ n: Int) -> String { NumberText.grouped(n) }

    /// How long ago, in the largest unit that fits: "now", "5m", "3h", "3d", "5w", "2y".
    static func ago(_ date: Date?, now: Date) -> String {
        guard let date else { return "-" }
        let seconds = now.timeIntervalSince(date)
        if seconds < 60 { return "now" }
        let minutes = Int(seconds / 60)
        if minutes < 60 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 48 { return "\(hours)h" }
        let days = hours / 24
        if days < 14 { return "\(days)d" }
        if days < 365 { return "\(days / 7)w" }
        return "\(days / 365)y"
    }

    /// A date in UTC, to the minute.
    static func date(_ date: Date?) -> String {
        guard let date else { return "-" }
        let c = Calendar.utc.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0,
            c.hour ?? 0, c.minute ?? 0)
    }

    /// A day in UTC, as `2026-09-01`.
    static func day(_ date: Date?) -> String {
        guard let date else { return "-" }
        let c = Calendar.utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    static func flag(_ value: Bool?) -> String {
        guard let value else { return "unknown" }
        return value ? "yes" : "no"
    }

    static func plural(_ n: Int, _ word: String) -> String {
        "\(count(n)) \(word)\(n == 1 ? "" : "s")"
    }
}

extension Calendar {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone.current
        return calendar
    }()
}
