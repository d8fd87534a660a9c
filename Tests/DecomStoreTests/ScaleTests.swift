import DecomCore
import Foundation
import Testing

@testable import DecomStore

/// Sizes a real fleet reaches: the console lists 100,000 devices and bulk deletes 10,000.
/// Limits are loose because tests run unoptimized on shared machines; the benchmark gives
/// the release figures.
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
        var start = Date()
        try store.write { try $0.insert(records) }
        let insert = Date().timeIntervalSince(start)
        start = Date()
        let summaries = try store.read {
            try $0.summaries(scope: .active, evaluator: ComplianceEvaluator(now: testNow))
        }
        let list = Date().timeIntervalSince(start)
        #expect(summaries.count == 100_000)
        #expect(summaries.filter { $0.compliance.name == "non_compliant" }.count == 25_000)
        start = Date()
        let ids = (1...10_000).map { Int64($0) }
        try store.write { w in
            let t = try w.begin(.archive, actor: admin, at: testNow, undoes: nil)
            try w.archive(ids: ids, transaction: t, actor: admin, at: testNow)
        }
        let archive = Date().timeIntervalSince(start)
        #expect(try count(store, "audit") == 10_000)
        print("scale: insert \(insert)s, summaries \(list)s, archive 10k \(archive)s")
        #expect(insert < 60)
        #expect(list < 10)
        #expect(archive < 20)
    }
}
