import Foundation
import Testing

/// `:columns` in a real terminal: the config's `columns:` is the default, the chosen columns
/// show, in their order, and come back in the next run (issue 15, "See what matters").
@Suite(.serialized) struct ConsoleColumnsEndToEndTests {
    @Test func chosenColumnsShowAndPersistAcrossRuns() throws {
        let decom = try DecomProcess.withFixtureFleet()
        defer { decom.remove() }
        let state = decom.home.appendingPathComponent("state").path
        var environment = decom.environment
        environment["TERM"] = "xterm-256color"
        environment["XDG_STATE_HOME"] = state
        func console() throws -> Tmux {
            try Tmux(
                console: [DecomProcess.binary, "console", "--db", decom.db], width: 80,
                height: 24, environment: environment)
        }
        /// Whether the kiosk's row shows its device status.
        func kioskStatus(_ screen: String) -> Bool {
            screen.split(separator: "\n").contains {
                $0.contains("KIOSK-00005") && $0.hasSuffix("ACTIVE")
            }
        }
        /// The table's header line: the line under the header that starts with the ID title.
        func header(_ screen: String) -> [Substring] {
            let line = screen.split(separator: "\n").first { $0.contains("ID↑") } ?? ""
            return line.split(separator: " ")
        }

        // The config's columns are the default.
        let config = decom.home.appendingPathComponent("config/decom")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "columns: [id, name, serial, status]\n".write(
            to: config.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)

        let first = try console()
        try first.waitFor("the config's columns") {
            header($0) == ["ID↑", "NAME", "SERIAL", "STATUS"] && $0.contains("C02XK1ZZJGH5")
        }
        try first.send(":")
        try first.type("columns id,name,device_status")
        try first.send("Enter")
        let chosen = try first.waitFor("the device status column") {
            header($0) == ["ID↑", "NAME", "DEVICE"]
        }
        #expect(kioskStatus(chosen))
        #expect(!chosen.contains("C02XK1ZZJGH5"), "the serial left with its column")
        // An unknown name changes nothing and says which.
        try first.send(":")
        try first.type("columns id,colour")
        try first.send("Enter")
        try first.waitFor(text: "unknown column 'colour'")
        #expect(header(try first.screen()) == ["ID↑", "NAME", "DEVICE"])
        try first.send("q")
        try first.waitFor(text: "decom exited 0")
        let saved = try String(contentsOfFile: state + "/decom/columns", encoding: .utf8)
        #expect(saved == "id,name,device_status\n")

        // The next run shows the same columns.
        let second = try console()
        try second.waitFor("the chosen columns again") {
            header($0) == ["ID↑", "NAME", "DEVICE"] && kioskStatus($0)
        }
        // `:columns default` returns to the config's columns and forgets the choice.
        try second.send(":")
        try second.type("columns default")
        try second.send("Enter")
        try second.waitFor("the config's columns again") {
            header($0) == ["ID↑", "NAME", "SERIAL", "STATUS"]
        }
        try second.send("q")
        try second.waitFor(text: "decom exited 0")
        #expect(!FileManager.default.fileExists(atPath: state + "/decom/columns"))
    }
}
