import DecomCore
import Foundation
import Testing

@testable import DecomStore

@Suite struct FleetExportTests {
    /// Devices that exercise every corner of the shapes: empty strings, unknown booleans,
    /// empty lists, no MDM, quotes and commas, fractional dates, sessions and events.
    private func fleet() -> [DeviceRecord] {
        var odd = makeDevice(3, mdmStatus: nil)
        odd.name = ""
        odd.comment = "says \"hi\", then\nleaves"
        odd.characteristics.compliance = []
        odd.characteristics.connectionType = [
            "usb \"c\"", "back\\slash\ttab", "semi;colon", "ends in \\", "",
        ]
        odd.macAddresses = []
        odd.archivedAt = daysAgo(5).addingTimeInterval(0.123456)
        odd.clientStatus = .archived
        return [makeRecord(1), makeRecord(2, mdmStatus: .unenrolled), DeviceRecord(device: odd)]
    }

    private func everything(_ store: SQLiteFleetStore) throws -> [Device] {
        try store.read { reader in try (1...3).compactMap { try reader.device(id: $0) } }
    }

    @Test func jsonExportImportsBackExactlyWithSessionsAndEvents() throws {
        let source = try makeStore(fleet())
        let data = try FleetExport.data(from: source, format: .json)
        let target = try makeStore()
        #expect(try FleetImport.run(data, into: target, source: "fleet.json", actor: admin) == 3)
        #expect(try everything(target) == fleet().map(\.device))
        #expect(try target.read { try $0.sessions(deviceId: 1) } == makeRecord(1).sessions)
        #expect(try target.read { try $0.events(deviceId: 2) } == makeRecord(2).events)
    }

    @Test func csvExportImportsBackExactly() throws {
        let source = try makeStore(fleet())
        let data = try FleetExport.data(from: source, format: .csv)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("id,name,serial_number,"))
        #expect(text.contains("characteristics.ram"))
        #expect(text.contains("mdm.status"))
        let target = try makeStore()
        #expect(try FleetImport.run(data, into: target, source: "fleet.json", actor: admin) == 3)
        #expect(try everything(target) == fleet().map(\.device))
    }

    @Test func jsonUsesTheSeedFieldNames() throws {
        let data = try FleetExport.data(from: makeStore([makeRecord(1)]), format: .json)
        let text = String(decoding: data, as: UTF8.self)
        for key in [
            "\"serial_number\"", "\"client_status\"", "\"keyboard_layout\"", "\"mdm\"",
            "\"mac_addresses\"", "\"sessions\"", "\"noise_cancellation\" : null",
        ] {
            #expect(text.contains(key), "missing \(key)")
        }
    }
}
