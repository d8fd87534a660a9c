import Foundation
import Testing

/// `decom export` then `decom import` into an empty database keeps every device's MDM id with
/// its source, when two MDMs number their devices alike (issue 14: ids are per source).
@Suite struct ExportSourcesEndToEndTests {
    @Test func twoMDMsWithTheSameIdRoundTrip() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        #expect(try decom.run(["init"]).status == 0)
        let fleet = decom.home.appendingPathComponent("fleet.json").path
        let jamf = decom.home.appendingPathComponent("jamf.json").path
        try #"{"hosts": [{"id": 101, "hostname": "a", "hardware_serial": "FA101"}]}"#.write(
            toFile: fleet, atomically: true, encoding: .utf8)
        try
            #"{"totalCount": 1, "results": [{"id": "101", "general": {"name": "b"}, "hardware": {"serialNumber": "JA101"}}]}"#
            .write(toFile: jamf, atomically: true, encoding: .utf8)
        #expect(try decom.run(["import", "--from", "fleet", fleet]).status == 0)
        #expect(try decom.run(["import", "--from", "jamf", jamf]).status == 0)
        let exported = try decom.run(["export"])
        #expect(exported.status == 0)
        let file = decom.home.appendingPathComponent("export.json").path
        try exported.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let copy = decom.home.appendingPathComponent("copy.sqlite").path
        #expect(try decom.run(["init", "--db", copy], useDB: false).status == 0)
        let back = try decom.run(["import", file, "--db", copy], useDB: false)
        #expect(back.status == 0, "\(back.stdout) \(back.stderr)")
        #expect(
            try SQLiteShell.run(
                copy, "SELECT source || ':' || external_id FROM device_sources ORDER BY source;")
                == "fleet:101\njamf:101\n")
    }
}
