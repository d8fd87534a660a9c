import DecomCore
import Foundation
import Testing

@testable import DecomStore

/// Issue 14's first slice: Fleet, Intune (Graph and portal CSV) and Jamf Pro exports, each
/// written here by hand from the vendor's documented shape (made-up names, serials and ids),
/// mapped onto seed 001's device as the README's tables say.
@Suite struct VendorImportTests {
    static let fleetLines = """
        {"kind":"host","apiVersion":"v1","spec":{"id":31,"hostname":"mbp-ada.local","display_name":"Ada's MacBook","hardware_serial":"C02FLEET001","uuid":"5C0A1F2E-0000-4000-8000-00000000A001","primary_mac":"a4:83:e7:10:20:31","platform":"darwin","os_version":"macOS 14.6","cpu_brand":"Apple M2","memory":17179869184,"seen_time":"2026-11-30T09:15:00Z","last_enrolled_at":"2026-01-12T08:00:00Z","disk_encryption_enabled":true,"mdm":{"enrollment_status":"On (automatic)","device_status":"locked","pending_action":""}}}
        {"kind":"host","apiVersion":"v1","spec":{"id":32,"hostname":"win-bob","hardware_serial":"FLEETSER002","uuid":"5C0A1F2E-0000-4000-8000-00000000A002","primary_mac":"00-15-5D-01-02-32","platform":"windows","seen_time":"2026-11-29T17:40:00Z","disk_encryption_enabled":false,"mdm":{"enrollment_status":"On (manual)","device_status":"unlocked","pending_action":"wipe"}}}
        {"kind":"host","apiVersion":"v1","spec":{"id":33,"hostname":"build-runner-3","hardware_serial":"","uuid":"5C0A1F2E-0000-4000-8000-00000000A003","platform":"ubuntu","seen_time":"2026-11-30T10:00:00Z"}}
        """

    static let intunePages = """
        {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices","value":[
          {"id":"7d2c1a52-1f0e-4c57-9a43-0b1f6a3e0001","deviceName":"LT-CARLA","serialNumber":"PF3INTN01","wiFiMacAddress":"3C22FB0A0B01","ethernetMacAddress":"","operatingSystem":"Windows","osVersion":"10.0.22631.4460","lastSyncDateTime":"2026-11-30T07:01:02.1234567Z","enrolledDateTime":"2025-03-04T10:00:00Z","complianceState":"compliant","managementState":"managed","isEncrypted":true,"jailBroken":"Unknown","manufacturer":"Lenovo","model":"ThinkPad T14","deviceType":"windowsRT"}],
         "@odata.nextLink":"https://graph.microsoft.com/v1.0/deviceManagement/managedDevices?$skiptoken=x"}
        {"value":[
          {"id":"7d2c1a52-1f0e-4c57-9a43-0b1f6a3e0002","deviceName":"iPhone de Dan","serialNumber":"DNQINTN02","wiFiMacAddress":"","operatingSystem":"iOS","lastSyncDateTime":"0001-01-01T00:00:00Z","complianceState":"noncompliant","managementState":"wipePending","isEncrypted":true,"jailBroken":"True","deviceType":"iPhone"},
          {"id":"7d2c1a52-1f0e-4c57-9a43-0b1f6a3e0003","deviceName":"TAB-EVE","serialNumber":"R58INTN03","operatingSystem":"Android","managementState":"retirePending","jailBroken":"False"}]}
        """

    static let intuneCSV = """
        Ownership,Serial number,Device name,Some future column,Device ID,Wi-Fi MAC,Last check-in,Device state,Encrypted,Jailbroken,OS
        Corporate,CSVSER01,Desk-Fay,x,0b5e0c1d-0000-4000-8000-0000000000c1,AA:BB:CC:00:00:C1,2026-11-28 12:30:45.0000000,Managed,Yes,No,Windows
        Personal,CSVSER02,Phone-Gus,y,0b5e0c1d-0000-4000-8000-0000000000c2,,2026-11-27 08:00:00,Wipe pending,No,Yes,iOS
        """

