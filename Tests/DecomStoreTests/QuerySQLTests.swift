import DecomCore
import DecomTestSupport
import Foundation
import GRDB
import Testing

@testable import DecomStore

/// The database's path of a list (the query compiled to SQL, sorted and paged by SQLite) gives
/// the same rows as the console's in-memory path, on the demo fleet and on devices made to
/// find the differences between SQLite and Swift (non-ASCII text, `%` and `_`, fractions of a
/// second, missing values).
@Suite struct QuerySQLTests {
    static let evaluator = ComplianceEvaluator(now: testNow)

    /// A demo fleet of 1,500 devices (some archived) and the odd devices, once per test.
    static func fleet() throws -> SQLiteFleetStore {
        let store = try makeStore()
        _ = try Seeder.seed(
            store: store, count: 1_500, seed: 7, actor: admin, now: testNow)
        try store.write { try $0.insert(oddDevices()) }
        try store.database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO device_sources (device_id, source, external_id)
                    VALUES (9001, 'intune', 'AbC-%_1'), (9002, 'jamf', 'ÉTÉ-42'),
                           (10, 'fleet', 'host-10')
                    """)
            try db.execute(
                sql: """
                    UPDATE devices SET client_status = 'ARCHIVED', archived_at = ?
                    WHERE id % 17 = 0
                    """, arguments: [StoreDate.text(daysAgo(40).addingTimeInterval(0.5))])
        }
        return store
    }

    /// Devices whose text and dates differ between naive SQL and Swift.
    static func oddDevices() -> [DeviceRecord] {
        var devices: [Device] = []
        let names: [String?] = [
            "ÉCRAN-été", "STRASSE-straße", "ΣΟΦΙΑ-σοφία", "100%_done\\x", "ǅungla", nil, "",
            "İstanbul-desk", "laptop-ÀÉÎ-12",
        ]
        for (index, name) in names.enumerated() {
            let id = Int64(9001 + index)
            var d = makeDevice(id, mdmStatus: index % 3 == 0 ? nil : .enrolled)
            d.name = name
            d.serialNumber = index % 2 == 0 ? "SÉR-\(index)-ab" : nil
            d.label = index == 4 ? nil : "lab-\(index)-Ünit"
            d.hwid = index == 5 ? nil : "hw_\(index)%"
            d.type = index == 6 ? nil : (index % 2 == 0 ? "Laptop" : "phone")
            d.lastSeen = index == 7 ? nil : daysAgo(Double(index) * 20).addingTimeInterval(0.125)
            d.macAddresses =
                index == 8 ? [] : ["AA:BB:CC:0\(index):EE:FF", "00-0C-29-12-34-5\(index)"]
            if index == 2 { d.rent = "R-1" }
            if var mdm = d.mdm {
                mdm.isEncrypted = index % 4 == 1 ? nil : index % 4 != 2
                mdm.lastSeenDate = daysAgo(index == 4 ? 30 : Double(index) * 9)
                mdm.enrollmentDate = index == 5 ? nil : daysAgo(400).addingTimeInterval(0.75)
                d.mdm = mdm
            }
            devices.append(d)
        }
        return devices.map { DeviceRecord(device: $0) }
    }

    /// Every device read whole, as the console reads them.
    static func everyRow(_ store: SQLiteFleetStore) throws -> [DeviceSummary] {
        try store.read { try $0.summaries(scope: .all, evaluator: evaluator) }
    }

    /// The ids of both paths for a query text, scope and sort.
    static func bothPaths(
        _ store: SQLiteFleetStore, _ rows: [DeviceSummary], _ text: String,
        scope: ListScope = .all, sort: DeviceSort = .init()
    ) throws -> (sql: [Int64], memory: [Int64]) {
        let query = try DeviceQuery.parse(text, now: testNow)
        let selection = DeviceSelection(query: query, scope: scope, sort: sort)
        let sql = try store.read { try $0.summaries(selection, evaluator: evaluator) }
        let ids = try store.read { try $0.selectedIDs(selection, evaluator: evaluator) }
        #expect(sql.map(\.id) == ids, "selectedIDs and summaries differ for \(text)")
        return (sql.map(\.id), selection.apply(rows).map(\.id))
    }

    // MARK: - Compliance

    @Test func theVerdictInSQLIsTheEvaluatorsOnEveryDevice() throws {
        let store = try Self.fleet()
        let rows = try Self.everyRow(store)
        for (kind, name) in [
            (ComplianceEvaluator.VerdictKind.compliant, "compliant"),
            (.nonCompliant, "non_compliant"), (.unknown, "unknown"),
        ] {
            let condition = QuerySQL.condition(Self.evaluator.condition(kind))
            let sql = try store.database.read { db in
                try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT d.id FROM devices d
                        LEFT JOIN characteristics c ON c.device_id = d.id
                        LEFT JOIN mdm_enrollments m ON m.device_id = d.id
                        LEFT JOIN device_sources s ON s.device_id = d.id
                        WHERE \(condition.sql) ORDER BY d.id
                        """, arguments: condition.statementArguments)
            }
            let swift = rows.filter { $0.compliance.name == name }.map(\.id)
            #expect(!swift.isEmpty, "the fleet has \(name) devices")
            #expect(sql == swift, "\(name): SQL and Swift disagree")
        }
        // The failing count the compliance sort uses is the evaluator's, device by device.
        let count = QuerySQL.order(
            [.count(Self.evaluator.failingConditions)], ascending: true)
        let failing = try store.database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, \(count.sql.replacingOccurrences(of: " ASC", with: ""))
                    FROM devices d
                    LEFT JOIN mdm_enrollments m ON m.device_id = d.id
                    ORDER BY d.id
                    """, arguments: count.statementArguments
            ).map { ($0[0] as Int64, $0[1] as Int) }
        }
        #expect(failing.map(\.0) == rows.map(\.id))
        #expect(failing.map(\.1) == rows.map { $0.compliance.failing.count })
    }

    // MARK: - Hand-written queries

    static let handWritten = [
        "", "lab", "LAB", "é", "É", "ÉTÉ", "straße", "STRASSE", "σοφία", "ΣΟΦΊΑ", "İ", "ǆ",
        "%", "_", "\\", "100%_", "laptop", "-laptop", "00:0c", "000c29", "0C-29", "aa:bb",
        "bbcc", "ee:ff", ":", "b2", "status:available", "status:in-service,AVAILABLE",
        "-status:archived", "mdm:none", "mdm:enrolled", "-mdm:none", "mdm:none,enrolled",
        "os:mac", "os:WIN", "type:laptop", "type:Phone", "category:comp", "label:lab-",
        "label:\"a,b\"", "name:été", "name:\"front desk\"", "serial:sér", "serial:AB",
        "mac:0c:29", "mac:aabb.cc", "mac:00-0c", "hwid:_", "hwid:%", "hwid:hw", "compliant:yes",
        "compliant:no", "compliant:unknown", "-compliant:no", "compliant:yes,unknown",
        "device_status:active", "device_status:lost", "rented:yes", "rented:no", "id:42",
        "id:>=1000", "id:<10", "id:>9000", "id:<=9003", "id:42,43,9001", "-id:42",
        "seen:>90d", "seen:<7d", "seen:>=30d", "seen:<=60d", "seen:none", "-seen:<90d",
        "seen:\(day(-2))", "seen:<\(day(-40))", "seen:>\(day(-40))", "seen:>=\(day(-100))",
        "seen:<=\(day(-100))", "enrolled:<2025-01-01", "enrolled:none", "enrolled:>365d",
        "enrolled:\(day(-400))", "archived:none", "archived:>30d", "archived:<60d",
        "archived:\(day(-40))", "source:intune", "source:generated", "source:ZZ",
        "external_id:%_", "external_id:été", "external_id:HOST", "-source:intune",
        "status:available compliant:no os:win", "laptop -compliant:yes seen:<30d",
        "mac:00:0c rented:no -mdm:none", "id:>=100 id:<200 -lab",
    ]

    /// A UTC day `days` from the tests' now.
    static func day(_ days: Double) -> String {
        String(StoreDate.text(testNow.addingTimeInterval(days * 86_400)).prefix(10))
    }

    @Test func handWrittenQueriesGiveTheSameRowsOnBothPaths() throws {
        let store = try Self.fleet()
        let rows = try Self.everyRow(store)
        for text in Self.handWritten {
            for scope in ListScope.allCases {
                let (sql, memory) = try Self.bothPaths(store, rows, text, scope: scope)
                #expect(
                    sql == memory, "\(text) in \(scope): SQL \(sql.count), memory \(memory.count)")
            }
        }
    }

    /// SQLite's limits (expression depth 1,000, LIKE patterns of 50,000 bytes) are no limit of
    /// the language.
    @Test func longQueriesGiveTheSameRowsOnBothPaths() throws {
        let store = try Self.fleet()
        let rows = try Self.everyRow(store)
        let many = Array(repeating: "-id:3", count: 1_200).joined(separator: " ") + " lab"
        let long = "name:" + String(repeating: "é", count: 30_000)
        for text in [many, long] {
            let (sql, memory) = try Self.bothPaths(store, rows, text)
            #expect(sql == memory, "\(text.prefix(20))… (\(text.count) characters)")
        }
    }

    @Test func everySortGivesTheSameOrderOnBothPaths() throws {
        let store = try Self.fleet()
        let rows = try Self.everyRow(store)
        for text in ["", "laptop", "-compliant:no", "id:>9000", "seen:none,<30d"] {
            for column in SortColumn.allCases {
                for ascending in [true, false] {
                    let sort = DeviceSort(column: column, ascending: ascending)
                    let (sql, memory) = try Self.bothPaths(store, rows, text, sort: sort)
                    #expect(sql == memory, "\(text) sorted by \(column) ascending \(ascending)")
                }
            }
        }
    }

    @Test func pagesComeFromTheDatabaseInTheSortsOrder() throws {
        let store = try Self.fleet()
        let rows = try Self.everyRow(store)
        let query = try DeviceQuery.parse("-lab", now: testNow)
        for column in [SortColumn.name, .compliance, .lastSeen] {
            let selection = DeviceSelection(
                query: query, scope: .active, sort: DeviceSort(column: column, ascending: false))
            let whole = selection.apply(rows).map(\.id)
            var paged: [Int64] = []
            var offset = 0
            while offset < whole.count + 100 {
                let page = try store.read {
                    try $0.summaries(
                        selection, evaluator: Self.evaluator, limit: 100, offset: offset)
                }
                paged += page.map(\.id)
                offset += 100
            }
            #expect(paged == whole, "pages by \(column)")
        }
    }

    /// A query's rows come back as the in-memory rows do, field for field (MAC addresses in
    /// their order, compliance, dates with their fractions).
    @Test func theDatabasesRowsAreTheRowsReadWhole() throws {
        let store = try Self.fleet()
        let rows = try Self.everyRow(store)
        let selection = DeviceSelection(scope: .all)
        let sql = try store.read { try $0.summaries(selection, evaluator: Self.evaluator) }
        #expect(sql == rows)
        // Without MAC addresses: the same rows but for them, and still selected by them.
        var withoutMACs = DeviceSelection(
            query: try DeviceQuery.parse("000c29", now: testNow), scope: .all)
        withoutMACs.macAddresses = false
        let bare = try store.read { try $0.summaries(withoutMACs, evaluator: Self.evaluator) }
        let expected = withoutMACs.query.filter(rows)
        #expect(!bare.isEmpty)
        #expect(bare.map(\.id) == expected.map(\.id))
        #expect(bare.allSatisfy { $0.macList.isEmpty })
    }

    // MARK: - Fuzzed queries

    @Test func fuzzedQueriesGiveTheSameRowsOnBothPaths() throws {
        let store = try Self.fleet()
        let rows = try Self.everyRow(store)
        let seed = SeededRandom.seed(0x5153_4C00)
        var random = SeededRandom(seed: seed)
        var checked = 0
        for _ in 0..<Stress.count(150, long: 5_000) {
            let text = Self.randomQuery(&random, rows)
            guard (try? DeviceQuery.parse(text, now: testNow)) != nil else { continue }
            let scope = ListScope.allCases[Int(random.next() % 3)]
            let sort = DeviceSort(
                column: SortColumn.allCases[Int(random.next() % UInt64(SortColumn.allCases.count))],
                ascending: random.next() % 2 == 0)
            let (sql, memory) = try Self.bothPaths(store, rows, text, scope: scope, sort: sort)
            #expect(sql == memory, "seed \(seed): \(text) in \(scope) by \(sort.column)")
            checked += 1
        }
        Stress.record("query_sql_fuzz", checked)
        #expect(checked > 50)
    }

    /// A query of one to four terms from the grammar, with values taken from the fleet's own
    /// text (cut and recased) or made up.
    static func randomQuery(_ random: inout SeededRandom, _ rows: [DeviceSummary]) -> String {
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        func fragment() -> String {
            let row = pick(rows)
            let texts = [
                row.name, row.serialNumber, row.label, row.hwid, row.type, row.osPlatform,
                row.category, row.macList, row.source, row.externalID,
            ].compactMap { $0 }.filter { !$0.isEmpty }
            let made = ["é", "É", "ß", "%", "_", "\\", "Σ", "0c", "29:", "zz", "a"]
            guard !texts.isEmpty, random.next() % 5 != 0 else { return pick(made) }
            let chars = Array(pick(texts))
            let start = Int(random.next() % UInt64(chars.count))
            let length = 1 + Int(random.next() % 5)
            var text = String(chars[start..<min(chars.count, start + length)])
            if random.next() % 2 == 0 { text = text.uppercased() }
            return text
        }
        func quoted(_ text: String) -> String {
            "\""
                + text.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        func age() -> String { "\(1 + random.next() % 400)\(pick(["d", "h", "w"]))" }
        func date() -> String {
            pick([
                "none", ">" + age(), "<" + age(), ">=" + age(), "<=" + age(),
                day(-Double(random.next() % 400)), "<" + day(-Double(random.next() % 400)),
                ">=" + day(-Double(random.next() % 400)),
            ])
        }
        func value(_ field: String) -> String {
            switch field {
            case "status": pick(ClientStatus.allCases).rawValue.lowercased()
            case "mdm": pick(MDMStatus.allCases.map(\.rawValue) + ["none"])
            case "device_status": pick(DeviceStatus.allCases).rawValue
            case "compliant": pick(["yes", "no", "unknown"])
            case "rented": pick(["yes", "no"])
            case "id":
                pick(["", ">", "<", ">=", "<="]) + String(1 + random.next() % 1_600)
            case "seen", "enrolled", "archived": date()
            case "mac": pick(["0c", "00:0c", "0c29", "aa-bb", "ee:ff", "b2", "12.34", "5"])
            default: quoted(fragment())
            }
        }
        let fields = [
            "status", "mdm", "os", "type", "category", "compliant", "device_status", "label",
            "id", "name", "serial", "mac", "hwid", "rented", "seen", "enrolled", "archived",
            "source", "external_id",
        ]
        var terms: [String] = []
        for _ in 0..<(1 + random.next() % 4) {
            var term: String
            if random.next() % 3 == 0 {
                term = quoted(fragment())
            } else {
                let field = pick(fields)
                var values = [value(field)]
                if random.next() % 4 == 0 { values.append(value(field)) }
                term = field + ":" + values.joined(separator: ",")
            }
            if random.next() % 4 == 0 { term = "-" + term }
            terms.append(term)
        }
        return terms.joined(separator: " ")
    }
}
