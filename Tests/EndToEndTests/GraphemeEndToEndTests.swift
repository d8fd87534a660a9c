import Foundation
import Testing

/// Text from real fleets is drawn whole: an emoji ZWJ sequence and a skin-tone modifier reach
/// the terminal (tmux, whose screen `capture-pane -p` shows as it received it) in the table,
/// the details pane and a dialog, and the column after them stays aligned.
@Suite struct GraphemeEndToEndTests {
    /// emoji-test.txt: 👩‍💻 woman technologist (1F469 200D 1F4BB) and 👍🏽 thumbs up: medium
    /// skin tone (1F44D 1F3FD).
    static let technologist = "\u{1F469}\u{200D}\u{1F4BB}"
    static let thumbsUp = "\u{1F44D}\u{1F3FD}"

    /// How many columns tmux gives `text`: printed in a pane of its own, then read off the
    /// cursor. tmux 3.3 gives the ZWJ sequence 2 and the skin-tone pair 4; other versions may
    /// differ, and the console must follow whichever it is.
    func tmuxWidth(_ text: String) throws -> Int {
        let tmux = try Tmux(
            command: "printf '%s|' \(Tmux.quote(text))", width: 40, height: 5,
            environment: ["LANG": "C.UTF-8"])
        try tmux.waitFor("the sample") { $0.contains("|") }
        let x = try tmux.run(["display-message", "-p", "-t", tmux.session, "#{cursor_x}"])
        return try #require(Int(x.trimmingCharacters(in: .whitespacesAndNewlines))) - 1
    }

    /// The screen column where `needle` starts on the first line holding both it and `line`,
    /// counting each cluster as tmux does and everything else (ASCII, box lines) as one.
    func column(
        of needle: String, onLineWith line: String, in screen: String, widths: [String: Int],
        last: Bool = false
    ) -> Int? {
        for text in screen.split(separator: "\n") where text.contains(line) {
            guard let range = text.range(of: needle, options: last ? .backwards : [])
            else { continue }
            return text[..<range.lowerBound].reduce(0) { $0 + (widths[String($1)] ?? 1) }
        }
        return nil
    }

    @Test func clustersReachTheScreenWholeWithTheNextColumnAligned() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let fleet = [
            Fixtures.device(1, name: Self.technologist + " dev laptop", serial: "SN1X"),
            Fixtures.device(2, name: Self.thumbsUp + " thumbs", serial: "SN2X"),
            Fixtures.device(3, name: "plain laptop", serial: "SN3X"),
        ]
        let file = decom.home.appendingPathComponent("fleet.json").path
        try JSONSerialization.data(withJSONObject: fleet).write(to: URL(fileURLWithPath: file))
        #expect(try decom.run(["import", file]).status == 0)
        let widths = [
            Self.technologist: try tmuxWidth(Self.technologist),
            Self.thumbsUp: try tmuxWidth(Self.thumbsUp),
        ]

        var env = decom.environment
        env["TERM"] = "xterm-256color"
        let command = [DecomProcess.binary, "console", "--db", decom.db].map(Tmux.quote)
        let tmux = try Tmux(
            command: command.joined(separator: " "), width: 120, height: 40, environment: env)
        let table = try tmux.waitFor("the table") { $0.contains("plain laptop") }
        #expect(table.contains(Self.technologist + " dev laptop"), "\(table)")
        #expect(table.contains(Self.thumbsUp + " thumbs"), "\(table)")
        let serials = ["SN1X", "SN2X", "SN3X"].map {
            column(of: $0, onLineWith: $0, in: table, widths: widths)
        }
        #expect(serials[0] != nil && Set(serials).count == 1, "serial columns: \(serials)")

        try tmux.send("Enter")
        let details = try tmux.waitFor("the details") { $0.contains("Identifiers") }
        // The pane's right border closes the name's line where it closes the others.
        let name = column(
            of: "│", onLineWith: "│ name ", in: details, widths: widths, last: true)
        let id = column(of: "│", onLineWith: "│ id ", in: details, widths: widths, last: true)
        #expect(name != nil && name == id, "right borders: \(name ?? -1) \(id ?? -1)\n\(details)")
        #expect(
            details.components(separatedBy: Self.technologist + " dev laptop").count == 3,
            "in the table and the details: \(details)")

        try tmux.send("Tab", "Space", "Space", "D")
        let dialog = try tmux.waitFor("the purge dialog") { $0.contains("Purge 2 devices") }
        #expect(dialog.components(separatedBy: Self.technologist + " dev laptop").count >= 3)
        #expect(dialog.components(separatedBy: Self.thumbsUp + " thumbs").count >= 3, "\(dialog)")
        try tmux.send("Escape")
        try tmux.send("q")
    }
}
