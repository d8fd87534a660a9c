import Foundation

/// Dates as the store keeps them: ISO 8601 in UTC, `2026-11-22T19:37:30Z`, with a fraction of
/// up to nine digits when the date has one (`2026-11-22T19:37:30.25Z`).
///
/// Written and read by hand rather than through a formatter: a 100,000-device import formats
/// several dates per device, and a formatter is many times slower. Nine fractional digits give
/// back the same `Date` for every date more than two months away from 2001-01-01, where a
/// `Double`'s spacing is coarser than a nanosecond.
enum StoreDate {
    /// Seconds from 1970-01-01 to 2001-01-01, `Date`'s reference.
    private static let referenceOffset: Int64 = 978_307_200

    static func text(_ date: Date) -> String {
        let interval = date.timeIntervalSinceReferenceDate
        var whole = interval.rounded(.down)
        var nanos = Int64(((interval - whole) * 1e9).rounded())
        if nanos >= 1_000_000_000 {
            whole += 1
            nanos -= 1_000_000_000
        }
        let epoch = Int64(whole) + referenceOffset
        let days = epoch >= 0 ? epoch / 86_400 : (epoch - 86_399) / 86_400
        let secondOfDay = epoch - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        guard (0...9999).contains(year) else {
            return slowText(year, month, day, secondOfDay, nanos)
        }
        // Bytes into the string's own storage: a seed formats several dates a device, and
        // a `String` a field (as ``slowText`` builds them) was a tenth of it.
        return String(unsafeUninitializedCapacity: 30) { out in
            var at = 0
            func put(_ value: Int64, _ width: Int) {
                var rest = value
                for place in stride(from: width - 1, through: 0, by: -1) {
                    out[at + place] = UInt8(0x30 + rest % 10)
                    rest /= 10
                }
                at += width
            }
            func put(_ byte: UInt8) {
                out[at] = byte
                at += 1
            }
            put(year, 4)
            put(0x2D)
            put(month, 2)
            put(0x2D)
            put(day, 2)
            put(0x54)
            put(secondOfDay / 3600, 2)
            put(0x3A)
            put(secondOfDay / 60 % 60, 2)
            put(0x3A)
            put(secondOfDay % 60, 2)
            if nanos > 0 {
                var digits = nanos
                var width = 9
                while digits % 10 == 0 {
                    digits /= 10
                    width -= 1
                }
                put(0x2E)
                put(digits, width)
            }
            put(0x5A)
            return at
        }
    }

    /// The same text built field by field: for a year outside 0...9999 (a sign, or more than
    /// four digits), and what the tests hold the fast path to.
    static func slowText(
        _ year: Int64, _ month: Int64, _ day: Int64, _ secondOfDay: Int64, _ nanos: Int64
    ) -> String {
        var out = ""
        out.reserveCapacity(30)
        append(year, width: 4, to: &out)
        out.append("-")
        append(month, width: 2, to: &out)
        out.append("-")
        append(day, width: 2, to: &out)
        out.append("T")
        append(secondOfDay / 3600, width: 2, to: &out)
        out.append(":")
        append(secondOfDay / 60 % 60, width: 2, to: &out)
        out.append(":")
        append(secondOfDay % 60, width: 2, to: &out)
        if nanos > 0 {
            var digits = nanos
            var width = 9
            while digits % 10 == 0 {
                digits /= 10
                width -= 1
            }
            out.append(".")
            append(digits, width: width, to: &out)
        }
        out.append("Z")
        return out
    }

    /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; a space may stand for the `T`.
    static func date(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x20,
            b[13] == 0x3A, b[16] == 0x3A,
            let year = number(b, 0, 4), let month = number(b, 5, 2), let day = number(b, 8, 2),
            let hour = number(b, 11, 2), let minute = number(b, 14, 2),
            let second = number(b, 17, 2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var nanos: Int64 = 0
        if b[index] == 0x2E {
            index += 1
            var width = 0
            while index < b.count, (0x30...0x39).contains(b[index]) {
                if width < 9 { nanos = nanos * 10 + Int64(b[index] - 0x30) }
                width += 1
                index += 1
            }
            guard width > 0 else { return nil }
            for _ in min(width, 9)..<9 { nanos *= 10 }
        }
        guard index < b.count else { return nil }
        var offset: Int64 = 0
        if b[index] == 0x5A, index + 1 == b.count {
            offset = 0
        } else if b[index] == 0x2B || b[index] == 0x2D, index + 6 == b.count,
            b[index + 3] == 0x3A, let h = number(b, index + 1, 2), let m = number(b, index + 4, 2),
            h < 24, m < 60
        {
            offset = (h * 3600 + m * 60) * (b[index] == 0x2B ? 1 : -1)
        } else {
            return nil
        }
        let epoch =
            days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
            - offset
        let whole = Double(epoch - referenceOffset)
        return Date(timeIntervalSinceReferenceDate: whole + Double(nanos) / 1e9)
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, days since 1970-01-01)

    private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func number(_ b: [UInt8], _ start: Int, _ width: Int) -> Int64? {
        var value: Int64 = 0
        for i in start..<(start + width) {
            guard i < b.count, (0x30...0x39).contains(b[i]) else { return nil }
            value = value * 10 + Int64(b[i] - 0x30)
        }
        return value
    }

    private static func append(_ value: Int64, width: Int, to out: inout String) {
        let digits = String(value)
        if digits.count < width { out.append(String(repeating: "0", count: width - digits.count)) }
        out.append(digits)
    }
}