    static let jamf = """
        {"totalCount": 2, "results": [
          {"id": "101", "udid": "1A2B3C4D-0000-4000-8000-00000000J101",
           "general": {"name": "Hana's iMac", "lastContactTime": "2026-11-30T11:00:00Z",
                       "lastEnrolledDate": "2025-06-01T09:00:00.250Z",
                       "remoteManagement": {"managed": true}},
           "hardware": {"serialNumber": "C02JAMF101", "macAddress": "F0:18:98:00:01:01",
                        "altMacAddress": "F0:18:98:00:01:02", "processorType": "Apple M1",
                        "totalRamMegabytes": 16384},
           "operatingSystem": {"name": "macOS", "version": "14.5", "fileVault2Status": "ALL_ENCRYPTED"},
           "security": {"firewallEnabled": false}},
          {"id": "102",
           "general": {"name": "old-mini", "remoteManagement": {"managed": false}},
           "hardware": {"serialNumber": "C07JAMF102"},
           "operatingSystem": {"fileVault2Status": "NOT_ENCRYPTED"}}
        ]}
        """

    /// Every device of a small test store, by id.
    private func all(_ store: SQLiteFleetStore) throws -> [Device] {
        try store.read { reader in try (1...100).compactMap { try reader.device(id: $0) } }
    }

    private func imported(_ text: String, format: ImportFormat? = nil, store: SQLiteFleetStore)
        throws -> [Device]
    {
        try FleetImport.runRecorded(
            Data(text.utf8), into: store, source: "export", actor: admin, format: format)
        return try all(store)
    }

    private func failure(_ text: String, format: ImportFormat? = nil) throws -> [FleetImport
        .Problem]
    {
        let store = try makeStore()
        do {
            try FleetImport.runRecorded(
                Data(text.utf8), into: store, source: "export", actor: admin, format: format)
        } catch let failure as FleetImport.Failure {
            #expect(try store.read { try $0.deviceCount(scope: .all) } == 0)
            return failure.problems
        }
        Issue.record("the import succeeded")
        return []
    }

    @Test func recognisesEachFormatAndKeepsDecomsOwnFirst() {
        func detect(_ text: String) -> ImportFormat? { ImportFormat.detect(Array(text.utf8)) }
        #expect(detect(Self.fleetLines) == .fleet)
        #expect(detect(#"{"hosts": []}"#) == .fleet)
        #expect(detect(Self.intunePages) == .intune)
        #expect(detect(Self.intuneCSV) == .intuneCSV)
        #expect(detect("\u{FEFF}Device ID,Serial number\r\nabc,S1\r\n") == .intuneCSV, "BOM")
        #expect(detect(Self.jamf) == .jamf)
        #expect(detect(#"[{"id": 1, "client_status": "AVAILABLE"}]"#) == .decom)
        #expect(detect("id,client_status,name\n1,AVAILABLE,x\n") == .decom)
        #expect(detect(#"{"devices": []}"#) == nil)
    }

    @Test func fleetHostsMapOntoTheDeviceAndAPendingWipeIsDeviceWipePending() throws {
        let store = try makeStore()
        let devices = try imported(Self.fleetLines, store: store)
        #expect(devices.count == 3)
        let ada = devices[0]
        #expect(ada.name == "Ada's MacBook", "display_name before hostname")
        #expect(ada.serialNumber == "C02FLEET001")
        #expect(ada.hwid == "5C0A1F2E-0000-4000-8000-00000000A001")
        #expect(ada.macAddresses == ["a4:83:e7:10:20:31"])
        #expect(ada.source == "fleet")
        #expect(ada.clientStatus == .inService)
        #expect(ada.characteristics.osPlatform == "darwin")
        #expect(ada.characteristics.processor == "Apple M2")
        #expect(ada.characteristics.ram == "16 GB")
        #expect(ada.lastSeen == StoreDate.date("2026-11-30T09:15:00Z"))
        #expect(ada.mdm?.status == .enrolled)
        #expect(ada.mdm?.isLocked == true)
        #expect(ada.mdm?.isEncrypted == true)
        #expect(ada.mdm?.enrollmentDate == StoreDate.date("2026-01-12T08:00:00Z"))
        let bob = devices[1]
        #expect(bob.name == "win-bob")
        #expect(bob.mdm?.status == .deviceWipePending)
        #expect(bob.mdm?.isLocked == false)
        #expect(bob.macAddresses == ["00:15:5d:01:02:32"])
        let runner = devices[2]
        #expect(runner.serialNumber == nil, "an empty serial is unknown")
        #expect(runner.mdm == nil, "a host without MDM has no enrollment")
        #expect(Set(devices.map(\.id)).count == 3)
    }

