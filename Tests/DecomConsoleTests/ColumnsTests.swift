import DecomCore
import Foundation
import Testing

@testable import DecomConsole

/// Choosable columns (issue 15, "See what matters"): `:columns` sets which show and their
/// order, the config's `columns:` is the default, and at 80x24 identifiers are cut last.
@Suite struct ColumnsTests {
    /// Runs a `:` line; returns the effects but the history's.
    func command(_ state: inout ConsoleState, _ line: String) -> [Effect] {
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, line)
        return Fixture.press(&state, .enter).filter {
            if case .saveHistory = $0 { false } else { true }
        }
    }

    func draw(_ state: ConsoleState, _ width: Int, _ height: Int) -> Canvas {
        var state = state
        _ = reduce(&state, .resized(Size(width: width, height: height)))
        return render(
            state, theme: .builtinDefault, size: (width, height),
            capabilities: TerminalCapabilities(colorDepth: .colors256, unicode: true))
    }

    /// The header line's words.
    func titles(_ canvas: Canvas) -> [String] {
        canvas.lines[1].split(separator: " ").map(String.init)
    }

    // MARK: - :columns

    @Test func columnsSetsTheShownColumnsInTheirOrderAndSavesThem() {
        var state = Fixture.state()
        let effects = command(&state, "columns serial, id,name,device_status")
        #expect(state.columns == [.serial, .id, .name, .deviceStatus])
        #expect(effects == [.saveColumns([.serial, .id, .name, .deviceStatus])])
        #expect(state.flash?.text == "Columns: serial,id,name,device_status")
        #expect(titles(draw(state, 80, 24)) == ["SERIAL", "ID↑", "NAME", "DEVICE"])
        #expect(draw(state, 80, 24).lines[2].hasPrefix("▸  SN000001 1   alpha-1 ACTIVE"))
    }

    @Test func anUnknownColumnIsNamedAndNothingChanges() {
        var state = Fixture.state()
        _ = command(&state, "columns id,name")
        let effects = command(&state, "columns id,sirial,name")
        #expect(state.columns == [.id, .name])
        #expect(
            state.flash?.text
                == ":columns not changed: unknown column 'sirial' (Tab lists the columns)")
        #expect(state.flash?.level == .error)
        #expect(effects.isEmpty)
        _ = command(&state, "columns id,name,id")
        #expect(state.flash?.text.contains("column 'id' is named twice") == true)
        #expect(state.columns == [.id, .name])
    }

    @Test func columnsAloneShowsTheListAndDefaultResets() {
        var state = Fixture.state()
        state.defaultColumns = [.id, .name, .serial]
        _ = command(&state, "columns name,id")
        #expect(command(&state, "columns").isEmpty)
        #expect(state.flash?.text.hasPrefix("Columns: name,id (:columns default resets") == true)
        #expect(state.columns == [.name, .id])
        let effects = command(&state, "columns default")
        #expect(state.columns == [.id, .name, .serial])
        #expect(effects == [.saveColumns(nil)])
    }

    @Test func tabCompletesTheCommandAndEachColumnName() {
        var state = Fixture.state()
        Fixture.press(&state, .char(":"))
        Fixture.type(&state, "col")
        Fixture.press(&state, .tab)
        guard case .command(let line) = state.mode else {
            Issue.record("the : prompt closed")
            return
        }
        #expect(line.text == "columns ")
        Fixture.type(&state, "id,dev")
        Fixture.press(&state, .tab)
        guard case .command(let after) = state.mode else { return }
        #expect(after.text == "columns id,device_status")
        // After a comma, the names not given yet.
        Fixture.type(&state, ",s")
        Fixture.press(&state, .tab)
        guard case .command(let listed) = state.mode else { return }
        #expect(listed.candidates == ["serial", "status", "source", "seen", "seen_date"])
    }

    @Test func sortCyclesThroughTheShownColumns() {
        var state = Fixture.state()
        _ = command(&state, "columns name,seen,device_status,serial")
        Fixture.press(&state, .char("s"))
        #expect(state.sort.column == .name)
        Fixture.press(&state, .char("s"))
        #expect(state.sort.column == .lastSeen)
        Fixture.press(&state, .char("s"))
        #expect(state.sort.column == .serial)
        Fixture.press(&state, .char("s"))
        #expect(state.sort.column == .name)
        #expect(titles(draw(state, 80, 24)).first == "NAME↑")
    }

    @Test func everyColumnShowsItsField() {
        var row = Fixture.row(7, "gamma", label: "LBL-7", rented: true)
        row.source = "intune"
        row.externalID = "ext-7"
        row.hwid = "HW-7"
        row.deviceStatus = .stolen
        row.enrolledAt = Date(timeIntervalSince1970: 1_600_000_000)
        row.archivedAt = Date(timeIntervalSince1970: 1_690_000_000)
        var state = Fixture.state([row])
        _ = command(
            &state, "columns id,rental,label,category,source,external_id,device_status,seen_date")
        #expect(
            draw(state, 80, 24).lines[2].hasPrefix(
                "▸  7   yes  LBL-7 it       intune ext-7  STOLEN 2023-11-11"))
        _ = command(&state, "columns id,enrolled,archived,hwid,type,os,status,mdm,compliance")
        #expect(
            draw(state, 80, 24).lines[2].hasPrefix(
                "▸  7   2020-09-13 2023-07-22 HW-7 laptop macOS IN_SERVICE ENROLLED ✓"))
    }

    // MARK: - Identifiers last

    /// Serials of 17 characters and ids of six digits, on a terminal of 80x24 with the
    /// standard columns: every id and serial shows whole.
    @Test func at80x24SerialsAndIdsAreNotCut() {
        let rows = (0..<12).map { i in
            var row = Fixture.row(
                Int64(100_000 + i), "a-rather-long-device-name-\(i)", os: "Windows 11 Pro")
            row.serialNumber = String(format: "C02ZK1LTMD6R%05d", i)
            row.label = "LABEL-\(i)"
            return row
        }
        let canvas = draw(Fixture.state(rows), 80, 24)
        for (i, row) in rows.enumerated() {
            let line = canvas.lines[2 + i]
            #expect(line.contains(String(row.id) + " "), "id of line \(i): \(line)")
            #expect(line.contains(row.serialNumber ?? "?"), "serial of line \(i): \(line)")
            #expect(line.contains("a-rather-lon"), "name of line \(i): \(line)")
        }
        // What decides a deletion stays; the wide-only columns went first.
        let shown = titles(canvas)
        #expect(shown.contains("STATUS") && shown.contains("COMP"))
        #expect(!shown.contains("LABEL") && !shown.contains("HWID"))
    }

    @Test func theNameShrinksBeforeTheSerialLeaves() {
        let columns = TableColumns(chosen: [.id, .name, .serial, .os], width: 40) { column in
            switch column {
            case .id: 6
            case .name: 30
            case .serial: 17
            default: 10
            }
        }
        #expect(columns.columns.map(\.0) == [.id, .name, .serial])
        #expect(columns.columns.map(\.1) == [6, 12, 17], "OS left first, then NAME shrank")
        let narrow = TableColumns(chosen: [.id, .name, .serial], width: 24) { column in
            column == .id ? 6 : column == .name ? 30 : 17
        }
        #expect(narrow.columns.map(\.0) == [.id, .name])
    }

    /// A trial: one long (hostile) name scrolled into view took DEVICE away at 80x24, and it
    /// came back when the row left the screen. The name is cut instead; the columns stay.
    @Test func aLongNameOnScreenIsCutAndTheChosenColumnsStay() {
        var rows = Fixture.fleet
        rows[9].name = "EVIL-a-very-long-device-name-that-goes-on-and-on-and-on"
        var state = Fixture.state(rows)
        _ = command(&state, "columns id,name,serial,device_status,compliance,seen")
        let top = titles(draw(state, 80, 24))
        Fixture.press(&state, .char("G"))
        let canvas = draw(state, 80, 24)
        #expect(titles(canvas) == top)
        #expect(titles(canvas).contains("DEVICE"))
        #expect(canvas.lines.contains { $0.contains("EVIL-a-very-long") })
    }

    /// A trial: Tab lists the names with spaces, and `:columns id name` was refused.
    @Test func namesMaySeparateBySpacesAsTabListsThem() throws {
        #expect(
            try DeviceColumn.parseList("id name device_status").get() == [
                .id, .name, .deviceStatus,
            ])
        #expect(try DeviceColumn.parseList("id, name").get() == [.id, .name])
    }

    // MARK: - Snapshots

    @Test func chosenColumnsSnapshots() {
        var rows = Fixture.fleet
        rows[1].deviceStatus = .lost
        rows[2].rented = true
        rows[4].label = "KIOSK-LOBBY"
        rows[5].name = "MacBook Pro de Zoë (LT-SFO-00006)"
        rows[6].enrolledAt = Fixture.now.addingTimeInterval(-400 * Fixture.day)
        var state = Fixture.state(rows)
        // More than 80 columns take: at 80x24 the lowest-ranked leave, identifiers stay whole.
        _ = command(
            &state,
            "columns id,name,os,device_status,rental,label,serial,seen_date,enrolled,status,mdm,"
                + "compliance")
        Fixture.press(&state, .char("j"), .char(" "))
        state.flash = nil
        assertSnapshot(draw(state, 80, 24), named: "columns-80x24")
        assertSnapshot(draw(state, 120, 40), named: "columns-120x40")
    }

    // MARK: - Config and state file

    @Test func configColumnsAsAListOrACommaText() throws {
        let list = try ConfigFile.parse(
            text: "columns: [id, name, Device-Status]\n", source: "c"
        ).get()
        #expect(list.columns == [.id, .name, .deviceStatus])
        let block = try ConfigFile.parse(text: "columns:\n  - serial\n  - id\n", source: "c").get()
        #expect(block.columns == [.serial, .id])
        let text = try ConfigFile.parse(text: "columns: id, seen_date\n", source: "c").get()
        #expect(text.columns == [.id, .seenDate])
    }

    @Test func configColumnsProblemsNameTheColumn() {
        func message(_ text: String) -> String? {
            guard case .failure(let problems) = ConfigFile.parse(text: text, source: "c")
            else { return nil }
            return problems.problems.first?.message
        }
        #expect(
            message("columns: [id, nmae]\n")?.hasPrefix("columns: unknown column 'nmae'") == true)
        #expect(message("columns: [id, [name]]\n") == "columns lists names, found a list")
        #expect(message("columns:\n") == "columns must be a list of column names, found nothing")
        #expect(message("columns: {a: b}\n")?.contains("found a mapping") == true)
    }

    @Test func theStateFileKeepsTheChoiceAndForgetsIt() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("decom-columns-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(ColumnsFile.load(directory: folder) == nil)
        try ColumnsFile.save([.id, .deviceStatus], directory: folder)
        #expect(
            try String(contentsOfFile: folder + "/columns", encoding: .utf8)
                == "id,device_status\n")
        #expect(ColumnsFile.load(directory: folder) == [.id, .deviceStatus])
        try ColumnsFile.save(nil, directory: folder)
        #expect(ColumnsFile.load(directory: folder) == nil)
        try "id,bogus\n".write(toFile: folder + "/columns", atomically: true, encoding: .utf8)
        #expect(ColumnsFile.load(directory: folder) == nil, "a list that does not read is ignored")
    }
}
