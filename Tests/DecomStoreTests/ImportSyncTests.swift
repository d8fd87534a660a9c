import DecomCore
import Foundation
import GRDB
import Testing

@testable import DecomStore

/// Issue 14's re-import: a sync that updates known devices in place (audited), adds new
/// ones, counts unchanged ones, lists missing ones, and never brings back a purged device
/// silently. Fixtures written by hand (made-up names, serials and ids).
@Suite struct ImportSyncTests {
    static func fleetHost(
        id: Int, name: String, serial: String, mac: String, enrollment: String = "On (manual)",
        seen: String = "2026-11-30T09:00:00Z"
    ) -> String {
        #"{"kind":"host","apiVersion":"v1","spec":{"id":\#(id),"display_name":"\#(name)","hardware_serial":"\#(serial)","primary_mac":"\#(mac)","platform":"darwin","seen_time":"\#(seen)","mdm":{"enrollment_status":"\#(enrollment)"}}}"#
    }

    static let monday = [
        fleetHost(id: 71, name: "mac-olga", serial: "SYNCSER71", mac: "a4:83:e7:00:00:71"),
        fleetHost(id: 72, name: "mac-piet", serial: "SYNCSER72", mac: "a4:83:e7:00:00:72"),
        fleetHost(id: 73, name: "mac-quin", serial: "SYNCSER73", mac: "a4:83:e7:00:00:73"),
    ].joined(separator: "\n")

    private func sync(
        _ text: String, _ store: SQLiteFleetStore, format: ImportFormat = .fleet,
        allowPurged: Bool = false, reportMissing: Bool = false, at: Date = testNow
    ) throws -> DeviceIntake.Result {
        try FleetImport.runRecorded(
            Data(text.utf8), into: store, source: "hosts.json", actor: admin, format: format,
            allowPurged: allowPurged, reportMissing: reportMissing, at: at)
    }

    private func device(_ store: SQLiteFleetStore, serial: String) throws -> Device? {
        try store.read { reader in
            let key = DeviceKey.serial(serial)
            guard let id = try reader.resolve([key])[key]?.first else { return nil }
            return try reader.device(id: id)
        }
    }

    @Test func theSameExportAgainChangesNothingAndCountsEveryDeviceUnchanged() throws {
        let store = try makeStore()
        let first = try sync(Self.monday, store)
        #expect(first.count == 3)
        let again = try sync(Self.monday, store)
        #expect((again.count, again.updated, again.unchanged) == (0, 0, 3))
        #expect(try store.read { try $0.deviceCount(scope: .all) } == 3)
        #expect(try count(store, "audit") == 0, "nothing changed, nothing audited")
    }

