import Foundation
import Testing

@testable import DecomCore

/// Dates, ages, numbers and several values of one field: what an admin finding devices to
/// decommission writes.
struct DeviceQueryComparisonTests {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)  // 2025-06-15T15:06:40Z
    static let day: TimeInterval = 86_400

    static func daysAgo(_ days: Double) -> Date { now.addingTimeInterval(-days * day) }

    static func utc(_ text: String) -> Date {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text) ?? .distantPast
    }

    /// Six devices: seen long ago, lately, never; enrolled before and after 2024; archived
    /// 40 days ago, 3 days ago, or not at all.
    static let rows: [DeviceSummary] = [
        row(1, seen: daysAgo(200), enrolled: utc("2023-05-01T10:00:00Z")),
        row(2, seen: daysAgo(91), enrolled: utc("2023-12-31T23:59:59Z"), status: .available),
        row(3, seen: daysAgo(89), enrolled: utc("2024-01-01T00:00:00Z")),
        row(4, seen: daysAgo(2), enrolled: utc("2024-06-10T08:00:00Z"), status: .inMaintenance),
        row(5, seen: nil, enrolled: nil, archived: daysAgo(40), status: .archived),
        row(6, seen: daysAgo(1000), enrolled: nil, archived: daysAgo(3), status: .archived),
    ]

    static func row(
        _ id: Int64, seen: Date?, enrolled: Date?, archived: Date? = nil,
        status: ClientStatus = .inService
    ) -> DeviceSummary {
        DeviceSummary(
            id: id, name: "dev-\(id)", serialNumber: nil, type: "laptop", category: nil,
            osPlatform: id % 2 == 0 ? "Windows 11" : "macOS 14", clientStatus: status,
            mdmStatus: .enrolled, deviceStatus: .active, label: id == 1 ? "a,b" : nil, hwid: nil,
            macAddresses: [], lastSeen: seen, rented: false, compliance: .compliant,
            enrolledAt: enrolled, archivedAt: archived)
    }

    func ids(_ query: String) throws -> [Int64] {
        try DeviceQuery.parse(query, now: Self.now).filter(Self.rows).map(\.id)
    }

    func error(_ query: String) -> QueryError? {
        do {
            _ = try DeviceQuery.parse(query, now: Self.now)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Ages

    @Test func anAgeAfterGreaterIsOlderAndAfterLessIsWithin() throws {
        #expect(try ids("seen:>90d") == [1, 2, 6], "never seen matches no comparison")
        #expect(try ids("seen:<90d") == [3, 4])
        #expect(try ids("seen:<7d") == [4])
        #expect(try ids("seen:>2w") == [1, 2, 3, 6])
        #expect(try ids("archived:>30d") == [5])
        #expect(try ids("archived:<30d") == [6])
        #expect(try ids("seen:>48h") == [1, 2, 3, 6], "hours")
        #expect(try ids("seen:<3000m") == [4], "minutes")
    }

    @Test func orEqualTakesTheExactInstant() throws {
        let rows = [Self.row(1, seen: Self.daysAgo(90), enrolled: nil)]
        func count(_ q: String) throws -> Int {
            try DeviceQuery.parse(q, now: Self.now).filter(rows).count
        }
        #expect(try count("seen:>90d") == 0)
        #expect(try count("seen:>=90d") == 1)
        #expect(try count("seen:<90d") == 0)
        #expect(try count("seen:<=90d") == 1)
    }

    @Test func aDeviceWithoutTheDateIsFoundWithNoneOrANegation() throws {
        #expect(try ids("seen:none") == [5])
        #expect(try ids("enrolled:none") == [5, 6])
        #expect(try ids("archived:none") == [1, 2, 3, 4])
        #expect(try ids("-seen:<90d") == [1, 2, 5, 6], "not seen within 90 days, never included")
    }

    // MARK: - Dates

    @Test func aDateComparesWholeUTCDays() throws {
        #expect(try ids("enrolled:<2024-01-01") == [1, 2])
        #expect(try ids("enrolled:<=2024-01-01") == [1, 2, 3])
        #expect(try ids("enrolled:>2024-01-01") == [4])
        #expect(try ids("enrolled:>=2024-01-01") == [3, 4])
        #expect(try ids("enrolled:2023-12-31") == [2], "a date alone is that day")
        #expect(try ids("seen:>2025-06-12") == [4], "now is 2025-06-15; 4 was seen on the 13th")
        #expect(try ids("seen:>2025-06-13") == [])
        #expect(try ids("seen:>=2025-06-13") == [4])
    }

    // MARK: - Numbers

    @Test func idsCompare() throws {
        #expect(try ids("id:>4") == [5, 6])
        #expect(try ids("id:>=4") == [4, 5, 6])
        #expect(try ids("id:<2") == [1])
        #expect(try ids("id:<=2") == [1, 2])
        #expect(try ids("id:3") == [3], "an id alone is exact, as before")
    }

    // MARK: - Several values

    @Test func commasGiveAFieldSeveralValues() throws {
        #expect(try ids("status:available,in_maintenance") == [2, 4])
        #expect(try ids("-status:available,in_service") == [4, 5, 6])
        #expect(try ids("os:windows,macos") == [1, 2, 3, 4, 5, 6])
        #expect(try ids("id:1,3,>5") == [1, 3, 6])
        #expect(try ids("status:archived seen:none,<7d") == [5])
        #expect(try ids("label:\"a,b\"") == [1], "a quoted comma is text")
    }

    @Test func theDecommissionQueryCombines() throws {
        #expect(try ids("seen:>90d -status:archived") == [1, 2])
        #expect(try ids("seen:>90d status:available,in_service enrolled:<2024-01-01") == [1, 2])
    }

    // MARK: - Errors name the term

    @Test(arguments: [
        ("seen:>90x", "seen '>90x' is not an age or a date"),
        ("seen:>soon", "seen '>soon' is not an age or a date"),
        ("enrolled:<2024-02-30", "enrolled '<2024-02-30' is not an age or a date"),
        ("enrolled:<2024-1-1", "enrolled '<2024-1-1' is not an age or a date"),
        ("seen:90d", "seen '90d' needs > or <"),
        ("archived:>", "archived '>' is not an age or a date"),
        ("id:>abc", "id '>abc' is not a device id"),
        ("id:>0", "id '>0' is not a device id"),
        ("status:available,broken", "unknown value 'broken' for status"),
        ("status:available,", "'status:available,' has an empty value between commas"),
        ("compliant:maybe", "unknown value 'maybe' for compliant"),
    ])
    func aBadValueNamesTheTerm(_ query: String, _ expected: String) throws {
        let e = try #require(error(query))
        #expect(e.message.hasPrefix(expected), "\(e.message)")
    }

    @Test func theErrorPointsAtTheBadValueOfSeveral() throws {
        #expect(error("status:available,broken")?.position == 17)
        #expect(error("os:mac seen:>90x")?.position == 12)
    }

    // MARK: - What did not change

    @Test(arguments: [
        "status:in_service", "compliant:no", "-os:windows", "name:\"front desk\"", "id:42",
        "00:0c:29", "lt-par", "mdm:none", "label:lab,x", "a,b",
    ])
    func oldQueriesStillParse(_ text: String) throws {
        #expect(throws: Never.self) { try DeviceQuery.parse(text, now: Self.now) }
    }

    @Test func aFreeWordWithACommaIsOneWord() throws {
        let rows = [Self.row(1, seen: nil, enrolled: nil)]
        let query = try DeviceQuery.parse("dev-1,", now: Self.now)
        #expect(query.filter(rows).isEmpty, "free words are never split at commas")
        #expect(try DeviceQuery.parse("dev-1", now: Self.now).filter(rows).count == 1)
    }

    @Test func fastPathAgreesWithTheRowRule() throws {
        for text in ["seen:>90d", "-seen:<90d", "status:available,in_service id:<=3"] {
            let query = try DeviceQuery.parse(text, now: Self.now)
            #expect(
                query.matchingIndices(Self.rows)
                    == Self.rows.indices.filter { query.matches(Self.rows[$0]) })
        }
    }
}
