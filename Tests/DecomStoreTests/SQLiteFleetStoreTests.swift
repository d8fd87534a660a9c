import DecomCore
import Foundation
import GRDB
import Testing

@testable import DecomStore

@Suite struct SQLiteFleetStoreTests {
    // MARK: - Opening

    @Test func opensMigratesAndReopensWithTheSameData() throws {
        let path = try temporaryFolder().appendingPathComponent("sub/dir/fleet.sqlite").path
        do {
            let store = try SQLiteFleetStore(path: path)
            #expect(try store.schemaVersion() == FleetSchema.version)
            try store.write { try $0.insert([makeRecord(1)]) }
        }
        let again = try SQLiteFleetStore(path: path)
        #expect(try again.schemaVersion() == FleetSchema.version)
        #expect(try again.read { try $0.device(id: 1) } == makeDevice(1))
        let mode = try again.database.read { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode")
        }
        #expect(mode == "wal")
        let foreignKeys = try again.database.read { db in
            try Bool.fetchOne(db, sql: "PRAGMA foreign_keys")
        }
        #expect(foreignKeys == true)
    }

    /// A command's store (one connection) creates a WAL fleet as the pool does, reads and
    /// writes on it, and its change token moves when another store commits.
    @Test func aSingleConnectionStoreWorksAsThePoolDoes() throws {
        let path = try temporaryFolder().appendingPathComponent("fleet.sqlite").path
        let single = try SQLiteFleetStore(path: path, connections: .single)
        #expect(try single.schemaVersion() == FleetSchema.version)
        let mode = try single.database.read { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode")
        }
        #expect(mode == "wal")
        try single.write { try $0.insert([makeRecord(1)]) }
        #expect(try single.read { try $0.device(id: 1) } == makeDevice(1))
        let token = try single.changeToken()
        let pool = try SQLiteFleetStore(path: path, mode: .existing)
        try pool.write { try $0.insert([makeRecord(2)]) }
        #expect(try single.changeToken() != token)
        #expect(try single.read { try $0.device(id: 2) } == makeDevice(2))
    }

