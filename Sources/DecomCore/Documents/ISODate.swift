import Foundation

/// A date as ISO 8601 in UTC to the second, `2024-01-31T08:05:00Z`: what JSONEncoder's
/// `.iso8601` and `Date.formatted(.iso8601)` write (fractions of a second dropped, counting
/// down, so 1969-12-31T23:59:58.5 is `…:58Z`), without a formatter per date.
///
/// The day comes from Howard Hinnant's `civil_from_days` (the Gregorian calendar). Dates
/// before 1583 (calendars differ on the days before the Gregorian reform of October 1582)
/// and after 9999 (four digits) go to Foundation's own formatter.
public enum ISODate {
    public static func text(_ date: Date) -> String {
        var stream = ByteStream.collecting()
        write(date, into: &stream)
        return stream.text
    }

    /// Writes the date's text (no quotes) into `stream`.
    public static func write(_ date: Date, into stream: inout ByteStream) {
        let interval = date.timeIntervalSince1970.rounded(.down)
        // 1583-01-01 and 9999-12-31T23:59:59 since 1970.
        guard interval >= -12_212_553_600, interval <= 253_402_300_799 else {
            return stream.write(date.formatted(.iso8601))
        }
        let seconds = Int64(interval)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - days * 86_400
        let (year, month, day) = civil(days: days)
        func digits(_ value: Int64, _ count: Int) {
            var divisor: Int64 = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                stream.pending.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4)
        stream.pending.append(UInt8(ascii: "-"))
        digits(month, 2)
        stream.pending.append(UInt8(ascii: "-"))
        digits(day, 2)
        stream.pending.append(UInt8(ascii: "T"))
        digits(second / 3_600, 2)
        stream.pending.append(UInt8(ascii: ":"))
        digits(second / 60 % 60, 2)
        stream.pending.append(UInt8(ascii: ":"))
        digits(second % 60, 2)
        stream.pending.append(UInt8(ascii: "Z"))
    }

    /// Year, month and day of the day `days` after 1970-01-01.
    static func civil(days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