    @Test func fleetRestAnswerAndIdsFollowTheLargestId() throws {
        let store = try makeStore([DeviceRecord(device: Device(id: 40, clientStatus: .available))])
        let rest = """
            {"hosts": [{"id": 7, "hostname": "a", "hardware_serial": "S-A",
                        "mdm": {"enrollment_status": "Pending", "device_status": "wiping"}},
                       {"id": 8, "hostname": "b", "hardware_serial": "S-B",
                        "mdm": {"enrollment_status": "Off"}}]}
            """
        let devices = try imported(rest, format: .fleet, store: store)
        #expect(devices.map(\.id) == [40, 41, 42])
        #expect(devices[1].mdm?.status == .deviceWipePending, "device_status wiping")
        #expect(devices[2].mdm?.status == .unenrolled)
    }

    @Test func intuneGraphPagesConcatenated() throws {
        let store = try makeStore()
        let devices = try imported(Self.intunePages, store: store)
        #expect(devices.count == 3)
        let carla = devices[0]
        #expect(carla.name == "LT-CARLA")
        #expect(carla.serialNumber == "PF3INTN01")
        #expect(carla.macAddresses == ["3c:22:fb:0a:0b:01"])
        #expect(carla.source == "intune")
        #expect(carla.type == "windowsRT")
        #expect(carla.characteristics.osPlatform == "Windows")
        #expect(carla.mdm?.status == .enrolled)
        #expect(carla.mdm?.isEncrypted == true)
        #expect(carla.mdm?.isCompromised == nil, "jailBroken Unknown")
        #expect(carla.mdm?.lastSyncDate == StoreDate.date("2026-11-30T07:01:02.1234567Z"))
        #expect(carla.mdm?.enrollmentDate == StoreDate.date("2025-03-04T10:00:00Z"))
        #expect(devices[1].mdm?.status == .deviceWipePending, "wipePending")
        #expect(devices[1].mdm?.isCompromised == true)
        #expect(devices[1].lastSeen == nil, "0001-01-01 is never")
        #expect(devices[2].mdm?.status == .deviceWipePending, "retirePending")
        #expect(devices[2].mdm?.isCompromised == false)
    }