    @Test func aKnownDeviceIsUpdatedInPlaceWithAnAuditOfWhatChanged() throws {
        let store = try makeStore()
        try sync(Self.monday, store)
        let before = try #require(try device(store, serial: "SYNCSER72"))
        let tuesday = [
            Self.fleetHost(id: 71, name: "mac-olga", serial: "SYNCSER71", mac: "a4:83:e7:00:00:71"),
            Self.fleetHost(
                id: 72, name: "mac-piet-renamed", serial: "SYNCSER72", mac: "a4:83:e7:00:00:72",
                enrollment: "Off"),
            Self.fleetHost(id: 73, name: "mac-quin", serial: "SYNCSER73", mac: "a4:83:e7:00:00:73"),
            Self.fleetHost(id: 74, name: "mac-rosa", serial: "SYNCSER74", mac: "a4:83:e7:00:00:74"),
        ].joined(separator: "\n")
        let result = try sync(tuesday, store)
        #expect((result.count, result.updated, result.unchanged) == (1, 1, 2))
        let after = try #require(try device(store, serial: "SYNCSER72"))
        #expect(after.id == before.id, "updated in place, same id")
        #expect(after.name == "mac-piet-renamed")
        #expect(after.mdm?.status == .unenrolled)
        #expect(after.mdm?.id == before.mdm?.id)
        #expect(try store.read { try $0.deviceCount(scope: .all) } == 4)
        let (action, name, transaction) = try store.database.read { db in
            let row = try #require(
                try Row.fetchOne(
                    db,
                    sql: "SELECT action, name, transaction_id FROM audit WHERE device_id = ?",
                    arguments: [before.id]))
            return (row[0] as String, row[1] as String?, row[2] as Int64)
        }
        #expect(action == "UPDATE")
        #expect(name == "mac-piet", "the audit keeps the state before")
        #expect(transaction == result.transaction, "the same transaction as the additions")
        let record = try #require(try store.read { try $0.transaction(id: result.transaction) })
        let updated = try #require(record.items.first { $0.outcome == .updated })
        #expect(updated.deviceId == before.id)
        #expect(updated.reason?.contains("name: 'mac-piet' -> 'mac-piet-renamed'") == true)
        #expect(updated.reason?.contains("mdm.status: 'ENROLLED' -> 'UNENROLLED'") == true)
        #expect(try store.database.read { try AuditChain.verify($0) }.isIntact)
    }

    @Test func aChangedSerialUpdatesTheDeviceKnownByItsExternalID() throws {
        let store = try makeStore()
        try sync(Self.monday, store)
        let before = try #require(try device(store, serial: "SYNCSER73"))
        let replaced = Self.fleetHost(
            id: 73, name: "mac-quin", serial: "SYNCNEW73", mac: "a4:83:e7:00:00:73")
        let result = try sync(replaced, store)
        #expect((result.count, result.updated) == (0, 1))
        #expect(try device(store, serial: "SYNCSER73") == nil)
        #expect(try device(store, serial: "SYNCNEW73")?.id == before.id)
        let record = try #require(try store.read { try $0.transaction(id: result.transaction) })
        #expect(
            record.items.first?.reason?.contains("serial_number: 'SYNCSER73' -> 'SYNCNEW73'")
                == true)
    }

    @Test func aSerialAlreadyAnotherDevicesIsRefusedAndNothingChanges() throws {
        let store = try makeStore()
        try sync(Self.monday, store)
        let clash = [
            Self.fleetHost(id: 73, name: "mac-quin", serial: "SYNCSER71", mac: "a4:83:e7:00:00:73"),
            Self.fleetHost(id: 75, name: "mac-sam", serial: "SYNCSER75", mac: "a4:83:e7:00:00:75"),
        ].joined(separator: "\n")
        #expect(throws: FleetImport.Failure.self) { try sync(clash, store) }
        #expect(try device(store, serial: "SYNCSER73") != nil)
        #expect(try device(store, serial: "SYNCSER75") == nil)
    }

    @Test func anArchivedDeviceIsUpdatedButStaysArchivedAndItsArchiveStaysUndoable() throws {
        let store = try makeStore()
        try sync(Self.monday, store)
        let service = DeletionService(store: store, clock: { testNow })
        let known = try #require(try device(store, serial: "SYNCSER71"))
        let archive = try service.execute(
            service.plan([KeyInput(String(known.id))], mode: .archive, actor: admin), as: admin,
            bulk: true)
        let renamed = Self.fleetHost(
            id: 71, name: "mac-olga-2", serial: "SYNCSER71", mac: "a4:83:e7:00:00:71")
        #expect(try sync(renamed, store).updated == 1)
        let archived = try #require(try device(store, serial: "SYNCSER71"))
        #expect(archived.clientStatus == .archived)
        #expect(archived.name == "mac-olga-2")
        let undo = try service.undo(archive.id, actor: admin)
        #expect(undo.items.map(\.outcome) == [.restored])
        let restored = try #require(try device(store, serial: "SYNCSER71"))
        #expect(restored.clientStatus == .inService)
        #expect(restored.name == "mac-olga-2", "the undo keeps the import's newer fields")
    }

    @Test func aDeviceKnownBySerialOnlyIsMatchedAndTakesTheExternalID() throws {
        var own = makeDevice(9)
        own.serialNumber = "SYNCSER71"
        let store = try makeStore([DeviceRecord(device: own)])
        let result = try sync(Self.monday, store)
        #expect((result.count, result.updated) == (2, 1))
        #expect(try store.read { try $0.externalID(deviceId: 9) } == "71")
    }

    @Test func reportMissingListsTheSourcesDevicesTheFileLacksAndDeletesNone() throws {
        let store = try makeStore()
        try sync(Self.monday, store)
        let partial = Self.fleetHost(
            id: 71, name: "mac-olga", serial: "SYNCSER71", mac: "a4:83:e7:00:00:71")
        let result = try sync(partial, store, reportMissing: true)
        #expect(result.missing.map(\.externalID) == ["72", "73"])
        #expect(result.missing.map(\.name) == ["mac-piet", "mac-quin"])
        #expect(try store.read { try $0.deviceCount(scope: .all) } == 3)
    }

    @Test func aPurgedDevicesRecordIsRefusedUnlessAllowed() throws {
        let store = try makeStore()
        try sync(Self.monday, store)
        let service = DeletionService(store: store, clock: { testNow })
        let purged = try #require(try device(store, serial: "SYNCSER72"))
        _ = try service.execute(
            service.plan([KeyInput(String(purged.id))], mode: .purge, actor: admin), as: admin,
            bulk: true)
        // The whole file again: two known devices, and the purged one by every identifier.
        do {
            try sync(Self.monday, store)
            Issue.record("the purged device came back")
        } catch let failure as FleetImport.Failure {
            #expect(failure.refused == 1)
            let fields = Set(failure.problems.compactMap(\.field))
            #expect(fields == ["serial_number", "mac_addresses", "id"])
            #expect(failure.problems.allSatisfy { $0.record == 2 })
            #expect(
                failure.problems.allSatisfy {
                    $0.message.contains("device \(purged.id) (mac-piet), purged")
                })
        }
        #expect(try store.read { try $0.deviceCount(scope: .all) } == 2)
        // Only the external id is the tombstone's: still refused.
        let sameID = Self.fleetHost(
            id: 72, name: "other", serial: "SYNCOTHER", mac: "a4:83:e7:00:00:99")
        #expect(throws: FleetImport.Failure.self) { try sync(sameID, store) }
        let allowed = try sync(Self.monday, store, allowPurged: true)
        #expect((allowed.count, allowed.unchanged) == (1, 2))
        let back = try #require(try device(store, serial: "SYNCSER72"))
        #expect(back.id != purged.id, "a purged device's id is never given again")
    }

    @Test func intunesComplianceStateIsKeptAndItsChangeIsAnUpdate() throws {
        let store = try makeStore()
        func page(_ state: String) -> String {
            #"{"value":[{"id":"1e2d3c4b-0000-4000-8000-00000000aa01","deviceName":"LT-UMA","serialNumber":"SYNCINT1","complianceState":"\#(state)","managementState":"managed"}]}"#
        }
        try sync(page("compliant"), store, format: .intune)
        let id = try #require(try device(store, serial: "SYNCINT1")?.id)
        let kept = {
            try store.database.read { db in
                try String.fetchOne(
                    db, sql: "SELECT compliance_state FROM device_sources WHERE device_id = ?",
                    arguments: [id])
            }
        }
        #expect(try kept() == "compliant")
        let result = try sync(page("noncompliant"), store, format: .intune)
        #expect(result.updated == 1)
        #expect(try kept() == "noncompliant")
    }
}