    @Test func aVersion1DatabaseIsMigratedWithItsData() throws {
        let path = try temporaryFolder().appendingPathComponent("fleet.sqlite").path
        let legacy = #"{"id":7,"name":"old","mac_addresses":[],"sessions":[]}"#
        do {
            let queue = try DatabaseQueue(path: path)
            try FleetSchema.migrator.migrate(queue, upTo: "v1 fleet")
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO devices (id, client_status, device_status)
                            VALUES (7, 'IN_SERVICE', 'ACTIVE');
                        INSERT INTO transactions (id, type, status, user, role, created_at, updated_at)
                            VALUES (40, 'UNENROLL', 'SUCCESS', 'eve', 'admin', 'x', 'x');
                        INSERT INTO audit (id, transaction_id, device_id, action, actor, role, at, before)
                            VALUES (90, 40, 7, 'UNENROLL', 'eve', 'admin', 'x', ?);
                        """, arguments: [legacy])
            }
            #expect(
                try queue.read { db in try db.indexes(on: "audit").map(\.name) }.contains(
                    "audit_device"))
        }
        let store = try SQLiteFleetStore(path: path)
        #expect(try store.schemaVersion() == FleetSchema.version)
        #expect(try store.read { try $0.deviceCount(scope: .all) } == 1)
        let indexes = try store.database.read { db in try db.indexes(on: "audit").map(\.name) }
        #expect(indexes == ["audit_transaction"])
        // The audit row is kept as it was, its state still one JSON object.
        let kept = try store.database.read { db in
            try Row.fetchOne(
                db, sql: "SELECT id, actor, before FROM audit_entries WHERE device_id = 7")
        }
        #expect(kept?["id"] == 90 as Int64)
        #expect(kept?["actor"] == "eve")
        #expect(kept?["before"] == legacy)
        // Still append-only, and new rows get ids after the old ones.
        #expect(throws: DatabaseError.self) {
            try store.database.write { db in try db.execute(sql: "DELETE FROM audit") }
        }
        try store.write { w in
            let id = try w.begin(.archive, actor: admin, at: testNow, undoes: nil)
            try w.archive(ids: [7], transaction: id, actor: admin, at: testNow)
        }
        let ids = try store.database.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM audit ORDER BY id")
        }
        #expect(ids.count == 2 && ids[1] > 90)
    }

    @Test func refusesAFileThatIsNotSQLiteAndNamesIt() throws {
        let path = try temporaryFolder().appendingPathComponent("notes.sqlite").path
        try Data("these are my notes, not a database\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try SQLiteFleetStore(path: path) }
        #expect(error == .notADatabase(path: path))
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("not an SQLite database") == true)
    }

    @Test func refusesASchemaFromANewerDecomBeforeTouchingIt() throws {
        let path = try temporaryFolder().appendingPathComponent("fleet.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(
                    sql: "CREATE TABLE future (x); PRAGMA user_version = \(FleetSchema.version + 1)"
                )
            }
        }
        let error = #expect(throws: StoreError.self) { try SQLiteFleetStore(path: path) }
        #expect(
            error
                == .newerSchema(
                    path: path, found: FleetSchema.version + 1, supported: FleetSchema.version))
        #expect(error?.description.contains("upgrade decom") == true)
        let queue = try DatabaseQueue(path: path)
        let tables = try queue.read { db in try db.tableExists("devices") }
        #expect(tables == false, "nothing was migrated")
    }

    @Test func defaultPathFollowsDecomDBThenXDGThenHome() {
        #expect(
            StoreLocation.defaultPath(environment: ["DECOM_DB": "/x/f.db", "HOME": "/h"])
                == "/x/f.db")
        #expect(
            StoreLocation.defaultPath(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"])
                == "/d/decom/fleet.sqlite")
        #expect(
            StoreLocation.defaultPath(environment: ["HOME": "/h"])
                == "/h/.local/share/decom/fleet.sqlite")
    }

    // MARK: - Devices

    @Test func deviceRoundTripsExactlyWithUnknownBooleansKeptUnknown() throws {
        var bare = Device(id: 2, clientStatus: .inPreparation)
        bare.deviceStatus = .stolen
        let store = try makeStore([makeRecord(1), DeviceRecord(device: bare)])
        let read = try store.read { try $0.device(id: 1) }
        #expect(read == makeDevice(1))
        #expect(read?.characteristics.noiseCancellation == nil)
        #expect(read?.characteristics.hasWebcam == false)
        #expect(try store.read { try $0.device(id: 2) } == bare)
        #expect(try store.read { try $0.device(id: 3) } == nil)
        #expect(try store.read { try $0.sessions(deviceId: 1) } == makeRecord(1).sessions)
        #expect(try store.read { try $0.events(deviceId: 1) } == makeRecord(1).events)
    }

    @Test func datesAreStoredAsISO8601UTCText() throws {
        let store = try makeStore([makeRecord(1)])
        let text = try store.database.read { db in
            try String.fetchOne(db, sql: "SELECT created_at FROM sessions LIMIT 1")
        }
        #expect(text == StoreDate.text(daysAgo(10)))
        #expect(StoreDate.text(testNow) == "2026-11-22T19:37:30Z")
        #expect(StoreDate.text(testNow.addingTimeInterval(0.25)) == "2026-11-22T19:37:30.25Z")
        #expect(StoreDate.date("2026-11-22T21:37:30+02:00") == testNow)
    }

    @Test func resolvesEveryKeyForm() throws {
        let store = try makeStore([makeRecord(1), makeRecord(2)])
        let keys: [DeviceKey] = [
            .id(1), .id(99), .label("dev-2"), .label("DEV-2"), .mac("00:0c:29:00:02:b2"),
            .mac("00-0C-29-00-01-B2"), .hwid("hw1x"), .serial("c02ser2"), .serial("nope"),
        ]
        let resolved = try store.read { try $0.resolve(keys) }
        #expect(resolved[.id(1)] == [1])
        #expect(resolved[.id(99)] == nil)
        #expect(resolved[.label("dev-2")] == [2])
        #expect(resolved[.label("DEV-2")] == nil, "labels match exactly")
        #expect(resolved[.mac("00:0c:29:00:02:b2")] == [2])
        #expect(resolved[.mac("00-0C-29-00-01-B2")] == [1], "MACs match in any spelling")
        #expect(resolved[.hwid("hw1x")] == [1], "HWIDs match in any case")
        #expect(resolved[.serial("c02ser2")] == [2], "serials match in any case")
        #expect(resolved[.serial("nope")] == nil)
        #expect(resolved.count == 6)
    }

    @Test func aSerialOrHWIDSharedByTwoDevicesResolvesToBoth() throws {
        let store = try makeStore([makeRecord(1), makeRecord(2), makeRecord(3)])
        // Written by another program: import refuses duplicates.
        try store.database.write { db in
            try db.execute(
                sql: "UPDATE devices SET hwid = 'HW-SAME', serial_number = 'S1' WHERE id IN (1, 3)")
        }
        let resolved = try store.read { try $0.resolve([.hwid("hw-same"), .serial("s1")]) }
        #expect(resolved[.hwid("hw-same")] == [1, 3])
        #expect(resolved[.serial("s1")] == [1, 3])
        let service = DeletionService(store: store, clock: { testNow })
        let plan = try service.plan(
            [KeyInput("hwid:hw-same"), KeyInput("2")], mode: .purge, actor: admin)
        #expect(plan.items.map(\.decision.outcome) == [.ambiguous, nil])
        guard case .skip(_, let reason) = plan.items[0].decision else { return }
        #expect(reason.contains("#1") && reason.contains("#3"), "names both: \(reason)")
    }

    @Test func factsCountOnlyActiveSessions() throws {
        var record = makeRecord(1, rent: "R-1")
        record.sessions[1].suspendedBy = 77
        let store = try makeStore([record, makeRecord(2, mdmStatus: nil)])
        let facts = try store.read { try $0.facts(ids: [1, 2, 3]) }
        #expect(facts.count == 2)
        #expect(facts[1]?.activeSessions == 1)
        #expect(facts[1]?.rented == true)
        #expect(facts[1]?.mdmStatus == .enrolled)
        #expect(facts[2]?.mdmStatus == nil)
        #expect(facts[2]?.activeSessions == 2)
    }

    @Test func summariesCarryVerdictsAndMACsInScope() throws {
        var failing = makeDevice(2)
        failing.mdm?.isEncrypted = false
        failing.mdm?.firewallEnabled = false
        let store = try makeStore([
            makeRecord(1), DeviceRecord(device: failing), makeRecord(3, mdmStatus: nil),
            makeRecord(4, clientStatus: .archived),
        ])
        let evaluator = ComplianceEvaluator(now: testNow)
        let active = try store.read { try $0.summaries(scope: .active, evaluator: evaluator) }
        #expect(active.map(\.id) == [1, 2, 3])
        #expect(active[0] == DeviceSummary(makeDevice(1), compliance: .compliant))
        #expect(active[1].compliance == .nonCompliant(failing: [.diskEncryption, .firewall]))
        #expect(active[2].compliance == .unknown(unknown: ComplianceCheck.allCases))
        #expect(active[0].macAddresses == makeDevice(1).macAddresses)
        let archived = try store.read { try $0.summaries(scope: .archived, evaluator: evaluator) }
        #expect(archived.map(\.id) == [4])
        #expect(try store.read { try $0.deviceCount(scope: .all) } == 4)
        #expect(try store.read { try $0.deviceCount(scope: .active) } == 3)
    }

    /// The active count is all devices less the archived ones (two cheap counts): the same
    /// number as the rows of each scope, on a fleet with every client status.
    @Test func eachScopesCountIsItsNumberOfRows() throws {
        let store = try makeStore()
        _ = try Seeder.seed(store: store, count: 1_500, seed: 3, actor: admin, now: testNow)
        let evaluator = ComplianceEvaluator(now: testNow)
        for scope in [ListScope.active, .archived, .all] {
            let rows = try store.read { try $0.summaries(scope: scope, evaluator: evaluator) }
            #expect(rows.count > 0)
            #expect(try store.read { try $0.deviceCount(scope: scope) } == rows.count)
        }
    }

    // MARK: - Audit and atomicity

    @Test func auditRefusesUpdateAndDelete() throws {
        let store = try makeStore([makeRecord(1)])
        try store.write { w in
            let id = try w.begin(.archive, actor: admin, at: testNow, undoes: nil)
            try w.archive(ids: [1], transaction: id, actor: admin, at: testNow)
        }
        #expect(try count(store, "audit") == 1)
        let update = #expect(throws: DatabaseError.self) {
            try store.database.write { db in
                try db.execute(sql: "UPDATE audit SET actor = 'mallory'")
            }
        }
        #expect(update?.message == "audit is append-only")
        #expect(throws: DatabaseError.self) {
            try store.database.write { db in try db.execute(sql: "DELETE FROM audit") }
        }
        #expect(try count(store, "audit") == 1)
        let actor = try store.database.read { db in
            try String.fetchOne(db, sql: "SELECT actor FROM audit")
        }
        #expect(actor == "alice")
    }

    @Test func auditKeepsTheWholeStateBeforeTheChange() throws {
        let store = try makeStore([makeRecord(1)])
        try store.write { w in
            let id = try w.begin(.unenroll, actor: admin, at: testNow, undoes: nil)
            try w.unenroll(ids: [1], transaction: id, actor: admin, at: testNow)
        }
        // As one JSON object (the view): exactly the device as it was, MACs and sessions too.
        let before = try store.database.read { db in
            try String.fetchOne(db, sql: "SELECT before FROM audit_entries WHERE device_id = 1")
        }
        let json = try #require(before)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            return try #require(StoreDate.date(text))
        }
        #expect(try decoder.decode(Device.self, from: Data(json.utf8)) == makeDevice(1))
        let sessions = try decoder.decode(AuditedSessions.self, from: Data(json.utf8)).sessions
        #expect(sessions.map(\.token_id) == ["tok-1-a", "tok-1-b"])
        // As columns: plain SQL reads the state.
        let row = try store.database.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT serial_number, mdm_status, has_webcam, compliance FROM audit")
        }
        #expect(row?["serial_number"] == "C02SER1")
        #expect(row?["mdm_status"] == "ENROLLED")
        #expect(row?["has_webcam"] == false)
        #expect(row?["compliance"] == #"["CE","FCC"]"#)
    }

    @Test func theAuditViewShowsEveryColumnTheAuditKeeps() throws {
        // A column added to a device's tables needs a migration that adds it to the audit and
        // to the view: this fails until it has one.
        let store = try makeStore()
        let (table, view) = try store.database.read { db in
            (
                try db.columns(in: "audit").map(\.name),
                try db.columns(in: "audit_entries").map(\.name)
            )
        }
        for column in AuditState.columns.map(\.column) {
            #expect(table.contains(column), "audit has no column \(column)")
        }
        #expect(view.contains("before"))
        let keys = Set(
            FleetSchema.auditDeviceColumns + FleetSchema.auditCharacteristicsColumns
                + FleetSchema.auditMDMColumns.map { "mdm_" + $0 })
        let copied = Set(
            ["id"] + DeviceColumns.device.dropFirst() + DeviceColumns.characteristics
                + DeviceColumns.mdm.map { "mdm_" + $0 })
        #expect(copied == keys, "the view's JSON names every column the audit copies")
    }

    private struct AuditedSessions: Decodable {
        struct Token: Decodable { var token_id: String }
        var sessions: [Token]
    }

    @Test func aWriteThatThrowsLeavesNothingApplied() throws {
        struct Boom: Error {}
        let store = try makeStore([makeRecord(1), makeRecord(2)])
        #expect(throws: Boom.self) {
            try store.write { w in
                let id = try w.begin(.archive, actor: admin, at: testNow, undoes: nil)
                try w.archive(ids: [1, 2], transaction: id, actor: admin, at: testNow)
                throw Boom()
            }
        }
        #expect(try store.read { try $0.device(id: 1) } == makeDevice(1))
        #expect(try store.read { try $0.sessions(deviceId: 2) } == makeRecord(2).sessions)
        #expect(try count(store, "audit") == 0)
        #expect(try count(store, "undo_entries") == 0)
        #expect(try count(store, "transactions") == 0)
    }

    @Test func recordFailureKeepsAFailureTransactionWithItsItems() throws {
        let store = try makeStore()
        let items = [ItemResult(key: "1", deviceId: 1, outcome: .failed, reason: "rolled back")]
        let id = try store.recordFailure(
            .purge, actor: admin, at: testNow, error: "disk full", items: items)
        let record = try #require(try store.read { try $0.transaction(id: id) })
        #expect(record.status == .failure)
        #expect(record.error == "disk full")
        #expect(record.items == items)
    }

    @Test func itemResultsKeepHostileTextAndTheirOrderExactly() throws {
        // Results are written as one JSON array per 10,000: every character must survive it.
        // (Not NUL: GRDB binds text up to its first NUL, so no text of the store keeps one.)
        let store = try makeStore()
        let hostile = [
            "\"quoted\" \\ back", "line\nbreak\ttab\r", "\u{1B}[31mred\u{07}", "[1,\"x\"]",
            "ünïcödé 設備 🧪", "", "null", "\u{1F}unit", "\u{7F}del",
        ]
        var items = hostile.enumerated().map { index, text in
            ItemResult(
                key: text, deviceId: index.isMultiple(of: 2) ? Int64(index) : nil,
                deviceName: index == 3 ? nil : text, outcome: .notFound,
                reason: index == 4 ? nil : "why: " + text)
        }
        items += (0..<10_050).map {
            ItemResult(key: String($0), deviceId: Int64($0), outcome: .archived)
        }
        let id = try store.recordFailure(
            .archive, actor: admin, at: testNow, error: "x", items: items)
        let kept = try #require(try store.read { try $0.transaction(id: id) }).items
        #expect(kept.count == items.count)
        for (index, (got, wanted)) in zip(kept, items).enumerated() where got != wanted {
            Issue.record("item \(index): \(got) is not \(wanted)")
            break
        }
    }

    @Test func twoStoresOnOneFileWriteConcurrentlyWithoutLosingAChange() throws {
        let path = try temporaryFolder().appendingPathComponent("fleet.sqlite").path
        let first = try SQLiteFleetStore(path: path)
        let second = try SQLiteFleetStore(path: path)
        let errors = ErrorBox()
        let group = DispatchGroup()
        for (store, base) in [(first, Int64(1)), (second, Int64(1_001))] {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    for step in Int64(0)..<50 {
                        try store.write { w in
                            try w.insert([DeviceRecord(device: Device(id: base + step))])
                            _ = try w.begin(.archive, actor: admin, at: testNow, undoes: nil)
                        }
                    }
                } catch {
                    errors.append(error)
                }
            }
        }
        group.wait()
        #expect(errors.all.isEmpty, "\(errors.all)")
        #expect(try first.read { try $0.deviceCount(scope: .all) } == 100)
        #expect(try second.read { try $0.transactions(limit: nil) }.count == 100)
    }

    @Test func changeTokenMovesWhenAnotherConnectionCommits() throws {
        let path = try temporaryFolder().appendingPathComponent("fleet.sqlite").path
        let console = try SQLiteFleetStore(path: path)
        let cli = try SQLiteFleetStore(path: path)
        let before = try console.changeToken()
        #expect(try console.changeToken() == before, "nothing changed")
        try cli.write { try $0.insert([makeRecord(1)]) }
        #expect(try console.changeToken() != before)
    }

    // MARK: - Transactions

    @Test func transactionListsAreNewestFirstWithTheirItems() throws {
        let store = try makeStore([makeRecord(1), makeRecord(2)])
        for id in Int64(1)...2 {
            try store.write { w in
                let t = try w.begin(.unenroll, actor: admin, at: testNow, undoes: nil)
                try w.unenroll(ids: [id], transaction: t, actor: admin, at: testNow)
                try w.finish(
                    t, status: .success,
                    items: [ItemResult(key: "\(id)", deviceId: id, outcome: .unenrolled)],
                    at: testNow)
            }
        }
        let all = try store.read { try $0.transactions(limit: nil) }
        #expect(all.map(\.id) == [2, 1])
        #expect(all[0].items.map(\.deviceId) == [2])
        #expect(all[0].status == .success)
        #expect(try store.read { try $0.transactions(deviceId: 1, limit: 10) }.map(\.id) == [1])
        #expect(try store.read { try $0.transactions(limit: 1) }.count == 1)
        #expect(try store.read { try $0.undoStack(user: nil, limit: nil) }.map(\.id) == [2, 1])
    }

    @Test func archivedBeforeComparesExactDates() throws {
        let store = try makeStore([
            makeRecord(1, clientStatus: .archived), makeRecord(2, clientStatus: .archived),
            makeRecord(3),
        ])
        try store.database.write { db in
            try db.execute(
                sql: "UPDATE devices SET archived_at = ? WHERE id = 1",
                arguments: [StoreDate.text(daysAgo(40))])
            try db.execute(
                sql: "UPDATE devices SET archived_at = ? WHERE id = 2",
                arguments: [StoreDate.text(daysAgo(30).addingTimeInterval(0.5))])
        }
        #expect(try store.read { try $0.archived(before: daysAgo(30)) } == [1])
        #expect(try store.read { try $0.archived(before: daysAgo(29)) } == [1, 2])
    }
}

/// Errors collected from several threads.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [any Error] = []

    func append(_ error: any Error) {
        lock.lock()
        errors.append(error)
        lock.unlock()
    }

    var all: [any Error] {
        lock.lock()
        defer { lock.unlock() }
        return errors
    }
}
