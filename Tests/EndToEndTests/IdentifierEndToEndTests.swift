import DecomTestSupport
import Foundation
import Testing

/// One parser per identifier, everywhere (issue 11): what import accepts, keys and queries
/// name; a key that names two devices is refused, naming both.
@Suite struct IdentifierEndToEndTests {
    private func importing(_ devices: [[String: Any]], into decom: DecomProcess) throws
        -> DecomProcess.Result
    {
        let file = decom.home.appendingPathComponent("devices-\(UUID().uuidString).json").path
        try JSONSerialization.data(withJSONObject: devices).write(to: URL(fileURLWithPath: file))
        return try decom.run(["import", file])
    }

    @Test func aVMwareSerialAndACiscoMACAreKeysAsImportedThem() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let serial = "VMware-56 4d 2a 1f 9c 0e 77 31"
        let imported = try importing(
            [
                Fixtures.device(1, name: "VM-1", macs: ["001A.2B3C.4D5E"], serial: serial),
                Fixtures.device(2, name: "VM-2"),
            ], into: decom)
        #expect(imported.status == 0, "\(imported.stderr)")
        for key in ["serial:\(serial)", "serial:\"\(serial)\"", "mac:001a.2b3c.4d5e"] {
            let shown = try decom.run(["show", key, "--format", "json"])
            #expect(shown.status == 0, "show \(key): \(shown.stderr)")
            #expect(shown.stdout.contains("\"VM-1\""), "show \(key)")
        }
        let listed = try decom.run(["list", "mac:001a.2b3c.4d5e", "--format", "csv"])
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("VM-1") && !listed.stdout.contains("VM-2"))
        let bad = try decom.run(["list", "mac:zz"])
        #expect(bad.status == 2, "a value that is no MAC is an error, not an empty result")
        #expect(bad.stderr.contains("not a MAC address"), "\(bad.stderr)")
        let archived = try decom.run(["delete", "serial:\(serial)", "--format", "json"])
        #expect(archived.status == 0, "\(archived.stderr)")
        #expect(archived.stdout.contains("\"archived\""))
    }

    @Test func importRefusesAnHWIDTwiceInTheFileOrAlreadyInTheFleet() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let twice = try importing(
            [
                Fixtures.device(1, name: "A", hwid: "HW-SAME"),
                Fixtures.device(2, name: "B", hwid: "hw-same"),
            ], into: decom)
        #expect(twice.status == 2)
        #expect(
            twice.stderr.contains("hwid") && twice.stderr.contains("record 1"), "\(twice.stderr)")
        #expect(try decom.allIDs().isEmpty, "nothing imported")

        #expect(
            try importing([Fixtures.device(1, name: "A", hwid: "HW-SAME")], into: decom).status == 0
        )
        let again = try importing([Fixtures.device(2, name: "B", hwid: "Hw-Same")], into: decom)
        #expect(again.status == 2)
        #expect(again.stderr.contains("already in the database"), "\(again.stderr)")
    }

    /// A whole export imported again into its own fleet: every device is already there. The
    /// refusal names the first 20 problems and counts the rest by field, not a line each.
    @Test func aFleetImportedIntoItselfIsRefusedInAFewLines() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        #expect(try decom.run(["seed", "--devices", "300"]).status == 0)
        let file = decom.home.appendingPathComponent("fleet.json").path
        #expect(try decom.run(["export", "-o", file]).status == 0)
        let before = try decom.export()
        let again = try decom.run(["import", file])
        #expect(again.status == 2)
        let lines = again.stderr.split(separator: "\n")
        #expect(lines.count == 23, "\(again.stderr)")
        #expect(lines.filter { $0.contains("already in the database") }.count == 20)
        // "  … and 2,129 more: mac_addresses 397, hwid 297, ...": the counts add up.
        let rest = try #require(lines.first { $0.contains("… and ") }, "\(again.stderr)")
        let number = { (text: Substring) in Int(text.filter(\.isNumber)) ?? -1 }
        let parts = rest.split(separator: ":", maxSplits: 1)
        let more = number(parts[0])
        let counts = parts[1].split(separator: ",").map { number($0.split(separator: " ").last!) }
        #expect(more > 0 && counts.reduce(0, +) == more, "\(rest)")
        #expect(rest.contains(" id ") && rest.contains(" serial_number "), "\(rest)")
        #expect(lines.last?.hasSuffix(" refused.") == true, "\(again.stderr)")
        #expect(try decom.export() == before, "nothing imported")
    }

    @Test func aKeyThatNamesTwoDevicesIsRefusedNamingBoth() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        // Another program wrote a duplicate HWID; import would have refused it.
        try SQLiteShell.run(decom.db, "UPDATE devices SET hwid = 'hw-dup' WHERE id IN (6, 7);")
        let before = try decom.export()
        let purge = try decom.run(["delete", "--hard", "--yes", "hwid:HW-DUP", "--format", "json"])
        #expect(purge.status == 1)
        #expect(purge.stdout.contains("\"ambiguous\""))
        #expect(purge.stdout.contains("#6") && purge.stdout.contains("#7"), "\(purge.stdout)")
        #expect(try decom.export() == before, "nothing purged")
        let shown = try decom.run(["show", "hwid:hw-dup"])
        #expect(shown.status == 2)
        #expect(shown.stderr.contains("#6") && shown.stderr.contains("#7"), "\(shown.stderr)")
    }

    @Test func importRefusesAnIdentifierWithControlOrInvisibleCharacters() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        for serial in ["SER\u{1B}[31m", "SER\u{200B}X", "SER\u{202E}X"] {
            let result = try importing([Fixtures.device(1, name: "A", serial: serial)], into: decom)
            #expect(result.status == 2)
            #expect(result.stderr.contains("serial_number"), "\(result.stderr)")
            #expect(RawControl.first(in: result.stderr) == nil, "the message is safe too")
        }
    }
}
