import DecomCore
import Foundation
import Testing

@testable import DecomStore

/// `decom import` and `decom seed` recorded as IMPORT and SEED transactions
/// (``DeviceIntake``): in the devices' own SQLite transaction, never undone.
@Suite struct DeviceIntakeTests {
    let twoDevices = Data(
        """
        [{"id": 7, "client_status": "IN_SERVICE", "name": "PHONE-7"},
         {"id": 8, "client_status": "AVAILABLE", "name": "PHONE-8"}]
        """.utf8)

    @Test func anImportIsATransactionWithItsSourceUserAndOneItemADevice() throws {
        let store = try makeStore()
        try FleetImport.run(twoDevices, into: store, source: "phones.json", actor: operatorActor)
        let record = try #require(try store.read { try $0.transactions(limit: nil) }.first)
        #expect(record.type == .import)
        #expect(record.status == .success)
        #expect(record.user == "oscar" && record.role == .operator)
        #expect(record.source == "phones.json")
        #expect(record.items.map(\.deviceId) == [7, 8])
        #expect(record.items.allSatisfy { $0.outcome == .imported })
        #expect(record.items.map(\.deviceName) == ["PHONE-7", "PHONE-8"])
        // The device's own history starts with it.
        let history = try store.read { try $0.transactions(deviceId: 8, limit: 5) }
        #expect(history.map(\.type) == [.import])
        #expect(history.first?.items.map(\.deviceId) == [8], "only this device's item")
    }

    @Test func aRefusedImportRecordsNothing() throws {
        let store = try makeStore()
        try FleetImport.run(twoDevices, into: store, source: "phones.json", actor: admin)
        #expect(throws: FleetImport.Failure.self) {
            try FleetImport.run(self.twoDevices, into: store, source: "again.json", actor: admin)
        }
        #expect(throws: DeviceIntake.Refusal.self) {
            try FleetImport.run(self.twoDevices, into: try makeStore(), source: "x", actor: viewer)
        }
        #expect(try store.read { try $0.transactions(limit: nil) }.map(\.source) == ["phones.json"])
    }

    @Test func aSeedIsATransactionAndNeitherItNorAnImportIsUndone() throws {
        let store = try makeStore()
        try FleetImport.run(twoDevices, into: store, source: "phones.json", actor: admin)
        let service = DeletionService(store: store, clock: { testNow })
        let archive = try service.execute(
            try service.plan(ids: [8], mode: .archive, actor: admin), as: admin, bulk: false)
        let added = try Seeder.seed(store: store, count: 12, seed: 4, actor: admin, now: testNow)
        let seed = try #require(try store.read { try $0.transaction(id: added.transaction) })
        #expect(seed.type == .seed && seed.source == "seed 4")
        #expect(seed.items.count == 12 && seed.items.allSatisfy { $0.outcome == .seeded })
        #expect(try store.read { try $0.undoStack(user: nil, limit: 1) }.first?.id == archive.id)

        let devices = try count(store, "devices")
        #expect(throws: UndoError.self) { try service.undo(added.transaction, actor: admin) }
        #expect(throws: UndoError.self) { try service.undo(1, actor: admin) }
        #expect(try count(store, "devices") == devices)
        #expect(try count(store, "transactions") == 3, "a refused undo records nothing")
        #expect(try service.undo(actor: admin).undoes == archive.id)
        #expect(throws: DeviceIntake.Refusal.self) {
            try Seeder.seed(store: store, count: 1, seed: 1, actor: viewer)
        }
    }
}
