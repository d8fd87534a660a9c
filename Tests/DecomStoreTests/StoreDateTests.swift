import DecomCore
import Foundation
import Testing

@testable import DecomStore

/// Dates as the store writes them (``StoreDate``), written byte by byte: the same text as
/// Foundation's ISO 8601 formatter to the second, the fraction read back to the same instant.
@Suite struct StoreDateTests {
    @Test func textIsISO8601InUTCAndReadsBack() {
        let formatter = ISO8601DateFormatter()
        var rng = SplitMix64(seed: 11)
        var dates = [
            Date(timeIntervalSince1970: 0), testNow, testNow.addingTimeInterval(0.25),
            Date(timeIntervalSince1970: -1), Date(timeIntervalSinceReferenceDate: 0),
        ]
        for _ in 0..<20_000 {
            // 1900 to 2100, half of them with a fraction of a second.
            let seconds = Double(rng.below(6_311_390_400)) - 2_208_988_800
            let fraction = rng.chance(50) ? Double(1 + rng.below(999_999)) / 1_000_000 : 0
            dates.append(Date(timeIntervalSince1970: seconds + fraction))
        }
        for date in dates {
            let text = StoreDate.text(date)
            let second = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
            let expected = formatter.string(from: second)
            if second == date {
                #expect(text == expected)
            } else {
                #expect(text.prefix(20) == expected.dropLast() + ".", "\(text)")
                #expect(text.hasSuffix("Z") && text.dropLast().last != "0")
            }
            #expect(StoreDate.date(text).map { abs($0.timeIntervalSince(date)) < 1e-6 } == true)
        }
    }
}
