import DecomTestSupport
import Foundation
import Testing

@testable import DecomCore

/// The console's row store (issue 16): the same rows as the summaries it was built from, and
/// the same answers as ``DeviceQuery`` and ``DeviceSort`` on those summaries.
struct DeviceRowsTests {
    static let now = Date(timeIntervalSinceReferenceDate: 786_000_000.123_456)

    /// Demo devices, as the store reads them, and hand-made rows at the edges: missing
    /// fields, a name of 300 bytes, text past ASCII, a NUL, the same name in other cases.
    static let summaries: [DeviceSummary] = {
        let evaluator = ComplianceEvaluator(now: now)
        var rows = DemoFleet.generate(count: 1_500, seed: 16, now: now).map {
            var row = DeviceSummary($0.device, compliance: evaluator.verdict($0.device))
            if $0.device.id % 7 == 0 { row.externalID = "ext-\($0.device.id)" }
            return row
        }
        let long = String(repeating: "Long Name ", count: 30)
        var edge: [DeviceSummary] = [
            QueryFixture.row(
                2_001, name: long + "A", serial: nil, type: nil, category: nil, os: nil,
                label: nil, hwid: nil),
            QueryFixture.row(2_002, name: long + "b", serial: "", label: "", hwid: ""),
            QueryFixture.row(
                2_003, name: "ΣΊΣΥΦΟΣ Straße", serial: "İSTANBUL-1", type: "Laptop",
                os: "MACOS 14.5", label: "K-kelvin\u{212A}", macs: ["AA:BB:CC:DD:EE:FF"]),
            QueryFixture.row(
                2_004, name: "e\u{301}cole", serial: "nul\0inside", type: "LAPTOP",
                category: "Staff", label: "é", macs: ["00-0C-29-01-02-03", "a4:83:e7:00:00:01"]),
            QueryFixture.row(2_005, name: "lt-par-00001", serial: "lt-par-00001"),
            QueryFixture.row(2_006, name: "LT-PAR-00001", serial: "LT-PAR-00001"),
            QueryFixture.row(
                2_007, name: "会議室タブレット", lastSeen: Date(timeIntervalSinceReferenceDate: 0)),
            QueryFixture.row(
                2_008, name: "x", lastSeen: Date(timeIntervalSinceReferenceDate: -0.0)),
            // Letters only in the MACs or the external id, which a free word's character bits
            // do not cover; digits that share a bit.
            QueryFixture.row(
                2_009, name: "Abc", serial: "048", label: nil, hwid: "-",
                macs: ["FF:FF:FF:FF:FF:FF"]),
        ]
        edge[0].archivedAt = now
        edge[1].source = "Intune"
        edge[2].source = "intune"
        edge[3].externalID = "ÉXT-1"
        edge[8].externalID = "qqq-zz"
        rows += edge
        return rows
    }()

    static let store = DeviceRows(summaries)

    /// The positions a query keeps, in the candidates' order, as the Swift evaluator says.
    static func expected(_ query: DeviceQuery, _ candidates: [Int32]) -> [Int32] {
        candidates.filter { query.matches(summaries[Int($0)]) }
    }

    @Test func rowsComeBackAsTheSummariesTheyWereBuiltFrom() {
        #expect(Self.store.count == Self.summaries.count)
        for (position, row) in Self.summaries.enumerated() {
            #expect(Self.store[position] == row, "row \(row.id)")
            #expect(Self.store.id(at: position) == row.id)
            #expect(Self.store.position(of: row.id) == position)
        }
        #expect(Self.store.position(of: 1_000_000) == nil)
        #expect(Array(DeviceRows([])).isEmpty)
    }

