import Foundation
import Testing

/// Several files in one `decom import` are the pages of one MDM's JSON export (issue 14:
/// Graph pages "concatenated or given as several files"), imported in one transaction.
@Suite struct ImportPagesEndToEndTests {
    static let page1 = """
        {"value": [{"id": "aa000000-0000-4000-8000-000000000001", "deviceName": "LT-ONE", "serialNumber": "PGSER001", "managementState": "managed"}],
         "@odata.nextLink": "https://graph.microsoft.com/v1.0/deviceManagement/managedDevices?$skiptoken=y"}
        """
    static let page2 = """
        {"value": [{"id": "aa000000-0000-4000-8000-000000000002", "deviceName": "LT-TWO", "serialNumber": "PGSER002", "managementState": "wipePending"},
                   {"id": "aa000000-0000-4000-8000-000000000003", "deviceName": "LT-THREE", "serialNumber": "PGSER003"}]}
        """

    @Test func graphPagesGivenAsSeveralFilesAreOneImport() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        #expect(try decom.run(["init"]).status == 0)
        let one = decom.home.appendingPathComponent("page1.json").path
        let two = decom.home.appendingPathComponent("page2.json").path
        try Self.page1.write(toFile: one, atomically: true, encoding: .utf8)
        try Self.page2.write(toFile: two, atomically: true, encoding: .utf8)
        let imported = try decom.run(["import", "--from", "intune", one, two])
        #expect(imported.status == 0, "\(imported.stdout) \(imported.stderr)")
        #expect(imported.stdout.contains("3 added"), "\(imported.stdout)")
        #expect(try SQLiteShell.int(decom.db, "SELECT count(*) FROM devices;") == 3)
        #expect(
            try SQLiteShell.int(
                decom.db, "SELECT count(*) FROM transactions WHERE type = 'IMPORT';")
                == 1, "one transaction for the pages")
        let fleet = decom.home.appendingPathComponent("fleet.json").path
        try #"{"hosts": [{"id": 9, "hostname": "x", "hardware_serial": "FLX9"}]}"#.write(
            toFile: fleet, atomically: true, encoding: .utf8)
        let mixed = try decom.run(["import", one, fleet])
        #expect(mixed.status == 2, "\(mixed.stdout)")
        #expect(mixed.stderr.contains("one export's pages"), "\(mixed.stderr)")
        #expect(try SQLiteShell.int(decom.db, "SELECT count(*) FROM devices;") == 3)
    }
}
