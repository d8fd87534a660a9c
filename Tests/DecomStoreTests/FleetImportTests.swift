import DecomCore
import Foundation
import Testing

@testable import DecomStore

@Suite struct FleetImportTests {
    private func problems(_ text: String, store: SQLiteFleetStore? = nil) throws
        -> [FleetImport.Problem]
    {
        let target = try store ?? makeStore()
        do {
            try FleetImport.run(Data(text.utf8), into: target, source: "fleet.json", actor: admin)
            return []
        } catch let failure as FleetImport.Failure {
            return failure.problems
        }
    }

    @Test func importsAHandWrittenJSONFileWithAbsentKeysAsNull() throws {
        let store = try makeStore()
        let text = """
            [{"id": 7, "client_status": "IN_SERVICE", "name": "PHONE-7",
              "mac_addresses": ["00-0C-29-CD-C7-B2"], "mdm": {"id": 70, "status": "ENROLLED"},
              "sessions": [{"token_id": "t1", "user": "ann", "created_at": "2026-11-01T08:00:00Z"}]}]
            """
        #expect(
            try FleetImport.run(Data(text.utf8), into: store, source: "fleet.json", actor: admin)
                == 1)
        let device = try #require(try store.read { try $0.device(id: 7) })
        #expect(device.name == "PHONE-7")
        #expect(device.macAddresses == ["00:0c:29:cd:c7:b2"], "MACs are normalized")
        #expect(device.characteristics == Characteristics())
        #expect(device.mdm?.isEncrypted == nil)
        #expect(try store.read { try $0.sessions(deviceId: 7) }.map(\.user) == ["ann"])
    }

    @Test func reportsEveryProblemWithRecordAndFieldAndImportsNothing() throws {
        let text = """
            [{"id": 1, "client_status": "AVAILABLE"},
             {"id": "two", "client_status": "BROKEN", "label": "bad label!",
              "characteristics": {"has_webcam": "yes", "keyboard_layout": "DVORAK"},
              "mdm": {"status": "ENROLLED"}, "mac_addresses": ["zz:00"]},
             {"name": "no id"}]
            """
        let store = try makeStore()
        let found = try problems(text, store: store)
        let places = Set(found.map { "\($0.record ?? 0) \($0.field ?? "-")" })
        #expect(
            places == [
                "2 id", "2 client_status", "2 label", "2 characteristics.has_webcam",
                "2 characteristics.keyboard_layout", "2 mdm.id", "2 mac_addresses", "3 id",
                "3 client_status",
            ])
        let status = try #require(found.first { $0.field == "client_status" && $0.record == 2 })
        #expect(status.message.contains("ARCHIVED, PENDING_VALIDATION"), "lists what is allowed")
        #expect(status.description.hasPrefix("record 2, field client_status: "))
        #expect(try store.read { try $0.deviceCount(scope: .all) } == 0, "record 1 not imported")
    }

    @Test func refusesDuplicatesWithinTheFileAndAgainstTheDatabase() throws {
        let store = try makeStore([makeRecord(1)])
        let text = """
            [{"id": 5, "client_status": "AVAILABLE", "serial_number": "ABC"},
             {"id": 5, "client_status": "AVAILABLE", "serial_number": "abc"},
             {"id": 1, "client_status": "AVAILABLE", "serial_number": "c02ser1"}]
            """
        let found = try problems(text, store: store)
        #expect(found.contains { $0.record == 2 && $0.field == "id" })
        #expect(found.contains { $0.record == 2 && $0.field == "serial_number" })
        #expect(found.contains { $0.record == 3 && $0.field == "id" })
        #expect(found.contains { $0.record == 3 && $0.field == "serial_number" })
        #expect(try store.read { try $0.deviceCount(scope: .all) } == 1)
    }

    @Test func refusesInvalidUTF8() throws {
        var bytes = Data("[{\"id\": 1, \"client_status\": \"AVAILABLE\", \"name\": \"".utf8)
        bytes.append(contentsOf: [0xC3, 0x28])
        bytes.append(contentsOf: Data("\"}]".utf8))
        let error = #expect(throws: FleetImport.Failure.self) {
            try FleetImport.run(bytes, into: makeStore(), source: "fleet.json", actor: admin)
        }
        #expect(error?.problems.count == 1)
        #expect(error?.problems.first?.message.contains("UTF-8") == true)
    }

    @Test func refusesANulInTextRatherThanCuttingItShort() throws {
        // SQLite would keep "ab" of "ab\u0000cd": the import refuses it and names the field.
        let text = #"""
            [{"id": 1, "client_status": "AVAILABLE", "name": "ab\u0000cd",
              "characteristics": {"compliance": ["CE", "x\u0000"]},
              "sessions": [{"token_id": "t\u0000", "user": "u", "created_at": "2026-11-01T08:00:00Z"}]}]
            """#
        let store = try makeStore()
        let found = try problems(text, store: store)
        #expect(
            Set(found.map { $0.field ?? "-" })
                == ["name", "characteristics.compliance", "sessions[1].token_id"])
        #expect(found.first?.message.contains("NUL character") == true)
        #expect(try store.read { try $0.deviceCount(scope: .all) } == 0)
    }

    @Test func aLargeFileOfGarbageFailsWithOneMessage() throws {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 50 * 1024 * 1024)
        for index in stride(from: 0, to: bytes.count, by: 8) {
            withUnsafeBytes(of: generator.next() as UInt64) { word in
                for offset in 0..<8 { bytes[index + offset] = word[offset] }
            }
        }
        bytes[0] = UInt8(ascii: "x")
        let store = try makeStore()
        let error = #expect(throws: FleetImport.Failure.self) {
            try FleetImport.run(Data(bytes), into: store, source: "fleet.json", actor: admin)
        }
        #expect(try count(store, "devices") == 0)
        #expect(error?.problems.count == 1)
        #expect(error?.problems.first?.message.contains("neither a JSON array") == true)
    }

    @Test func refusesJSONThatIsNotAnArrayOfDevices() throws {
        #expect(try problems("{\"id\": 1}").first?.message.contains("one object") == true)
        #expect(try problems("[1, 2").first?.message.contains("not valid JSON") == true)
        #expect(try problems("[42]").first?.message.contains("expected an object") == true)
    }

    @Test func importsCSVWithDottedColumnsAndLists() throws {
        let store = try makeStore()
        let text = """
            id,client_status,name,characteristics.ram,characteristics.has_webcam,characteristics.compliance,mdm.id,mdm.status,mac_addresses
            3,AVAILABLE,"DESK, 3",16GB,false,CE;FCC,30,ENROLLED,00:0c:29:cd:c7:b2;00:0c:29:cd:c7:b3
            4,ARCHIVED,,,,,,,

            """
        #expect(
            try FleetImport.run(Data(text.utf8), into: store, source: "fleet.json", actor: admin)
                == 2)
        let three = try #require(try store.read { try $0.device(id: 3) })
        #expect(three.name == "DESK, 3")
        #expect(three.characteristics.ram == "16GB")
        #expect(three.characteristics.hasWebcam == false)
        #expect(three.characteristics.hasMicrophone == nil)
        #expect(three.characteristics.compliance == ["CE", "FCC"])
        #expect(three.mdm?.status == .enrolled)
        #expect(three.macAddresses.count == 2)
        let four = try #require(try store.read { try $0.device(id: 4) })
        #expect(four.mdm == nil)
        #expect(four.name == nil)
    }

    @Test func csvProblemsNameRecordAndColumn() throws {
        let text = """
            id,client_status,characteristics.has_webcam,colour
            1,AVAILABLE,maybe,red

            """
        let found = try problems(text)
        #expect(found.map(\.field) == ["colour"], "unknown columns are refused first")
        let typed = try problems("id,client_status,characteristics.has_webcam\n1,AVAILABLE,maybe\n")
        #expect(typed.count == 1)
        #expect(typed.first?.record == 1)
        #expect(typed.first?.field == "characteristics.has_webcam")
    }
}