    @Test func queriesKeepTheRowsTheSwiftEvaluatorKeeps() throws {
        let queries = [
            "lt-par", "LT", "l", "c02", "zoë", "ZOË", "straße", "STRASSE", "σίσυφος", "ΣΊΣΥΦΟΣ",
            "école", "e", "kelvin", "k", "istanbul", "i̇stanbul", "会議", "00:0c:29", "000c29",
            "0c-29-01", "aa:bb", "a", ":", "a4:83", "e7:00", "nul", "long name", "b",
            "mac:000c29", "mac:aa:bb:cc", "label:lt-", "name:lt-par", "serial:C02",
            "hwid:a", "external_id:ext-7", "external_id:éxt", "source:intune", "source:apple",
            "os:macos", "os:windows,linux", "type:laptop", "type:gateway", "category:staff",
            "status:in_service", "status:archived,available", "mdm:none", "mdm:enrolled",
            "device_status:lost", "compliant:no", "compliant:yes", "compliant:unknown",
            "rented:yes", "rented:no", "id:42", "id:>=1000", "id:<10", "seen:>30d",
            "seen:<7d", "seen:none", "enrolled:<2024-01-01", "enrolled:none", "archived:>10d",
            "archived:none", "-status:archived lt", "-lt", "-mac:00:0c", "lt par", "\"front desk\"",
            "name:\"long name long\"", "seen:>=2001-01-01", "seen:<=2001-01-01",
            "q", "z", "-q", "-l", "f", "ff", "ff:ff", "4", "8", "48", "84", "04", "\"-\"", "\"--\"",
            "c-", "abc", "cba", "ac", "x-", "ß", "Σ", "ü",
        ]
        let order = (0..<Int32(Self.store.count)).map { $0 }
        for text in queries {
            let query = try DeviceQuery.parse(text, now: Self.now)
            #expect(
                query.matchingPositions(Self.store, among: order) == Self.expected(query, order),
                "\(text)")
        }
    }

    /// Random queries made of the fleet's own words and fields, negated and combined, over
    /// every row, a shuffled order (the view of a sort) and a few candidates (a narrowed view).
    @Test func fuzzedQueriesKeepTheRowsTheSwiftEvaluatorKeeps() {
        var random = FuzzText(seed: 0x1616)
        let rows = Self.summaries
        let fields = [
            "", "", "", "name:", "serial:", "label:", "hwid:", "mac:", "os:", "type:",
            "category:", "source:", "external_id:",
        ]
        let fixed = [
            "status:in_service", "status:archived", "mdm:none", "mdm:enrolled", "compliant:no",
            "compliant:unknown", "rented:yes", "device_status:active", "seen:>20d", "seen:none",
            "enrolled:<2023-06-01", "archived:<30d", "id:>700", "id:<=20",
        ]
        let all = (0..<Int32(Self.store.count)).map { $0 }
        var shuffled = all
        shuffled.shuffle(using: &random)
        let cases = Stress.count(400, long: 20_000)
        for _ in 0..<cases {
            var terms: [String] = []
            for _ in 0...Int.random(in: 0...2, using: &random) {
                if Bool.random(using: &random) {
                    terms.append(fixed.randomElement(using: &random) ?? "")
                    continue
                }
                let row = rows.randomElement(using: &random) ?? rows[0]
                let source =
                    [
                        row.name, row.serialNumber, row.label, row.hwid, row.macList,
                        row.osPlatform,
                        row.type, row.category, row.source, row.externalID,
                    ].compactMap { $0 }.randomElement(using: &random) ?? "x"
                let characters = Array(source)
                let start = Int.random(in: 0..<max(1, characters.count), using: &random)
                let length = Int.random(in: 1...4, using: &random)
                var word = String(characters[min(start, characters.count)...].prefix(length))
                if Bool.random(using: &random) { word = word.uppercased() }
                if Int.random(in: 0..<8, using: &random) == 0 { word = random.mutate(word) }
                let field = fields.randomElement(using: &random) ?? ""
                let negated = Int.random(in: 0..<4, using: &random) == 0 ? "-" : ""
                terms.append(
                    negated + field + "\""
                        + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                            of: "\"", with: "\\\"") + "\"")
            }
            let text = terms.joined(separator: " ")
            guard let query = try? DeviceQuery.parse(text, now: Self.now) else { continue }
            for candidates in [all, shuffled, Array(shuffled.prefix(97))] {
                #expect(
                    query.matchingPositions(Self.store, among: candidates)
                        == Self.expected(query, candidates), "\(text)")
            }
        }
    }

    /// Enough rows that the filter splits its work across the cores.
    @Test func aLargeFleetSplitAcrossCoresKeepsTheSameRows() throws {
        var rows: [DeviceSummary] = []
        let copies = DeviceQuery.parallelThreshold / Self.summaries.count + 2
        for copy in 0..<copies {
            for var row in Self.summaries {
                row.id += Int64(copy) * 10_000
                rows.append(row)
            }
        }
        let store = DeviceRows(rows)
        let all = (0..<Int32(store.count)).map { $0 }
        let reversed = Array(all.reversed())
        for text in ["lt-par", "e", "-a", "zoë", "mac:000c29 -status:archived", "os:mac"] {
            let query = try DeviceQuery.parse(text, now: Self.now)
            for candidates in [all, reversed, all.filter { $0 % 3 != 0 }] {
                let expected = candidates.filter { query.matches(rows[Int($0)]) }
                #expect(query.matchingPositions(store, among: candidates) == expected, "\(text)")
            }
        }
    }

    @Test func sortsGiveTheOrderOfDeviceSort() {
        for column in SortColumn.allCases {
            for ascending in [true, false] {
                let sort = DeviceSort(column: column, ascending: ascending)
                #expect(
                    sort.sortedPositions(Self.store).map(Int.init)
                        == sort.sortedIndices(Self.summaries),
                    "\(column) \(ascending)")
            }
        }
    }
}