    @Test func theVendorsIdIsKeptAndAKnownOneIsNotDoubled() throws {
        let store = try makeStore()
        let devices = try imported(Self.intunePages, store: store)
        #expect(
            try store.read { try $0.externalID(deviceId: devices[0].id) }
                == "7d2c1a52-1f0e-4c57-9a43-0b1f6a3e0001")
        let fleet = try imported(Self.fleetLines, store: store)
        #expect(try store.read { try $0.externalID(deviceId: fleet[3].id) } == "31")
        let again = try FleetImport.runRecorded(
            Data(Self.intunePages.utf8), into: store, source: "again", actor: admin)
        #expect((again.count, again.updated, again.unchanged) == (0, 0, 3))
        #expect(try all(store).count == 6)
    }

    @Test func aVendorIdTwiceInOneFileIsNamed() throws {
        let found = try failure(
            #"{"hosts": [{"id": 5, "hostname": "a"}, {"id": 5, "hostname": "b"}]}"#)
        #expect(found.map { "\($0.record ?? 0) \($0.field ?? "-")" } == ["2 id"])
    }

    @Test func intuneCSVMatchesLabelsByNameInAnyOrderAndIgnoresUnknownOnes() throws {
        let store = try makeStore()
        let devices = try imported(Self.intuneCSV, store: store)
        #expect(devices.map(\.name) == ["Desk-Fay", "Phone-Gus"])
        #expect(devices[0].serialNumber == "CSVSER01")
        #expect(devices[0].macAddresses == ["aa:bb:cc:00:00:c1"])
        #expect(devices[0].mdm?.status == .enrolled)
        #expect(devices[0].mdm?.isEncrypted == true)
        #expect(devices[0].mdm?.isCompromised == false)
        #expect(devices[0].lastSeen == StoreDate.date("2026-11-28T12:30:45Z"))
        #expect(devices[1].mdm?.status == .deviceWipePending, "Wipe pending")
        #expect(devices.allSatisfy { $0.source == "intune" })
    }

    @Test func intuneCSVWithoutDeviceIDNamesTheColumnAndImportsNothing() throws {
        let text = "Device name,Serial number\nDesk,S1\n"
        let found = try failure(text, format: .intuneCSV)
        #expect(found.map(\.field) == ["Device ID"])
        #expect(found.first?.message.contains("required column") == true)
    }

    @Test func jamfInventorySections() throws {
        let store = try makeStore()
        let devices = try imported(Self.jamf, store: store)
        let hana = devices[0]
        #expect(hana.name == "Hana's iMac")
        #expect(hana.serialNumber == "C02JAMF101")
        #expect(hana.hwid == "1A2B3C4D-0000-4000-8000-00000000J101")
        #expect(hana.macAddresses == ["f0:18:98:00:01:01", "f0:18:98:00:01:02"])
        #expect(hana.source == "jamf")
        #expect(hana.characteristics.ram == "16 GB")
        #expect(hana.characteristics.osPlatform == "macOS")
        #expect(hana.mdm?.status == .enrolled)
        #expect(hana.mdm?.isEncrypted == true)
        #expect(hana.mdm?.firewallEnabled == false)
        #expect(hana.mdm?.enrollmentDate == StoreDate.date("2025-06-01T09:00:00.25Z"))
        #expect(devices[1].mdm?.status == .unenrolled)
        #expect(devices[1].mdm?.isEncrypted == false)
    }

    @Test func aRecordWithoutItsVendorIdIsNamedAndNothingIsImported() throws {
        let found = try failure(
            """
            {"value": [{"id": "g-1", "deviceName": "ok"}, {"deviceName": "no id"}]}
            """, format: .intune)
        #expect(found.map { "\($0.record ?? 0) \($0.field ?? "-")" } == ["2 id"])
    }

    @Test func aBadFleetLineInTheMiddleImportsNothing() throws {
        let lines = Self.fleetLines.split(separator: "\n").map(String.init)
        let text = [lines[0], #"{"kind":"host","spec":{"id":9,"#, lines[2]].joined(separator: "\n")
        let found = try failure(text, format: .fleet)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("line 2") == true)
    }

    @Test func theWrongFormatIsNamed() throws {
        let found = try failure(Self.jamf, format: .intune)
        #expect(found.first?.message.contains("managedDevice") == true)
    }

    @Test func theClientStatusIsTheAdminsDefault() throws {
        let store = try makeStore()
        try FleetImport.runRecorded(
            Data(Self.jamf.utf8), into: store, source: "export", actor: admin,
            clientStatus: .available)
        #expect(
            try all(store).allSatisfy { $0.clientStatus == .available }
        )
    }

    @Test func placeholderSerialsAndZeroMACsAreNoIdentifiers() throws {
        let store = try makeStore()
        let hosts = """
            {"hosts": [
              {"id": 1, "hostname": "vm-a", "hardware_serial": "Not Specified", "primary_mac": "00:00:00:00:00:00"},
              {"id": 2, "hostname": "vm-b", "hardware_serial": "To Be Filled By O.E.M.", "primary_mac": "00-00-00-00-00-00"},
              {"id": 3, "hostname": "vm-c", "hardware_serial": "not specified"}
            ]}
            """
        let devices = try imported(hosts, format: .fleet, store: store)
        #expect(devices.count == 3, "three virtual machines, no serial clash")
        #expect(devices.allSatisfy { $0.serialNumber == nil && $0.macAddresses.isEmpty })
    }
}
