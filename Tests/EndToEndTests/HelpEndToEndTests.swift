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
}
