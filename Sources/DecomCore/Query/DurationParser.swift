import Foundation

/// Reads a duration written as a whole number and a unit: `90m` (minutes), `12h` (hours),
/// `30d` (days), `2w` (weeks). Used by `decom purge --archived-before 30d`.
///
/// Units are lower case only, so a month is never mistaken for a minute; there is no sign,
/// no fraction and no space inside.
public enum DurationParser {
    public static let units: [(suffix: Character, seconds: Int64, name: String)] = [
        ("m", 60, "minutes"), ("h", 3_600, "hours"), ("d", 86_400, "days"),
        ("w", 604_800, "weeks"),
    ]

    /// The duration in seconds.
    public static func parse(_ text: String) throws(DurationError) -> TimeInterval {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let suffix = trimmed.last,
            let unit = units.first(where: { $0.suffix == suffix })
        else {
            throw DurationError(text, "it must end with a unit: m, h, d or w")
        }
        let digits = trimmed.dropLast()
        if let sign = digits.first, sign == "-" || sign == "+" {
            throw DurationError(text, "a duration has no sign")
        }
        guard !digits.isEmpty, digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) })
        else {
            throw DurationError(text, "it must start with a whole number of \(unit.name)")
        }
        guard let count = Int64(digits) else { throw DurationError(text, "it is too large") }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: unit.seconds)
        guard !overflow else { throw DurationError(text, "it is too large") }
        return TimeInterval(seconds)
    }
}

/// A duration that does not parse, in words.
public struct DurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    init(_ text: String, _ problem: String) {
        message =
            "'\(text)' is not a duration: \(problem); write a whole number and a unit, "
            + "like 90m, 12h, 30d or 2w"
    }

    public var description: String { message }
}
