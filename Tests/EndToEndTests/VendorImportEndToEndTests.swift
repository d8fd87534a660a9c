import DecomTestSupport
import Foundation
import Testing

/// `decom import --from fleet|intune|intune-csv|jamf` with the real binary (issue 14): each
/// format imported, recognised without `--from`, and a broken file refused whole.
@Suite struct VendorImportEndToEndTests {
    private static let fleet = """
        {"kind":"host","apiVersion":"v1","spec":{"id":501,"hostname":"mac-ivy","hardware_serial":"E2EFLEET1","platform":"darwin","mdm":{"enrollment_status":"On (manual)"}}}
        {"kind":"host","apiVersion":"v1","spec":{"id":502,"hostname":"win-jon","hardware_serial":"E2EFLEET2","platform":"windows","mdm":{"enrollment_status":"On (manual)","pending_action":"wipe"}}}
        """
    private static let intune = """
        {"value":[{"id":"6f1d0c3e-0000-4000-8000-00000000e201","deviceName":"LT-KAI","serialNumber":"E2EINTUNE1","managementState":"managed"}]}
        {"value":[{"id":"6f1d0c3e-0000-4000-8000-00000000e202","deviceName":"PH-LEA","serialNumber":"E2EINTUNE2","managementState":"wipePending"}]}
        """
    private static let intuneCSV = """
        Device name,Manufacturer,Device ID,Serial number
        DESK-MO,Dell,6f1d0c3e-0000-4000-8000-00000000c301,E2ECSV1
        """
    private static let jamf = """
        {"totalCount":1,"results":[{"id":"77","general":{"name":"Nia's MacBook","remoteManagement":{"managed":true}},"hardware":{"serialNumber":"E2EJAMF1"}}]}
        """

    private func write(_ text: String, _ name: String, in decom: DecomProcess) throws -> String {
        let path = decom.home.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func exported(_ decom: DecomProcess) throws -> [[String: Any]] {
        let text = try decom.run(["export", "--format", "json"]).stdout
        return try #require(
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test(arguments: [
        ("fleet", fleet, 2), ("intune", intune, 2), ("intune-csv", intuneCSV, 1),
        ("jamf", jamf, 1),
    ])
    func importsEachFormatWithFrom(format: String, text: String, count: Int) throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let file = try write(text, "export.\(format)", in: decom)
        let result = try decom.run(["import", "--from", format, file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Imported \(count) device"))
        let devices = try exported(decom)
        #expect(devices.count == count)
        let source = format == "intune-csv" ? "intune" : format
        #expect(devices.allSatisfy { $0["source"] as? String == source })
        #expect(devices.allSatisfy { $0["client_status"] as? String == "IN_SERVICE" })
    }

    @Test func recognisesTheFormatWithoutFromAndSaysWhich() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        for (name, text, title) in [
            ("hosts.json", Self.fleet, "--from fleet"),
            ("graph.json", Self.intune, "--from intune"),
            ("devices.csv", Self.intuneCSV, "--from intune-csv"),
            ("jamf.json", Self.jamf, "--from jamf"),
        ] {
            let result = try decom.run(["import", try write(text, name, in: decom)])
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(result.stdout.contains("Recognised"), "\(name): \(result.stdout)")
            #expect(result.stdout.contains(title), "\(name): \(result.stdout)")
        }
        #expect(try exported(decom).count == 6)
        let own = try decom.run(
            ["import", "-"], stdin: #"[{"id": 900, "client_status": "AVAILABLE"}]"#)
        #expect(own.status == 0, "\(own.stderr)")
        #expect(!own.stdout.contains("Recognised"), "decom's own JSON is the default")
    }

    @Test func aWipePendingDeviceFromIntuneCannotBeDeleted() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let result = try decom.run(["import", "--from", "intune", "-"], stdin: Self.intune)
        #expect(result.status == 0, "\(result.stderr)")
        let pending = try #require(
            try exported(decom).first { $0["serial_number"] as? String == "E2EINTUNE2" })
        let mdm = try #require(pending["mdm"] as? [String: Any])
        #expect(mdm["status"] as? String == "DEVICE_WIPE_PENDING")
        let id = try #require(pending["id"] as? Int)
        let deleted = try decom.run(["delete", String(id)])
        #expect(deleted.status != 0)
        #expect(deleted.stdout.contains("a device wipe is pending"), "\(deleted.stdout)")
        #expect(
            try exported(decom).first { $0["id"] as? Int == id }?["client_status"] as? String
                == "IN_SERVICE")
    }

    @Test func showNamesWhereTheDeviceCameFrom() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        #expect(try decom.run(["import", "--from", "intune", "-"], stdin: Self.intune).status == 0)
        let shown = try decom.run(["show", "serial:E2EINTUNE1"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let line = shown.stdout.split(separator: "\n").first { $0.contains("external id") }
        #expect(
            line?.hasSuffix("6f1d0c3e-0000-4000-8000-00000000e201") == true, "\(shown.stdout)")
        let json = try decom.run(["show", "serial:E2EINTUNE1", "--format", "json"]).json()
        let data = try #require(json["data"] as? [String: Any])
        #expect(data["external_id"] as? String == "6f1d0c3e-0000-4000-8000-00000000e201")
        #expect(data["source"] as? String == "intune")
        let again = try decom.run(["import", "--from", "intune", "-"], stdin: Self.intune)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("2 unchanged"), "\(again.stdout)")
        #expect(try exported(decom).count == 2, "nothing doubled")
    }

    @Test func newIdsFollowThePurgedDevicesToo() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let own = try decom.run(
            ["import", "-"], stdin: #"[{"id": 50, "client_status": "AVAILABLE"}]"#)
        #expect(own.status == 0, "\(own.stderr)")
        let purged = try decom.run(["delete", "--hard", "--yes", "50"])
        #expect(purged.status == 0, "\(purged.stdout)\(purged.stderr)")
        let result = try decom.run(["import", "--from", "jamf", "-"], stdin: Self.jamf)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try exported(decom).compactMap { $0["id"] as? Int } == [51])
    }

    @Test func aMissingRequiredCSVHeaderIsNamedAndNothingImported() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let file = try write(
            "Device name,Serial number\nDESK-X,S-X\n", "devices.csv", in: decom)
        let result = try decom.run(["import", "--from", "intune-csv", file])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Device ID"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was imported"), "\(result.stderr)")
    }

    @Test func anUnknownFormatOrClientStatusIsAUsageError() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let file = try write(Self.jamf, "jamf.json", in: decom)
        let format = try decom.run(["import", "--from", "airwatch", file])
        #expect(format.status == 2)
        #expect(format.stderr.contains("fleet, intune, intune-csv, jamf"), "\(format.stderr)")
        let status = try decom.run(["import", "--client-status", "LOST", file])
        #expect(status.status == 2)
        #expect(status.stderr.contains("IN_SERVICE"), "\(status.stderr)")
    }
}
