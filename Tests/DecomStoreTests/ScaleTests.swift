import DecomCore
import Foundation
import Testing

@testable import DecomStore

/// Sizes a real fleet reaches: the console lists 100,000 devices and bulk deletes 10,000.
/// These check what comes back at that size; how fast is the benchmark's business
/// (`make bench`), never a test's.
@Suite struct ScaleTests {
    @Test func aHundredThousandDevicesInsertListAndArchiveInBulk() throws {
        let records = (1...100_000).map { id -> DeviceRecord in
            var device = makeDevice(Int64(id), mdmStatus: id % 4 == 0 ? nil : .enrolled)
            device.mdm?.isEncrypted = id % 3 != 0
            let hex = String(id, radix: 16)
            let digits = String(repeating: "0", count: 12 - hex.count) + hex
            device.macAddresses = [DeviceKey.normalizeMAC(digits) ?? digits]
            return DeviceRecord(
                device: device,
                sessions: [Session(tokenId: "t\(id)", user: "u", createdAt: testNow)])
        }
        let store = try makeStore()
        try store.write { try $0.insert(records) }
        let evaluator = ComplianceEvaluator(now: testNow)
        let summaries = try store.read { try $0.summaries(scope: .active, evaluator: evaluator) }
        #expect(summaries.count == 100_000)
        #expect(summaries.filter { $0.compliance.name == "non_compliant" }.count == 25_000)
        #expect(summaries[99_999].macAddresses == ["00:00:00:01:86:a0"])

        // The console's first page is the start of the same list, MACs included.
        let page = try store.read {
            try $0.summaries(scope: .active, evaluator: evaluator, limit: 200)
        }
        #expect(page == Array(summaries.prefix(200)))
        #expect(try store.read { try $0.deviceCount(scope: .active) } == 100_000)

        // The console's columns, filled as the rows are read, give back the same rows.
        let rows = try store.read { try $0.rows(scope: .active, evaluator: evaluator) }
        #expect(Array(rows) == summaries)
        let first = try store.read {
            try $0.rows(scope: .active, evaluator: evaluator, limit: 200)
        }
        #expect(Array(first) == Array(summaries.prefix(200)))

        // Every 10th device, spread over the whole fleet as marks are.
        let ids = stride(from: 1, through: 100_000, by: 10).map { Int64($0) }
        try store.write { w in
            let t = try w.begin(.archive, actor: admin, at: testNow, undoes: nil)
            for start in stride(from: 0, to: ids.count, by: 1_000) {
                let chunk = Array(ids[start..<min(start + 1_000, ids.count)])
                try w.archive(ids: chunk, transaction: t, actor: admin, at: testNow)
            }
        }
        #expect(try count(store, "audit") == 10_000)
        #expect(try count(store, "undo_entries") == 10_000)
        let suspended = try store.database.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM sessions WHERE suspended_by IS NOT NULL")
        }
        #expect(suspended == 10_000, "each archived device's session, and no other")
        let active = try store.read { try $0.summaries(scope: .active, evaluator: evaluator) }
        #expect(active.count == 90_000)
        #expect(!active.contains { $0.id % 10 == 1 })
    }
}
