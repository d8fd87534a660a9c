import Foundation

/// The comparisons a query makes on dates and numbers: `seen:>90d`, `enrolled:<2024-01-01`,
/// `archived:none`, `id:>=1000`.
///
/// A date field takes an age or a calendar date after `>`, `<`, `>=` or `<=`:
///
/// - An age (`90d`, a whole number and a unit of ``DurationParser``: `m` minutes, `h` hours,
///   `d` days, `w` weeks) is how long ago the date is, counted from the moment the query is
///   parsed (the console: when the filter is applied). `>90d` is *older* than 90 days (the
///   date is before now minus 90 days), `<7d` is *within* the last 7 days, `>=` and `<=` also
///   take the exact instant.
/// - A date (`2024-01-01`, a day of the UTC calendar, as the database stores dates) compares
///   whole days: `<D` is before D begins, `<=D` before D ends, `>D` after D ends, `>=D` from
///   the start of D. A date alone (`enrolled:2024-01-01`) is that one day; an age alone is an
///   error (it says neither "older" nor "within").
/// - `none` matches the devices that have no such date (never seen, never enrolled, not
///   archived). A device with no date matches no comparison, so `seen:>90d` leaves out the
///   devices never seen; `-seen:<90d` (not seen within 90 days) keeps them.
///
/// A number field (`id`) takes the same four operators before a whole number.
enum QueryComparison {
    /// The operator at the start of a value, and the rest of the value.
    static func split(_ value: String) -> (Operator?, Substring) {
        for op in Operator.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count })
        where value.hasPrefix(op.rawValue) {
            return (op, value.dropFirst(op.rawValue.count))
        }
        return (nil, Substring(value))
    }

    enum Operator: String, CaseIterable, Sendable, Hashable {
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="

        func holds<T: Comparable>(_ left: T, _ right: T) -> Bool {
            switch self {
            case .less: left < right
            case .lessOrEqual: left <= right
            case .greater: left > right
            case .greaterOrEqual: left >= right
            }
        }
    }

    /// Reads the value of a date field: `none`, an operator and an age or a date, or a date.
    static func dateTest(
        _ value: String, field: String, now: Date, position: Int
    ) throws(QueryError) -> DateTest {
        if value.lowercased() == "none" { return .missing }
        let (op, operand) = split(value)
        if let day = UTCDay(operand) {
            switch op {
            case nil: return .within(day.start, day.end)
            case .less: return .before(day.start, inclusive: false)
            case .lessOrEqual: return .before(day.end, inclusive: false)
            case .greater: return .after(day.end, inclusive: true)
            case .greaterOrEqual: return .after(day.start, inclusive: true)
            }
        }
        let age: TimeInterval
        do {
            age = try DurationParser.parse(String(operand))
        } catch {
            throw QueryError(
                "\(field) '\(value)' is not an age or a date: write \(field):>90d (more than 90 "
                    + "days ago), \(field):<7d (within 7 days), \(field):<2024-01-01, or "
                    + "\(field):none; ages take m, h, d or w",
                position: position)
        }
        let cutoff = now.addingTimeInterval(-age)
        switch op {
        case nil:
            throw QueryError(
                "\(field) '\(value)' needs > or <: \(field):>\(operand) is more than \(operand) "
                    + "ago, \(field):<\(operand) within the last \(operand)",
                position: position)
        case .greater: return .before(cutoff, inclusive: false)
        case .greaterOrEqual: return .before(cutoff, inclusive: true)
        case .less: return .after(cutoff, inclusive: false)
        case .lessOrEqual: return .after(cutoff, inclusive: true)
        }
    }
}

/// What a date term asks of a device's date.
enum DateTest: Sendable, Hashable {
    /// The device has no such date.
    case missing
    /// The date is before the instant (or at it).
    case before(Date, inclusive: Bool)
    /// The date is after the instant (or at it).
    case after(Date, inclusive: Bool)
    /// The date is in [start, end): one day.
    case within(Date, Date)

    func matches(_ date: Date?) -> Bool {
        switch self {
        case .missing: return date == nil
        case .before(let bound, let inclusive):
            guard let date else { return false }
            return inclusive ? date <= bound : date < bound
        case .after(let bound, let inclusive):
            guard let date else { return false }
            return inclusive ? date >= bound : date > bound
        case .within(let start, let end):
            guard let date else { return false }
            return date >= start && date < end
        }
    }
}

/// A day of the UTC calendar written `YYYY-MM-DD`: its first instant and the next day's.
struct UTCDay {
    var start: Date
    var end: Date

    init?(_ text: Substring) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        let components = DateComponents(year: year, month: month, day: day)
        // 2024-02-30 is no day: the calendar would roll it over to March.
        guard let start = calendar.date(from: components),
            calendar.dateComponents([.year, .month, .day], from: start) == components,
            let end = calendar.date(byAdding: .day, value: 1, to: start)
        else { return nil }
        self.start = start
        self.end = end
    }
}
