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

    /// Text that would drive a terminal or a spreadsheet, in every kind of column.
    private func hostile() -> [DeviceRecord] {
        var d = makeDevice(7)
        d.name = "=HYPERLINK(\"https://evil.example\",\"pay\")"
        d.comment = "note\u{1B}]52;c;cm0gLXJmIH4=\u{07}\nsecond line\r\n\tindented"
        d.rent = "-2+3"
        d.trackingNumber = "@SUM(A1)"
        d.type = "+1"
        d.category = "-5"
        d.source = "'=already quoted"
        d.characteristics.processor = "bidi\u{202E}txt del\u{7F} c1\u{9B}31m"
        d.characteristics.ram = "\\u{41} is not an escape"
        d.characteristics.compliance = ["=cmd", "-1", "a\u{1B}b"]
        return [DeviceRecord(device: d)]
    }

    @Test func csvExportCarriesNoControlsNorFormulasAndImportsBackExactly() throws {
        let source = try makeStore(hostile())
        let data = try FleetExport.data(from: source, format: .csv)
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2, "one header and one row: no line break inside a cell")
        for scalar in text.unicodeScalars where scalar != "\n" {
            #expect(!SafeText.needsEscape(scalar), "raw U+\(String(scalar.value, radix: 16))")
        }
        let cells = try CSVTable.parse(Array(data))[1].cells.map(\.text)
        for cell in cells {
            guard let first = cell.first, "=+-@".contains(first) else { continue }
            #expect(Double(cell) != nil, "a formula cell: \(cell)")
        }
        #expect(cells.contains("'=HYPERLINK(\"https://evil.example\",\"pay\")"))
        #expect(cells.contains("-5"), "a plain number stays a number")
        let target = try makeStore()
        #expect(try FleetImport.run(data, into: target, source: "fleet", actor: admin) == 1)
        #expect(try target.read { try $0.device(id: 7) } == hostile()[0].device)
    }

    @Test func jsonExportEscapesEveryControlAndImportsBackExactly() throws {
        let source = try makeStore(hostile())
        let data = try FleetExport.data(from: source, format: .json)
        for scalar in String(decoding: data, as: UTF8.self).unicodeScalars
        where scalar != "\n" {
            #expect(!SafeText.needsEscape(scalar), "raw U+\(String(scalar.value, radix: 16))")
        }
        let target = try makeStore()
        #expect(try FleetImport.run(data, into: target, source: "fleet", actor: admin) == 1)
        #expect(try target.read { try $0.device(id: 7) } == hostile()[0].device)
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
