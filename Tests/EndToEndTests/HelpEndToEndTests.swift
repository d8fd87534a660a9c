import Foundation
import Testing

/// Every command's `--help` fits 80 columns (issue 15, "Habits of a terminal program"): the
/// usage lines that swift-argument-parser builds from every option do not wrap, so each
/// command gives its own.
@Suite struct HelpEndToEndTests {
    static let commands: [[String]] = [
        [], ["console"], ["demo"], ["init"], ["seed"], ["list"], ["show"], ["delete"], ["undo"],
        ["history"], ["purge"], ["import"], ["export"], ["backup"], ["audit"], ["audit", "verify"],
        ["themes"], ["themes", "list"], ["themes", "preview"], ["themes", "check"],
        ["serve-ssh"], ["serve-http"], ["token"], ["token", "create"], ["token", "list"],
        ["token", "revoke"],
    ]

    @Test(arguments: commands) func helpFitsEightyColumns(_ command: [String]) throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let help = try decom.run(command + ["--help"], env: ["COLUMNS": "80"], useDB: false)
        #expect(help.status == 0, "\(command): \(help.stderr)")
        let text = help.stdout + help.stderr
        #expect(text.contains("USAGE: decom"), "\(command)")
        for line in text.split(separator: "\n") where line.count > 80 {
            Issue.record(
                "decom \(command.joined(separator: " ")) --help: \(line.count) columns: \(line)")
        }
    }

    /// The prose of a help (overview and discussion) does not come out ragged at 80 columns:
    /// swift-argument-parser breaks any line longer than the width, so a written line over 80
    /// columns followed by more of its paragraph gave "...iOS,\nAndroid\nand Linux". A line
    /// may be longer only when it is a paragraph of its own (the parser then wraps it evenly).
    @Test(arguments: commands) func helpProseIsNotRaggedAtEightyColumns(_ command: [String])
        throws
    {
        let decom = try DecomProcess()
        defer { decom.remove() }
        let help = try decom.run(command + ["--help"], env: ["COLUMNS": "300"], useDB: false)
        let text = help.stdout + help.stderr
        let end = text.range(of: "\nUSAGE:")?.lowerBound ?? text.endIndex
        let lines = text[..<end].split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count > 1, "\(command)")
        for (index, line) in lines.enumerated()
        where line.count > 80 && index + 1 < lines.count && !lines[index + 1].isEmpty {
            Issue.record(
                "decom \(command.joined(separator: " ")) --help: a \(line.count)-column line inside a paragraph breaks raggedly at 80: \(line)"
            )
        }
    }

    /// How to run each command that takes `--format` so that it succeeds on a small fleet.
    static let formatRuns: [String: [String]] = [
        "list": ["list"], "show": ["show", "1"], "delete": ["delete", "--dry-run", "2"],
        "undo": ["undo"], "history": ["history"], "export": ["export"],
        "purge": ["purge", "--archived-before", "1d", "--dry-run"],
    ]
    static let formatNames: Set<String> = ["table", "json", "csv", "text", "ndjson", "yaml", "xml"]

    /// The formats a command's help offers for `--format`: in its usage line
    /// (`[--format table|json]`) and in the option's own lines (`table or json. (values: ...)`).
    static func offeredFormats(_ help: String) -> Set<String> {
        var offered: Set<String> = []
        var inOption = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--format <") {
                inOption = true
            } else if inOption && (trimmed.isEmpty || trimmed.hasPrefix("-")) {
                inOption = false
            }
            var text = inOption ? trimmed : ""
            if let range = line.range(of: "[--format ") {
                text += " " + line[range.upperBound...].prefix { $0 != " " && $0 != "]" }
            }
            for word in text.lowercased().split(whereSeparator: { !$0.isLetter }) {
                if formatNames.contains(String(word)) { offered.insert(String(word)) }
            }
        }
        return offered
    }

    /// No command's help offers a format it then refuses (issue 15): each format a help names
    /// for `--format` is run, on a seeded fleet, and is not refused (exit 2).
    @Test func everyFormatAHelpOffersIsAccepted() throws {
        let decom = try DecomProcess()
        defer { decom.remove() }
        #expect(try decom.run(["seed", "--devices", "50", "--seed", "1"]).status == 0)
        var offering = 0
        for command in Self.commands {
            let help = try decom.run(command + ["--help"], env: ["COLUMNS": "80"], useDB: false)
            let offered = Self.offeredFormats(help.stdout)
            guard !offered.isEmpty else { continue }
            let name = command.joined(separator: " ")
            offering += 1
            guard let run = Self.formatRuns[name] else {
                Issue.record("decom \(name) offers \(offered.sorted()): add it to formatRuns")
                continue
            }
            for format in offered.sorted() {
                // Something to undo, each time.
                if name == "undo" { try decom.run(["delete", "3"]) }
                let result = try decom.run(run + ["--format", format])
                #expect(
                    result.status != 2,
                    "decom \(name) offers --format \(format) and refuses it: \(result.stderr)")
            }
        }
        #expect(offering == Self.formatRuns.count, "the helps' formats were not found")
    }
}
