import DecomTestSupport
import Foundation
import Testing

/// Issue 14's re-import with the real binary: the same export next week updates in place
/// (counts, audit), lists what is missing, refuses a purged device unless allowed, and every
/// device keeps where it came from: `source:` and `external_id:` in queries, `ext:` keys,
/// the export, and the MDM's own compliance verdict beside decom's.
@Suite struct ImportSyncEndToEndTests {
    private static func host(
        _ id: Int, _ name: String, _ serial: String, enrollment: String = "On (manual)"
    ) -> String {
        #"{"kind":"host","apiVersion":"v1","spec":{"id":\#(id),"display_name":"\#(name)","hardware_serial":"\#(serial)","primary_mac":"a4:83:e7:00:01:\#(id)","platform":"darwin","mdm":{"enrollment_status":"\#(enrollment)"}}}"#
    }

    private static let week1 = [
        host(81, "mac-tara", "E2ESYNC81"), host(82, "mac-ugo", "E2ESYNC82"),
        host(83, "mac-vera", "E2ESYNC83"),
    ].joined(separator: "\n")

    private static let intune = """
        {"value":[
          {"id":"9a8b7c6d-0000-4000-8000-0000000000f1","deviceName":"LT-WIM","serialNumber":"E2EINTF1","complianceState":"compliant","managementState":"managed","isEncrypted":false},
          {"id":"9a8b7c6d-0000-4000-8000-0000000000f2","deviceName":"LT-XAN","serialNumber":"E2EINTF2","complianceState":"noncompliant","managementState":"managed"}]}
        """

    private func exported(_ decom: DecomProcess) throws -> [[String: Any]] {
        let text = try decom.run(["export", "--format", "json"]).stdout
        return try #require(
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    private func id(_ decom: DecomProcess, serial: String) throws -> Int? {
        try exported(decom).first { $0["serial_number"] as? String == serial }?["id"] as? Int
    }

    @Test func theNextWeeksExportUpdatesInPlaceAndCountsWhatItDid() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let first = try decom.run(["import", "--from", "fleet", "-"], stdin: Self.week1)
        #expect(first.stdout.contains("3 added, 0 updated, 0 unchanged, 0 refused"), "\(first)")
        let ugo = try #require(try id(decom, serial: "E2ESYNC82"))
        let vera = try #require(try id(decom, serial: "E2ESYNC83"))
        let week2 = [
            Self.host(81, "mac-tara", "E2ESYNC81"),
            Self.host(82, "mac-ugo", "E2ESYNC82", enrollment: "Off"),
            Self.host(83, "mac-vera", "E2ESYNC83B"),
            Self.host(84, "mac-wes", "E2ESYNC84"),
        ].joined(separator: "\n")
        let second = try decom.run(["import", "--from", "fleet", "-"], stdin: week2)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(
            second.stdout.contains("1 added, 2 updated, 1 unchanged, 0 refused"), "\(second.stdout)"
        )
        #expect(try exported(decom).count == 4, "nothing doubled")
        #expect(try id(decom, serial: "E2ESYNC83B") == vera, "a changed serial, the same device")
        let shown = try decom.run(["show", String(ugo)])
        #expect(shown.stdout.contains("UNENROLLED"), "\(shown.stdout)")
        #expect(shown.stdout.contains("IMPORT updated"), "\(shown.stdout)")
        let history = try decom.run(["history", "--format", "json"])
        #expect(
            history.stdout.contains("mdm.status: 'ENROLLED' -> 'UNENROLLED'"), "\(history.stdout)")
        #expect(
            history.stdout.contains("serial_number: 'E2ESYNC83' -> 'E2ESYNC83B'"),
            "\(history.stdout)")
        let verify = try decom.run(["audit", "verify", "--db", decom.db], useDB: false)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test func reportMissingListsTheSourcesDevicesTheFileLacksAndDeletesNone() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        #expect(try decom.run(["import", "--from", "fleet", "-"], stdin: Self.week1).status == 0)
        let partial = Self.host(81, "mac-tara", "E2ESYNC81")
        let result = try decom.run(
            ["import", "--from", "fleet", "--report-missing", "-"], stdin: partial)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("2 devices of the source missing"), "\(result.stdout)")
        #expect(result.stdout.contains("mac-ugo  id 82"), "\(result.stdout)")
        #expect(result.stdout.contains("mac-vera  id 83"), "\(result.stdout)")
        #expect(!result.stdout.contains("id 81"), "\(result.stdout)")
        #expect(try exported(decom).count == 3)
        let own = try decom.run(
            ["import", "--report-missing", "-"],
            stdin: #"[{"id": 900, "client_status": "AVAILABLE"}]"#)
        #expect(own.status == 2, "decom's own file has no MDM to compare with")
        #expect(own.stderr.contains("--from fleet"), "\(own.stderr)")
        #expect(try exported(decom).count == 3)
    }

    @Test func aPurgedDeviceIsNotBroughtBackUnlessAllowed() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        #expect(try decom.run(["import", "--from", "fleet", "-"], stdin: Self.week1).status == 0)
        let ugo = try #require(try id(decom, serial: "E2ESYNC82"))
        let purged = try decom.run(["delete", "--hard", "--yes", String(ugo)])
        #expect(purged.status == 0, "\(purged.stdout)\(purged.stderr)")
        let again = try decom.run(["import", "--from", "fleet", "-"], stdin: Self.week1)
        #expect(again.status != 0)
        #expect(again.stderr.contains("nothing was imported"), "\(again.stderr)")
        #expect(again.stderr.contains("record 2"), "\(again.stderr)")
        #expect(again.stderr.contains("device \(ugo) (mac-ugo), purged"), "\(again.stderr)")
        #expect(again.stderr.contains("--allow-purged"), "\(again.stderr)")
        #expect(again.stderr.contains("1 refused"), "\(again.stderr)")
        #expect(try exported(decom).count == 2)
        let allowed = try decom.run(
            ["import", "--from", "fleet", "--allow-purged", "-"], stdin: Self.week1)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("1 added, 0 updated, 2 unchanged"), "\(allowed.stdout)")
        #expect(try exported(decom).count == 3)
    }

    @Test func sourceAndExternalIDAreQueriesKeysAndExported() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        #expect(try decom.run(["import", "--from", "fleet", "-"], stdin: Self.week1).status == 0)
        #expect(try decom.run(["import", "--from", "intune", "-"], stdin: Self.intune).status == 0)
        let intune = try decom.run(["list", "source:intune", "--format", "csv"])
        #expect(intune.status == 0, "\(intune.stderr)")
        #expect(intune.stdout.contains("LT-WIM") && intune.stdout.contains("LT-XAN"))
        #expect(!intune.stdout.contains("mac-tara"), "\(intune.stdout)")
        let one = try decom.run(["list", "external_id:0000000000f2", "--format", "csv"])
        #expect(one.stdout.contains("LT-XAN") && !one.stdout.contains("LT-WIM"), "\(one.stdout)")
        let shown = try decom.run(["show", "ext:9a8b7c6d-0000-4000-8000-0000000000f1"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("LT-WIM"), "\(shown.stdout)")
        let fleet = try decom.run(["show", "ext:fleet:82", "--format", "json"]).json()
        #expect((fleet["data"] as? [String: Any])?["name"] as? String == "mac-ugo")
        let deleted = try decom.run(["delete", "--yes", "ext:fleet:83"])
        #expect(deleted.status == 0, "\(deleted.stdout)\(deleted.stderr)")
        let vera = try #require(try exported(decom).first { $0["name"] as? String == "mac-vera" })
        #expect(vera["client_status"] as? String == "ARCHIVED")
        #expect(vera["external_id"] as? String == "83", "the export names the MDM's id")
        let unknown = try decom.run(["show", "ext:fleet:999"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("not_found"), "\(unknown.stderr)")
        // The export imports back into an empty database with its external ids.
        let copy = try DecomProcess()
        defer { copy.remove() }
        let text = try decom.run(["export", "--format", "json"]).stdout
        let back = try copy.run(["import", "-"], stdin: text)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try copy.run(["show", "ext:fleet:83"]).stdout.contains("mac-vera"))
    }

    @Test func intunesVerdictIsShownBesideDecomsWhenTheyDisagree() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        #expect(try decom.run(["import", "--from", "intune", "-"], stdin: Self.intune).status == 0)
        let shown = try decom.run(["show", "serial:E2EINTF1"])
        #expect(
            shown.stdout.contains("Compliance: non_compliant (decom) | compliant (intune)"),
            "\(shown.stdout)")
        let json = try decom.run(["show", "serial:E2EINTF1", "--format", "json"]).json()
        #expect((json["data"] as? [String: Any])?["vendor_compliance"] as? String == "compliant")
    }
}
